"""Cell values as staff type them -> typed values, or :class:`Invalid` with a rule slug.

Pure functions: no files, no workbooks, no business rules. :func:`converter` builds one closure
per field, checked once per column and then called for every cell, so the common case (a float
for money, a str for a code, a ``datetime.date`` for a date) takes a short path and only text
falls into the slower parsing. Money is never touched by float arithmetic: a float goes to
``Decimal`` through its shortest repr and is then rounded to cents.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache

from osb_batch.catalogue import Field
from osb_batch.hanzi import simplified
from osb_batch.messages import RULES

__all__ = ["Invalid", "normalize_label", "is_blank", "converter", "check_range", "display"]

# Every whitespace character str.strip() knows, plus the zero-width ones Excel users paste in.
_WS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\u200b\u200c\u200d\u2060\ufeff"
ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"})
LIST_SEPARATORS = re.compile(r"[;；,，、\r\n]+")

_CENT = Decimal("0.01")
_ZERO_CENTS = Decimal("0.00")
_NOISE = Decimal("1e-6")
_FLOAT_DIGITS = Decimal("1e-14")     # relative noise a float formula result may carry
_CTX = Context(prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation])


class Invalid(Exception):
    """A cell that is not a value of its field's type: ``rule`` is a slug of messages.RULES."""

    def __init__(self, rule: str, **params: str) -> None:
        if rule not in RULES:
            raise KeyError(f"rule slug {rule!r} is not in osb_batch.messages.RULES")
        super().__init__(rule)
        self.rule = rule
        self.params = params


# --- labels -------------------------------------------------------------------------------

_REQUIRED_MARKS = ("*", "(必填)", "(必填项)")


@lru_cache(maxsize=65536, typed=True)
def normalize_label(text: object) -> str:
    """Comparison key for headers and enum values.

    Full-width -> half-width, no whitespace anywhere, no required marker (``*``, ``(必填)``,
    ``（必填项）``), lower case, Traditional -> Simplified Chinese.
    """
    s = str(text)
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
    s = "".join(s.split()).strip(_WS).lower()
    if not s.isascii():
        s = simplified(s)
    changed = True
    while changed:
        changed = False
        for mark in _REQUIRED_MARKS:
            if s.endswith(mark) and len(s) > len(mark):
                s = s[: -len(mark)]
                changed = True
        if s.startswith("*") and len(s) > 1:
            s = s[1:]
            changed = True
    return s


def is_blank(value: object) -> bool:
    """None, "" or a str of nothing but whitespace (ideographic space U+3000 included)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value or not value.strip(_WS)
    return False


# --- showing raw values ---------------------------------------------------------------------

def _float_text(value: float) -> str:
    """A float as a person would write it: 12.0 -> "12", 213.23999999999998 -> "213.24"."""
    if value.is_integer():
        return str(int(value))
    if not math.isfinite(value):
        return str(value)
    return f"{value:.15g}"


def _datetime_text(value: datetime) -> str:
    if not (value.hour or value.minute or value.second or value.microsecond):
        return value.date().isoformat()
    return value.isoformat(sep=" ", timespec="seconds" if not value.microsecond else "auto")


def display(value: object) -> str:
    """How a raw cell value is shown in messages (the "value found")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple | list):
        return ";".join(display(v) for v in value)
    return str(value)


# --- numbers from text ----------------------------------------------------------------------

_NUMBER = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.([0-9]*))?", re.ASCII)
_CURRENCY_BEFORE = ("¥", "rmb", "cny")
_CURRENCY_AFTER = ("元", "rmb", "cny")


def _no_currency(s: str) -> str:
    for sign in _CURRENCY_BEFORE:
        if s.startswith(sign):
            s = s[len(sign):]
            break
    for sign in _CURRENCY_AFTER:
        if s.endswith(sign):
            s = s[: -len(sign)]
            break
    return s


@lru_cache(maxsize=8192)
def _decimal_text(text: str, currency: bool) -> Decimal | None:
    """A number typed as text: full-width digits, thousands separators, accounting negatives,
    and (when ``currency``) ¥/￥/元/RMB/CNY. None when it is not one."""
    s = text
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s).replace("\u2212", "-")
    s = "".join(s.split()).strip(_WS)
    if currency:
        s = _no_currency(s.lower())
    negative = False
    if len(s) > 2 and s[0] == "(" and s[-1] == ")":
        negative = True
        s = s[1:-1]
        if currency:
            s = _no_currency(s)
    if s[:1] in ("-", "+") and len(s) > 1:
        if negative:
            return None
        negative = s[0] == "-"
        s = s[1:]
        if currency:
            s = _no_currency(s)
    match = _NUMBER.fullmatch(s)
    if match is None or not (match.group(1) or match.group(2)):
        return None
    number = Decimal(s.replace(",", ""))
    return -number if negative and number else number


# --- dates from text ------------------------------------------------------------------------

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


def _clean(text: str) -> str:
    """Text for pattern matching: half-width, trimmed, lower case."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.strip(_WS).lower()


@lru_cache(maxsize=8192)
def _parse_datetime(text: str) -> tuple[date, time | None] | None:
    """(date, time or None) from a date typed as text; None when it is not one.

    Raises ValueError for a date or time of the right shape that does not exist (2026-02-30).
    """
    match = _DATETIME.fullmatch(_clean(text))
    if match is None:
        return None
    g = match.groupdict()
    day = date(int(g["y"]), int(g["m"] or g["m2"] or g["m3"]), int(g["d"] or g["d2"] or g["d3"]))
    if g["H"] is None:
        return day, None
    seconds = Decimal(g["S"] or 0)
    whole = int(seconds)
    return day, time(int(g["H"]), int(g["M"]), whole, int((seconds - whole) * 1_000_000))


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

def _formula_error(value: str) -> None:
    if value.strip(_WS) in ERRORS:
        raise Invalid("formula-error")


def _to_text(value: object) -> str:
    """Any cell value as the text of a text or code field."""
    if isinstance(value, str):
        s = value.strip(_WS)
        if s in ERRORS:
            raise Invalid("formula-error")
        return s
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _text(date1904: bool) -> Callable[[object], object]:
    ws, errors, slow = _WS, ERRORS, _to_text

    def text(value):
        if type(value) is str:
            s = value.strip(ws)
            if s in errors:
                raise Invalid("formula-error")
            return s
        return slow(value)
    return text


def _money(date1904: bool) -> Callable[[object], object]:
    cent, zero, ctx, half_up = _CENT, _ZERO_CENTS, _CTX, ROUND_HALF_UP

    def cents(number: Decimal) -> Decimal:
        if not number.is_finite():
            raise Invalid("invalid-money")
        try:
            rounded = number.quantize(cent, rounding=half_up, context=ctx)
        except InvalidOperation:
            raise Invalid("invalid-money") from None
        if rounded != number and abs(rounded - number) > max(_NOISE, abs(number) * _FLOAT_DIGITS):
            raise Invalid("invalid-money")
        return rounded if rounded else zero

    def money(value):
        t = type(value)
        if t is float:
            text = repr(value)
            decimals = len(text) - text.find(".")     # no "." (1e+16, inf, nan): len + 1
            if decimals == 3:                         # "1234.56": the common case
                number = Decimal(text)
            elif decimals == 2:                       # "1200.0"
                number = Decimal(text + "0")
            else:                                     # binary noise, exponents, inf, nan
                return cents(Decimal(text))
            return number if number else zero         # -0.0 -> 0.00
        if t is int:
            return cents(Decimal(value))
        if t is str:
            _formula_error(value)
            number = _decimal_text(value, currency=True)
            if number is None:
                raise Invalid("invalid-money")
            return cents(number)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return money(float(value) if isinstance(value, float) else int(value))
        raise Invalid("invalid-money")
    return money


def _quantity(date1904: bool) -> Callable[[object], object]:
    def quantity(value):
        t = type(value)
        if t is float:
            if value.is_integer():
                return Decimal(int(value))
            if not math.isfinite(value):
                raise Invalid("invalid-number")
            text = repr(value)
            if len(text) <= 16:
                return Decimal(text)
            # Excel keeps 15 significant digits: drop the binary tail of a formula result
            return Decimal(f"{value:.15g}")
        if t is int:
            return Decimal(value)
        if t is str:
            _formula_error(value)
            number = _decimal_text(value, currency=False)
            if number is None:
                raise Invalid("invalid-number")
            return number
        if isinstance(value, int | float) and not isinstance(value, bool):
            return quantity(float(value) if isinstance(value, float) else int(value))
        raise Invalid("invalid-number")
    return quantity


def _integer(date1904: bool) -> Callable[[object], object]:
    def integer(value):
        t = type(value)
        if t is int:
            return value
        if t is float:
            if value.is_integer():
                return int(value)
            if math.isfinite(value):
                nearest = round(value)
                if abs(value - nearest) <= 1e-9 * max(1.0, abs(value)):   # 30.000000000000004
                    return nearest
            raise Invalid("invalid-integer")
        if t is str:
            _formula_error(value)
            number = _decimal_text(value, currency=False)
            if number is None or number != number.to_integral_value():
                raise Invalid("invalid-integer")
            return int(number)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return integer(float(value) if isinstance(value, float) else int(value))
        raise Invalid("invalid-integer")
    return integer


def _text_moment(value: str, rule: str):
    """(date, time or None) typed as text, or Invalid(rule)."""
    _formula_error(value)
    try:
        parsed = _parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise Invalid(rule)
    return parsed


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


def _month(date1904: bool) -> Callable[[object], object]:
    def month(value):
        if isinstance(value, date):           # date and datetime
            return f"{value.year:04d}-{value.month:02d}"
        if isinstance(value, str):
            _formula_error(value)
            s = _clean(value)
            match = _MONTH.fullmatch(s)
            if match:
                year, m = int(match["y"]), int(match["m"] or match["m2"] or match["m3"])
                if 1 <= m <= 12:
                    return f"{year:04d}-{m:02d}"
                raise Invalid("invalid-month")
            try:
                parsed = _parse_datetime(s)
            except ValueError:
                parsed = None
            if parsed is not None:
                return f"{parsed[0].year:04d}-{parsed[0].month:02d}"
            raise Invalid("invalid-month")
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not value.is_integer():
                raise Invalid("invalid-month")
            number = int(value)
            if 190001 <= number <= 299912 and 1 <= number % 100 <= 12:
                return f"{number // 100:04d}-{number % 100:02d}"
        raise Invalid("invalid-month")
    return month


def _period(date1904: bool) -> Callable[[object], object]:
    def period(value):
        if isinstance(value, str):
            _formula_error(value)
            match = _PERIOD.fullmatch("".join(_clean(value).split()))
            if match:
                half = match[2] or ("1" if match[3] == "上" else "2")
                return f"{match[1]}H{half}"
        raise Invalid("invalid-period")
    return period


def _quarter(date1904: bool) -> Callable[[object], object]:
    def quarter(value):
        if isinstance(value, str):
            _formula_error(value)
            match = _QUARTER.fullmatch("".join(_clean(value).split()))
            if match:
                return f"{match[1]}Q{_CHINESE_DIGIT[match[2] or match[3]]}"
        raise Invalid("invalid-quarter")
    return quarter


_TRUE = frozenset({"是", "y", "yes", "true", "1", "1.0", "√", "✓", "✔", "对", "t", "相符", "一致"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "0.0", "×", "✗", "✘", "x", "错", "f", "不符", "不相符", "不一致"})


def _boolean(date1904: bool) -> Callable[[object], object]:
    def boolean(value):
        t = type(value)
        if t is bool:
            return value
        if t is str:
            s = _clean(value)
            if s in _TRUE:
                return True
            if s in _FALSE:
                return False
            _formula_error(value)
        elif t is int or t is float:
            if value == 1:
                return True
            if value == 0:
                return False
        raise Invalid("invalid-boolean")
    return boolean


def _enum(field: Field) -> Callable[[object], object]:
    if not field.choices:
        # choices_from not resolved (no rules.toml in hand): pass the text on; validate checks it
        return _text(False)
    index: dict[str, str] = {}
    for choice in field.choices:
        for label in (choice.key, choice.zh, choice.en):
            if label:
                index.setdefault(normalize_label(label), choice.key)
    allowed = "/".join(c.zh for c in field.choices)

    def enum(value):
        if isinstance(value, str):
            _formula_error(value)
            key = index.get(normalize_label(value))
        else:
            key = index.get(normalize_label(_to_text(value)))
        if key is None:
            raise Invalid("invalid-choice", allowed=allowed)
        return key
    return enum


_BUILDERS: dict[str, Callable[[bool], Callable[[object], object]]] = {
    "text": _text, "code": _text, "integer": _integer, "money": _money, "quantity": _quantity,
    "date": _date, "datetime": _datetime, "month": _month, "period": _period, "quarter": _quarter,
    "boolean": _boolean,
}


def converter(field: Field, *, date1904: bool = False) -> Callable[[object], object]:
    """A function turning one non-blank cell value (as python-calamine gives it) into the field's
    typed value, raising :class:`Invalid` when it is not one."""
    if field.type == "enum":
        element = _enum(field)
    else:
        try:
            element = _BUILDERS[field.type](date1904)
        except KeyError:
            raise ValueError(f"field {field.key!r} has unknown type {field.type!r}") from None
    if not field.list:
        return element
    split = LIST_SEPARATORS.split

    def many(value):
        if isinstance(value, str):
            _formula_error(value)
            return tuple(element(part) for part in split(value) if not is_blank(part))
        return (element(value),)
    return many


# --- ranges -----------------------------------------------------------------------------------

def _bound(number: Decimal) -> str:
    return format(number.normalize(), "f")


def range_text(field: Field) -> str:
    low, high = field.min, field.max
    if low is not None and high is not None:
        if field.min_exclusive:
            return f"> {_bound(low)}, ≤ {_bound(high)}"
        return f"{_bound(low)}–{_bound(high)}"
    if low is not None:
        return f"{'>' if field.min_exclusive else '≥'} {_bound(low)}"
    if high is not None:
        return f"≤ {_bound(high)}"
    return ""


def check_range(value: object, field: Field) -> dict | None:
    """None when a converted numeric value lies within the field's min/max; else the params of
    an out-of-range finding, e.g. ``{"range": "≥ 0"}``."""
    if isinstance(value, tuple):
        for item in value:
            if bad := check_range(item, field):
                return bad
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    low, high = field.min, field.max
    if low is not None and (value <= low if field.min_exclusive else value < low):
        return {"range": range_text(field)}
    if high is not None and value > high:
        return {"range": range_text(field)}
    return None
