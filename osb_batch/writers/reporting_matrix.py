"""The monthly reporting record (上报情况-2026-11.xlsx): people × the reports due in the month.

Sheet 1 is the matrix: a row per person, a column per report and period that fell due in the
month (grouped under the form's name), each cell on time (green), late (amber), missing (red)
or due soon (blue, a month still running), blank where the person was not expected; then the
person's counts and on-time rate. Sheet 2 lists each person's rate per form over the month.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .common import atomic_path, lang_key, new_workbook, safe_name
from .list_sheet import Cell, Column, ListSheet, list_formats
from .palette import AMBER, BLUE, GREEN, RED, SUBTITLE_FILL
from .reminders import form_name

if TYPE_CHECKING:
    from osb_batch.rules.duties import Rate
    from osb_batch.rules.duty_matrix import MonthlyMatrix

__all__ = ["matrix_file_name", "write_matrix"]

TEXT = {
    "zh": {"file": "上报情况", "title": "上报情况", "sheet": "上报情况", "rates": "各表准时率", "none": "本月没有到期的报表",
           "name": "姓名", "role": "岗位", "form": "报表", "expected": "应交", "on_time": "按时", "late": "迟交",
           "missing": "未交", "rate": "准时率", "people": "人数"},
    "en": {"file": "Reporting-record", "title": "Reporting record", "sheet": "Matrix", "rates": "Rates by report",
           "none": "No reports fell due this month", "name": "Name", "role": "Role", "form": "Report",
           "expected": "Expected", "on_time": "On time", "late": "Late", "missing": "Missing",
           "rate": "On-time rate", "people": "People"},
}
CELL_LABEL = {          # the month's record, not a reminder: "missing" rather than "overdue"
    "zh": {"on_time": "按时", "late": "迟交", "missing": "未交", "due_soon": "待交"},
    "en": {"on_time": "on time", "late": "late", "missing": "missing", "due_soon": "due soon"},
}
PERCENT = '0.0"%"'      # percentage points, as the KPI workbook writes them
HEADER_ROW = 3          # title, tally, the forms' names, the periods
COUNTS = ("expected", "on_time", "late", "missing")
FORMATS = {
    "on_time": {**GREEN, "align": "center"}, "late": {**AMBER, "align": "center"},
    "missing": {**RED, "align": "center"}, "due_soon": {**BLUE, "align": "center"},
    "number": {"num_format": "0"}, "percent": {"num_format": PERCENT},
    "group": {"bold": True, "bg_color": SUBTITLE_FILL, "border": 1, "align": "center", "text_wrap": True,
              "valign": "vcenter"},
}


def matrix_file_name(month: str, lang: str = "zh") -> str:
    """``上报情况-2026-11.xlsx``."""
    return f"{TEXT[lang_key(lang)]['file']}-{safe_name(month)}.xlsx"


def write_matrix(folder: str | Path, matrix: MonthlyMatrix, rates: Sequence[Rate], lang: str = "zh") -> Path:
    """Write the month's matrix and, from ``rates`` (:func:`osb_batch.rules.duties.rates` of the
    month), the rates per form into ``folder``; its path."""
    lang = lang_key(lang)
    path = Path(folder) / matrix_file_name(matrix.month, lang)
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp)
        try:
            formats = list_formats(wb, FORMATS)
            _matrix_sheet(wb, formats, matrix, lang)
            _rates_sheet(wb, formats, [r for r in rates if r.form is not None], matrix, lang)
        finally:
            wb.close()
    return path


def _matrix_sheet(wb, formats, matrix: MonthlyMatrix, lang: str) -> None:
    text = TEXT[lang]
    columns = [Column("name", text["name"], 12), Column("role", text["role"], 6)]
    columns += [Column(f"c{i}", c.period, 10, 8) for i, c in enumerate(matrix.columns)]
    columns += [Column(k, text[k], 8, 6) for k in COUNTS] + [Column("rate", text["rate"], 10, 8)]
    sheet = ListSheet(wb.add_worksheet(text["sheet"]), formats, columns, header_row=HEADER_ROW)
    sheet.title(f"{text['title']} {matrix.month}")
    if matrix.rows:
        sheet.tally([(text["people"], "count", len(matrix.rows))])
    else:
        sheet.note(text["none"])
    shown = _group_row(sheet, matrix, lang)
    sheet.header()
    labels = CELL_LABEL[lang]
    for row in matrix.rows:
        cells = [Cell(row.person), Cell(row.role)]
        cells += [Cell(labels[s], s) if s else Cell(None, "") for s in row.cells]
        counts = (row.rate.expected, row.rate.on_time, row.rate.late, row.rate.missing)
        cells += [Cell(n, "number", str(n)) for n in counts]
        cells.append(_rate_cell(row.rate))
        sheet.add_row(cells)
    sheet.finish(extra_shown=shown, frozen_columns=2)
    sheet.ws.set_row(HEADER_ROW - 1, 45)          # a form name over one column wraps to three lines


def _group_row(sheet: ListSheet, matrix: MonthlyMatrix, lang: str) -> dict[int, list[str]]:
    """Above the periods, each form's name across its columns; what each column shows there."""
    first, shown = 2, {}
    for i, column in enumerate(matrix.columns):
        last_of_form = i + 1 == len(matrix.columns) or matrix.columns[i + 1].form != column.form
        if not last_of_form:
            continue
        name, last = form_name(column.form, lang), 2 + i
        if last > first:
            sheet.ws.merge_range(HEADER_ROW - 1, first, HEADER_ROW - 1, last, name, sheet.formats["group"])
        else:
            sheet.ws.write_string(HEADER_ROW - 1, first, name, sheet.formats["group"])
            shown[first] = [name[:12]]          # one column: its width must hold the name (wrapped in two lines)
        first = last + 1
    return shown


def _rates_sheet(wb, formats, rates: Sequence[Rate], matrix: MonthlyMatrix, lang: str) -> None:
    text = TEXT[lang]
    roles = {row.person: row.role for row in matrix.rows}
    columns = [Column("name", text["name"], 12), Column("role", text["role"], 6), Column("form", text["form"], 40)]
    columns += [Column(k, text[k], 8, 6) for k in COUNTS] + [Column("rate", text["rate"], 10, 8)]
    sheet = ListSheet(wb.add_worksheet(text["rates"]), formats, columns)
    sheet.title(f"{text['rates']} {matrix.month}")
    sheet.header()
    for rate in sorted(rates, key=lambda r: (r.person, r.form or "")):
        counts = (rate.expected, rate.on_time, rate.late, rate.missing)
        sheet.add_row([Cell(rate.person), Cell(roles.get(rate.person, "")), Cell(form_name(rate.form, lang)),
                       *(Cell(n, "number", str(n)) for n in counts), _rate_cell(rate)])
    sheet.finish(landscape=False)


def _rate_cell(rate: Rate) -> Cell:
    if rate.rate is None:
        return Cell(None, "percent")
    points = float(rate.rate * 100)
    return Cell(points, "percent", f"{points:.1f}%")
