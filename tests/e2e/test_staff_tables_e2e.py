"""Workbooks as staff really lay them out (issue 10): total, subtotal and signature rows; one
workbook holding several forms; a two-row merged header."""

from __future__ import annotations

import openpyxl
import pytest

from osb_batch.demo.staff_workbook import staff_workbook

from ..conftest import CUSTOMER_HEADER
from ..support.outputs import exception_rows, red_cells
from .test_orders_e2e import ORDER_HEADER, by_no, customer, order, seed


def test_total_subtotal_and_signature_rows_are_skipped_with_one_info_line(osb):
    seed(osb, [customer("C1", "华东", "上海", "1000000")])
    rows = [order("SO-1", "C1", qty="1"), order("SO-2", "C1", qty="2"),
            ["小计", "", "", "", "", "", "3", "", "3000.00"],
            order("SO-3", "C1", qty="10"),
            ["合计", "", "", "", "", "", "13", "", "13000.00"],
            [],
            ["制表：王磊  审核：李强"]]
    staff_workbook(ORDER_HEADER, rows, sheet="订单", title="华东区 11 月 26 日订单").save(osb.inbox / "订单-华东.xlsx")

    manifest = osb.run("2026-11-26")

    assert sorted(by_no(manifest)) == ["SO-1", "SO-2", "SO-3"]
    found = exception_rows(osb.home, manifest)
    skipped = [r for r in found if r["规则"] == "footer-rows-skipped"]
    assert len(skipped) == 1 and skipped[0]["严重程度"] in ("提示", "info")
    assert "5、7、9" in skipped[0]["说明"]
    assert not [r for r in found if r["严重程度"] in ("错误", "error")]
    assert {i["file"]: i["rows"] for i in manifest["inputs"]}["inbox/订单-华东.xlsx"] == 3


def test_footer_words_come_from_rules_toml(osb):
    rules = osb.home / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace('footer_words = ["合计"', 'footer_words = ["本页合计", "合计"'), encoding="utf-8")
    seed(osb, [customer("C1", "华东", "上海", "1000000")])
    rows = [order("SO-1", "C1", qty="1"), ["本页合计", "", "", "", "", "", "1", "", "1000.00"]]
    staff_workbook(ORDER_HEADER, rows, sheet="订单").save(osb.inbox / "订单.xlsx")

    manifest = osb.run("2026-11-26")

    assert sorted(by_no(manifest)) == ["SO-1"]
    assert [r["规则"] for r in exception_rows(osb.home, manifest)] == ["footer-rows-skipped"]


def _customer_and_order_workbook(path, customer_sheet: str, order_sheet: str, extra_sheet: str = ""):
    """A new customer and its first order in one workbook, each sheet with a title row."""
    wb = staff_workbook(CUSTOMER_HEADER, [customer("C201", "华东", "上海", "500000")], sheet=customer_sheet,
                        title="新客户资料")
    orders = wb.create_sheet(order_sheet)
    for row in (["C201 首单"], ORDER_HEADER, order("SO-201", "C201", qty="3")):
        orders.append(row)
    if extra_sheet:
        wb.create_sheet(extra_sheet).append(["联系人：王磊 13800000000"])
    wb.save(path)
    return path


@pytest.mark.parametrize("customer_sheet", ["客户主数据", "新客户"])
def test_a_workbook_with_a_customer_sheet_and_an_order_sheet_applies_both_customer_first(osb, customer_sheet):
    seed(osb, [customer("C1", "华东", "上海", "1000000")])
    path = _customer_and_order_workbook(osb.inbox / "新客户首单.xlsx", customer_sheet, "订单", extra_sheet="备注")

    checked = osb("validate", str(path), "--json")
    manifest = osb.run("2026-11-26")

    assert "error" not in checked.output
    entry = {i["file"]: i for i in manifest["inputs"]}["inbox/新客户首单.xlsx"]
    assert (entry["form"], entry["status"], entry["rows"], entry["errors"]) == ("customers+orders", "processed", 2, 0)
    assert by_no(manifest)["SO-201"]["customer_code"] == "C201"
    found = exception_rows(osb.home, manifest)
    assert [(r["规则"], r["工作表"]) for r in found] == [("sheet-ignored", "备注")]


def test_a_two_row_merged_header_is_read_as_one(osb):
    seed(osb, [customer("C1", "华东", "上海", "1000000")])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(["华东区 11 月 26 日订单"])
    top = [*ORDER_HEADER[:6], "数量金额", None, None, *ORDER_HEADER[9:]]
    ws.append(top)
    ws.append([None] * 6 + ORDER_HEADER[6:9])
    for col in [*range(1, 7), *range(10, len(ORDER_HEADER) + 1)]:
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    ws.merge_cells(start_row=2, start_column=7, end_row=2, end_column=9)
    ws.append(order("SO-1", "C1", qty="2"))
    ws.append(order("SO-2", "C1", qty="3"))
    wb.save(osb.inbox / "订单-两行表头.xlsx")

    manifest = osb.run("2026-11-26")

    orders = by_no(manifest)
    assert sorted(orders) == ["SO-1", "SO-2"]
    assert [r["规则"] for r in exception_rows(osb.home, manifest)] == []


def test_a_workbook_with_several_forms_gets_one_returned_copy_marking_each_sheet(osb):
    seed(osb, [customer("C1", "华东", "上海", "1000000")])
    wb = staff_workbook(CUSTOMER_HEADER, [[*customer("C202", "华东", "上海", "很多")]], sheet="客户主数据")
    orders = wb.create_sheet("订单")
    for row in (ORDER_HEADER, [*order("SO-202", "C202")[:6], "十个", *order("SO-202", "C202")[7:]]):
        orders.append(row)
    wb.save(osb.inbox / "新客户-有误.xlsx")

    manifest = osb.run("2026-11-26")

    entry = {i["file"]: i for i in manifest["inputs"]}["inbox/新客户-有误.xlsx"]
    assert (entry["form"], entry["errors"]) == ("customers+orders", 3)   # the order also names an unknown customer
    rules = {(r["工作表"], r["单元格"], r["规则"]) for r in exception_rows(osb.home, manifest)}
    assert ("订单", "G2", "invalid-number") in rules, rules
    assert set(red_cells(osb.home, manifest, "新客户-有误.xlsx")) == {"客户主数据!G2", "订单!C2", "订单!G2"}
