"""The sales part of the monthly report through the CLI (issue 11 items 4-5): a roster, a plan,
orders run into delivery notes, shipped, invoiced, partly returned and paid over several
business days; the month's figures equal sums made here from the input rows; a UM's workbook
holds nothing of another region; a filled 经销商进货情况统计表 comes back through the inbox."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from osb_batch import catalogue
from osb_batch.demo.staff_workbook import write_form
from osb_batch.ledger.documents import documents
from osb_batch.writers.list_sheet import form_headers

from ..conftest import lo_check_failures

D = Decimal
TODAY = dt.date(2026, 12, 1)
#: (code, name, market, region, KAM, UM)
CUSTOMERS = [("C001", "上海甲贸易有限公司", "华东", "上海", "王敏", "李强"),
             ("C002", "江苏乙商贸有限公司", "华东", "江苏", "王敏", "王芳"),
             ("C003", "上海丙实业有限公司", "华东", "上海", "陈静", "李强"),
             ("C004", "北京丁批发有限公司", "华北", "北京", "孙浩", "刘洋"),
             ("C005", "北京戊连锁有限公司", "华北", "北京", "孙浩", "刘洋")]
MARKET = {"华东": "E", "华北": "N"}
#: (name, role, market, region)
STAFF = [("张伟", "市场经理", "华东", None), ("赵敏", "市场经理", "华北", None),
         ("李强", "区域经理", "华东", "上海"), ("王芳", "区域经理", "华东", "江苏"), ("刘洋", "区域经理", "华北", "北京"),
         ("王敏", "客户经理", "华东", None), ("陈静", "客户经理", "华东", None), ("孙浩", "客户经理", "华北", None)]
PRICES = {"P001": D(100), "P002": D(250)}
#: order no -> (customer, [(product, qty)])
ORDERS = {"SO-1": ("C001", [("P001", 10), ("P002", 4)]), "SO-2": ("C002", [("P001", 23)]),
          "SO-3": ("C003", [("P002", 7)]), "SO-4": ("C004", [("P001", 31), ("P002", 2)]),
          "SO-5": ("C005", [("P002", 13)])}
#: (market, region, product, target, owner)
PLAN = [("华东", "上海", None, D(5000), "李强"), ("华东", "江苏", None, D(3000), "王芳"),
        ("华北", "北京", None, D(6000), "刘洋"), ("华东", "上海", "P001", D(1200), "王敏")]
RETURNS = [("TH-1", "C001", "P001", 2, D(200))]
SIGNER = {"华东": "销售副总监", "华北": "销售总监"}
RECEIPTS = [("BR-1", "C001", D(1500)), ("BR-2", "C004", D(3600))]


def _master(inbox: Path) -> None:
    write_form(inbox / "客户.xlsx", "customers", [
        {"customer_code": c, "customer_name": n, "market": m, "region": r, "account_manager": k,
         "unit_manager": u, "credit_limit": D(500000), "payment_term_days": 30, "prepaid": "否"}
        for c, n, m, r, k, u in CUSTOMERS], sheet="客户")
    write_form(inbox / "产品.xlsx", "products", [
        {"product_code": p, "product_name": f"产品{p}", "unit": "箱", "unit_price": price, "status": "在售",
         "product_group": "G1"} for p, price in PRICES.items()], sheet="产品")
    write_form(inbox / "名册.xlsx", "staff", [
        {"name": n, "role": role, "market": m, "region": r, "active": "是", "since": dt.date(2026, 10, 1)}
        for n, role, m, r in STAFF], sheet="名册")
    write_form(inbox / "月度计划.xlsx", "monthly_plan", [
        {"month": "2026-11", "market": m, "region": r, "product_code": p, "sales_target": t, "owner": o}
        for m, r, p, t, o in PLAN], sheet="计划")
    write_form(inbox / "订单.xlsx", "orders", [
        {"order_no": no, "order_date": dt.date(2026, 11, 2), "customer_code": code, "kam_verified": "王敏",
         "mm_approved": "张伟", "product_code": p, "qty": q, "unit_price": PRICES[p], "amount": PRICES[p] * q}
        for no, (code, lines) in ORDERS.items() for p, q in lines], sheet="订单")
    write_form(inbox / "拜访计划.xlsx", "visit_plan", [
        {"visit_date": dt.date(2026, 11, 3), "salesperson": "王敏", "customer_code": "C001",
         "customer_name": CUSTOMERS[0][1], "purpose": "回访", "actual_date": dt.date(2026, 11, 4)},
        {"visit_date": dt.date(2026, 11, 5), "salesperson": "王敏", "customer_code": "C002",
         "customer_name": CUSTOMERS[1][1], "purpose": "回访"},
        {"visit_date": dt.date(2026, 11, 5), "salesperson": "孙浩", "customer_code": "C004",
         "customer_name": CUSTOMERS[3][1], "purpose": "回访", "actual_date": dt.date(2026, 11, 6)}], sheet="拜访")
    write_form(inbox / "工作日志.xlsx", "work_log", [
        {"log_date": dt.date(2026, 11, 4), "staff": "王敏", "time_slot": "上午", "work_content": "拜访客户",
         "customer_name": CUSTOMERS[1][1]},
        {"log_date": dt.date(2026, 11, 4), "staff": "王敏", "time_slot": "下午", "work_content": "内部会议"}],
        sheet="日志")


def _sign(inbox: Path) -> None:
    """The SLT member of each market signs every order (rules.toml [markets])."""
    market = {c[0]: c[2] for c in CUSTOMERS}
    write_form(inbox / "审批.xlsx", "approvals", [
        {"order_no": no, "approval_type": "经理批准", "approver": SIGNER[market[code]], "decision": "同意",
         "signed_at": dt.datetime(2026, 11, 3, 15)} for no, (code, _) in ORDERS.items()], sheet="审批")


def _notes(osb) -> dict[str, str]:
    with osb.ledger() as con:
        return dict(con.execute("SELECT o.order_no, n.note_no FROM delivery_notes n JOIN orders o ON o.id = n.order_id"))


def _ship_and_bill(inbox: Path, notes: dict[str, str]) -> None:
    write_form(inbox / "发运反馈.xlsx", "shipments", [
        {"delivery_note_no": note, "order_no": no, "note_received_at": dt.datetime(2026, 11, 3, 9),
         "shipped_at": dt.datetime(2026, 11, 3, 15), "correct": "是"} for no, note in sorted(notes.items())],
        sheet="发运")
    write_form(inbox / "开票记录.xlsx", "invoices", [
        {"invoice_no": f"FP-{no}", "delivery_note_no": notes[no], "customer_code": code,
         "invoice_date": dt.date(2026, 11, 4), "amount": _amount(lines)} for no, (code, lines) in ORDERS.items()],
        sheet="开票")


def _work_plan(inbox: Path) -> None:
    """王敏's plan for the week of November 9, in on the 4th: on time for its due, Monday 10:00."""
    path = inbox / "周工作计划-王敏.xlsx"
    write_form(path, "weekly_work_plan", [{"week_start": dt.date(2026, 11, 9), "staff": "王敏", "item_no": 1,
                                           "task": "回访上海客户"}], sheet="周计划")
    moment = dt.datetime(2026, 11, 4, 9, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
    os.utime(path, (moment, moment))


def _returns_and_receipts(inbox: Path) -> None:
    write_form(inbox / "退货单.xlsx", "returns", [
        {"return_no": no, "original_doc_no": "FP-SO-1", "customer_code": c, "product_code": p, "qty": q,
         "amount": a, "return_date": dt.date(2026, 11, 9), "approved_by": "财务李"} for no, c, p, q, a in RETURNS],
        sheet="退货")
    names = {c[0]: c[1] for c in CUSTOMERS}
    write_form(inbox / "到款.xlsx", "bank_receipts", [
        {"bank_ref": ref, "receipt_date": dt.date(2026, 11, 10), "payer_name": names[c], "amount": a,
         "remark": "货款"} for ref, c, a in RECEIPTS], sheet="到款")


def _amount(lines) -> Decimal:
    return sum((PRICES[p] * q for p, q in lines), D(0))


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """The working folder after the month's runs, and the produced monthly report (JSON, folder)."""
    from ..conftest import Osb
    osb = Osb(tmp_path_factory.mktemp("sales") / "work")
    osb("init", str(osb.home))
    _master(osb.inbox)
    osb.run("2026-11-02")
    _sign(osb.inbox)
    osb.run("2026-11-03")
    notes = _notes(osb)
    assert sorted(notes) == sorted(ORDERS)
    _ship_and_bill(osb.inbox, notes)
    _work_plan(osb.inbox)
    osb.run("2026-11-04")
    _returns_and_receipts(osb.inbox)
    osb.run("2026-11-10")
    produced = _produce(osb)
    return osb, produced


def _produce(osb, kind: str = "monthly", label: str = "2026-11", lang: str = "zh") -> SimpleNamespace:
    """``osb-batch report KIND --period LABEL --date 2026-12-01 --json``: its JSON and its folder."""
    given = osb(*(["--lang", "en"] if lang == "en" else []), "report", kind, "--period", label,
                "--date", TODAY.isoformat(), "--json")
    return SimpleNamespace(result=json.loads(given.output), folder=osb.home / "outbox" / f"报表-{label}")


# sums made here from the input rows ------------------------------------------------------------
def _sales_by(column: int) -> dict[str, Decimal]:
    """Invoiced less returned, per customer attribute (0 code, 2 market, 3 region, 4 KAM, 5 UM)."""
    of = {c[0]: c for c in CUSTOMERS}
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for code, lines in ORDERS.values():
        sums[of[code][column]] += _amount(lines)
    for _, code, _, _, amount in RETURNS:
        sums[of[code][column]] -= amount
    return dict(sums)


def _collection_by(column: int) -> dict[str, Decimal]:
    of = {c[0]: c for c in CUSTOMERS}
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for _, code, amount in RECEIPTS:
        sums[of[code][column]] += amount
    return dict(sums)


def _ratio(amount: Decimal, target: Decimal) -> str:
    return str((amount / target).quantize(D("0.0001"), ROUND_HALF_UP))


def _money(value: Decimal) -> str:
    return str(value.quantize(D("0.01")))


def _sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def _cells(path: Path) -> list[object]:
    """Every cell of every sheet of ``path``, the hidden ones included."""
    book = CalamineWorkbook.from_path(str(path))
    return [cell for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for cell in row]


def test_the_months_figures_equal_the_sums_of_the_input_rows(month):
    _, produced = month
    result = produced.result
    sales, collected = _sales_by(3), _collection_by(3)
    targets = {r: t for m, r, p, t, _ in PLAN if p is None}
    regions = {r["region"]: r for r in result["regions"]}
    assert set(regions) == set(sales)
    for region, amount in sales.items():
        row = regions[region]
        assert (row["amount"], row["target"], row["collection"]) == (
            _money(amount), _money(targets[region]), _money(collected.get(region, D(0))))
        assert row["achievement"] == _ratio(amount, targets[region])
    assert [r["region"] for r in sorted(result["regions"], key=lambda r: r["rank"])] == ["北京", "江苏", "上海"]
    market_sales = _sales_by(2)
    for row in result["markets"]:
        name = next(k for k, v in MARKET.items() if v == row["market"])
        target = sum((t for m, r, p, t, _ in PLAN if m == name and p is None), D(0))
        assert (row["amount"], row["target"]) == (_money(market_sales[name]), _money(target))
    people = {p["name"]: p for p in result["people"]}
    for name, amount in _sales_by(4).items():
        assert people[name]["amount"] == _money(amount)
    assert people["王敏"]["target"] == "1200.00" and people["陈静"]["target"] is None
    assert people["王敏"]["orders"] == 2 and people["王敏"]["visits"] == 2 and people["孙浩"]["visits"] == 1
    for name, amount in _sales_by(5).items():
        assert people[name]["amount"] == _money(amount)
    assert result["basis"] == "invoiced"
    # [[reporting.duties]] due from the ledger's first day (November 2) to the month's end, of a KAM:
    # 4 visit plans (Saturdays), 5 weekly work plans (Mondays), the monthly work plan, target customers
    assert people["王敏"]["on_time_rate"] == _ratio(D(1), D(11)) and people["陈静"]["on_time_rate"] == "0.0000"


def test_the_national_workbooks_hold_the_same_figures_with_totals_that_read_as_footers(month):
    _, produced = month
    folder = produced.folder
    names = {p.name for p in folder.iterdir()}
    national = {"销售情况月统计表-2026-11.xlsx", "区域销售情况统计表-2026-11.xlsx", "销售员工作月统计表-2026-11.xlsx",
                "经销商进货情况统计表-2026-11.xlsx", "每月经销商管理汇总表-2026-11.xlsx"}
    scoped = {"销售业绩-2026-11-华东-张伟.xlsx", "销售业绩-2026-11-华北-赵敏.xlsx", "销售业绩-2026-11-上海-李强.xlsx",
              "销售业绩-2026-11-江苏-王芳.xlsx", "销售业绩-2026-11-北京-刘洋.xlsx", "销售业绩-2026-11-王敏.xlsx",
              "销售业绩-2026-11-陈静.xlsx", "销售业绩-2026-11-孙浩.xlsx"}
    assert national | scoped <= names and {n for n in names if n.startswith("销售业绩")} == scoped
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    forms = {Path(o["file"]).name: o["form"] for o in manifest["files"]}
    assert forms["经销商进货情况统计表-2026-11.xlsx"] == "dealer_purchase_stats"
    assert {forms[n] for n in scoped} == {"sales_scoped"}

    lines = _sheet(folder / "销售情况月统计表-2026-11.xlsx", "销售情况月统计表")
    header = lines[2]
    assert header[:11] == ["月份", "市场", "区域", "产品编码", "销售数量", "销售金额", "回款金额", "目标金额", "完成率",
                           "同比增长", "填报人"]
    amount = header.index("销售金额")
    products = [r for r in lines[3:] if r[0] == "2026-11"]
    assert D(str(sum(r[amount] for r in products))).quantize(D("0.01")) == sum(_sales_by(0).values())
    assert lines[-1][0] == "合计" and D(str(lines[-1][amount])) == sum(_sales_by(0).values())
    by_product = defaultdict(Decimal)
    for r in products:
        by_product[(r[2], r[3])] += D(str(r[amount]))
    assert by_product[("上海", "P001")] == D(1000) - D(200)

    regional = _sheet(folder / "区域销售情况统计表-2026-11.xlsx", "区域销售情况统计表")
    rows = {r[2]: r for r in regional[3:] if r[0] == "2026-11"}
    assert {k: D(str(r[4])) for k, r in rows.items()} == _sales_by(3)
    assert [r[0] for r in regional[3:] if r[0] != "2026-11"] == ["小计", "小计", "合计"]

    dealers = _sheet(folder / "每月经销商管理汇总表-2026-11.xlsx", "每月经销商管理汇总表")
    balance = dealers[2].index("应收余额")
    owed = {r[1]: D(str(r[balance])) for r in dealers[3:] if r[0] == "2026-11"}
    invoiced = {code: _amount(lines) for code, lines in ORDERS.values()}
    assert owed["C001"] == invoiced["C001"] - D(200) - D(1500) and owed["C004"] == invoiced["C004"] - D(3600)


def test_a_ums_workbook_holds_nothing_of_another_region(month):
    _, produced = month
    path = produced.folder / "销售业绩-2026-11-上海-李强.xlsx"
    cells = _cells(path)
    texts = {c for c in cells if isinstance(c, str)}
    numbers = {D(str(c)).quantize(D("0.01")) for c in cells if isinstance(c, int | float)}
    others = [c for c in CUSTOMERS if c[3] != "上海"]
    foreign = {c[0] for c in others} | {c[1] for c in others} | {"江苏", "北京", "华北", "张伟", "赵敏", "王芳", "刘洋", "孙浩"}
    assert not {t for t in texts for word in foreign if word in t}
    assert {"C001", "C003", "李强", "王敏", "陈静"} <= texts
    mine = _sales_by(3)["上海"]
    assert mine in numbers
    for wider in (sum(_sales_by(0).values()), _sales_by(2)["华东"], _sales_by(3)["江苏"], _sales_by(4)["王敏"]):
        assert wider.quantize(D("0.01")) not in numbers
    lines = _sheet(path, "销售情况月统计表")
    assert lines[-1][0] == "合计" and D(str(lines[-1][5])) == mine


def test_the_scoped_workbooks_of_the_ums_add_up_to_the_national_total(month):
    _, produced = month
    totals = []
    for name in ("上海-李强", "江苏-王芳", "北京-刘洋"):
        lines = _sheet(produced.folder / f"销售业绩-2026-11-{name}.xlsx", "销售情况月统计表")
        totals.append(D(str(lines[-1][5])))
    assert sum(totals) == sum(_sales_by(0).values())


def test_a_filled_dealer_purchase_sheet_comes_back_through_the_inbox_and_is_stored(month):
    osb, produced = month
    book = openpyxl.load_workbook(produced.folder / "销售业绩-2026-11-上海-李强.xlsx")
    ws = book["经销商进货情况统计表"]
    header = [c.value for c in ws[3]]
    stock, code, product = header.index("期末库存") + 1, header.index("客户编码") + 1, header.index("产品编码") + 1
    filled = {}
    for row in range(4, ws.max_row + 1):
        if ws.cell(row, 1).value == "合计":
            continue
        key = (ws.cell(row, code).value, ws.cell(row, product).value)
        ws.cell(row, stock).value = filled[key] = 5 + row
    book.save(osb.inbox / "经销商进货情况统计表-2026-11-上海.xlsx")
    osb.run("2026-12-01")
    ledger = osb.open_ledger(readonly=True)
    try:
        stored = {(r["customer_code"], r["product_code"]): r["stock_qty"]
                  for r in documents(ledger, "dealer_purchase_stats", period="2026-11")}
    finally:
        ledger.close()
    assert stored == {key: D(value) for key, value in filled.items()}
    assert {key[0] for key in stored} == {"C001", "C003"}

    again = _produce(osb)
    dealers = _sheet(again.folder / "每月经销商管理汇总表-2026-11.xlsx", "每月经销商管理汇总表")
    column = dealers[2].index("期末库存")
    shown = {r[1]: r[column] for r in dealers[3:] if r[0] == "2026-11"}
    assert shown["C001"] == sum(v for (c, _), v in filled.items() if c == "C001") and shown["C004"] == ""


def test_a_week_in_english_names_its_files_and_texts_in_english(month):
    osb, _ = month
    produced = _produce(osb, "weekly", "2026-W45", lang="en")
    names = {p.name for p in produced.folder.iterdir()}
    assert {"Weekly sales statistics-2026-W45.xlsx", "Salesperson weekly statistics-2026-W45.xlsx",
            "Sales performance-2026-W45-East-张伟.xlsx", "Sales performance-2026-W45-王敏.xlsx"} <= names
    sheet = _sheet(produced.folder / "Weekly sales statistics-2026-W45.xlsx", "Weekly sales statistics")
    written = [c for row in sheet[:3] for c in row if isinstance(c, str)] + [sheet[-1][0]]
    assert not [t for t in written if set(t) & set("，：（）；")]
    keys = catalogue.load()["weekly_sales_stats"].keys
    assert sheet[-1][0] == "Total" and sheet[2][:len(keys)] == list(form_headers("weekly_sales_stats", keys, "en"))


def test_every_sales_workbook_opens_and_prints_in_libreoffice(month):
    _, produced = month
    folder = produced.folder
    paths = sorted(p for p in folder.glob("*.xlsx") if "销售业绩" not in p.name)
    paths += [folder / "销售业绩-2026-11-上海-李强.xlsx", folder / "销售业绩-2026-11-王敏.xlsx"]
    assert lo_check_failures(paths) == []


def test_the_trend_shows_nothing_before_the_ledgers_first_day(month):
    _, produced = month
    charts = _sheet(produced.folder / "销售情况月统计表-2026-11.xlsx", "图表")
    points = {r[0]: r[2] for r in charts if isinstance(r[0], str) and r[0][:4] in ("2025", "2026") and len(r[0]) == 7}
    assert len(points) == 13 and points["2026-10"] == "" and D(str(points["2026-11"])) == sum(_sales_by(0).values())


def test_a_kams_workbook_holds_their_customers_only_and_their_own_total(month):
    _, produced = month
    path = produced.folder / "销售业绩-2026-11-陈静.xlsx"
    texts = {c for c in _cells(path) if isinstance(c, str)}
    others = [c for c in CUSTOMERS if c[4] != "陈静"]
    foreign = {c[0] for c in others} | {c[1] for c in others} | {n for n, *_ in STAFF if n != "陈静"} | {"江苏", "北京"}
    assert not {t for t in texts for word in foreign if word in t}
    book = CalamineWorkbook.from_path(str(path))
    assert "区域销售情况统计表" not in book.sheet_names
    lines = _sheet(path, "销售情况月统计表")
    assert lines[-1][0] == "合计" and D(str(lines[-1][5])) == _sales_by(4)["陈静"]


def test_a_quarter_is_shown_in_the_monthly_layouts_named_as_a_quarters(month):
    osb, _ = month
    produced = _produce(osb, "quarterly", "2026Q4")
    names = {p.name for p in produced.folder.iterdir()}
    assert {"销售情况季统计表-2026Q4.xlsx", "区域销售情况统计表-2026Q4.xlsx", "销售员工作季统计表-2026Q4.xlsx"} <= names
    assert not {n for n in names if "月统计表" in n or "周统计表" in n}
    regions = {r["region"]: D(r["amount"]) for r in produced.result["regions"]}
    assert regions == _sales_by(3)
    lines = _sheet(produced.folder / "销售情况季统计表-2026Q4.xlsx", "销售情况季统计表")
    assert lines[-1][0] == "合计" and D(str(lines[-1][5])) == sum(_sales_by(0).values())


def test_a_period_too_big_for_memory_is_streamed_into_the_same_cells(month, monkeypatch):
    from osb_batch.writers import common, sales_workbooks
    osb, produced = month
    streamed: dict[str, bool] = {}

    def spy(path, *, constant_memory=False):
        streamed[Path(path).name.removeprefix(".").removesuffix(".tmp")] = constant_memory
        return common.new_workbook(path, constant_memory=constant_memory)

    kept = {p.name: _cells(p) for p in produced.folder.glob("*.xlsx")}
    monkeypatch.setattr(sales_workbooks, "STREAM_ROWS", 0)
    monkeypatch.setattr(sales_workbooks, "new_workbook", spy)
    again = _produce(osb)
    assert len(streamed) > 10 and all(streamed.values())
    assert {name: _cells(again.folder / name) for name in streamed} == {name: kept[name] for name in streamed}
