"""The consolidation of a form only people fill (汇总): every submitter's rows of one period.

One workbook per form and period, ``周工作计划表-2026-W48.xlsx`` (``Weekly work plan-2026-W48.xlsx``
in English): the form's catalogue columns, then who sent the row and when it arrived in the inbox.
The hidden ``_osb`` sheet names the form, so the headers are the catalogue's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from osb_batch.catalogue import Form

from .common import lang_key, output_workbook, safe_name
from .list_sheet import Cell, Column, ListSheet, list_formats

__all__ = ["ConsolidatedRow", "consolidation_file_name", "write_consolidation"]

TEXT = {
    "zh": {"submitter": "提交人", "arrived": "到达时间", "rows": "行数", "people": "提交人数", "yes": "是", "no": "否",
           "title": "{form}汇总 {period}", "none": "本期无提交"},
    "en": {"submitter": "Submitted by", "arrived": "Arrived", "rows": "Rows", "people": "Submitters", "yes": "yes",
           "no": "no", "title": "{form}, all submissions, {period}", "none": "Nothing submitted for the period"},
}
FORMATS = {
    "date": {"valign": "top", "align": "left", "num_format": "yyyy-mm-dd"},
    "datetime": {"valign": "top", "align": "left", "num_format": "yyyy-mm-dd hh:mm"},
    "money": {"valign": "top", "num_format": "#,##0.00"},
    "quantity": {"valign": "top", "num_format": "#,##0.###"},
    "integer": {"valign": "top", "num_format": "0"},
}
CAPS = {"text": 40, "date": 12, "datetime": 17}


@dataclass(frozen=True, slots=True)
class ConsolidatedRow:
    values: dict                     # the form's fields, typed as the catalogue declares
    submitter: str
    arrived_at: dt.datetime | None   # local time of arrival


def consolidation_file_name(form: Form, period: str, lang: str = "zh") -> str:
    """``周工作计划表-2026-W48.xlsx``."""
    name = form.en if lang_key(lang) == "en" else form.zh
    return f"{safe_name(name)}-{safe_name(period)}.xlsx"


def write_consolidation(folder: str | Path, form: Form, period: str, rows: Sequence[ConsolidatedRow],
                        lang: str, version: str) -> Path:
    """Write the consolidation of ``form`` for ``period`` into ``folder``; its path."""
    lang = lang_key(lang)
    text = TEXT[lang]
    path = Path(folder) / consolidation_file_name(form, period, lang)
    fields = form.fields
    columns = [Column(f.key, f.en if lang == "en" else f.zh, CAPS.get(f.type, 30)) for f in fields]
    columns += [Column("_submitter", text["submitter"], 12), Column("_arrived", text["arrived"], 17, 17)]
    with output_workbook(path, form.key, version, form.keys) as wb:
        name = form.en if lang == "en" else form.zh
        sheet = ListSheet(wb.add_worksheet(name[:31]), list_formats(wb, FORMATS), columns)
        sheet.title(text["title"].format(form=name, period=period))
        if rows:
            sheet.tally([(text["rows"], "count", len(rows)),
                         (text["people"], "count", len({r.submitter for r in rows}))])
        else:
            sheet.note(text["none"])
        sheet.header()
        for row in rows:
            cells = [_cell(row.values.get(f.key), f.type, text) for f in fields]
            arrived = None if row.arrived_at is None else row.arrived_at.replace(tzinfo=None, second=0, microsecond=0)
            cells += [Cell(row.submitter), Cell(arrived, "datetime", "2026-11-28 18:00" if arrived else "")]
            sheet.add_row(cells)
        sheet.finish()
    return path


def _cell(value: object, kind: str, text: dict) -> Cell:
    if value is None:
        return Cell(None)
    if isinstance(value, bool):
        return Cell(text["yes"] if value else text["no"])
    if isinstance(value, dt.datetime):
        return Cell(value.replace(tzinfo=None), "datetime", "2026-11-28 18:00")
    if isinstance(value, dt.date):
        return Cell(value, "date", "2026-11-28")
    if isinstance(value, Decimal | int):
        style = kind if kind in FORMATS else "quantity"
        return Cell(float(value), style, f"{value:,.2f}")        # the cell's number; money stays Decimal upstream
    if isinstance(value, list | tuple):
        return Cell("、".join(str(v) for v in value), "wrap")
    return Cell(str(value), "wrap" if len(str(value)) > 20 else "text")
