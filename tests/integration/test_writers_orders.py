"""The order register (订单备忘录), approval requests (待审批单) and delivery notes (送货单)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from osb_batch import catalogue, settings
from osb_batch.readers import workbook as reader
from osb_batch.writers.approvals import approval_requests_name, osb_keys, write_approval_requests
from osb_batch.writers.delivery_notes import (
    LINE_HEADERS,
    LIST_HEADERS,
    LIST_KEYS,
    amount_in_words,
    delivery_notes_name,
    write_delivery_notes,
)
from osb_batch.writers.records import ApprovalRequest, DeliveryNote, OrderLineView, OrderView, Roles
from osb_batch.writers.register import HEADERS, KEYS, LINE_KEYS, order_register_name, write_order_register

from ..support.golden import dump_workbook

DAY = dt.date(2026, 11, 26)
VERSION = "2026.1"
ROLES = Roles(csr="王芳", scr="刘强", bcr="陈静")
LO_CHECK = Path(__file__).resolve().parents[3] / "shared/tools/lo_check.py"


def _line(n: int, qty: str = "10", price: str = "123.45", cut: str = "0") -> OrderLineView:
    qty_d, price_d = Decimal(qty), Decimal(price)
    return OrderLineView(product_code=f"P{n:03d}", product_name=f"产品{n}号 高级复合肥料",
                         spec="50kg/袋", unit="袋", qty=qty_d, unit_price=price_d,
                         amount=(qty_d * price_d).quantize(Decimal("0.01")), cut_qty=Decimal(cut))


def _orders() -> list[OrderView]:
    many = tuple(_line(n, qty=str(n), price="100.50") for n in range(1, 41))
    return [
        OrderView(order_no="SO-20261126-001", order_date=DAY, accepted_on=DAY, customer_code="C001",
                  customer_name="上海浦东贸易有限公司", market="华东", region="上海", unit_manager="张伟",
                  account_manager="李娜", amount=Decimal("12345.67"), state="AWAITING_SIGNATURE",
                  case="5-2", reasons=("信用检查通过（5-2）", "等待销售副总监签字"), roles=ROLES,
                  signer="销售副总监", lines=(_line(1, "100", "123.45"),), source_file="订单-华东-1126.xlsx"),
        OrderView(order_no="=HYPERLINK(\"x\")", order_date=DAY - dt.timedelta(days=1), accepted_on=DAY,
                  customer_code="C002", customer_name="+86 北京朝阳", market="华北", region="北京",
                  unit_manager="赵敏", account_manager="@SUM(A1)", amount=Decimal("500.00"),
                  state="REJECTED", case="", reasons=("产品 P999 不存在", "-数量不是数字"), roles=ROLES,
                  signer="销售总监", lines=(_line(2, "5", "100", cut="3"),), source_file="订单-华北.xlsx"),
        OrderView(order_no="SO-20261126-003", order_date=DAY, accepted_on=DAY, customer_code="C003",
                  customer_name="广州天河农资", market="华南", region="广州", unit_manager="孙丽",
                  account_manager="周杰", amount=sum((ln.amount for ln in many), Decimal(0)),
                  state="NOTE_ISSUED", case="5-3", reasons=("超信用 8.0%，销售副总监同意",), roles=ROLES,
                  signer="销售副总监", lines=many, source_file="订单-华南-1126.xlsx"),
    ]


def _register_rows(ws, first: int = 4) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first, max_col=ws.max_column)]


# -- the order register --------------------------------------------------------------------------

def test_a_register_too_long_for_memory_is_streamed_into_the_same_cells(tmp_path, monkeypatch):
    from osb_batch.writers import common, register
    kept, streamed = tmp_path / "kept.xlsx", tmp_path / "streamed.xlsx"
    write_order_register(_orders(), kept, business_date=DAY, version=VERSION)
    modes, real = [], common.new_workbook

    def spy(path, *, constant_memory=False):
        modes.append(constant_memory)
        return real(path, constant_memory=constant_memory)

    monkeypatch.setattr(register, "STREAM_ROWS", 0)
    monkeypatch.setattr(common, "new_workbook", spy)
    write_order_register(_orders(), streamed, business_date=DAY, version=VERSION)
    assert modes == [True]
    assert dump_workbook(streamed) == dump_workbook(kept)


def test_order_register(tmp_path):
    out = tmp_path / order_register_name(DAY)
    assert out.name == "订单备忘录-2026-11-26.xlsx"
    orders = _orders()
    write_order_register(orders, out, business_date=DAY, version=VERSION)
    assert out.exists() and not list(tmp_path.glob(".*.tmp"))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["订单备忘录", "订单明细", "_osb"]
    ws = wb["订单备忘录"]
    assert ws["A1"].value == "订单备忘录 2026-11-26"
    assert [c.value for c in ws[3]] == list(HEADERS["zh"])
    rows = _register_rows(ws)
    assert len(rows) == 3
    col = {k: i for i, k in enumerate(KEYS)}
    first = rows[0]
    assert first[col["order_no"]] == "SO-20261126-001"
    assert first[col["order_date"]] == dt.datetime(2026, 11, 26)
    assert ws.cell(4, col["order_date"] + 1).number_format == "yyyy-mm-dd"
    assert first[col["amount"]] == pytest.approx(12345.67)
    assert ws.cell(4, col["amount"] + 1).number_format == "#,##0.00"
    assert [r[col["state"]] for r in rows] == ["待签字", "已拒绝", "已开单"]
    assert rows[1][col["reason"]] == "产品 P999 不存在；-数量不是数字"
    assert (first[col["csr"]], first[col["scr"]], first[col["bcr"]]) == ("王芳", "刘强", "陈静")
    assert first[col["signer"]] == "销售副总监" and first[col["source_file"]] == "订单-华东-1126.xlsx"
    assert rows[1][col["case"]] is None
    # input text that looks like a formula stays text
    for ref in ("order_no", "customer_name", "account_manager", "reason"):
        cell = ws.cell(5, col[ref] + 1)
        assert cell.data_type == "s" and cell.value[0] in "=+@产", ref
    assert ws.cell(5, 1).value == '=HYPERLINK("x")'
    # totals, layout, colours
    assert ws["A2"].value == "合计" and ws["B2"].value == 3
    live = sum(o.amount for o in orders if o.state not in ("REJECTED", "REFUSED"))     # rejected ones left out
    assert ws.cell(2, col["amount"] + 1).value == pytest.approx(float(live)) and live < sum(o.amount for o in orders)
    assert ws.freeze_panes == "B4"
    assert ws.auto_filter.ref == f"A3:{openpyxl.utils.get_column_letter(len(KEYS))}6"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 = default
    assert ws.page_setup.fitToHeight == 0
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert len(rules) == 3 and any("已拒批" in r.formula[0] for r in rules)
    assert ws.column_dimensions["M"].width <= 62

    lines = wb["订单明细"]
    assert [c.value for c in lines[3]] == ["订单号", "产品编码", "产品名称", "规格", "单位", "数量", "单价",
                                           "金额", "削减数量"]
    line_rows = _register_rows(lines)
    assert len(line_rows) == 42
    lc = {k: i for i, k in enumerate(LINE_KEYS)}
    assert line_rows[1][lc["order_no"]] == '=HYPERLINK("x")' and line_rows[1][lc["cut_qty"]] == 3
    assert isinstance(line_rows[2][lc["amount"]], int | float)
    assert lines["B2"].value == 42
    assert lines.cell(2, lc["amount"] + 1).value == pytest.approx(
        float(sum(ln.amount for o in orders if o.state not in ("REJECTED", "REFUSED") for ln in o.lines)))

    osb = wb["_osb"]
    assert osb.sheet_state == "hidden" and osb["B1"].value == "order_register" and osb["B2"].value == VERSION
    assert [osb.cell(r, 2).value for r in range(4, 4 + len(KEYS))] == list(KEYS)


def test_order_register_english_and_empty(tmp_path):
    out = tmp_path / "r.xlsx"
    write_order_register(_orders()[:2], out, business_date=DAY, lang="en", version=VERSION)
    ws = openpyxl.load_workbook(out)["Order register"]
    assert [c.value for c in ws[3]] == list(HEADERS["en"])
    assert [r[KEYS.index("state")] for r in _register_rows(ws)] == ["Awaiting signature", "Rejected"]

    empty = tmp_path / "e.xlsx"
    write_order_register([], empty, business_date=DAY, version=VERSION)
    ws = openpyxl.load_workbook(empty)["订单备忘录"]
    assert ws["A2"].value == "本次没有订单" and _register_rows(ws) == []


# -- approval requests ---------------------------------------------------------------------------

def _requests() -> list[ApprovalRequest]:
    deadline = dt.datetime(2026, 11, 26, 23, 59)
    return [
        ApprovalRequest(order_no="SO-20261126-001", approval_type="MA", product_code="", approver="director",
                        customer_code="C001", customer_name="上海浦东贸易有限公司", amount=Decimal("12345.67"),
                        credit_limit=Decimal("50000"), exposure=Decimal("30000.5"), over_pct="",
                        overdue=Decimal("0"), case="5-2", deadline=deadline),
        ApprovalRequest(order_no="SO-20261126-004", approval_type="over_limit", product_code="",
                        approver="director", customer_code="C004", customer_name="=cmd|' /C calc'!A0",
                        amount=Decimal("8000"), credit_limit=Decimal("40000"), exposure=Decimal("45000"),
                        over_pct="12.5%", overdue=Decimal("0"), case="5-3", deadline=deadline),
        ApprovalRequest(order_no="SO-20261126-005", approval_type="over_quota", product_code="P007",
                        approver="director", customer_code="C005", customer_name="西安雁塔农资",
                        amount=Decimal("3000"), credit_limit=None, exposure=None,
                        over_pct="", overdue=Decimal("1200.5"), case="5-7b", deadline=deadline,
                        prepayment=Decimal("2000"), shortfall=Decimal("1000"), lines=(
                            OrderLineView("P007", "尿素", "50kg", "袋", Decimal("20"), Decimal("100"),
                                          Decimal("2000"), Decimal("5")),
                            OrderLineView("P008", "复合肥", "40kg", "袋", Decimal("10"), Decimal("100"),
                                          Decimal("1000")))),
    ]


def _resolved_catalogue():
    return catalogue.load().with_choices({"markets": settings.load(None).market_choices()})


def test_approval_requests_workbook(tmp_path):
    out = tmp_path / approval_requests_name("销售总监", DAY)
    assert out.name == "待审批单-销售总监-2026-11-26.xlsx"
    write_approval_requests(_requests(), out, signer_title="销售总监", business_date=DAY, version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["待审批单", "订单明细", "填写说明", "_osb"]
    ws = wb["待审批单"]
    layout = catalogue.load()["approval_requests"]
    assert [c.value for c in ws[1]] == [f.zh for f in layout.fields]
    col = {f.key: i + 1 for i, f in enumerate(layout.fields)}
    assert ws.cell(2, col["order_no"]).value == "SO-20261126-001"
    assert [ws.cell(r, col["approval_type"]).value for r in (2, 3, 4)] == ["经理批准", "超信用", "超配额"]
    assert ws.cell(4, col["product_code"]).value == "P007" and ws.cell(2, col["product_code"]).value is None
    assert ws.cell(2, col["approver"]).value == "销售总监"
    assert ws.cell(2, col["amount"]).value == pytest.approx(12345.67)
    assert ws.cell(2, col["amount"]).number_format == "#,##0.00"
    assert ws.cell(2, col["deadline"]).value == dt.datetime(2026, 11, 26, 23, 59)
    assert ws.cell(3, col["over_pct"]).value == "12.5%"
    name = ws.cell(3, col["customer_name"])
    assert name.value == "=cmd|' /C calc'!A0" and name.data_type == "s"
    for key in ("decision", "signed_at", "on_behalf", "note"):
        assert all(ws.cell(r, col[key]).value is None for r in (2, 3, 4)), key
    decision = ws.cell(2, col["decision"])
    assert decision.fill.fill_type == "solid" and decision.fill.fgColor.rgb.endswith("FFFF00")
    assert ws.cell(2, col["signed_at"]).number_format == "yyyy-mm-dd hh:mm"
    validations = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter
    assert validations[f"{letter(col['decision'])}2:{letter(col['decision'])}4"].formula1 == '"同意,不同意"'
    assert validations[f"{letter(col['on_behalf'])}2:{letter(col['on_behalf'])}4"].formula1 == '"是,否"'
    assert validations[f"{letter(col['signed_at'])}2:{letter(col['signed_at'])}4"].type == "date"
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.page_setup.orientation == "landscape"

    help_text = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "同意 或 不同意" in help_text and "秘书代签" in help_text and "inbox/" in help_text

    osb = wb["_osb"]
    assert osb.sheet_state == "hidden" and osb["B1"].value == "approvals"
    keys = [osb.cell(r, 2).value for r in range(4, 4 + len(layout.fields))]
    assert keys == list(osb_keys())
    assert [c.value for c in osb[4 + len(layout.fields)]][:3] == ["sheet", "订单明细", "shown"]
    approvals = set(catalogue.load()["approvals"].keys)
    for key, f in zip(keys, layout.fields, strict=True):
        assert key == (f.key if f.key in approvals else "~" + f.key)
    assert "~customer_code" in keys and "decision" in keys


def test_approval_requests_show_each_orders_lines_and_a_prepaid_customers_prepayment(tmp_path):
    out = tmp_path / "a.xlsx"
    write_approval_requests(_requests(), out, signer_title="销售总监", business_date=DAY, version=VERSION)
    wb = openpyxl.load_workbook(out)
    ws = wb["待审批单"]
    col = {f.key: i + 1 for i, f in enumerate(catalogue.load()["approval_requests"].fields)}
    # a prepaid customer's row: prepayment and shortfall, no credit limit or exposure
    assert [ws.cell(4, col[k]).value for k in ("credit_limit", "exposure", "prepayment", "shortfall")] \
        == [None, None, 2000, 1000]
    assert ws.cell(2, col["prepayment"]).value is None and ws.cell(2, col["exposure"]).value == 30000.5
    lines = [list(r) for r in wb["订单明细"].iter_rows(values_only=True)]
    assert lines[0] == ["订单号", "客户名称", "产品编码", "产品名称", "规格", "单位", "申请数量", "配额削减",
                        "批准数量", "单价", "金额"]
    assert lines[1:] == [["SO-20261126-005", "西安雁塔农资", "P007", "尿素", "50kg", "袋", 25, 5, 20, 100, 2000],
                         ["SO-20261126-005", "西安雁塔农资", "P008", "复合肥", "40kg", "袋", 10, 0, 10, 100, 1000]]


def _read(path: Path):
    return reader.read(path, _resolved_catalogue())


def test_approval_requests_read_back_as_approvals(tmp_path):
    out = tmp_path / "待审批单-销售总监-2026-11-26.xlsx"
    write_approval_requests(_requests(), out, signer_title="销售总监", business_date=DAY, version=VERSION)
    result = _read(out)
    assert result.form == "approvals" and result.status == "read"
    # returned undecided, every row is skipped: the orders keep waiting, nothing is an error
    assert list(result.rows) == [] and not [f for f in result.findings if f.is_error]
    skipped = [f for f in result.findings if f.rule == "unfilled-rows-skipped"]
    assert [dict(f.params)["count"] for f in skipped] == ["3"]
    # the figure columns are not approvals fields: at most reported as unknown columns, never errors
    layout = catalogue.load()["approval_requests"]
    informational = {f.zh for f in layout.fields if osb_keys()[layout.keys.index(f.key)].startswith("~")}
    assert {f.value for f in result.findings if f.rule == "column-unknown"} <= informational

    # the signer fills the decision columns and drops the file back
    wb = openpyxl.load_workbook(out)
    ws = wb["待审批单"]
    col = {f.key: i + 1 for i, f in enumerate(layout.fields)}
    for r, decision in ((2, "同意"), (3, "不同意"), (4, "同意")):
        ws.cell(r, col["decision"], decision)
        ws.cell(r, col["signed_at"], dt.datetime(2026, 11, 26, 16, 30))
    ws.cell(3, col["on_behalf"], "是")
    ws.cell(3, col["note"], "超额过多")
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = _read(filled)
    assert result.form == "approvals"
    rows = [row for _, row in result.rows]
    assert [r.values["order_no"] for r in rows] == ["SO-20261126-001", "SO-20261126-004", "SO-20261126-005"]
    assert [r.values["approval_type"] for r in rows] == ["MA", "over_limit", "over_quota"]
    assert [r.values["approver"] for r in rows] == ["director"] * 3
    assert rows[2].values["product_code"] == "P007" and rows[0].extra.get("客户编码") == "C001"
    assert [r.values["decision"] for r in rows] == ["approve", "refuse", "approve"]
    assert rows[0].values["signed_at"] == dt.datetime(2026, 11, 26, 16, 30)
    assert rows[1].values["on_behalf"] is True and rows[1].values["note"] == "超额过多"
    assert not [f for f in result.findings if f.is_error]
    assert not [f for f in result.findings if f.sheet == "订单明细" or f.rule == "sheet-ignored"]

    # one row decided, two left undecided: the decided row applies, the others are skipped
    for r in (3, 4):
        for key in ("decision", "signed_at", "on_behalf", "note"):
            ws.cell(r, col[key]).value = None
    wb.save(filled)
    result = _read(filled)
    assert [r.values["order_no"] for _, r in result.rows] == ["SO-20261126-001"]
    assert not [f for f in result.findings if f.is_error]


def test_approval_requests_english(tmp_path):
    out = tmp_path / "a.xlsx"
    write_approval_requests(_requests(), out, signer_title="Sales director", business_date=DAY,
                            lang="en", version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Approval requests", "Order lines", "Instructions", "_osb"]
    ws = wb["Approval requests"]
    layout = catalogue.load()["approval_requests"]
    assert [c.value for c in ws[1]] == [f.en for f in layout.fields]
    result = _read(out)
    assert result.form == "approvals"
    assert list(result.rows) == [] and "unfilled-rows-skipped" in {f.rule for f in result.findings}


# -- delivery notes ------------------------------------------------------------------------------

def _notes() -> list[DeliveryNote]:
    def note(n: int, lines: tuple[OrderLineView, ...], **kw) -> DeliveryNote:
        base = dict(note_no=f"DN-20261126-{n:03d}", issued_on=DAY, order_no=f"SO-20261126-{n:03d}",
                    order_date=DAY, customer_code=f"C00{n}", customer_name="上海浦东贸易有限公司",
                    address="上海市浦东新区张江高科技园区碧波路 690 号 3 号楼 2 层仓库收货处", contact="王经理",
                    phone="021-5080 1234", station="上海铁路东站", market="华东", roles=ROLES, lines=lines,
                    total_qty=sum((ln.qty for ln in lines), Decimal(0)),
                    total_amount=sum((ln.amount for ln in lines), Decimal(0)))
        base.update(kw)
        return DeliveryNote(**base)
    return [
        note(1, (_line(1, "100", "123.45"), _line(2, "3", "99.9"))),
        note(2, tuple(_line(n, str(n), "100.50") for n in range(1, 41))),
        note(3, (_line(3, "1", "10000"),), customer_name="=1+1", contact="@x", phone="+86 138 0000 0000"),
    ]


def _cells(ws) -> list:
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


def test_delivery_notes_workbook(tmp_path):
    out = tmp_path / delivery_notes_name(DAY)
    assert out.name == "送货单-2026-11-26.xlsx"
    notes = _notes()
    write_delivery_notes(notes, out, business_date=DAY, version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["送货单", "清单", "_osb"]
    ws = wb["送货单"]
    values = _cells(ws)
    assert values.count("送货单") == 3 and values.count("销售部") == 3
    for note in notes:
        assert note.note_no in values and note.order_no in values
    assert values.count(list(LINE_HEADERS["zh"])[2]) == 3
    # one page per note: a manual break before every note but the first, at its first row
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) == len(notes) - 1
    company_rows = [c.row for row in ws.iter_rows(max_col=1) for c in row if c.value == "销售部"]
    assert breaks == [r - 1 for r in company_rows[1:]]      # break after the row above each note
    assert ws.print_area and ws.page_setup.orientation == "portrait" and str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert ws.page_setup.fitToHeight == 0
    assert not ws.print_title_rows
    # lines: numbers with formats, bordered
    head = next(c for row in ws.iter_rows() for c in row if c.value == "序号")
    first_line = head.row + 1
    assert [ws.cell(first_line, c).value for c in range(1, 9)][:2] == [1, "P001"]
    assert ws.cell(first_line, 6).value == 100
    assert ws.cell(first_line, 7).value == pytest.approx(123.45)
    assert ws.cell(first_line, 8).value == pytest.approx(12345.0)
    assert ws.cell(first_line, 8).number_format == "#,##0.00"
    assert ws.cell(first_line, 3).border.left.style == "thin"
    total = next(c for c in ws[first_line + 2] if c.value == "合计")
    assert ws.cell(total.row, 8).value == pytest.approx(float(notes[0].total_amount))
    words = [v for v in values if isinstance(v, str) and v.startswith("人民币")]
    assert words == ["人民币 " + amount_in_words(n.total_amount) for n in notes]
    assert words[2] == "人民币 壹万元整"
    assert "客服(CSR)：王芳" in values and "制单签字：" in values and "收货签字：" in values
    # input that looks like a formula stays text
    for text in ("=1+1", "@x", "+86 138 0000 0000"):
        cell = next(c for row in ws.iter_rows() for c in row if c.value == text)
        assert cell.data_type == "s"
    # the 40-line note is all there
    assert sum(1 for v in values if isinstance(v, str) and v.startswith("P0")) == 2 + 40 + 1

    lst = wb["清单"]
    assert [c.value for c in lst[3]] == list(LIST_HEADERS["zh"])
    rows = [[c.value for c in row] for row in lst.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == [n.note_no for n in notes]
    assert rows[2][LIST_KEYS.index("customer_name")] == "=1+1"
    assert rows[0][1] == dt.datetime(2026, 11, 26)
    assert rows[1][LIST_KEYS.index("amount")] == pytest.approx(float(notes[1].total_amount))
    assert lst["B2"].value == 3
    assert lst.cell(2, LIST_KEYS.index("amount") + 1).value == pytest.approx(
        float(sum(n.total_amount for n in notes)))
    assert lst.freeze_panes == "A4" and lst.auto_filter.ref == "A3:H6"

    osb = wb["_osb"]
    assert osb.sheet_state == "hidden" and osb["B1"].value == "delivery_notes"
    assert [osb.cell(r, 2).value for r in range(4, 4 + len(LIST_KEYS))] == list(LIST_KEYS)


def test_delivery_notes_empty_and_english(tmp_path):
    out = tmp_path / "d.xlsx"
    write_delivery_notes([], out, business_date=DAY, version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb["送货单"]["A1"].value == "本次没有送货单" and not wb["送货单"].row_breaks.brk
    assert wb["清单"]["B2"].value == 0
    out = tmp_path / "e.xlsx"
    write_delivery_notes(_notes()[:2], out, business_date=DAY, lang="en", company="Sales", version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Delivery note", "List", "_osb"]
    assert "Delivery note" in _cells(wb["Delivery note"]) and len(wb["Delivery note"].row_breaks.brk) == 1


@pytest.mark.parametrize(("amount", "words"), [
    ("0", "零元整"),
    ("0.00", "零元整"),
    ("0.05", "伍分"),
    ("0.5", "伍角"),
    ("0.15", "壹角伍分"),
    ("1", "壹元整"),
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("100", "壹佰元整"),
    ("105.08", "壹佰零伍元零捌分"),
    ("1005", "壹仟零伍元整"),
    ("1200.50", "壹仟贰佰元伍角"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("10000.00", "壹万元整"),
    ("10005", "壹万零伍元整"),
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("100500", "壹拾万零伍佰元整"),
    ("107000.53", "壹拾万零柒仟元伍角叁分"),   # the optional 零 is always written
    ("1000500", "壹佰万零伍佰元整"),
    ("1010000", "壹佰零壹万元整"),
    ("1000010", "壹佰万零壹拾元整"),
    ("100000001.01", "壹亿零壹元零壹分"),
    ("100010000", "壹亿零壹万元整"),
    ("1000000000", "壹拾亿元整"),
    ("123456789012.34", "壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元叁角肆分"),
    ("0.005", "壹分"),                 # rounded half-up to the fen
    ("-5", "负伍元整"),
])
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_amount_in_words_too_large():
    with pytest.raises(ValueError):
        amount_in_words(Decimal("1000000000000"))


# -- LibreOffice ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["register", "approvals", "delivery_notes"])
def test_outputs_open_and_print_in_libreoffice(tmp_path, kind):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if not LO_CHECK.exists():
        pytest.skip(f"{LO_CHECK} not available")
    if kind == "register":
        out = tmp_path / order_register_name(DAY)
        write_order_register(_orders(), out, business_date=DAY, version=VERSION)
    elif kind == "approvals":
        out = tmp_path / approval_requests_name("销售总监", DAY)
        write_approval_requests(_requests(), out, signer_title="销售总监", business_date=DAY, version=VERSION)
    else:
        out = tmp_path / delivery_notes_name(DAY)
        write_delivery_notes(_notes(), out, business_date=DAY, version=VERSION)
    proc = subprocess.run([sys.executable, str(LO_CHECK), str(out), "--pdf"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
