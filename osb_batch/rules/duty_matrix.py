"""The monthly on-time matrix (上报情况): people × the reports that fell due in a month.

A column per duty and covered period whose due time lies in the month (a weekly duty has four or
five), a row per person expected for any of them, each cell the record's status (None where the
person was not expected), and the person's on-time rate over the month. Pure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .duties import Rate, Record, rates, role_order

__all__ = ["MatrixColumn", "MatrixRow", "MonthlyMatrix", "monthly_matrix"]


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    form: str
    period: str
    due: dt.datetime


@dataclass(frozen=True, slots=True)
class MatrixRow:
    person: str
    role: str
    cells: tuple[str | None, ...]       # a status of :data:`~.duties.STATUSES`, or None: not expected
    rate: Rate


@dataclass(frozen=True, slots=True)
class MonthlyMatrix:
    month: str
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]


def monthly_matrix(records: Iterable[Record], month: str, forms: Sequence[str]) -> MonthlyMatrix:
    """The matrix of ``month`` (``2026-11``) from ``records``: columns by ``forms`` order then due
    time, rows by role (SLT … SR) then name."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not match:
        raise ValueError(f"not a month label: {month!r}")
    year, number = int(match[1]), int(match[2])
    due_in = [r for r in records if (r.due.year, r.due.month) == (year, number)]
    order = {form: i for i, form in enumerate(forms)}
    columns = sorted({(r.form, r.period): r.due for r in due_in}.items(),
                     key=lambda kv: (order.get(kv[0][0], len(order)), kv[1], kv[0]))
    index = {key: i for i, (key, _) in enumerate(columns)}
    by_person: dict[str, list[Record]] = {}
    for r in due_in:
        by_person.setdefault(r.person, []).append(r)
    rows = []
    for person, own in by_person.items():
        cells: list[str | None] = [None] * len(columns)
        for r in own:
            cells[index[(r.form, r.period)]] = r.status
        overall = next((rate for rate in rates(own) if rate.form is None), Rate(person, None, 0, 0, 0))
        rows.append(MatrixRow(person, max(own, key=lambda r: r.due).role, tuple(cells), overall))
    rows.sort(key=lambda row: (role_order(row.role), row.person))
    return MonthlyMatrix(month, tuple(MatrixColumn(f, p, due) for (f, p), due in columns), tuple(rows))
