"""The mark model of a returned copy, shared by the XML patch and the openpyxl fallback.

Which cells to mark and the text of their comments; what the added notes sheet 退回说明 holds;
the colours and limits both writers use.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from osb_batch.findings import ERROR, INFO, WARNING, Finding

from ..palette import HEADER_FILL, RED_FILL, RED_FONT, argb

log = logging.getLogger(__name__)

NOTES_SHEET = "退回说明"          # the reader skips a sheet of this name when the copy comes back
AUTHOR = "osb_batch"
MARK = "【osb_batch】"           # first line of every comment we write, so a resubmitted copy is cleaned
RED = argb(RED_FILL)
HEAD_FILL = argb(HEADER_FILL)
WARNING_COLOR = argb(RED_FONT)
MAX_CELL = 32767
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")   # what XML 1.0 forbids (as openpyxl)
MAX_COMMENT = 8000
MAX_ROW = 1_048_576
MAX_COLUMN = 16_384
Box = tuple[int, int, int, int]          # min_row, min_col, max_row, max_col of a merged range

TEXT = {
    "zh": {
        "title": "退回说明：{file}",
        "how": "标红的单元格有问题，鼠标移到单元格上可查看原因。请按“处理办法”修改后重新提交。",
        "rebuilt": "注意：原文件无法按原样打开（{kind}），本副本只保留了各单元格的值，格式、公式和宏未保留。",
        "headers": ("严重程度", "工作表", "单元格", "字段", "原值", "说明", "处理办法"),
        "severity": {ERROR: "错误", WARNING: "警告", INFO: "提示"},
        "whole": "（整个文件）",
        "row": "第 {row} 行",
        "none": "没有需要修改的问题。",
    },
    "en": {
        "title": "Returned for correction: {file}",
        "how": "Cells filled red have problems; hover over a cell to see why. Correct them as the "
               "'Action' column says and submit the file again.",
        "rebuilt": "Note: the original file could not be opened as it is ({kind}); this copy keeps "
                   "only the cell values, not formatting, formulas or macros.",
        "headers": ("Severity", "Sheet", "Cell", "Field", "Value", "Message", "Action"),
        "severity": {ERROR: "error", WARNING: "warning", INFO: "info"},
        "whole": "(whole file)",
        "row": "row {row}",
        "none": "Nothing to correct.",
    },
}
NOTE_WIDTHS = (10, 16, 10, 16, 24, 60, 44)


def clean_text(text: str, limit: int) -> str:
    """``text`` without the characters XML forbids, cut to ``limit`` characters."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def text_width(value) -> int:
    """Columns a value takes on screen (its widest line; CJK characters count double)."""
    if isinstance(value, str):
        return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                    for line in value.splitlines() or [""]), default=0)
    if isinstance(value, dt.datetime):
        return 19
    return len(str(value))


def cell_marks(findings: Sequence[Finding], titles: Mapping[str, str], lang: str,
               merged: Mapping[str, Sequence[Box]]) -> dict[tuple[str, int, int], str]:
    """(sheet title, row, column) -> the text of its comment, for every cell a finding points at.

    Findings inside a merged range are marked on its top-left cell and share one comment.
    """
    lines_of: dict[tuple[str, int, int], list[str]] = {}
    for f in findings:
        if not (f.sheet and f.row > 0 and f.column > 0 and f.sheet in titles):
            continue
        title = titles[f.sheet]
        if f.row > MAX_ROW or f.column > MAX_COLUMN:
            log.warning("returned copy: cannot mark %s!R%sC%s (outside the sheet)", title, f.row, f.column)
            continue
        row, column = _anchor(merged.get(title, ()), f.row, f.column)
        lines = lines_of.setdefault((title, row, column), [])
        line = f"{f.message(lang)} {f.action(lang)}".strip()
        if line not in lines:
            lines.append(line)
    return {key: MARK + "\n" + "\n".join(lines) for key, lines in lines_of.items()}


def _anchor(merged: Sequence[Box], row: int, column: int) -> tuple[int, int]:
    """A cell inside a merged range is marked on the range's top-left cell."""
    for min_row, min_col, max_row, max_col in merged:
        if min_row <= row <= max_row and min_col <= column <= max_col:
            return min_row, min_col
    return row, column


def comment_size(text: str) -> tuple[int, int]:
    """Height and width (px) of a comment box showing ``text``."""
    lines = text.splitlines() or [""]
    # about 34 CJK characters per line in a 260 pt wide box
    wrapped = sum(max(1, -(-text_width(line) // 44)) for line in lines)
    return min(max(60, 16 * wrapped + 12), 400), 260


@dataclass
class Notes:
    """The notes sheet's content, shared by the openpyxl and the XML writers."""

    cells: list[tuple[int, int, str | None, str]]   # row, column, text (None: format only), style
    header: int                                      # the header row (frozen below, filtered, printed)
    last: int                                        # the last row of the list


def notes_sheet(source_name: str, findings: Sequence[Finding], lang: str, rebuilt_kind: str) -> Notes:
    """What the notes sheet holds; styles: title, warning, head, top, wrap, error or "" (plain)."""
    text = TEXT[lang]
    cells: list[tuple[int, int, str | None, str]] = []

    def put(r: int, c: int, value, style: str) -> None:
        cells.append((r, c, clean_text(str(value), MAX_CELL) if value else None, style))

    put(1, 1, text["title"].format(file=source_name), "title")
    put(2, 1, text["how"], "")
    row = 3
    if rebuilt_kind:
        put(row, 1, text["rebuilt"].format(kind=rebuilt_kind), "warning")
        row += 1
    header = row + 1
    for c, head in enumerate(text["headers"], start=1):
        put(header, c, head, "head")
    ordered = sorted(findings, key=lambda f: ({ERROR: 0, WARNING: 1}.get(f.severity, 2),
                                              f.sheet, f.row, f.column, f.rule))
    r = header
    for f in ordered:
        r += 1
        params = dict(f.params)
        label = (params.get("label_en") if lang == "en" else "") or params.get("label") or f.field
        where = f.cell or (text["row"].format(row=f.row) if f.row else "") or ("" if f.sheet else text["whole"])
        values = (text["severity"].get(f.severity, f.severity), f.sheet, where, label, f.value,
                  f.message(lang), f.action(lang))
        for c, value in enumerate(values, start=1):
            style = "wrap" if c >= 5 else "error" if c == 1 and f.severity == ERROR else "top"
            put(r, c, value, style)
    if not ordered:
        put(header + 1, 1, text["none"], "")
    return Notes(cells, header, max(r, header))
