"""TOML values -> the types keys are declared with, and values shown back as TOML in problems."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

EXPECTED = {"str": "a string", "int": "an integer", "bool": "true or false",
            "Decimal": "a number (e.g. 0.20 or \"0.20\")", "tuple[str, ...]": "a list of strings",
            "tuple[int, ...]": "a list of whole numbers",
            "tuple[dt.date, ...]": "a list of dates (e.g. [\"2027-10-01\"] or [2027-10-01])"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def convert(kind: str, value: Any) -> Any:
    """``value`` as the declared type; TypeError when it is not one."""
    if kind == "bool" and isinstance(value, bool):
        return value
    if isinstance(value, bool):
        raise TypeError(kind)
    if kind == "str" and isinstance(value, str):
        return value.strip()
    if kind == "int" and isinstance(value, int):
        return value
    if kind == "Decimal" and isinstance(value, int | float | str):
        try:
            number = Decimal(str(value).strip())     # via str(): 0.2 stays 0.2, not its binary float
        except InvalidOperation:
            raise TypeError(kind) from None
        if number.is_finite():
            return number
    if kind == "tuple[str, ...]" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value)
    if kind == "tuple[int, ...]" and isinstance(value, list) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        return tuple(value)
    if kind == "tuple[dt.date, ...]" and isinstance(value, list):
        return tuple(_date(v) for v in value)
    raise TypeError(kind)


def _date(value: Any) -> dt.date:
    """A TOML date, or an ISO date string; TypeError for anything else, ValueError for a non-date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise TypeError("date")
    text = value.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"\"{value}\" is not a real date") from None
    raise ValueError(f"\"{value}\" is not a date written as YYYY-MM-DD")


def describe(value: object) -> str:
    """A parsed TOML value's type, and the value unless it is a table: ``integer 5``."""
    toml_type = {bool: "boolean", int: "integer", float: "float", str: "string",
                 list: "array", dict: "table"}.get(type(value), "date/time")
    return toml_type if isinstance(value, dict) else f"{toml_type} {show(value)}"


def show(value: object) -> str:
    """A value as it would be written in TOML."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(show, value)) + "]"
    return str(value)
