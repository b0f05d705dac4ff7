"""No data is not a failure (issue 10, item 10): on the system's first day no KPI is red, a month
before the system held data has no figure, and an order is judged once its day has ended."""

from __future__ import annotations

import openpyxl

from ..support.outputs import run_folder


def _kpi_rows(osb, manifest) -> list[tuple]:
    path = run_folder(osb.home, manifest) / f"OSB指标-{manifest['business_date']}.xlsx"
    return list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))


def test_day_one_has_no_red_kpi_and_the_next_day_judges_the_first_days_orders(osb):
    osb("demo", "--date", "2026-11-26")
    rows = _kpi_rows(osb, osb.run("2026-11-26"))
    assert rows[1][0] == "暂无指标数据", rows
    assert not any("✗" in str(c) for r in rows for c in r if c)
    rows = _kpi_rows(osb, osb.run("2026-11-27"))
    months = {(r[0], r[2]) for r in rows[3:] if r and r[0]}
    # the demo's opening balances fell due in October, before the system's first day: no figure
    assert not any(month == "2026-10" for month, _ in months), months
    # the first day's orders not issued that day are now misses of the OP same-day rate
    assert ("2026-11", "订单当日开单率") in months, months
