"""The OSB meeting pack's problem counts (management.md "Monthly duties"): opened in the month,
resolved in the month, still open at the month end, by area and responsible department."""

from __future__ import annotations

import datetime as dt

import pytest

from osb_batch.reports.osb_meeting import problem_counts

START, END = dt.date(2026, 11, 1), dt.date(2026, 11, 30)


class Log:
    def __init__(self, rows):
        self.rows = rows

    def entries(self):
        return [(n, opened, area, "", "", who, "", status, "", "", resolved)
                for n, (opened, area, who, status, resolved) in enumerate(self.rows, start=1)]


@pytest.mark.parametrize(("entry", "counts"), [
    (("2026-11-03", "OP", "SSG", "open", None), (1, 0, 1)),                       # opened, still open
    (("2026-11-03", "OP", "SSG", "resolved", "2026-11-20 10:00"), (1, 1, 0)),     # opened and resolved
    (("2026-10-20", "OP", "SSG", "resolved", "2026-11-02 09:00"), (0, 1, 0)),     # resolved this month
    (("2026-10-20", "OP", "SSG", "open", None), (0, 0, 1)),                       # carried over, still open
    (("2026-11-30", "OP", "SSG", "resolved", "2026-12-01 08:00"), (1, 0, 1)),     # resolved after the month end
    (("2026-10-20", "OP", "SSG", "resolved", "2026-10-30 09:00"), None),          # nothing in the month
    (("2026-12-01", "OP", "SSG", "open", None), None),                            # opened after the month
])
def test_each_entry_counts_where_the_month_saw_it(entry, counts):
    got = problem_counts(Log([entry]), START, END)
    assert got == (() if counts is None else (("OP", "SSG", *counts),))


def test_entries_are_counted_by_area_and_department():
    log = Log([("2026-11-03", "SP", "储运部", "open", None), ("2026-11-04", "OP", "SSG", "open", None),
               ("2026-11-05", "SP", "储运部", "open", None)])
    assert problem_counts(log, START, END) == (("OP", "SSG", 1, 0, 1), ("SP", "储运部", 2, 0, 2))
