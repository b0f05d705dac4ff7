"""The approval workbook shows what each order is (issue 10 item 9): its lines with what the quota
cut, and for a prepaid customer the prepayment available and the shortfall instead of a negative
exposure. The signed copy, its 订单明细 sheet still in it, goes back through the inbox and is applied
without a word about that sheet.

Customers, quotas, receipts and orders are written as staff write them; the CLI runs; the outputs
are read back with openpyxl and python-calamine.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import python_calamine as pc

from osb_batch import catalogue

from ..conftest import write_xlsx
from .test_orders_e2e import ORDER_HEADER, by_no, customer, order, seed

QUOTA_HEADER = ["月份", "级别", "市场", "区域", "客户编码", "产品编码", "配额数量"]
LINE_HEADER = ["订单号", "客户名称", "产品编码", "产品名称", "规格", "单位", "申请数量", "配额削减", "批准数量",
               "单价", "金额"]


def _waiting_day(osb) -> dict:
    """C1 (credit) orders 10 空调 and 5 冰箱, of which 上海's quota leaves 3; C4 (prepaid, 3,000
    paid in) orders 5,000 of 空调: a shortfall of 2,000, within the cap, for a director to sign."""
    seed(osb, [customer("C1", "华东", "上海", "1,000,000"), customer("C4", "华东", "上海", "0", prepaid="是")])
    write_xlsx(osb.inbox / "银行到款.xlsx", [["银行流水号", "到款日期", "付款户名", "金额", "摘要"],
                                          ["B-1", "2026-11-25", "C4公司", "¥3,000.00", "预付货款"]])
    osb.run("2026-11-25")
    write_xlsx(osb.inbox / "配额.xlsx", [QUOTA_HEADER, ["2026年11月", "区域", "华东", "上海", "", "P002", "3"]],
               title="11月配额")
    write_xlsx(osb.inbox / "订单-华东.xlsx", [
        ORDER_HEADER, order("SO-1", "C1", qty="10"),
        order("SO-1", "C1", product="P002", qty="5", price="2000.00"),
        order("SO-2", "C4", qty="5")], title="华东订单 2026-11-26")
    return osb.run("2026-11-26")


def _approval_workbook(osb, manifest: dict) -> Path:
    files = [osb.home / o["file"] for o in manifest["outputs"] if o["form"] == "approval_requests"]
    assert len(files) == 1, files
    return files[0]


def test_the_approval_workbook_shows_lines_and_prepayment_and_its_signed_copy_applies(osb):
    manifest = _waiting_day(osb)
    orders = by_no(manifest)
    assert (orders["SO-1"]["case"], orders["SO-2"]["case"]) == ("5-2", "5-7b")
    path = _approval_workbook(osb, manifest)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["待审批单", "订单明细"]
    layout = catalogue.load()["approval_requests"]
    ws = wb["待审批单"]
    col = {f.key: i + 1 for i, f in enumerate(layout.fields)}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value}
    assert set(rows) == {"SO-1", "SO-2"}
    prepaid = [ws.cell(rows["SO-2"], col[k]).value for k in ("credit_limit", "exposure", "prepayment", "shortfall")]
    assert prepaid == [None, None, 3000, 2000]          # no negative exposure for the prepaid customer
    credit = [ws.cell(rows["SO-1"], col[k]).value for k in ("credit_limit", "exposure", "prepayment", "shortfall")]
    assert credit[:2] == [1_000_000, 16_000] and credit[2:] == [None, None]

    lines = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("订单明细").to_python()
    assert lines[0] == LINE_HEADER
    got = {(r[0], r[2]): r[6:] for r in lines[1:]}
    assert got == {("SO-1", "P001"): [10, 0, 10, 1000, 10000], ("SO-1", "P002"): [5, 2, 3, 2000, 6000],
                   ("SO-2", "P001"): [5, 0, 5, 1000, 5000]}

    for r in rows.values():
        ws.cell(r, col["decision"]).value = "同意"
        ws.cell(r, col["signed_at"]).value = "2026-11-26 16:00"
    wb.save(osb.inbox / "待审批单-已签.xlsx")
    signed = osb.run("2026-11-26")
    orders = by_no(signed)
    assert orders["SO-1"]["state"] == "NOTE_ISSUED"
    assert orders["SO-2"]["state"] != "NEEDS_MANAGER_APPROVAL"
    returned = next(i for i in signed["inputs"] if i["file"].endswith("待审批单-已签.xlsx"))
    assert (returned["status"], returned["errors"]) == ("processed", 0)
    exceptions = next(osb.home / o["file"] for o in signed["outputs"] if o["form"] == "exceptions")
    listed = [c for row in openpyxl.load_workbook(exceptions).worksheets[0].iter_rows(values_only=True)
              for c in row if isinstance(c, str)]
    assert not [c for c in listed if "订单明细" in c or "已签" in c], "nothing is said about the signed copy"
