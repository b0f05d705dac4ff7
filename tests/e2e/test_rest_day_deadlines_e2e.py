"""An order accepted on a rest day is due by the end of the next working day (domain.md, OP rule;
issue 10, item 6): no same-day problem opens over the weekend, and the approval workbook's
审批期限 stays that deadline every day it is written."""

from __future__ import annotations

import openpyxl

from ..conftest import write_xlsx
from ..support.outputs import run_folder
from .test_orders_e2e import ORDER_HEADER, customer, order, seed


def _deadlines(osb, manifest) -> set:
    """Every 审批期限 of the day's approval workbooks."""
    found = set()
    for path in run_folder(osb.home, manifest).glob("待审批单-*.xlsx"):
        rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
        at = next(n for n, r in enumerate(rows) if r and "审批期限" in r)
        col = rows[at].index("审批期限")
        found |= {r[col] for r in rows[at + 1:] if r and r[0] == "SO-1"}
    return found


def test_an_order_accepted_on_saturday_is_due_on_monday(osb):
    seed(osb, [customer("C1", "华东", "上海", "100000")])
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-1", "C1")])
    problems, deadlines = {}, {}
    for day in ("2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"):     # Saturday to Tuesday
        manifest = osb.run(day)
        problems[day] = [p for p in manifest["problems"] if p["order_no"] == "SO-1"]
        if day != "2026-12-01":
            assert {o["order_no"]: o["state"] for o in manifest["orders"]}["SO-1"] == "AWAITING_SIGNATURE"
            deadlines[day] = _deadlines(osb, manifest)
    assert problems["2026-11-28"] == problems["2026-11-29"] == problems["2026-11-30"] == []
    assert len(problems["2026-12-01"]) == 1 and problems["2026-12-01"][0]["area"] == "OP"
    assert {str(v) for d in deadlines.values() for v in d} <= {"2026-11-30 23:59:00", "2026-11-30 23:59"}, deadlines
    assert all(deadlines.values()), deadlines
