"""The two small notations of ``[[workflows.chains]]``: when a step counts, and when it is due.

A **condition** is ``""`` (always), ``"field"`` (the field is filled: not blank, false or zero) or ``"field=v1,v2"`` (the
field holds one of the values; an enum is compared by its Chinese label, its English label or
its key, case-folded: the value may be a catalogue ``Choice``). A **due** is one or more terms separated by ``|``, the first that applies
wins; a term is ``[condition ?] [field] [+N|-N unit]`` with the unit ``d`` (working days),
``h`` (clock hours) or ``c`` (calendar days): ``"2d"``, ``"24h"``, ``"expected_date | 5d"``,
``"bid_date+30c"``, ``"end_date-30c"``, ``"category=投诉 ? opened_at+2d | opened_at+3d"``.
A term naming a field applies only when the opening document has that field filled; it counts
from that date, otherwise from the moment the step became current. ``""`` is no deadline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Condition", "DueTerm", "parse_condition", "parse_due_terms"]

_NAME = r"[a-z_][a-z0-9_]*"
_CONDITION = re.compile(rf"\s*(?P<field>{_NAME})\s*(?:=\s*(?P<values>[^=]+?))?\s*")
_TERM = re.compile(rf"\s*(?P<field>{_NAME})?\s*(?:(?P<sign>[+-])?\s*(?P<n>\d+)\s*(?P<unit>[dhc]))?\s*")


@dataclass(frozen=True, slots=True)
class Condition:
    """A document's ``field`` is filled (``values`` empty) or holds one of ``values``; no field: always."""

    field: str = ""
    values: tuple[str, ...] = ()

    def holds(self, values: Mapping[str, object]) -> bool:
        if not self.field:
            return True
        value = values.get(self.field)
        if value is None or value == "" or value is False or (not isinstance(value, str) and not value):
            return False                        # blank, false or zero: not filled
        names = {_fold(value.key), _fold(value.zh), _fold(value.en)} if hasattr(value, "zh") else {_fold(value)}
        return not self.values or bool(names & {_fold(v) for v in self.values})


@dataclass(frozen=True, slots=True)
class DueTerm:
    """One alternative of a due: from ``field`` (or the step's start), ``sign * n`` ``unit``."""

    when: Condition
    field: str
    n: int
    unit: str          # "d" working days, "h" hours, "c" calendar days, "" the field's own date


def parse_condition(text: str) -> Condition:
    """``"status=已关闭,处理中"`` -> Condition; ValueError for anything else."""
    if not text.strip():
        return Condition()
    m = _CONDITION.fullmatch(text)
    if not m:
        raise ValueError(f"'{text}' is not a condition: write field, or field=value[,value]")
    values = tuple(v.strip() for v in (m["values"] or "").split(",") if v.strip())
    return Condition(m["field"], values)


def parse_due_terms(text: str) -> tuple[DueTerm, ...]:
    """The terms of a due (none for ``""``); ValueError naming the part that is not one."""
    terms = []
    for part in filter(str.strip, text.split("|")):
        condition, _, rest = part.rpartition("?")
        m = _TERM.fullmatch(rest)
        if not m or not (m["field"] or m["n"]):
            raise ValueError(f"'{part.strip()}' is not a due: write e.g. 2d, 24h, bid_date+30c or end_date-30c")
        if m["sign"] and not m["field"]:
            raise ValueError(f"'{part.strip()}': a signed offset needs the date field it counts from")
        n = int(m["n"] or 0) * (-1 if m["sign"] == "-" else 1)
        if n < 0 and m["unit"] != "c":
            raise ValueError(f"'{part.strip()}': only calendar days (c) may count backwards")
        terms.append(DueTerm(parse_condition(condition), m["field"] or "", n, m["unit"] or ""))
    return tuple(terms)


def _fold(value: object) -> str:
    return str(value).strip().casefold()
