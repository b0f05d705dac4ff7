"""Working days of the Chinese calendar, for deadlines counted in working days (工作日).

A day is a working day unless it is an official holiday; Saturdays and Sundays are rest days
unless they are make-up working days (调休上班). Where that comes from, first match wins:

1. the overrides given to :class:`WorkCalendar` (rules.toml ``[calendar] holidays`` / ``workdays``);
2. ``chinese_calendar``, which carries the State Council's schedule, holidays and make-up working
   days alike, for the years it knows (2004-2026 in chinesecalendar 1.11);
3. for any other year, the ``holidays`` package's Chinese public holidays (computed from the lunar
   calendar; for future years it cannot know the official schedule, so its days off are a best guess)
   with Saturday and Sunday as rest days. It knows make-up working days only for the years whose
   schedule it carries, which are usually also in ``chinese_calendar``. Every year answered this way
   is added to :attr:`WorkCalendar.missing_years`, so that a run can warn once: "no official calendar
   data for 2031: holidays from the holidays package and rules.toml [calendar], make-up working days
   unknown".

Deadlines in working days are whole days: "within n working days" of a start means by the end of
the n-th working day after the start's day (:meth:`WorkCalendar.deadline`). Deadlines in hours
(the warehouse's 24 h / 48 h) are clock hours, holidays included (:func:`hours_between`).

Pure: no files, no clock; every answer follows from the arguments and the installed packages.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import chinese_calendar
import holidays as holidays_pkg

__all__ = ["WorkCalendar", "hours_between"]


class WorkCalendar:
    """Which days are working days, with ``holidays`` / ``workdays`` overriding the packaged data.

    A date may not be in both override lists (ValueError). :attr:`missing_years` grows as days of
    years without official data are asked about.
    """

    def __init__(self, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()):
        self._rest = frozenset(map(_day, holidays))
        self._work = frozenset(map(_day, workdays))
        if both := sorted(self._rest & self._work):
            raise ValueError("dates both holidays and workdays: " + ", ".join(map(str, both)))
        self._guessed: dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]] = {}
        self._known: dict[dt.date, bool] = {}      # answers so far: the packaged lookup is slow

    @property
    def missing_years(self) -> frozenset[int]:
        """Years asked about that ``chinese_calendar`` does not cover (answered by the fallback)."""
        return frozenset(self._guessed)

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` (a date, or a datetime's date) is a working day."""
        day = _day(day)
        if (known := self._known.get(day)) is None:
            known = self._known[day] = self._lookup(day)
        return known

    def _lookup(self, day: dt.date) -> bool:
        if day in self._work:
            return True
        if day in self._rest:
            return False
        if (official := _official(day)) is not None:
            return official
        rest, work = self._fallback(day.year)
        return day in work or (day not in rest and day.weekday() < 5)

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day after ``day`` (never ``day`` itself)."""
        day = _day(day) + dt.timedelta(days=1)
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day``; for n = 0, ``day`` if it is a working day, else the next one.

        ``add_workdays(Friday, 1)`` is the next Monday (when that is a working day). n < 0 is a ValueError.
        """
        if n < 0:
            raise ValueError(f"n must be 0 or more, not {n}")
        day = _day(day)
        if n == 0:
            return day if self.is_workday(day) else self.next_workday(day)
        for _ in range(n):
            day = self.next_workday(day)
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie after ``start`` up to and including ``end``.

        So ``workdays_between(d, add_workdays(d, n)) == n`` for n ≥ 1, and a Friday to the next
        Monday is 1. Negative (the same count) when ``end`` is before ``start``; 0 when equal.
        """
        start, end = _day(start), _day(end)
        if end < start:
            return -self.workdays_between(end, start)
        return sum(self.is_workday(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))

    def deadline(self, start: dt.date, working_days: int) -> dt.date:
        """The last day of a deadline "by the end of the n-th working day after the start day".

        n = 0 is the start day itself when that is a working day (else the next working day):
        the OP same-day rule. n = 1 is the next working day: the ST rule.
        """
        return self.add_workdays(_day(start), working_days)

    def deadline_passed(self, start: dt.datetime | dt.date, working_days: int,
                        now: dt.datetime | dt.date) -> bool:
        """Whether ``now`` is past the end of :meth:`deadline` (``start``, ``working_days``).

        Only calendar days count: an ST received on Friday 23:59 with ``working_days`` = 1 is due by
        the end of Monday, and so is one received on Friday 08:00. When both are time-zone aware,
        ``now`` is first converted to ``start``'s time zone; mixing aware and naive is a TypeError.
        A ``now`` given as a date stands for any moment of that day.
        """
        if isinstance(start, dt.datetime) and isinstance(now, dt.datetime):
            if (start.tzinfo is None) != (now.tzinfo is None):
                raise TypeError("start and now must both be time-zone aware, or both naive")
            if start.tzinfo is not None:
                now = now.astimezone(start.tzinfo)
        return _day(now) > self.deadline(start, working_days)

    def _fallback(self, year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
        """Rest days and make-up working days of ``year`` from the ``holidays`` package."""
        if year not in self._guessed:
            self._guessed[year] = _guessed(year)
        return self._guessed[year]


@functools.cache
def _official(day: dt.date) -> bool | None:
    """``chinese_calendar``'s answer for ``day``, None for a year it has no data for; kept for the
    process, since every report builds its own calendar and the package's lookup is slow."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:                # a year the package has no official data for
        return None


@functools.cache
def _guessed(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """The ``holidays`` package's rest days and make-up working days of ``year``, kept for the process."""
    known = holidays_pkg.country_holidays("CN", years=year)
    worked = getattr(known, "weekend_workdays", ())     # only for years with a known schedule
    return (frozenset(d for d in known if d.year == year), frozenset(d for d in worked if d.year == year))


def hours_between(start: dt.datetime, end: dt.datetime) -> float:
    """Clock hours from ``start`` to ``end`` (negative if ``end`` is earlier), nights and holidays included.

    Time-zone aware datetimes are compared in UTC; mixing aware and naive is a TypeError.
    """
    if start.tzinfo is not None and end.tzinfo is not None:
        start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    return (end - start).total_seconds() / 3600


def _day(value: dt.date) -> dt.date:
    """The date of a date or datetime."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")
