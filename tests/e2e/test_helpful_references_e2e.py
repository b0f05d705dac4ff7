"""Messages that help fix the cell (issue 10 item 11): a region written with its administrative
suffix is the configured region; an unknown region names its market and where it belongs; a code
typed in full width or with spaces is the known code; one in the wrong case or mistyped is
refused with the known code suggested, never silently replaced.

Customers, products and orders are written as staff write them (Chinese headers, a title row,
numbers as text); the CLI runs; the exceptions list and the ledger are read back.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..conftest import CUSTOMER_HEADER, write_xlsx
from ..support.outputs import exception_rows
from .test_flood_e2e import set_limit
from .test_orders_e2e import ORDER_HEADER, PRODUCTS, by_no, customer, order

LIMIT = 4


def _seed(osb) -> dict:
    write_xlsx(osb.inbox / "a-客户主数据.xlsx", [CUSTOMER_HEADER,
        customer("C101", "华中", "河南省", "100,000.00"),      # 河南 with its suffix: read as 河南
        customer("C102", "华中", "湖 北", "100,000.00"),       # a stray space: read as 湖北
        customer("C103", "华中", "广东省", "100,000.00"),      # a region of 华南, not of 华中
        customer("C104", "华中", "河楠", "100,000.00")],       # a typo of 河南
        title="客户主数据（华中）")
    write_xlsx(osb.inbox / "b-产品.xlsx", PRODUCTS, title="产品价格表")
    return osb.run("2026-11-25")


def _rows_at(rows: list[dict], file_part: str) -> dict[str, dict]:
    return {r["单元格"]: r for r in rows if file_part in str(r["文件"])}


def test_a_region_with_its_suffix_is_read_as_the_configured_one_and_a_wrong_one_is_explained(osb):
    manifest = _seed(osb)
    with osb.ledger() as db:
        regions = dict(db.execute("SELECT customer_code, region FROM customers").fetchall())
    assert regions == {"C101": "河南", "C102": "湖北"}
    rows = _rows_at(exception_rows(osb.home, manifest), "客户主数据")
    assert rows["D3"]["严重程度"] == "提示" and "河南省" in rows["D3"]["说明"] and "“河南”" in rows["D3"]["说明"]
    assert rows["D4"]["严重程度"] == "提示" and "“湖北”" in rows["D4"]["说明"]
    wrong = rows["D5"]["说明"]
    assert rows["D5"]["严重程度"] == "错误" and "华中" in wrong and "华南" in wrong and "广东" in wrong
    assert rows["D6"]["严重程度"] == "错误" and "“河南”" in rows["D6"]["说明"]


def test_codes_in_full_width_are_read_and_codes_in_the_wrong_case_are_refused_with_the_known_one(osb):
    _seed(osb)
    write_xlsx(osb.inbox / "订单-华中.xlsx", [ORDER_HEADER,
        order("SO-1", "Ｃ１０１", qty="２"),               # full-width code and quantity: C101
        order("SO-2", " C102 "),                          # stray spaces: C102
        order("SO-3", "c101"),                            # wrong case: refused, C101 suggested
        order("SO-4", "C101", product="P0O1")],           # a typo: refused, P001 suggested
        title="华中订单 2026-11-26")
    manifest = osb.run("2026-11-26")
    orders = by_no(manifest)
    assert orders["SO-1"]["state"] == orders["SO-2"]["state"] == "AWAITING_SIGNATURE"
    with osb.ledger() as db:
        codes = dict(db.execute("SELECT order_no, customer_code FROM orders").fetchall())
    assert (codes["SO-1"], codes["SO-2"]) == ("C101", "C102")
    assert "SO-3" not in orders or orders["SO-3"]["state"] == "REJECTED"
    rows = _rows_at(exception_rows(osb.home, manifest), "订单-华中")
    assert rows["C3"]["严重程度"] == "提示" and "C101" in rows["C3"]["说明"]
    assert rows["C5"]["严重程度"] == "错误" and "“c101”" in rows["C5"]["说明"] and "“C101”" in rows["C5"]["说明"]
    assert rows["F6"]["严重程度"] == "错误" and "“P001”" in rows["F6"]["说明"]


def test_validate_gives_the_rule_and_the_suggestion_in_english_without_full_width_punctuation(osb):
    _seed(osb)
    path = write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-3", "c101")], title="订单")
    printed = osb("--lang", "en", "validate", "--json", str(path), expect=1).output
    found = json.loads(printed)
    unknown = next(f for f in found if f["rule"] == "unknown-customer")
    assert unknown["cell"] == "C3" and "did you mean 'C101'" in unknown["message"]
    assert not any(ch in unknown["message"] for ch in "，“”？（）")
    path = write_xlsx(osb.inbox / "客户.xlsx", [CUSTOMER_HEADER, customer("C105", "华中", "广东省", "1")])
    printed = osb("--lang", "en", "validate", "--json", str(path), expect=1).output
    region = next(f for f in json.loads(printed) if f["rule"] == "unknown-region")
    assert "market Central (C)" in region["message"] and "market South (S)" in region["message"]
    assert not any(ch in region["message"] for ch in "，“”？（）")


def test_a_file_of_many_duplicate_rows_prints_a_short_summary(osb):
    """3,000 order lines of which 2,000 repeat a line above: the terminal says how many in a few
    lines; the exceptions list names the first few at their cells and sums up the rest."""
    _seed(osb)
    set_limit(osb, LIMIT)
    rows = [order(f"SO-{n % 1000:04d}", "C101", qty="1") for n in range(3000)]
    write_xlsx(osb.inbox / "订单-重复.xlsx", [ORDER_HEADER, *rows], title="订单（导出）")
    printed = osb("run", "--date", "2026-11-26").output.splitlines()
    assert len(printed) <= 8, printed
    assert any("2000" in line.replace(",", "") for line in printed[:4]), printed
    manifest = json.loads((Path(printed[-1]) / "manifest.json").read_text(encoding="utf-8"))
    duplicates = [r for r in exception_rows(osb.home, manifest) if "订单-重复" in str(r["文件"])]
    assert len(duplicates) == LIMIT + 1
    assert "1,996" in duplicates[-1]["说明"]
