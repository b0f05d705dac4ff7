"""Rows the run cannot apply are never dropped in silence: each reaches the exceptions list at its
cell, and the sender's returned copy marks that cell red (issue 9, item 2)."""

from __future__ import annotations

import re

from ..conftest import CUSTOMER_HEADER, write_xlsx
from ..support.outputs import exception_rows, red_cells
from .test_orders_e2e import ORDER_HEADER, PRODUCTS, customer, order

SHIPMENTS = ["送货单号", "订单号", "收单时间", "发货时间", "发运准确"]
UPDATES = ["问题编号", "书面说明", "已解决", "处理人", "解决时间"]
APPROVALS = ["订单号", "审批类型", "审批人", "决定", "签字时间"]


def test_rows_naming_unknown_notes_problems_and_orders_reach_the_exceptions_and_the_returned_copy(osb):
    write_xlsx(osb.inbox / "客户.xlsx", [CUSTOMER_HEADER, customer("C1", "华东", "上海", "100000")])
    write_xlsx(osb.inbox / "产品.xlsx", PRODUCTS)
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-1", "C1", qty="1")])
    osb.run("2026-11-26")
    write_xlsx(osb.inbox / "发运.xlsx", [SHIPMENTS, ["DN-NOBODY", "SO-1", "2026-11-26 10:00", "2026-11-26 12:00", "是"]])
    write_xlsx(osb.inbox / "问题反馈.xlsx", [UPDATES, ["999", "已说明", "是", "销售副总监", "2026-11-26 17:00"]])
    write_xlsx(osb.inbox / "审批.xlsx", [APPROVALS, ["SO-NONE", "经理批准", "销售总监", "同意", "2026-11-26 09:00"],
                                       ["SO-1", "经理批准", "总经理", "同意", "2026-11-26 09:00"]])
    write_xlsx(osb.inbox / "订单-改.xlsx", [ORDER_HEADER, order("SO-1", "C1", qty="2")])
    manifest = osb.run("2026-11-26")
    rows = exception_rows(osb.home, manifest)
    # the list names each file where it is after the run: its copy in archive/ (inbox/ is emptied)
    assert all(re.match(r"archive/2026-11-26/[0-9a-f]{16}-", r["文件"]) for r in rows), rows
    found = {(re.sub(r"^archive/[\d-]+/[0-9a-f]{16}-", "inbox/", r["文件"]), r["工作表"], r["单元格"], r["规则"])
             for r in rows}
    assert found >= {("inbox/发运.xlsx", "Sheet1", "A2", "shipment-unknown-note"),
                     ("inbox/问题反馈.xlsx", "Sheet1", "A2", "problem-unknown"),
                     ("inbox/审批.xlsx", "Sheet1", "A2", "approval-unknown-order"),
                     ("inbox/审批.xlsx", "Sheet1", "A3", "approval-wrong-signer"),
                     ("inbox/订单-改.xlsx", "Sheet1", "A2", "order-duplicate")}, found
    errors = {i["file"]: i["errors"] for i in manifest["inputs"]}
    assert (errors["inbox/发运.xlsx"], errors["inbox/问题反馈.xlsx"], errors["inbox/审批.xlsx"]) == (0, 1, 2)
    assert set(red_cells(osb.home, manifest, "问题反馈.xlsx")) == {"Sheet1!A2"}
    assert set(red_cells(osb.home, manifest, "审批.xlsx")) == {"Sheet1!A2", "Sheet1!A3"}
    assert set(red_cells(osb.home, manifest, "订单-改.xlsx")) == {"Sheet1!A2"}
