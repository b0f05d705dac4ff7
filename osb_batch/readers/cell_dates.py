"""Dates and times in cells -> ``date``/``datetime``, and months, half-years and quarters -> labels.

A date may be a real date cell, an Excel serial number (1900 or 1904 system), a yyyymmdd
number, or text such as ``2026-11-26``, ``2026/11/26`` or ``2026年11月26日 14时30分``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from .cell_text import Invalid, clean, formula_error

_TIME = r"(?:(?P<H>[0-9]{1,2})[:时点](?P<M>[0-9]{1,2})(?:[:分](?P<S>[0-9]{1,2}(?:\.[0-9]{1,6})?)秒?|分)?)"
_DATE = (r"(?P<y>[0-9]{4})(?:(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
         r"|年(?P<m2>[0-9]{1,2})月(?P<d2>[0-9]{1,2})[日号]?"
         r"|(?P<m3>[0-9]{2})(?P<d3>[0-9]{2}))")
_DATETIME = re.compile(rf"{_DATE}(?:(?:[\st]\s*|(?<=[日号]))(?:{_TIME}))?", re.ASCII)
_MONTH = re.compile(r"(?P<y>[0-9]{4})(?:[-/.](?P<m>[0-9]{1,2})|年(?P<m2>[0-9]{1,2})月份?|(?P<m3>[0-9]{2}))",
                    re.ASCII)
_PERIOD = re.compile(r"([0-9]{4})(?:年度?)?[-/.]?(?:h([12])|([上下])半年度?)", re.ASCII)
_QUARTER = re.compile(r"([0-9]{4})(?:年度?)?[-/.]?(?:q([1-4])|第?([1-4一二三四])季度?)", re.ASCII)
_CHINESE_DIGIT = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}


@lru_cache(maxsize=8192)
def _parse_datetime(text: str) -> tuple[date, time | None] | None:
    """(date, time or None) from a date typed as text; None when it is not one.

    Raises ValueError for a date or time of the right shape that does not exist (2026-02-30).
    """
    match = _DATETIME.fullmatch(clean(text))
    if match is None:
        return None
    g = match.groupdict()
    day = date(int(g["y"]), int(g["m"] or g["m2"] or g["m3"]), int(g["d"] or g["d2"] or g["d3"]))
    if g["H"] is None:
        return day, None
    seconds = Decimal(g["S"] or 0)
    whole = int(seconds)
    return day, time(int(g["H"]), int(g["M"]), whole, int((seconds - whole) * 1_000_000))


def _real_moment(text: str) -> tuple[date, time | None] | None:
    """(date, time or None) typed in ``text``; None when it is not one or does not exist."""
    try:
        return _parse_datetime(text)
    except ValueError:
        return None


def _text_moment(value: str, rule: str) -> tuple[date, time | None]:
    """(date, time or None) typed as text, or Invalid(rule)."""
    formula_error(value)
    parsed = _real_moment(value)
    if parsed is None:
        raise Invalid(rule)
    return parsed


# --- Excel serial numbers -------------------------------------------------------------------

_ORDINAL_1900 = date(1899, 12, 30).toordinal()
_ORDINAL_1904 = date(1904, 1, 1).toordinal()
_MAX_SERIAL = 2958465                  # 9999-12-31 in the 1900 system
_MAX_SERIAL_1904 = _MAX_SERIAL - 1462
_MIDNIGHT = time()


def _serial_day(days: int, date1904: bool) -> date | None:
    """The date of an Excel serial day number, None outside Excel's range."""
    if date1904:
        return date.fromordinal(_ORDINAL_1904 + days) if 0 <= days <= _MAX_SERIAL_1904 else None
    if not 1 <= days <= _MAX_SERIAL or days == 60:    # 60 is Excel's fictitious 1900-02-29
        return None
    return date.fromordinal(_ORDINAL_1900 + days + (days < 60))


def _yyyymmdd(number: int) -> date | None:
    if 19000101 <= number <= 29991231:
        try:
            return date(number // 10000, number // 100 % 100, number % 100)
        except ValueError:
            return None
    return None


def _number_date(value: float | int, date1904: bool) -> date | None:
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        days = math.floor(value)
        if days != value and days >= 19000101:     # yyyymmdd with a fraction is not a date
            return None
    else:
        days = value
    if days >= 19000101:
        return _yyyymmdd(days)
    return _serial_day(days, date1904)


def _number_datetime(value: float | int, date1904: bool) -> datetime | None:
    day = _number_date(value, date1904)
    if day is None:
        return None
    if isinstance(value, int) or value >= 19000101:
        return datetime.combine(day, _MIDNIGHT)
    millis = round((value - math.floor(value)) * 86_400_000)
    return datetime.combine(day, _MIDNIGHT) + timedelta(milliseconds=millis)


# --- one converter per type -------------------------------------------------------------------

def _date(date1904: bool) -> Callable[[object], object]:
    def to_date(value):
        t = type(value)
        if t is date:
            return value
        if t is datetime:
            return value.date()
        if t is float or t is int:
            day = _number_date(value, date1904)
            if day is None:
                raise Invalid("invalid-date")
            return day
        if t is str:
            return _text_moment(value, "invalid-date")[0]
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return date(value.year, value.month, value.day)
        raise Invalid("invalid-date")
    return to_date


def _datetime(date1904: bool) -> Callable[[object], object]:
    def to_datetime(value):
        t = type(value)
        if t is datetime:
            return value
        if t is date:
            return datetime.combine(value, _MIDNIGHT)
        if t is float or t is int:
            moment = _number_datetime(value, date1904)
            if moment is None:
                raise Invalid("invalid-datetime")
            return moment
        if t is str:
            day, moment = _text_moment(value, "invalid-datetime")
            return datetime.combine(day, moment or _MIDNIGHT)
        if isinstance(value, datetime):
            return datetime.combine(value.date(), value.time())
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        raise Invalid("invalid-datetime")
    return to_datetime


def _month_text(value: str) -> str:
    """``YYYY-MM`` of a month (or a date) typed as text, or Invalid."""
    formula_error(value)
    s = clean(value)
    match = _MONTH.fullmatch(s)
    if match:
        year, m = int(match["y"]), int(match["m"] or match["m2"] or match["m3"])
        if 1 <= m <= 12:
            return f"{year:04d}-{m:02d}"
        raise Invalid("invalid-month")
    parsed = _real_moment(s)
    if parsed is not None:
        return f"{parsed[0].year:04d}-{parsed[0].month:02d}"
    raise Invalid("invalid-month")


def _month(date1904: bool) -> Callable[[object], object]:
    def month(value):
        if isinstance(value, date):           # date and datetime
            return f"{value.year:04d}-{value.month:02d}"
        if isinstance(value, str):
            return _month_text(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not value.is_integer():
                raise Invalid("invalid-month")
            number = int(value)
            if 190001 <= number <= 299912 and 1 <= number % 100 <= 12:
                return f"{number // 100:04d}-{number % 100:02d}"
        raise Invalid("invalid-month")
    return month


def _labelled(pattern: re.Pattern, label: Callable[[re.Match], str], rule: str):
    """A converter of text matching ``pattern`` (spaces ignored) to ``label(match)``, else Invalid(rule)."""
    def convert(value):
        if isinstance(value, str):
            formula_error(value)
            match = pattern.fullmatch("".join(clean(value).split()))
            if match:
                return label(match)
        raise Invalid(rule)
    return convert


def _period(date1904: bool) -> Callable[[object], object]:
    return _labelled(_PERIOD, lambda m: f"{m[1]}H{m[2] or ('1' if m[3] == '上' else '2')}", "invalid-period")


def _quarter(date1904: bool) -> Callable[[object], object]:
    return _labelled(_QUARTER, lambda m: f"{m[1]}Q{_CHINESE_DIGIT[m[2] or m[3]]}", "invalid-quarter")


BUILDERS: dict[str, Callable[[bool], Callable[[object], object]]] = {
    "date": _date, "datetime": _datetime, "month": _month, "period": _period, "quarter": _quarter}
