"""Numbers and money in cells -> ``int`` or ``Decimal``, and the min/max range of a field.

Money is never touched by float arithmetic: a float goes to ``Decimal`` through its shortest
repr and is then rounded to cents. Text may carry full-width digits, thousands separators,
accounting negatives ``(1,200.00)`` and, for money, ¥/￥/元/RMB/CNY.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache

from osb_batch.catalogue import Field

from .cell_text import WS, Invalid, formula_error

_CENT = Decimal("0.01")
_ZERO_CENTS = Decimal("0.00")
_NOISE = Decimal("1e-6")
_FLOAT_DIGITS = Decimal("1e-14")     # relative noise a float formula result may carry
_CTX = Context(prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation])

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
    s = "".join(s.split()).strip(WS)
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


def _number_text(value: str, rule: str, currency: bool = False) -> Decimal:
    """The number typed in ``value``, or Invalid(rule) (formula-error for an Excel error)."""
    formula_error(value)
    number = _decimal_text(value, currency=currency)
    if number is None:
        raise Invalid(rule)
    return number


def _builtin(value: object, rule: str) -> int | float:
    """A subclass of int or float (not bool) as the built-in type; Invalid(rule) for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) if isinstance(value, float) else int(value)
    raise Invalid(rule)


def _cents(number: Decimal) -> Decimal:
    """``number`` rounded to cents, when that only drops float noise; else Invalid."""
    if not number.is_finite():
        raise Invalid("invalid-money")
    try:
        rounded = number.quantize(_CENT, rounding=ROUND_HALF_UP, context=_CTX)
    except InvalidOperation:
        raise Invalid("invalid-money") from None
    if rounded != number and abs(rounded - number) > max(_NOISE, abs(number) * _FLOAT_DIGITS):
        raise Invalid("invalid-money")
    return rounded if rounded else _ZERO_CENTS


def _money(date1904: bool) -> Callable[[object], object]:
    zero, cents = _ZERO_CENTS, _cents

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
            return cents(_number_text(value, "invalid-money", currency=True))
        return money(_builtin(value, "invalid-money"))
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
            return _number_text(value, "invalid-number")
        return quantity(_builtin(value, "invalid-number"))
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
            number = _number_text(value, "invalid-integer")
            if number != number.to_integral_value():
                raise Invalid("invalid-integer")
            return int(number)
        return integer(_builtin(value, "invalid-integer"))
    return integer


BUILDERS: dict[str, Callable[[bool], Callable[[object], object]]] = {
    "integer": _integer, "money": _money, "quantity": _quantity}


# --- ranges -----------------------------------------------------------------------------------

def _bound(number: Decimal) -> str:
    return format(number.normalize(), "f")


def range_text(field: Field) -> str:
    """A field's min/max as people read it: ``≥ 0``, ``> 0, ≤ 100``, ``0–365``; "" when none."""
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
