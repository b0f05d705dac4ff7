"""When a reporting duty falls due: the periods a duty covers and the due time of each.

A weekly duty covers ISO weeks (Monday–Sunday, ``2026-W48``), a monthly one months (``2026-11``),
a quarterly one quarters (``2026Q4``). The due time of a covered period is the duty's day and
time (:mod:`osb_batch.due_notation`) in the period ``covers`` names: the covered period itself
(``this``), the one after it (``previous``) or the one before it (``next``).

A due that falls on a day off moves to the next working day at the same hour. A due that names
a day of the week keeps that day when it is an ordinary weekend day (the visit plan due on
Saturday is due on Saturday) and moves only when the day belongs to a holiday: a run of days
off that takes in a weekday (Saturday 3 October 2026, in the National Day holiday, moves to
Thursday 8 October).

Pure: no files, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from osb_batch.due_notation import Due
from osb_batch.workdays import WorkCalendar

__all__ = ["SHIFT", "Period", "due_time", "period_of", "periods_between"]

TZ = ZoneInfo("Asia/Shanghai")
#: How many periods after the covered one the due lies in, by ``covers``.
SHIFT = {"this": 0, "previous": 1, "next": -1}


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One period of a cycle: its first and last day, and its label."""

    start: dt.date
    end: dt.date
    label: str
    cycle: str

    def shifted(self, n: int) -> Period:
        """The period ``n`` periods later (earlier for n < 0)."""
        if self.cycle == "weekly":
            return period_of("weekly", self.start + dt.timedelta(weeks=n))
        months = 3 if self.cycle == "quarterly" else 1
        index = self.start.year * 12 + self.start.month - 1 + n * months
        return period_of(self.cycle, dt.date(index // 12, index % 12 + 1, 1))


def period_of(cycle: str, day: dt.date) -> Period:
    """The period of ``cycle`` (weekly | monthly | quarterly) that holds ``day``."""
    if cycle == "weekly":
        start = day - dt.timedelta(days=day.weekday())
        year, week, _ = start.isocalendar()
        return Period(start, start + dt.timedelta(days=6), f"{year}-W{week:02d}", cycle)
    if cycle == "monthly":
        start = day.replace(day=1)
        return Period(start, _month_end(start), f"{day.year}-{day.month:02d}", cycle)
    if cycle == "quarterly":
        quarter = (day.month - 1) // 3
        start = dt.date(day.year, 3 * quarter + 1, 1)
        return Period(start, _month_end(dt.date(day.year, 3 * quarter + 3, 1)), f"{day.year}Q{quarter + 1}", cycle)
    raise ValueError(f"unknown cycle {cycle!r}")


def periods_between(cycle: str, first: dt.date, last: dt.date) -> list[Period]:
    """The periods of ``cycle`` from the one holding ``first`` to the one holding ``last``."""
    found, period = [], period_of(cycle, first)
    while period.start <= last:
        found.append(period)
        period = period.shifted(1)
    return found


def due_time(due: Due, covers: str, period: Period, calendar: WorkCalendar) -> dt.datetime:
    """When the report covering ``period`` is due (aware, Asia/Shanghai), days off taken into account."""
    within = period.shifted(SHIFT[covers])
    if due.kind == "weekday":
        day = within.start + dt.timedelta(days=due.n)
        if _holiday(day, calendar):
            day = calendar.next_workday(day)
    elif due.kind == "workday":
        day = calendar.add_workdays(within.start - dt.timedelta(days=1), due.n)
    else:
        day = min(within.start.replace(day=1) + dt.timedelta(days=due.n - 1), _month_end(within.start))
        if not calendar.is_workday(day):
            day = calendar.next_workday(day)
    return dt.datetime(day.year, day.month, day.day, due.hour, due.minute, tzinfo=TZ)


def _holiday(day: dt.date, calendar: WorkCalendar) -> bool:
    """Whether ``day`` is a day off other than an ordinary weekend: a weekday off, or a weekend day
    in a run of days off that takes in a weekday."""
    if calendar.is_workday(day):
        return False
    if day.weekday() < 5:
        return True
    run = [day]
    for step in (-1, 1):
        other = day + dt.timedelta(days=step)
        while not calendar.is_workday(other) and abs((other - day).days) < 30:
            run.append(other)
            other += dt.timedelta(days=step)
    return any(d.weekday() < 5 for d in run)


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
