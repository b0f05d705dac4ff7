"""The order register as the SSG reads it (issue 10, item 7): every line on the line sheet, the
file each order came in, totals without rejected orders, rows as tall as their reasons."""

from __future__ import annotations

import openpyxl

from ..conftest import write_xlsx
from ..support.outputs import run_folder
from .test_orders_e2e import ORDER_HEADER, customer, order, seed


def test_the_register_lists_every_line_its_source_file_and_totals_only_live_orders(osb):
    seed(osb, [customer("C1", "华东", "上海", "1,000,000.00")])
    rejected = [order("SO-9", "C1", product="P009", qty="1", price="500.00", amount="1.00"),
                order("SO-9", "C1", product="P404", qty="2")]
    write_xlsx(osb.inbox / "订单-华东.xlsx", [ORDER_HEADER, order("SO-1", "C1", qty="2"),
                                            order("SO-1", "C1", product="P002", qty="1", price="2000.00"),
                                            *rejected])
    manifest = osb.run("2026-11-26", expect=None)
    assert {o["order_no"]: o["state"] for o in manifest["orders"]}["SO-9"] == "REJECTED"

    book = openpyxl.load_workbook(run_folder(osb.home, manifest) / "订单备忘录-2026-11-26.xlsx")
    orders, lines = book.worksheets[0], book.worksheets[1]
    header = [c.value for c in orders[3]]
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in orders.iter_rows(min_row=4, values_only=True)}
    assert {no: r["来源文件"] for no, r in rows.items()} == {"SO-1": "订单-华东.xlsx", "SO-9": "订单-华东.xlsx"}
    assert orders.cell(2, header.index("金额") + 1).value == 4000          # SO-9 is left out
    assert "不含已退回" in orders.cell(2, header.index("金额") + 2).value
    reason_row = 4 + list(rows).index("SO-9")
    assert orders.row_dimensions[reason_row].height >= 30                   # two reasons wrap: room for them

    line_rows = [r for r in lines.iter_rows(min_row=4, values_only=True)]
    assert [(r[0], r[1]) for r in line_rows] == [("SO-1", "P001"), ("SO-1", "P002"), ("SO-9", "P009"),
                                                 ("SO-9", "P404")]
    assert lines.cell(2, 2).value == 4 and lines.cell(2, 8).value == 4000
