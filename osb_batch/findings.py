"""Findings: every problem found in input is a value with a location.

A :class:`Finding` names the file, form, sheet, A1 cell, field, the value found and a rule slug.
Its wording comes from :mod:`osb_batch.messages`, in Chinese or English, so a finding can be
rendered on a terminal (``inbox/订单.xlsx:orders!G7: …``), in the exceptions workbook, as a
comment in a returned copy, or as JSON, all from one definition.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import messages

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
        return f"{self.location()}: {self.severity}: {self.message(lang)} [{self.rule}]"

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
