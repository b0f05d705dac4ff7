"""QC rejections reach the exceptions list and the submitter's returned copy (issue 10, item 5).

A resubmitted order with a discontinued product and an amount that is not quantity × price is
rejected by QC; each reason is a finding at its cell, owned by the order's UM, and counted among
the file's errors in the manifest.
"""

from __future__ import annotations

from ..conftest import write_xlsx
from ..support.outputs import exception_rows, red_cells
from .test_every_rule_reaches_exceptions import qc_rejected_orders
from .test_orders_e2e import ORDER_HEADER, customer, order, seed


def test_a_resubmitted_order_rejected_by_qc_is_in_the_exceptions_list_and_red_in_its_copy(osb):
    seed(osb, [customer("C1", "华东", "上海", "100000")])
    write_xlsx(osb.inbox / "订单-华东.xlsx", [ORDER_HEADER, order("SO-7", "C1", qty="1", price="1000.00")[:5] +
                                            ["P404", "1", "1000.00", "1000.00", "否", "", ""]])
    osb.run("2026-11-26", expect=None)
    resubmitted = [order("SO-7", "C1", qty="2"), order("SO-7", "C1", product="P009", qty="3", price="500.00",
                                                       amount="1600.00")]
    write_xlsx(osb.inbox / "订单-华东-改.xlsx", [ORDER_HEADER, *resubmitted])
    manifest = osb.run("2026-11-27", expect=None)

    assert {o["order_no"]: o["state"] for o in manifest["orders"]}["SO-7"] == "REJECTED"
    found = {(r["工作表"], r["单元格"], r["规则"]) for r in exception_rows(osb.home, manifest)}
    assert found == {("Sheet1", "F3", "product-discontinued"), ("Sheet1", "I3", "amount-mismatch")}
    cells = red_cells(osb.home, manifest, "订单-华东-改.xlsx")
    assert set(cells) == {"Sheet1!F3", "Sheet1!I3"}, cells
    assert any("停售" in text for text in cells.values()) and any("1600" in text for text in cells.values())
    assert {r["处理人"] for r in exception_rows(osb.home, manifest)} == {"赵六"}     # C1's unit manager
    errors = {i["file"]: i["errors"] for i in manifest["inputs"]}
    assert errors["inbox/订单-华东-改.xlsx"] == 2
    assert manifest["counts"]["errors"] == 2


def test_every_qc_reason_points_at_its_cell(osb):
    seed(osb, [customer("C1", "华东", "上海", "100000"), [*customer("C5", "华东", "上海", "100000")[:6], ""]])
    write_xlsx(osb.inbox / "订单-质检.xlsx", [ORDER_HEADER, *qc_rejected_orders()])
    manifest = osb.run("2026-11-26", expect=None)
    found = sorted((r["单元格"], r["规则"], r["处理人"]) for r in exception_rows(osb.home, manifest)
                   if r["文件"].endswith("-订单-质检.xlsx"))     # archive/DATE/DIGEST-name after the run
    qc_found = [(cell, rule) for cell, rule, _ in found]
    assert qc_found == [("B6", "order-date-future"), ("B7", "order-too-old"), ("C13", "unknown-customer"),
                        ("D8", "required-missing"), ("E9", "required-missing"), ("F2", "product-discontinued"),
                        ("G3", "out-of-range"), ("H4", "price-mismatch"), ("I5", "amount-mismatch"),
                        ("K10", "st-reason-missing"), ("K11", "invalid-choice"), ("L12", "st-note-missing")]
    assert {owner for cell, _, owner in found if cell != "C13"} == {"赵六"}
    assert all(o["state"] == "REJECTED" for o in manifest["orders"] if o["order_no"].startswith("SO-Q"))
