"""Findings: every problem found in input is a value with a location.

A :class:`Finding` names the file, form, sheet, A1 cell, field, the value found and a rule slug.
Its wording comes from :mod:`osb_batch.messages`, in Chinese or English, so a finding can be
rendered on a terminal (``inbox/订单.xlsx:orders!G7: …``), in the exceptions workbook, as a
comment in a returned copy, or as JSON, all from one definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import messages
from .rule_names import rule_name

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    file: str = ""
    form: str = ""
    sheet: str = ""
    cell: str = ""
    field: str = ""
    value: str = ""
    params: tuple[tuple[str, str], ...] = ()
    owner: str = ""      # who must act (an UM's name, "SSG", "finance", ...)
    row: int = 0         # 1-based sheet row, 0 when the finding is about a file or sheet
    column: int = 0      # 1-based sheet column, 0 when not about one cell
    severity: str = ""

    def __post_init__(self):
        if not self.severity:
            object.__setattr__(self, "severity", messages.severity(self.rule))

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str = "zh") -> str:
        return messages.render(self.rule, lang, self._context())

    def action(self, lang: str = "zh") -> str:
        return messages.action(self.rule, lang, self._context())

    def _context(self) -> dict[str, str]:
        return {"value": self.value, "field": self.field, "cell": self.cell, "row": self.row,
                "sheet": self.sheet, "form": self.form, **dict(self.params)}

    def location(self) -> str:
        where = self.file
        if self.sheet:
            where += f":{self.sheet}"
            if self.cell:
                where += f"!{self.cell}"
        return where

    def render(self, lang: str = "zh") -> str:
        """The finding as a terminal line, in words: ``where: severity: message [the rule's name]``."""
        words = messages.SEVERITY_LABEL["en" if lang == "en" else "zh"]
        return f"{self.location()}: {words.get(self.severity, self.severity)}: {self.message(lang)} " \
               f"[{rule_name(self.rule, lang)}]"

    def as_dict(self, lang: str = "zh") -> dict:
        context = self._context()
        return {
            "file": self.file, "form": self.form, "sheet": self.sheet, "cell": self.cell,
            "field": self.field, "value": self.value, "rule": self.rule, "severity": self.severity,
            "message": messages.render(self.rule, lang, context),
            "action": messages.action(self.rule, lang, context),
            "owner": self.owner, "row": self.row, "column": self.column, "params": dict(self.params),
        }


def finding(rule: str, **kwargs) -> Finding:
    """Build a finding; extra keyword arguments that are not Finding fields become params."""
    own = {k: kwargs.pop(k) for k in list(kwargs) if k in Finding.__dataclass_fields__}
    own["params"] = tuple((k, "" if v is None else str(v)) for k, v in kwargs.items())
    for key in ("value", "cell", "field", "sheet", "form", "file", "owner"):
        if own.get(key) is None:
            own.pop(key, None)
        elif key in own:
            own[key] = str(own[key])
    return Finding(rule, **own)


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}" if row and column else ""


SUMMARY_RULE = "more-of-rule"
EXAMPLES = 5          # cells and values a summary names


def weight(f: Finding) -> int:
    """How many findings ``f`` stands for: its count when it is a summary of :func:`fold`, else 1."""
    return int(dict(f.params).get("count", 1)) if f.rule == SUMMARY_RULE else 1


class Cap:
    """Says which findings are worth building when they will be folded to ``limit`` per file and rule.

    A check asks :meth:`allows` before it builds a finding. Beyond the ``limit`` that :func:`fold`
    lists, only the first finding of each of a few distinct values (its examples) is built; the
    rest are only counted, with the sheets and fields they were on, so that a flood costs a
    counter instead of an object per cell. Only for a caller that lists findings: the returned
    copy needs every one.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.seen: dict[tuple[str, str], int] = {}
        self.built: dict[tuple[str, str], int] = {}
        self.examples: dict[tuple[str, str], set] = {}
        self.places: dict[tuple[str, str], set[tuple[str, str]]] = {}

    def allows(self, file: str, rule: str, value: object, sheet: str, field: str) -> bool:
        """Whether to build this finding (``value`` None: a blank cell, an example of its own)."""
        key = (file, rule)
        n = self.seen[key] = self.seen.get(key, 0) + 1
        if n <= self.limit:
            self.built[key] = n
            return True
        self.places.setdefault(key, set()).add((sheet, field))
        examples = self.examples.setdefault(key, set())
        if len(examples) >= EXAMPLES or (value is not None and value in examples):
            return False
        examples.add(object() if value is None else value)
        self.built[key] += 1
        return True

    def not_built(self, key: tuple[str, str]) -> int:
        return self.seen.get(key, 0) - self.built.get(key, 0)


def fold(findings: Iterable[Finding], limit: int, *, mixed_owner: str = "", cap: Cap | None = None) -> list[Finding]:
    """Per file and rule, the first ``limit`` findings as they are and the rest as one summary.

    The summary (rule ``more-of-rule``) takes the place of the first finding left out and gives
    their severity, count, the first few distinct values with their cells, the sheet and field if
    they share one and the owner they share (``mixed_owner`` when they have several). With the
    ``cap`` the findings were built under, it counts those not built too. Summaries are never
    folded again, so folding twice changes nothing, and the weights (:func:`weight`) of the
    result add up to the number of findings given (plus those not built).
    """
    out: list[Finding | None] = []
    kept: dict[tuple[str, str], int] = {}
    rest: dict[tuple[str, str], tuple[int, list[Finding]]] = {}
    for f in findings:
        key = (f.file, f.rule)
        n = kept.get(key, 0)
        if n < limit or f.rule == SUMMARY_RULE:
            kept[key] = n + 1
            out.append(f)
        elif key in rest:
            rest[key][1].append(f)
        else:
            rest[key] = (len(out), [f])
            out.append(None)
    for key, (place, left_out) in rest.items():
        places = {(f.sheet, f.field) for f in left_out}
        if cap is not None:
            places |= cap.places.get(key, set())
        out[place] = _summary(left_out, len(left_out) + (cap.not_built(key) if cap else 0), places, mixed_owner)
    return out


def _examples(left_out: list[Finding]) -> list[Finding]:
    """The first finding of each of the first few distinct values (each blank cell counts as one)."""
    chosen, values = [], set()
    for f in left_out:
        if len(chosen) == EXAMPLES:
            break
        if not f.value or f.value not in values:
            values.add(f.value)
            chosen.append(f)
    return chosen


def _summary(left_out: list[Finding], count: int, places: set[tuple[str, str]], mixed_owner: str) -> Finding:
    first, examples = left_out[0], _examples(left_out)
    named = [f"{f.cell} {f.value}".strip() or f.location() for f in examples] + (["…"] if count > len(examples) else [])
    owners = {f.owner for f in left_out}
    sheets, fields = {s for s, _ in places}, {f for _, f in places}
    return Finding(
        SUMMARY_RULE, file=first.file, form=first.form, sheet=sheets.pop() if len(sheets) == 1 else "",
        field=fields.pop() if len(fields) == 1 else "", value=", ".join(f.value for f in examples if f.value),
        owner=owners.pop() if len(owners) == 1 else mixed_owner, severity=first.severity,
        params=(("count", str(count)), ("count_text", f"{count:,}"), ("folded_rule", first.rule),
                ("folded_name_zh", rule_name(first.rule, "zh")), ("folded_name_en", rule_name(first.rule, "en")),
                ("examples", ", ".join(named)), ("first_row", str(first.row)),
                ("message_zh", first.message("zh")), ("message_en", first.message("en")),
                ("action_zh", first.action("zh")), ("action_en", first.action("en")),
                *((k, v) for k, v in first.params if k in ("label", "label_en"))))
