"""The openpyxl path of returned copies: load the workbook, mark it, save it as .xlsx.

It handles what the XML patch does not (a returned copy sent back again, a marked sheet that
already has comments, odd prefixes or encodings). Anything openpyxl cannot load (``.xls``,
``.ods``, ``.csv``, strict OOXML, a damaged archive) is rebuilt cell by cell from the grid
python-calamine reads, with values only.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from osb_batch.findings import Finding

from ..common import atomic_path, unique_sheet_name
from .grid import read_grid
from .marks import (
    AUTHOR,
    HEAD_FILL,
    MARK,
    MAX_CELL,
    MAX_COMMENT,
    NOTE_WIDTHS,
    NOTES_SHEET,
    RED,
    WARNING_COLOR,
    cell_marks,
    clean_text,
    comment_size,
    notes_sheet,
    text_width,
)

log = logging.getLogger(__name__)

RED_FILL = PatternFill(fill_type="solid", start_color=RED, end_color=RED)
NO_FILL = PatternFill(fill_type=None)


def write_copy(source: Path, findings: Sequence[Finding], path: Path, lang: str,
               grid: Mapping[str, list[list]] | None) -> None:
    """Mark the workbook openpyxl loads from ``source``; when it cannot be loaded or marked, mark a
    copy rebuilt from ``grid`` (or from a fresh read of ``source``), values only."""
    wb = load_original(source)
    if wb is not None:
        try:
            clean_previous_marks(wb)
            _mark_cells(wb, {ws.title: ws.title for ws in wb.worksheets}, findings, lang)
            _add_notes(wb, source, findings, lang, rebuilt_kind="")
            _save(wb, path)
            return
        except Exception:  # one odd workbook must not stop the run
            log.warning("returned copy of %s: marking the original failed, rebuilding from values",
                        source.name, exc_info=True)
    if grid is None:
        grid = read_grid(source)
    wb, titles = _rebuild(grid)
    _mark_cells(wb, titles, findings, lang)
    _add_notes(wb, source, findings, lang, rebuilt_kind=source.suffix.lower().lstrip(".") or "?")
    _save(wb, path)


def load_original(source: Path):
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
                    widths[c] = max(widths.get(c, 0), text_width(ws.cell(r, c).value))
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
    text = clean_text(text, MAX_CELL)
    cell.value = text
    cell.data_type = "s"            # "=1+1" from input must never become a formula


def clean_previous_marks(wb) -> None:
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


def _mark_cells(wb, titles: Mapping[str, str], findings: Sequence[Finding], lang: str) -> None:
    """Fill each cell a finding points at red and put the findings' text in its comment."""
    merged = {ws.title: [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
              for ws in wb.worksheets}
    for (title, row, column), text in cell_marks(findings, titles, lang, merged).items():
        try:
            cell = wb[title].cell(row, column)
            if cell.comment is not None and cell.comment.text and MARK not in cell.comment.text:
                text = cell.comment.text.rstrip() + "\n\n" + text
            cell.comment = _comment(text)
            cell.fill = RED_FILL
        except Exception:  # the finding is still listed on the notes sheet
            log.warning("returned copy: cannot mark %s!R%sC%s", title, row, column, exc_info=True)


def _comment(text: str) -> Comment:
    text = clean_text(text, MAX_COMMENT)
    height, width = comment_size(text)
    return Comment(text, AUTHOR, height=height, width=width)


def _add_notes(wb, source: Path, findings: Sequence[Finding], lang: str, rebuilt_kind: str) -> None:
    """The notes sheet, first and active, its header frozen, filtered and printed on every page."""
    notes = notes_sheet(source.name, findings, lang, rebuilt_kind)
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
    """Save under a temporary name, renamed onto ``path`` when complete."""
    with atomic_path(path) as tmp:
        wb.save(tmp)
