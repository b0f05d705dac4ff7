"""How a key of rules.toml is declared, and the checks of its allowed values.

A key is a dataclass field made with :func:`setting`; its ``check`` takes the value, already of
the declared type, and says what is wrong with it, or None.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import MISSING, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from osb_batch.catalogue import load as load_catalogue
from osb_batch.chain_terms import parse_condition, parse_due_terms
from osb_batch.due_notation import parse_due
from osb_batch.hanzi import simplified

Check = Callable[[Any], str | None]   # what is wrong with a (well-typed) value, or None


def setting(default: Any = MISSING, check: Check | None = None) -> Any:
    """Declare one key of a section: its default (none = required) and its allowed values."""
    return field(default=default, metadata={"check": check})


def tables(cls: type, default: tuple = ()) -> Any:
    """Declare an array of tables (``[[section.key]]``), each an instance of ``cls`` (a class of
    :func:`setting` fields); the file's tables replace ``default`` as a whole."""
    return field(default=default, metadata={"tables": cls})


@lru_cache(maxsize=4096)
def norm(text: object) -> str:
    """Comparison key: simplified characters, no surrounding space, case-folded."""
    return simplified(str(text).strip()).casefold()


def one_of(*allowed: str) -> Check:
    return lambda v: None if v in allowed else "must be one of " + ", ".join(f"'{a}'" for a in allowed)


def between(low: int, high: int) -> Check:
    return lambda v: None if low <= v <= high else f"must be between {low} and {high}"


def above(low: int) -> Check:
    return lambda v: None if v > low else f"must be greater than {low}"


def at_least(low: int) -> Check:
    return lambda v: None if v >= low else f"must be at least {low}"


def nonblank(value: str) -> str | None:
    return None if value else "must not be empty"


def no_blanks(values: tuple[str, ...]) -> str | None:
    return None if all(values) else "must not contain empty names"


def names(values: tuple[str, ...]) -> str | None:
    """A non-empty list of distinct, non-empty names."""
    if not values:
        return "must name at least one person"
    if not all(values):
        return "must not contain empty names"
    twice = next((v for i, v in enumerate(values) if norm(v) in map(norm, values[:i])), None)
    return f"'{twice}' is listed twice" if twice else None


def distinct_dates(values: tuple[dt.date, ...]) -> str | None:
    twice = next((d for i, d in enumerate(values) if d in values[:i]), None)
    return f"{twice} is listed twice" if twice else None


def increasing_days(values: tuple[int, ...]) -> str | None:
    if not values:
        return "must list at least one bucket"
    if values[0] <= 0 or any(b <= a for a, b in zip(values, values[1:], strict=False)):
        return "must be increasing whole numbers of days, the first greater than 0"
    return None


_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


def period_ends(values: tuple[str, ...]) -> str | None:
    """Two period ends, "MM-DD", in calendar order; the second must be 12-31 (a half year each)."""
    if len(values) != 2:
        return "must list two period ends, e.g. [\"06-30\", \"12-31\"]"
    for v in values:
        m = _MONTH_DAY.fullmatch(v)
        try:
            dt.date(2024, int(m[1]), int(m[2])) if m else None
        except ValueError:
            m = None
        if not m:
            return f"'{v}' is not a month-day written as MM-DD"
    if values[1] != "12-31" or values[0] >= values[1]:
        return "must be [first half end, \"12-31\"], the first before the second"
    return None


def timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "must be an IANA time zone name such as 'Asia/Shanghai'"
    return None


#: The roles of the sales-force roster (the staff form's 岗位), as osb_batch.rules.management_records.ROLES.
ROSTER_ROLES = ("SLT", "SSG", "MM", "UM", "KAM", "SR")


def form_key(value: str) -> str | None:
    """The key of a form of the catalogue (forms.toml)."""
    return None if value in load_catalogue() else "must be the key of a catalogue form, e.g. 'weekly_work_plan'"


def roster_roles(values: tuple[str, ...]) -> str | None:
    """A non-empty list of roster roles, none twice."""
    if not values:
        return "must name at least one role"
    wrong = next((v for v in values if v not in ROSTER_ROLES), None)
    if wrong is not None:
        return f"'{wrong}' is not a role; use " + ", ".join(ROSTER_ROLES)
    twice = next((v for i, v in enumerate(values) if v in values[:i]), None)
    return f"'{twice}' is listed twice" if twice else None


def parses(parse: Callable[[str], Any]) -> Check:
    """The check that ``parse`` takes the value: its ValueError's text is the problem."""
    def check(value: str) -> str | None:
        try:
            parse(value)
        except ValueError as exc:
            return str(exc)
        return None
    return check


#: A due written in the grammar of :mod:`osb_batch.due_notation`.
due_text = parses(parse_due)


#: The events a chain may open with or move on, besides the catalogue's forms.
CHAIN_EVENTS = ("delivery_note", "invoice", "return", "order")


def chain_form(value: str) -> str | None:
    """A catalogue form key, or one of :data:`CHAIN_EVENTS`."""
    if value in CHAIN_EVENTS or value in load_catalogue():
        return None
    return "must be the key of a catalogue form or one of " + ", ".join(CHAIN_EVENTS)


def field_names(values: tuple[str, ...]) -> str | None:
    """Field names (``a``) or pairs (``a=b``), at least one."""
    if not values:
        return "must name at least one field"
    wrong = next((v for v in values if not re.fullmatch(r"[a-z_][a-z0-9_]*(\s*=\s*[a-z_][a-z0-9_]*)?", v)), None)
    return f"'{wrong}' is not a field name (or a=b pair)" if wrong else None


#: A step's ``when`` and ``due`` in the notations of :mod:`osb_batch.chain_terms`.
chain_condition = parses(parse_condition)
chain_due = parses(parse_due_terms)


def chain_conditions(values: tuple[str, ...]) -> str | None:
    return next((p for p in map(chain_condition, values) if p), None)


def ledger_url(value: str) -> str | None:
    """A shared ledger's URL: empty (the working folder's SQLite file) or a PostgreSQL URL without
    a password (passwords come from the environment, PGPASSWORD, or ~/.pgpass)."""
    from urllib.parse import urlsplit

    if not value:
        return None
    if not value.startswith(("postgresql://", "postgres://")):
        return "must be empty or a PostgreSQL URL (postgresql://user@host:5432/database)"
    if urlsplit(value).password is not None:
        return ("must not contain a password: give it in the environment (PGPASSWORD) or in ~/.pgpass, "
                "not in rules.toml")
    return None
