"""The period a report covers: a kind, the label people write, its first and last day.

Kinds:

- ``day`` (a business date, ``2026-11-26``: the outputs of every daily run);
- ``half_year`` (``2026H1``: the reconciliation, with the first half ending where
  ``[reconciliation] period_ends`` says);
- the calendar periods of the management reports: ``week`` (ISO, Monday–Sunday, ``2026-W48``),
  ``month`` (``2026-11``), ``quarter`` (``2026Q4``), ``half`` (calendar halves, ``2026H2``) and
  ``year`` (``2026``), with the periods a figure is compared to: :func:`previous` (环比),
  :func:`year_ago` (同比), :func:`year_to_date` (累计) and :func:`last_n` (the trend).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from osb_batch.settings import Settings

#: The ``report`` command's kinds of period and the period kinds they cover.
REPORT_KINDS: dict[str, str] = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}

#: The calendar kinds, finest first.
CALENDAR_KINDS: tuple[str, ...] = ("week", "month", "quarter", "half", "year")

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    kind: str                   # day | half_year | week | month | quarter | half | year | year_to_date
    label: str                  # as in folder and file names: 2026-11-26, 2026H1, 2026-W48, 2026-11
    start: dt.date
    end: dt.date


def day(date: dt.date) -> Period:
    """The one-day period of a business date."""
    return Period("day", date.isoformat(), date, date)


def half_year(label: str, settings: Settings) -> Period | None:
    """``2026H1`` or ``2026h2`` (spaces around it ignored); None when ``label`` is not a half year."""
    text = label.strip().upper()
    dates = settings.reconciliation.period(text)
    return None if dates is None else Period("half_year", text, *dates)


def week(year: int, number: int) -> Period | None:
    """ISO week ``number`` of ``year`` (Monday to Sunday), or None when that year has no such week."""
    try:
        monday = dt.date.fromisocalendar(year, number, 1)
    except ValueError:
        return None
    return Period("week", f"{year}-W{number:02d}", monday, monday + dt.timedelta(days=6))


def month(year: int, number: int) -> Period | None:
    """Month ``number`` (1–12) of ``year``."""
    if not 1 <= number <= 12 or not 1 <= year <= 9998:
        return None
    start = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return Period("month", f"{year}-{number:02d}", start, following - _ONE_DAY)


def quarter(year: int, number: int) -> Period | None:
    """Quarter ``number`` (1–4) of ``year``."""
    if not 1 <= number <= 4 or not 1 <= year <= 9998:
        return None
    first, last = month(year, 3 * number - 2), month(year, 3 * number)
    return Period("quarter", f"{year}Q{number}", first.start, last.end)


def half(year: int, number: int) -> Period | None:
    """Calendar half ``number`` (1: January–June, 2: July–December) of ``year``."""
    if not 1 <= number <= 2 or not 1 <= year <= 9998:
        return None
    first, last = month(year, 6 * number - 5), month(year, 6 * number)
    return Period("half", f"{year}H{number}", first.start, last.end)


def year(number: int) -> Period | None:
    """The calendar year ``number``."""
    if not 1 <= number <= 9998:
        return None
    return Period("year", str(number), dt.date(number, 1, 1), dt.date(number, 12, 31))


#: How people write each calendar kind: the year, then the number of the part.
_PATTERNS: dict[str, tuple[re.Pattern[str], Callable[..., Period | None]]] = {
    "week": (re.compile(r"(\d{4})\s*[-/.]?\s*W\s*(\d{1,2})"), week),
    "month": (re.compile(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))"), month),
    "quarter": (re.compile(r"(\d{4})\s*[-/.]?\s*Q\s*([1-4])"), quarter),
    "half": (re.compile(r"(\d{4})\s*[-/.]?\s*H\s*([12])"), half),
    "year": (re.compile(r"(\d{4})\s*年?"), year),
}


def calendar_period(kind: str, label: str) -> Period | None:
    """The period of calendar ``kind`` that ``label`` names as people type it, or None.

    ``2026-w48``, ``2026W48``; ``2026-11``, ``2026/11``, ``202611``, ``2026年11月``; ``2026q4``,
    ``2026-Q4``; ``2026h2``; ``2026``. Case and surrounding spaces do not matter.
    """
    pattern, make = _PATTERNS[kind]
    match = pattern.fullmatch(label.strip().upper())
    if match is None:
        return None
    numbers = [int(group) for group in match.groups() if group is not None]
    return make(*numbers)


def containing(kind: str, date: dt.date) -> Period:
    """The period of calendar ``kind`` that contains ``date``."""
    if kind == "week":
        iso = date.isocalendar()
        return week(iso.year, iso.week)
    if kind == "month":
        return month(date.year, date.month)
    if kind == "quarter":
        return quarter(date.year, (date.month + 2) // 3)
    if kind == "half":
        return half(date.year, (date.month + 5) // 6)
    if kind == "year":
        return year(date.year)
    raise ValueError(f"not a calendar kind of period: {kind!r}")


def previous(period: Period) -> Period:
    """The period of the same kind just before ``period`` (环比)."""
    return containing(period.kind, period.start - _ONE_DAY)


def following(period: Period) -> Period:
    """The period of the same kind just after ``period``."""
    return containing(period.kind, period.end + _ONE_DAY)


def year_ago(period: Period) -> Period:
    """The same period a year earlier (同比): ISO week 48 of the year before for ``2026-W48``.

    Week 53 of a year whose year before has only 52 weeks compares with that year's week 52.
    """
    if period.kind == "week":
        iso = period.start.isocalendar()
        return week(iso.year - 1, iso.week) or week(iso.year - 1, 52)
    return containing(period.kind, period.start.replace(year=period.start.year - 1))


def year_to_date(period: Period) -> Period:
    """From January 1 of the year ``period`` ends in to its end (累计), labelled ``2026-11 累计``."""
    return Period("year_to_date", f"{period.label} 累计", period.end.replace(month=1, day=1), period.end)


def last_n(period: Period, n: int) -> tuple[Period, ...]:
    """The ``n`` periods of ``period``'s kind ending with it, oldest first (the trend's points)."""
    periods = [period]
    while len(periods) < n:
        periods.append(previous(periods[-1]))
    return tuple(reversed(periods))


def _calendar_parser(kind: str) -> Callable[[str, Settings], Period | None]:
    return lambda label, _settings: calendar_period(kind, label)


#: How a label given on the command line is read, per kind of period (and per report kind).
PARSERS: dict[str, Callable[[str, Settings], Period | None]] = {
    "half_year": half_year,
    **{kind: _calendar_parser(kind) for kind in CALENDAR_KINDS},
    **{name: _calendar_parser(kind) for name, kind in REPORT_KINDS.items()},
}


def parse(kind: str, label: str, settings: Settings) -> Period | None:
    """The period of ``kind`` that ``label`` names, or None when it names none."""
    return PARSERS[kind](label, settings)
