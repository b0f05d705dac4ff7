"""Text in cells: whitespace, formula errors, labels compared loosely, raw values shown as text.

Also :class:`Invalid`, what every cell converter raises, and the converter of text and code
fields.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

from osb_batch.hanzi import simplified
from osb_batch.messages import RULES

# Every whitespace character str.strip() knows, plus the zero-width ones Excel users paste in.
WS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\u200b\u200c\u200d\u2060\ufeff"
ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"})
LIST_SEPARATORS = re.compile(r"[;；,，、\r\n]+")


class Invalid(Exception):
    """A cell that is not a value of its field's type: ``rule`` is a slug of messages.RULES."""

    def __init__(self, rule: str, **params: str) -> None:
        if rule not in RULES:
            raise KeyError(f"rule slug {rule!r} is not in osb_batch.messages.RULES")
        super().__init__(rule)
        self.rule = rule
        self.params = params


def formula_error(value: str) -> None:
    """Raise Invalid("formula-error") when ``value`` is an Excel error such as ``#N/A``."""
    if value.strip(WS) in ERRORS:
        raise Invalid("formula-error")


def clean(text: str) -> str:
    """Text for pattern matching: half-width, trimmed, lower case."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.strip(WS).lower()


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
    s = "".join(s.split()).strip(WS).lower()
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
        return not value or not value.strip(WS)
    return False


# --- raw values as text -----------------------------------------------------------------------

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


def _written(value: object) -> str:
    """A cell value that is not text, as a person would write it."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def display(value: object) -> str:
    """How a raw cell value is shown in messages (the "value found")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple | list):
        return ";".join(display(v) for v in value)
    return _written(value)


def to_text(value: object) -> str:
    """Any cell value as the text of a text or code field."""
    if isinstance(value, str):
        s = value.strip(WS)
        if s in ERRORS:
            raise Invalid("formula-error")
        return s
    return _written(value)


def _text(date1904: bool) -> Callable[[object], object]:
    ws, errors, slow = WS, ERRORS, to_text

    def text(value):
        if type(value) is str:
            s = value.strip(ws)
            if s in errors:
                raise Invalid("formula-error")
            return s
        return slow(value)
    return text


BUILDERS: dict[str, Callable[[bool], Callable[[object], object]]] = {"text": _text, "code": _text}
