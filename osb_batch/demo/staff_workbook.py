"""Workbooks written the way sales staff write them: the one builder of the demo and the tests.

Staff put a merged title row and a note or two above the header, use the catalogue's Chinese
labels (a trailing ``*`` on required columns when they copied the template), type some numbers
and dates as text, and pick their own number formats. :func:`staff_workbook` lays out such a
sheet from a header and rows of values; :func:`write_form_rows` does it for one form from rows
keyed by field. The demo writes its inbox with them, ``tests/conftest.py`` its test workbooks
(``write_xlsx``), and the benchmarks take their headers from :func:`form_header`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from osb_batch import catalogue as catalogue_mod
from osb_batch.hanzi import traditional

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
YUAN_FORMAT = '"¥"#,##0.00'


def form_header(form_key: str, order: Sequence[str], *, star: bool = False,
                hant: bool = False) -> tuple[list[str], list[str]]:
    """(keys, header) of the columns ``order`` names that the form has, in that order.

    The header holds the fields' Chinese labels, with ``*`` on required ones when ``star``,
    in Traditional characters when ``hant``.
    """
    form = catalogue_mod.load()[form_key]
    keys = [k for k in order if k in form.keys]
    header = [form.field(k).header() if star else form.field(k).zh for k in keys]
    return keys, [traditional(h) for h in header] if hant else header


def staff_workbook(header: Sequence[object], rows: Iterable[Sequence[object]], *, sheet: str = "Sheet1",
                   title: str = "", notes: Sequence[str] = (),
                   column_formats: Mapping[int, str] | None = None) -> openpyxl.Workbook:
    """One sheet: an optional merged bold title row, note rows, a bold header, then ``rows``.

    ``column_formats`` maps 0-based columns to the number format of their cells that are not
    text. Columns are as wide as their header, panes frozen under it.
    """
    wb = openpyxl.Workbook()
    wb.properties.creator = "销售部秘书组"
    wb.properties.created = dt.datetime(2026, 1, 1)
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(2, len(header)))
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for note in notes:
        ws.append([note])
    ws.append(list(header))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for col, label in enumerate(header, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = max(10, 2 * len(str(label or "")) + 2)
    for col, fmt in (column_formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=col + 1, max_col=col + 1):
            if not isinstance(cell.value, str):
                cell.number_format = fmt
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    return wb


def write_form_rows(path: Path, form_key: str, order: Sequence[str], rows: Iterable[Mapping[str, object]], *,
                    sheet: str, title: str = "", notes: Sequence[str] = (), star: bool = False,
                    hant: bool = False, formats: Mapping[str, str] | None = None) -> None:
    """Save one form's rows (field key -> value) as staff lay them out.

    ``order`` is the column order (field keys); keys the catalogue lacks are left out.
    ``formats`` maps field keys to number formats.
    """
    keys, header = form_header(form_key, order, star=star, hant=hant)
    column_formats = {i: (formats or {})[k] for i, k in enumerate(keys) if k in (formats or {})}
    wb = staff_workbook(header, ([row.get(k) for k in keys] for row in rows), sheet=sheet, title=title,
                        notes=notes, column_formats=column_formats)
    wb.save(path)


def write_form(path: Path, form_key: str, rows: Iterable[Mapping[str, object]], *, sheet: str, title: str = "",
               formats: Mapping[str, str] | None = None) -> None:
    """A workbook of one form in catalogue column order, starred header under a title row."""
    write_form_rows(path, form_key, catalogue_mod.load()[form_key].keys, rows, sheet=sheet, title=title,
                    star=True, formats=formats)
