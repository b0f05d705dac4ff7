"""Returned copies (退回修改件): the submitter's own workbook with the bad cells marked.

Every cell a finding points at is filled red and carries a comment saying what is wrong and what
to do; an added sheet 退回说明 lists every finding of the file, including those that have no cell
(a missing column, a file-level problem), so nothing is lost.

An ``.xlsx``/``.xlsm`` is first patched at the XML level: every part of the package is copied
unchanged except the few that must change (styles, the marked sheets streamed row by row, the
workbook, relationships and content types), comments and the notes sheet are added and macros are
dropped. That takes seconds and little memory even for a sheet of 100,000 rows. A workbook the
patch does not handle (a returned copy sent back again, a marked sheet that already has comments,
prefixes or encodings it does not expect, ...) is loaded with openpyxl and saved as ``.xlsx``
instead. Anything openpyxl cannot load (``.xls``, ``.ods``, ``.csv``, strict OOXML, a damaged
archive) is rebuilt cell by cell from the grid python-calamine reads, with values only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import unicodedata
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from osb_batch.findings import ERROR, INFO, WARNING, Finding

from .common import atomic_path, safe_name
from .exceptions import unique_sheet_name

log = logging.getLogger(__name__)

NOTES_SHEET = "退回说明"          # the reader skips a sheet of this name when the copy comes back
AUTHOR = "osb_batch"
MARK = "【osb_batch】"           # first line of every comment we write, so a resubmitted copy is cleaned
RED = "FFFFC7CE"
RED_FILL = PatternFill(fill_type="solid", start_color=RED, end_color=RED)
NO_FILL = PatternFill(fill_type=None)
MAX_CELL = 32767
MAX_COMMENT = 8000

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


def returned_copy_name(source_name: str) -> str:
    """退回修改件-<stem>.xlsx: ``订单-华东-1126.xlsm`` -> ``退回修改件-订单-华东-1126.xlsx``."""
    stem = PurePath(str(source_name).replace("\\", "/")).stem
    return f"退回修改件-{safe_name(stem)}.xlsx"


def write_returned_copy(source: Path, findings: Sequence[Finding], path: Path, *, lang: str = "zh",
                        grid: Mapping[str, list[list]] | None = None) -> None:
    """Write the marked copy of ``source`` to ``path`` (always an .xlsx).

    An .xlsx/.xlsm is patched at the XML level (:mod:`.xlsxpatch`); what the patch does not handle
    goes through openpyxl. Never raises for an odd workbook as long as its cell values can be read:
    when the original cannot be loaded or marked, a copy is rebuilt from ``grid`` (or from a fresh
    read of ``source``).
    """
    source = Path(source)
    lang = "en" if lang == "en" else "zh"
    from .xlsxpatch import Unsupported, patch_copy, patchable
    if patchable(source):
        try:
            patch_copy(source, findings, path, lang)
            return
        except Exception as exc:  # the openpyxl path handles what the patch does not
            log.info("returned copy of %s: not patched in place (%s: %s), loading it with openpyxl",
                     source.name, type(exc).__name__, exc, exc_info=not isinstance(exc, Unsupported))
    wb = _load_original(source)
    if wb is not None:
        try:
            _clean_previous_marks(wb)
            _mark(wb, {ws.title: ws.title for ws in wb.worksheets}, findings, lang)
            _add_notes(wb, source, findings, lang, rebuilt_kind="")
            _save(wb, path)
            return
        except Exception:  # one odd workbook must not stop the run
            log.warning("returned copy of %s: marking the original failed, rebuilding from values",
                        source.name, exc_info=True)
    if grid is None:
        grid = read_grid(source)
    wb, titles = _rebuild(grid)
    _mark(wb, titles, findings, lang)
    _add_notes(wb, source, findings, lang, rebuilt_kind=source.suffix.lower().lstrip(".") or "?")
    _save(wb, path)


# -- loading ---------------------------------------------------------------------------------------

def _load_original(source: Path):
    """The workbook as openpyxl loads it, or None when openpyxl cannot load it usefully."""
    try:
        if not zipfile.is_zipfile(source):
            return None
        data = source.read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # a file object: openpyxl would refuse a misleading extension, the content decides
            wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=False, rich_text=False)
    except Exception as exc:  # corrupt, .ods, encrypted, ...: use the values instead
        log.info("returned copy of %s: openpyxl cannot load it (%s: %s)", source.name,
                 type(exc).__name__, exc)
        return None
    if not wb.worksheets:               # strict OOXML: openpyxl loads zero sheets without an error
        return None
    wb.vba_archive = None               # never copy macros
    wb.template = False                 # always the plain .xlsx content type
    return wb


def read_grid(source: Path) -> dict[str, list[list]]:
    """Sheet name -> rows of cell values, as the reader sees them (csv module for .csv)."""
    source = Path(source)
    if source.suffix.lower() in {".csv", ".txt", ".tsv"}:
        raw = source.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            text = raw.decode("utf-8", errors="replace")
        dialect = "excel-tab" if text.count("\t") > text.count(",") else "excel"
        return {source.stem[:31] or "csv": [list(r) for r in csv.reader(io.StringIO(text), dialect)]}
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(source))
    grids: dict[str, list[list]] = {}
    for meta in wb.sheets_metadata:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue
        grids[meta.name] = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
    return grids


def _rebuild(grid: Mapping[str, list[list]]):
    """A fresh workbook holding the grid's values; returns it and grid name -> sheet title."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    titles: dict[str, str] = {}
    taken: set[str] = {NOTES_SHEET.casefold()}
    for name, rows in grid.items():
        ws = wb.create_sheet(unique_sheet_name(name, taken))
        titles[name] = ws.title
        if name == "_osb":
            ws.sheet_state = "hidden"
        widths: dict[int, int] = {}
        for r, row in enumerate(rows or (), start=1):
            for c, value in enumerate(row or (), start=1):
                if _put(ws, r, c, value):
                    widths[c] = max(widths.get(c, 0), _width(ws.cell(r, c).value))
        for c, w in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = min(max(w, 6), 50) + 2
    if not wb.worksheets:
        wb.create_sheet("Sheet1")
    return wb, titles


def _put(ws, r: int, c: int, value) -> bool:
    """Write one value as a value: text stays text (never a formula). False when nothing written."""
    if value is None or value == "":
        return False
    cell = ws.cell(r, c)
    if isinstance(value, str):
        _set_text(cell, value)
    elif isinstance(value, bool | int | float):
        if isinstance(value, float) and value != value:   # NaN
            return False
        cell.value = value
    elif isinstance(value, dt.datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm:ss" if value.time() != dt.time() else "yyyy-mm-dd"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, dt.time):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "hh:mm:ss"
    elif isinstance(value, dt.timedelta):
        cell.value = value
        cell.number_format = "[h]:mm:ss"
    else:
        _set_text(cell, str(value))
    return True


def _set_text(cell, text: str) -> None:
    text = _clean(text, MAX_CELL)
    cell.value = text
    cell.data_type = "s"            # "=1+1" from input must never become a formula


def _clean(text: str, limit: int) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _width(value) -> int:
    if isinstance(value, str):
        return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                    for line in value.splitlines() or [""]), default=0)
    if isinstance(value, dt.datetime):
        return 19
    return len(str(value))


# -- marking ---------------------------------------------------------------------------------------

def _clean_previous_marks(wb) -> None:
    """A returned copy sent back again: drop our old notes sheet, comments and red fills.

    (The XML patch refuses a workbook with old marks, so they are always cleaned here.)
    """
    if NOTES_SHEET in wb.sheetnames:
        wb.remove(wb[NOTES_SHEET])
    for ws in wb.worksheets:
        for cell in list(ws._cells.values()):
            comment = cell.comment
            if comment is None or MARK not in (comment.text or ""):
                continue
            kept = comment.text.split(MARK, 1)[0].rstrip()
            cell.comment = Comment(kept, comment.author or "") if kept else None
            if cell.fill == RED_FILL:
                cell.fill = NO_FILL


MAX_ROW = 1_048_576
MAX_COLUMN = 16_384
Box = tuple[int, int, int, int]          # min_row, min_col, max_row, max_col of a merged range


def _marks(findings: Sequence[Finding], titles: Mapping[str, str], lang: str,
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


def _mark(wb, titles: Mapping[str, str], findings: Sequence[Finding], lang: str) -> None:
    """Fill each cell a finding points at red and put the findings' text in its comment."""
    merged = {ws.title: [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
              for ws in wb.worksheets}
    for (title, row, column), text in _marks(findings, titles, lang, merged).items():
        try:
            cell = wb[title].cell(row, column)
            if cell.comment is not None and cell.comment.text and MARK not in cell.comment.text:
                text = cell.comment.text.rstrip() + "\n\n" + text
            cell.comment = _comment(text)
            cell.fill = RED_FILL
        except Exception:  # the finding is still listed on the notes sheet
            log.warning("returned copy: cannot mark %s!R%sC%s", title, row, column, exc_info=True)


def _anchor(merged: Sequence[Box], row: int, column: int) -> tuple[int, int]:
    """A cell inside a merged range is marked on the range's top-left cell."""
    for min_row, min_col, max_row, max_col in merged:
        if min_row <= row <= max_row and min_col <= column <= max_col:
            return min_row, min_col
    return row, column


def _comment_size(text: str) -> tuple[int, int]:
    """Height and width (px) of a comment box showing ``text``."""
    lines = text.splitlines() or [""]
    # about 34 CJK characters per line in a 260 pt wide box
    wrapped = sum(max(1, -(-_width(line) // 44)) for line in lines)
    return min(max(60, 16 * wrapped + 12), 400), 260


def _comment(text: str) -> Comment:
    text = _clean(text, MAX_COMMENT)
    height, width = _comment_size(text)
    return Comment(text, AUTHOR, height=height, width=width)


# -- the notes sheet -------------------------------------------------------------------------------

@dataclass
class _Notes:
    """The notes sheet's content, shared by the openpyxl and the XML writers."""

    cells: list[tuple[int, int, str | None, str]]   # row, column, text (None: format only), style
    header: int                                      # the header row (frozen below, filtered, printed)
    last: int                                        # the last row of the list


def _notes(source_name: str, findings: Sequence[Finding], lang: str, rebuilt_kind: str) -> _Notes:
    """What the notes sheet holds; styles: title, warning, head, top, wrap, error or "" (plain)."""
    text = TEXT[lang]
    cells: list[tuple[int, int, str | None, str]] = []

    def put(r: int, c: int, value, style: str) -> None:
        cells.append((r, c, _clean(str(value), MAX_CELL) if value else None, style))

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
    return _Notes(cells, header, max(r, header))


HEAD_FILL = "FFD9E1F2"
WARNING_COLOR = "FF9C0006"


def _add_notes(wb, source: Path, findings: Sequence[Finding], lang: str, rebuilt_kind: str) -> None:
    notes = _notes(source.name, findings, lang, rebuilt_kind)
    ws = wb.create_sheet(NOTES_SHEET, 0)
    top_wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for r, c, value, style in notes.cells:
        cell = ws.cell(r, c)
        if value is not None:
            _set_text(cell, value)
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "warning":
            cell.font = Font(bold=True, color=WARNING_COLOR)
        elif style == "head":
            cell.font = Font(bold=True)
            cell.fill = PatternFill(fill_type="solid", start_color=HEAD_FILL, end_color=HEAD_FILL)
        elif style in ("top", "error"):
            cell.alignment = top
            if style == "error":
                cell.fill = RED_FILL
        elif style == "wrap":
            cell.alignment = top_wrap
    for c, width in enumerate(NOTE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    header = notes.header
    ws.freeze_panes = ws.cell(header + 1, 1)
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(NOTE_WIDTHS))}{notes.last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header}:{header}"
    # open on the notes; only one tab selected, or Excel groups the sheets
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0


def _save(wb, path: Path) -> None:
    with atomic_path(path) as tmp:
        wb.save(tmp)
