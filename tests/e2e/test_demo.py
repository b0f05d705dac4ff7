"""The demo inbox: realistic, deterministic, and faithful to the catalogue's labels.

Workbooks are read back with openpyxl only, so these tests do not depend on the reader.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import zhconv

from osb_batch import catalogue
from osb_batch import settings as settings_mod
from osb_batch.demo.workbooks import build, demo_summary, make_demo

DAY = dt.date(2026, 11, 26)
GOOD = ["客户主数据-全国.xlsx", "产品价格表.xlsx", "客户合同价.xlsx", "月度配额表-2026-11.xlsx",
        "配额调拨单.xlsx", "期初应收.xlsx", "银行到款-2026-11-26.xlsx", "客户主数据-华北更新.xlsx",
        "订单-2026-11-26.xlsx"]
FAULTY = ["客户主数据-西南补充.xlsx", "产品价格表-错表头.xlsx", "会议纪要.xlsx", "配额表-缺列.xlsx"]


@pytest.fixture(scope="module")
def settings():
    return settings_mod.load(None)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, settings) -> list[Path]:
    return make_demo(tmp_path_factory.mktemp("demo") / "inbox", settings, DAY)


def dump(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def table(path: Path) -> tuple[list[str], list[dict[str, object]]]:
    """Header (labels without a trailing `*`) and the non-blank rows under it, keyed by label."""
    rows = next(iter(dump(path).values()))
    at = next(i for i, row in enumerate(rows) if sum(v is not None for v in row) >= 3)
    header = [str(v).rstrip("*") if v is not None else "" for v in rows[at]]
    data = [dict(zip(header, row, strict=True)) for row in rows[at + 1:] if any(v is not None for v in row)]
    return header, data


def labels(form: str) -> dict[str, str]:
    return {f.key: f.zh for f in catalogue.load()[form].fields}


def by_name(files: list[Path]) -> dict[str, Path]:
    return {p.name: p for p in files}


def test_demo_writes_every_file_into_the_inbox(demo):
    assert [p.name for p in demo] == GOOD + FAULTY
    assert all(p.is_file() and p.parent.name == "inbox" for p in demo)


def test_arrival_order_puts_master_data_first_and_faulty_files_last(demo):
    times = [p.stat().st_mtime for p in demo]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert all(dt.datetime.fromtimestamp(t).date() == DAY for t in times)


def test_the_same_seed_gives_the_same_cells(tmp_path, settings, demo):
    again = make_demo(tmp_path / "inbox", settings, DAY)
    assert [p.name for p in again] == [p.name for p in demo]
    for first, second in zip(demo, again, strict=True):
        if zipfile.is_zipfile(first):
            assert dump(first) == dump(second), first.name
        else:
            assert first.read_bytes() == second.read_bytes()
        assert first.stat().st_mtime == second.stat().st_mtime


def test_another_seed_gives_other_customers(tmp_path, settings, demo):
    other = make_demo(tmp_path / "inbox", settings, DAY, seed=7)
    assert table(other[0])[1] != table(demo[0])[1]


def test_customers_cover_every_market_with_known_regions(demo, settings):
    header, rows = table(by_name(demo)["客户主数据-全国.xlsx"])
    lab = labels("customers")
    assert set(header) == set(lab.values())
    assert header != [lab[k] for k in catalogue.load()["customers"].keys]    # staff's column order
    assert 55 <= len(rows) <= 65
    codes = [r[lab["customer_code"]] for r in rows]
    assert codes == [f"C{i:03d}" for i in range(1, len(rows) + 1)]
    market_of = {m.zh: m.code for m in settings.markets}
    per_market = {m.zh: 0 for m in settings.markets}
    for r in rows:
        per_market[r[lab["market"]]] += 1
        assert settings.region_known(market_of[r[lab["market"]]], r[lab["region"]]), r
    assert all(7 <= n <= 8 for n in per_market.values()), per_market
    assert {r[lab["prepaid"]] for r in rows} == {"是", "否"}
    assert any(isinstance(r[lab["credit_limit"]], str) and "," in r[lab["credit_limit"]] for r in rows)


def test_customers_file_has_a_merged_title_and_a_note_above_the_header(demo):
    wb = openpyxl.load_workbook(by_name(demo)["客户主数据-全国.xlsx"])
    ws = wb.active
    assert "A1" in {str(r).split(":")[0] for r in ws.merged_cells.ranges}
    assert ws["A3"].value.endswith("*")


def test_every_header_is_a_catalogue_label(demo):
    forms = {"产品价格表.xlsx": "products", "客户合同价.xlsx": "contract_prices",
             "月度配额表-2026-11.xlsx": "quotas", "配额调拨单.xlsx": "quota_transfers",
             "期初应收.xlsx": "opening_balances", "客户主数据-西南补充.xlsx": "customers",
             "银行到款-2026-11-26.xlsx": "bank_receipts", "订单-2026-11-26.xlsx": "orders"}
    files = by_name(demo)
    for name, form in forms.items():
        header, rows = table(files[name])
        assert set(header) <= set(labels(form).values()), name
        assert {f.zh for f in catalogue.load()[form].required} <= set(header), name
        assert rows, name


def test_products_are_forty_with_two_discontinued(demo):
    header, rows = table(by_name(demo)["产品价格表.xlsx"])
    lab = labels("products")
    assert [r[lab["product_code"]] for r in rows] == [f"P{i:03d}" for i in range(1, 41)]
    assert sum(r[lab["status"]] == "停售" for r in rows) == 2
    ws = openpyxl.load_workbook(by_name(demo)["产品价格表.xlsx"]).active
    assert "¥" in ws.cell(2, header.index(lab["unit_price"]) + 1).number_format


def test_quotas_cover_every_region_at_both_levels(demo, settings):
    _, rows = table(by_name(demo)["月度配额表-2026-11.xlsx"])
    lab = labels("quotas")
    regions = {r[lab["region"]] for r in rows if r[lab["level"]] == "区域"}
    assert regions == {region for m in settings.markets for region in m.regions}
    assert 10 <= len({r[lab["customer_code"]] for r in rows if r[lab["level"]] == "客户"}) <= 20
    assert {r[lab["month"]] for r in rows} == {"2026年11月", "2026-11"}


def test_one_quota_transfer_lacks_consent(demo, settings):
    _, rows = table(by_name(demo)["配额调拨单.xlsx"])
    lab = labels("quota_transfers")
    assert len(rows) == 3
    assert [r[lab["from_um_consent"]] for r in rows].count("否") == 1
    market = [m for m in settings.markets
              if all(r[lab["from_region"]] in m.regions and r[lab["to_region"]] in m.regions for r in rows)]
    assert market


def test_opening_balances_include_one_credit(demo):
    _, rows = table(by_name(demo)["期初应收.xlsx"])
    amounts = [r[labels("opening_balances")["amount"]] for r in rows]
    assert len(rows) >= 20 and sum(a < 0 for a in amounts) == 1


def test_customer_update_has_traditional_chinese_headers(demo):
    header, rows = table(by_name(demo)["客户主数据-华北更新.xlsx"])
    assert {"客戶編碼", "客戶名稱", "信用額度", "市場", "區域", "客戶經理", "區域經理", "回款期(天)",
            "先款後貨"} <= set(header)
    assert set(header) <= {zhconv.convert(v, "zh-hant") for v in labels("customers").values()}
    _, master = table(by_name(demo)["客户主数据-全国.xlsx"])
    known = {r["客户编码"]: r for r in master}
    assert len(rows) == 3 and all(r["客戶編碼"] in known for r in rows)
    changed = [r for r in rows if r["信用額度"] != known[r["客戶編碼"]]["信用额度"]
               or r["電話"] != known[r["客戶編碼"]]["电话"]]
    assert len(changed) == 3


def test_faulty_files_carry_their_faults(demo):
    files = by_name(demo)
    assert not zipfile.is_zipfile(files["会议纪要.xlsx"])
    header, _ = table(files["产品价格表-错表头.xlsx"])
    every_label = {f.zh for form in catalogue.load() for f in form.fields}
    assert not set(header) & every_label
    header, _ = table(files["配额表-缺列.xlsx"])
    assert labels("quotas")["quota_qty"] not in header
    _, rows = table(files["客户主数据-西南补充.xlsx"])
    codes = [r["客户编码"] for r in rows]
    assert None in codes and len(set(codes) - {None}) < len(codes) - 1
    values = {v for r in rows for v in r.values()}
    assert {"西藏区", "abc", 400, "可能"} <= values


def test_summary_names_every_file_in_chinese(demo):
    text = demo_summary(demo)
    assert all(p.name in text for p in demo)
    assert "quarantine" in text and "预期" in text


@pytest.fixture(scope="module")
def data(settings):
    return build(settings, DAY)


def test_the_orders_cover_every_decision_path(data):
    cases = [o.case for o in data.orders if o.case]
    assert set(cases) == {"5-2", "5-3", "5-4", "5-5", "5-7a", "5-7b", "5-7c"}
    rejected = [o for o in data.orders if o.state == "REJECTED"]
    assert len(rejected) == 1 and len(rejected[0].lines) >= 2 and rejected[0].mm_approved is None
    st = [o for o in data.orders if o.case == "5-5"]
    assert [o.st_reason for o in st] == ["订货会"]
    twice = [o for o in data.orders if o.role == "twice"]
    assert twice[0].customer == twice[1].customer and (twice[0].case, twice[1].case) == ("5-2", "5-3")
    assert any("削减" in o.expect for o in data.orders if o.role == "cut")


def money(value) -> Decimal:
    return Decimal(str(value).replace(",", ""))


def test_order_lines_use_the_contract_or_list_price_and_add_up(demo, data):
    """Read back from the workbooks: each line's price is the customer's contract price in the
    contract file, else the product file's list price, and its amount is quantity × price."""
    files = by_name(demo)
    lab = labels("orders")
    _, products = table(files["产品价格表.xlsx"])
    price = {r[labels("products")["product_code"]]: money(r[labels("products")["unit_price"]]) for r in products}
    _, contracts = table(files["客户合同价.xlsx"])
    c_lab = labels("contract_prices")
    contract = {(r[c_lab["customer_code"]], r[c_lab["product_code"]]): money(r[c_lab["unit_price"]]) for r in contracts}
    rejected = {o.order_no for o in data.orders if o.state == "REJECTED"}
    _, rows = table(files["订单-2026-11-26.xlsx"])
    checked = [r for r in rows if r[lab["order_no"]] not in rejected]
    assert len(checked) >= 10
    for r in checked:
        key = (r[lab["customer_code"]], r[lab["product_code"]])
        assert money(r[lab["unit_price"]]) == contract.get(key, price[key[1]]), key
        assert money(r[lab["amount"]]) == money(r[lab["qty"]]) * money(r[lab["unit_price"]]), key


def test_the_orders_workbook_is_written_as_staff_write_it(demo, data):
    path = by_name(demo)["订单-2026-11-26.xlsx"]
    ws = openpyxl.load_workbook(path).active
    assert "A1" in {str(r).split(":")[0] for r in ws.merged_cells.ranges}
    header, rows = table(path)
    lab = labels("orders")
    assert {f.zh for f in catalogue.load()["orders"].required} <= set(header)
    assert any(str(c.value).endswith("*") for c in ws[3])
    assert {r[lab["order_no"]] for r in rows} == {o.order_no for o in data.orders}
    assert any(isinstance(r[lab["qty"]], str) for r in rows) and any(isinstance(r[lab["qty"]], int) for r in rows)
    assert any(isinstance(r[lab["order_date"]], str) and "年" in r[lab["order_date"]] for r in rows)
    assert any(isinstance(r[lab["unit_price"]], str) and "," in r[lab["unit_price"]] for r in rows)


def test_scenario_customers_get_the_limits_and_overdue_balances_they_need(demo, data):
    _, customers = table(by_name(demo)["客户主数据-全国.xlsx"])
    lab = labels("customers")
    limit = {r[lab["customer_code"]]: Decimal(str(r[lab["credit_limit"]]).replace(",", "")) for r in customers}
    assert limit[data.roles["over"].code] == 100_000 and limit[data.roles["twice"].code] == 150_000
    _, opening = table(by_name(demo)["期初应收.xlsx"])
    codes = {r[labels("opening_balances")["customer_code"]] for r in opening}
    assert {data.roles["overdue"].code, data.roles["st"].code} <= codes
    assert data.roles["pass"].code not in codes


def test_summary_lists_what_to_expect_of_every_order(demo, data):
    text = demo_summary(demo, data)
    for o in data.orders:
        line = next(x for x in text.splitlines() if o.order_no in x)
        assert o.customer.code in line and (o.case in line if o.case else "退回" in line)
