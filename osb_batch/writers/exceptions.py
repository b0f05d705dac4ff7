"""The exceptions workbook (异常清单): every problem of a run, one row each.

A first sheet lists every finding (errors first, then by file, sheet, row, column); one sheet per
owner (an UM's name, "SSG", ...) holds only that owner's findings. The run gives it findings
folded by :func:`osb_batch.findings.fold`: a summary row stands for many findings of one rule and
file, sorts after that sheet's listed ones, and counts as all of them in the tally. Every piece
of text from input is written with ``write_string``, so ``=1+1`` or ``@SUM(A1)`` stays text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from osb_batch.findings import ERROR, INFO, SUMMARY_RULE, WARNING, Finding, weight
from osb_batch.messages import SEVERITY_LABEL
from osb_batch.rule_names import rule_name

from .common import OSB_SHEET, clip_cell, display_width, output_workbook, unique_sheet_name
from .list_sheet import HEADER_ROW, Cell, ListSheet, columns_of, form_headers, list_formats
from .palette import AMBER, BLUE, RED

FORM_KEY = "exceptions"
# the rule's name for people; its slug, for machines, in the last column, hidden
KEYS = ("severity", "file", "sheet", "cell", "field", "value", "rule_name", "message", "owner", "action", "rule")
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}
TEXT = {
    "zh": {"title": "异常清单", "all": "全部", "none": "本次运行没有发现问题", "unassigned": "未指定",
           "owner": "处理人：", "total": "异常合计"},
    "en": {"title": "Exceptions", "all": "All", "none": "No problems were found in this run",
           "unassigned": "Unassigned", "owner": "Owner: ", "total": "Exceptions"},
}
# widest a column may become (characters, CJK counted double)
MAX_WIDTH = {"message": 60, "action": 50, "value": 40, "file": 40}
WRAPPED = {"value", "message", "action"}
MAX_ROWS = 1_048_576


def write_exceptions(findings: Sequence[Finding], path: Path, *, lang: str = "zh",
                     version: str = "2026.1", title_date: str) -> None:
    """Write the exceptions workbook to ``path`` (under a temporary name, renamed when complete)."""
    lang = "en" if lang == "en" else "zh"
    text = TEXT[lang]
    ordered = sorted(findings, key=_sort_key)
    with output_workbook(path, FORM_KEY, version, KEYS) as wb:
        styles = _formats(wb)
        taken = {OSB_SHEET.casefold()}
        all_name = unique_sheet_name(text["all"], taken)
        _write_sheet(wb, styles, all_name, ordered, lang, f"{text['title']} {title_date}".strip())
        for owner, mine in _by_owner(ordered):
            label = owner or text["unassigned"]
            name = unique_sheet_name(label, taken)
            title = f"{text['title']} {title_date} — {text['owner']}{label}".strip()
            _write_sheet(wb, styles, name, mine, lang, title)


# an archived copy is named ``<digest>-<name>`` (workspace.archive_copy): files sort by their name
_DIGEST_PREFIX = re.compile(r"(?<=/)[0-9a-f]{16}-")


def _sort_key(f: Finding):
    return (SEVERITY_RANK.get(f.severity, 3), _DIGEST_PREFIX.sub("", f.file), f.file, f.sheet, f.rule == SUMMARY_RULE, f.row, f.column, f.rule,
            f.field, f.value)


def _by_owner(ordered: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    groups: dict[str, list[Finding]] = {}
    for f in ordered:
        groups.setdefault(f.owner or "", []).append(f)
    return sorted(groups.items(), key=lambda kv: (kv[0] != "SSG", kv[0] == "", kv[0].casefold()))


def _formats(wb) -> dict:
    tones = {ERROR: RED, WARNING: AMBER, INFO: BLUE}
    return list_formats(wb, {**{f"total_{sev}": {"bold": True, **tone} for sev, tone in tones.items()},
                             **{f"row_{sev}": tones[sev] for sev in (ERROR, WARNING)}})


def _row_values(f: Finding, lang: str) -> list[str]:
    params = dict(f.params)
    label = (params.get("label_en") if lang == "en" else "") or params.get("label") or f.field
    values = {
        "severity": SEVERITY_LABEL[lang].get(f.severity, f.severity),
        "file": f.file, "sheet": f.sheet, "cell": f.cell, "field": label, "value": f.value,
        "rule_name": rule_name(f.rule, lang), "rule": f.rule, "message": f.message(lang), "owner": f.owner, "action": f.action(lang),
    }
    return [clip_cell(values[k]) for k in KEYS]


def _write_sheet(wb, formats: dict, name: str, findings: Sequence[Finding], lang: str, title: str) -> None:
    columns = columns_of(KEYS, form_headers(FORM_KEY, KEYS, lang), MAX_WIDTH, styles={k: "wrap" for k in WRAPPED})
    sheet = ListSheet(wb.add_worksheet(name), formats, columns)
    sheet.title(title)
    _write_tally(sheet, findings, lang)
    sheet.header()
    for f in findings[:MAX_ROWS - HEADER_ROW - 1]:
        sheet.add_row(Cell(v, "wrap" if k in WRAPPED else "text") for k, v in zip(KEYS, _row_values(f, lang),
                                                                                  strict=True))
    sheet.finish()
    sheet.ws.set_column(sheet.index("rule"), sheet.index("rule"), None, None, {"hidden": True})
    first = HEADER_ROW + 2          # 1-based Excel row of the first finding
    for sev in (ERROR, WARNING):
        sheet.highlight(0, sheet.last_col, {"type": "formula", "criteria": f'=$A{first}="{SEVERITY_LABEL[lang][sev]}"',
                                            "format": formats[f"row_{sev}"]})


def _write_tally(sheet: ListSheet, findings: Sequence[Finding], lang: str) -> None:
    """Row 2: errors, warnings, their total (the run's count of exceptions: infos are not exceptions),
    then the infos beside it; a summary row counts as the findings it stands for."""
    text = TEXT[lang]
    if not findings:
        sheet.note(text["none"])
        return
    count = {sev: sum(weight(f) for f in findings if f.severity == sev) for sev in (ERROR, WARNING, INFO)}
    sheet.tally([*((SEVERITY_LABEL[lang][sev], f"total_{sev}", count[sev]) for sev in (ERROR, WARNING)),
                 (text["total"], "count", count[ERROR] + count[WARNING]),
                 (SEVERITY_LABEL[lang][INFO], f"total_{INFO}", count[INFO])])


__all__ = ["write_exceptions", "unique_sheet_name", "display_width", "KEYS"]
