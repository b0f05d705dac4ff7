"""The exceptions workbook (异常清单): every problem of a run, one row each.

A first sheet lists every finding (errors first, then by file, sheet, row, column); one sheet per
owner (an UM's name, "SSG", ...) holds only that owner's findings. Every piece of text from input
is written with ``write_string``, so a value such as ``=1+1`` or ``@SUM(A1)`` stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from osb_batch.findings import ERROR, INFO, WARNING, Finding

from .common import OSB_SHEET, clip_cell, column_width, display_width, output_workbook, print_list

FORM_KEY = "exceptions"
KEYS = ("severity", "file", "sheet", "cell", "field", "value", "rule", "message", "owner", "action")
HEADERS = {
    "zh": ("严重程度", "文件", "工作表", "单元格", "字段", "原值", "规则", "说明", "处理人", "处理办法"),
    "en": ("Severity", "File", "Sheet", "Cell", "Field", "Value", "Rule", "Message", "Owner", "Action"),
}
SEVERITY_LABEL = {
    "zh": {ERROR: "错误", WARNING: "警告", INFO: "提示"},
    "en": {ERROR: "error", WARNING: "warning", INFO: "info"},
}
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}
TEXT = {
    "zh": {"title": "异常清单", "all": "全部", "none": "本次运行没有发现问题", "unassigned": "未指定",
           "owner": "处理人：", "total": "合计"},
    "en": {"title": "Exceptions", "all": "All", "none": "No problems were found in this run",
           "unassigned": "Unassigned", "owner": "Owner: ", "total": "Total"},
}
# widest a column may become (characters, CJK counted double)
MAX_WIDTH = {"message": 60, "action": 50, "value": 40, "file": 40}
WRAPPED = {"value", "message", "action"}
MAX_ROWS = 1_048_576
HEADER_ROW = 2                  # 0-based: title, totals, header
SHEET_FORBIDDEN = set('[]:*?/\\')


def write_exceptions(findings: Sequence[Finding], path: Path, *, lang: str = "zh",
                     version: str = "2026.1", title_date: str) -> None:
    """Write the exceptions workbook to ``path`` (under a temporary name, renamed when complete)."""
    lang = "en" if lang == "en" else "zh"
    text = TEXT[lang]
    ordered = sorted(findings, key=_sort_key)
    with output_workbook(path, FORM_KEY, version, KEYS) as wb:
        styles = _Styles(wb)
        taken = {OSB_SHEET.casefold()}
        all_name = unique_sheet_name(text["all"], taken)
        _write_sheet(wb, styles, all_name, ordered, lang, f"{text['title']} {title_date}".strip())
        for owner, mine in _by_owner(ordered):
            label = owner or text["unassigned"]
            name = unique_sheet_name(label, taken)
            title = f"{text['title']} {title_date} — {text['owner']}{label}".strip()
            _write_sheet(wb, styles, name, mine, lang, title)


def _sort_key(f: Finding):
    return (SEVERITY_RANK.get(f.severity, 3), f.file, f.sheet, f.row, f.column, f.rule, f.field, f.value)


def _by_owner(ordered: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    groups: dict[str, list[Finding]] = {}
    for f in ordered:
        groups.setdefault(f.owner or "", []).append(f)
    return sorted(groups.items(), key=lambda kv: (kv[0] != "SSG", kv[0] == "", kv[0].casefold()))


class _Styles:
    def __init__(self, wb):
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.header = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "text_wrap": True, "valign": "vcenter"})
        self.text = wb.add_format({"valign": "top"})
        self.wrap = wb.add_format({"valign": "top", "text_wrap": True})
        self.count = wb.add_format({"bold": True, "align": "left"})
        self.total = {
            ERROR: wb.add_format({"bold": True, "bg_color": "#FFC7CE", "font_color": "#9C0006"}),
            WARNING: wb.add_format({"bold": True, "bg_color": "#FFEB9C", "font_color": "#9C5700"}),
            INFO: wb.add_format({"bold": True, "bg_color": "#DDEBF7", "font_color": "#1F4E78"}),
        }
        self.row = {
            ERROR: wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
            WARNING: wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        }


def _row_values(f: Finding, lang: str) -> list[str]:
    params = dict(f.params)
    label = (params.get("label_en") if lang == "en" else "") or params.get("label") or f.field
    values = {
        "severity": SEVERITY_LABEL[lang].get(f.severity, f.severity),
        "file": f.file, "sheet": f.sheet, "cell": f.cell, "field": label, "value": f.value,
        "rule": f.rule, "message": f.message(lang), "owner": f.owner, "action": f.action(lang),
    }
    return [clip_cell(values[k]) for k in KEYS]


def _write_sheet(wb, styles: _Styles, name: str, findings: Sequence[Finding], lang: str,
                 title: str) -> None:
    ws = wb.add_worksheet(name)
    text = TEXT[lang]
    headers = HEADERS[lang]
    last_col = len(KEYS) - 1
    ws.write_string(0, 0, clip_cell(title), styles.title)

    room = MAX_ROWS - HEADER_ROW - 1
    shown = findings[:room]
    if findings:
        col = 0
        for sev in (ERROR, WARNING, INFO):
            ws.write_string(1, col, SEVERITY_LABEL[lang][sev], styles.total[sev])
            ws.write_number(1, col + 1, sum(1 for f in findings if f.severity == sev), styles.count)
            col += 2
        ws.write_string(1, col, text["total"], styles.count)
        ws.write_number(1, col + 1, len(findings), styles.count)
    else:
        ws.write_string(1, 0, text["none"], styles.count)

    for c, head in enumerate(headers):
        ws.write_string(HEADER_ROW, c, head, styles.header)
    rows = [_row_values(f, lang) for f in shown]
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for c, (key, value) in enumerate(zip(KEYS, values, strict=True)):
            if value:
                ws.write_string(r, c, value, styles.wrap if key in WRAPPED else styles.text)

    last_row = HEADER_ROW + len(rows)
    for c, key in enumerate(KEYS):
        width = column_width(headers[c], (v[c] for v in rows), MAX_WIDTH.get(key, 30))
        ws.set_column(c, c, width, styles.wrap if key in WRAPPED else None)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.autofilter(HEADER_ROW, 0, max(last_row, HEADER_ROW), last_col)
    if rows:
        first = HEADER_ROW + 2          # 1-based Excel row of the first finding
        for sev in (ERROR, WARNING):
            ws.conditional_format(HEADER_ROW + 1, 0, last_row, last_col, {
                "type": "formula",
                "criteria": f'=$A{first}="{SEVERITY_LABEL[lang][sev]}"',
                "format": styles.row[sev],
            })
    print_list(ws, header_row=HEADER_ROW)


def unique_sheet_name(text: str, taken: set[str], limit: int = 31) -> str:
    """An Excel-legal sheet name built from data: no []:*?/\\, at most 31 characters, no leading or
    trailing apostrophe, not "History", unique (case-insensitively) among ``taken``, which is updated."""
    cleaned = "".join("_" if ch in SHEET_FORBIDDEN or ord(ch) < 32 else ch for ch in str(text))
    cleaned = cleaned.strip().strip("'").strip() or "_"
    if cleaned.casefold() == "history":
        cleaned = "History_"
    base = cleaned[:limit].rstrip("'") or "_"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[:limit - len(suffix)].rstrip("'") + suffix
    taken.add(name.casefold())
    return name


__all__ = ["write_exceptions", "unique_sheet_name", "display_width", "KEYS", "HEADERS"]
