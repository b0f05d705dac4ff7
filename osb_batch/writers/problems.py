"""The OSB problem log (OSB问题记录表): the agenda of the monthly OSB meeting.

The log is cumulative: the run hands over every open entry and those it resolved. Open entries
come first, then resolved ones, each by problem number. The written-explanation column of an
open entry is highlighted: the responsible department fills it (and returns it on a
``problem_updates`` form). Every piece of text is written with ``write_string``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from osb_batch.messages import area_label, problem_text

from .common import OSB_SHEET, clip_cell, output_workbook, unique_sheet_name
from .list_sheet import SKIP, Cell, ListSheet, columns_of, form_headers, list_formats
from .palette import GREEN, HINT_FONT, RED, TO_FILL
from .records import ProblemView

FORM_KEY = "problem_log"
# catalogue keys (forms.toml `problem_log`), in the order of the columns
KEYS = ("problem_no", "opened_on", "area", "order_no", "delivery_note_no", "responsible", "description",
        "status", "explanation", "resolved_by", "resolved_at")
STATUS_LABEL = {"zh": {"open": "未解决", "resolved": "已解决"}, "en": {"open": "open", "resolved": "resolved"}}
RESPONSIBLE_LABEL = {
    "zh": {"SSG": "销售部秘书组", "SLT": "销售领导小组", "warehouse": "储运部", "finance": "财务部"},
    "en": {"SSG": "SSG", "SLT": "SLT", "warehouse": "Warehouse", "finance": "Finance"},
}
TEXT = {
    "zh": {"title": "OSB问题记录表", "sheet": "问题记录", "none": "没有未解决的OSB问题", "total": "合计",
           "hint": "黄色单元格请责任部门填写书面说明，并通过“问题处理反馈”表交回。"},
    "en": {"title": "OSB problem log", "sheet": "Problems", "none": "No open OSB problems", "total": "Total",
           "hint": "Responsible departments: fill the yellow cells and return them on a problem-updates form."},
}
MAX_WIDTH = {"problem_no": 12, "opened_on": 12, "area": 20, "order_no": 22, "delivery_note_no": 22,
             "responsible": 16, "description": 50, "status": 10, "explanation": 44, "resolved_by": 12,
             "resolved_at": 18}
MIN_WIDTH = {"opened_on": 12, "resolved_at": 17, "description": 30, "explanation": 30}
WRAPPED = {"description", "explanation"}
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
FORMATS = {
    "number": {"valign": "top", "align": "left", "num_format": "0"},
    "date": {"valign": "top", "align": "left", "num_format": DATE},
    "stamp": {"valign": "top", "align": "left", "num_format": DATETIME},
    "to_fill": {"valign": "top", "text_wrap": True, **TO_FILL},
    "red": RED, "green": GREEN, "red_bold": {**RED, "bold": True}, "green_bold": {**GREEN, "bold": True},
    "hint": {"italic": True, "font_color": HINT_FONT},
}


def write_problem_log(problems: Sequence[ProblemView], path: str | Path, *, business_date: dt.date,
                      lang: str = "zh", version: str) -> None:
    """Write the problem log to ``path`` (under a temporary name, renamed when complete)."""
    lang = "en" if lang == "en" else "zh"
    text = TEXT[lang]
    ordered = sorted(problems, key=lambda p: (p.status != "open", p.problem_no))
    with output_workbook(path, FORM_KEY, version, KEYS) as wb:
        _write_sheet(wb, unique_sheet_name(text["sheet"], {OSB_SHEET.casefold()}), ordered, lang,
                     f"{text['title']} {business_date.isoformat()}")


def _write_sheet(wb, name: str, problems: Sequence[ProblemView], lang: str, title: str) -> None:
    formats = list_formats(wb, FORMATS)
    columns = columns_of(KEYS, form_headers(FORM_KEY, KEYS, lang), MAX_WIDTH, MIN_WIDTH, {k: "wrap" for k in WRAPPED})
    sheet = ListSheet(wb.add_worksheet(name), formats, columns)
    sheet.title(title)
    _write_tally(sheet, problems, lang)
    sheet.header()
    for p in problems:
        sheet.add_row(_cells(p, lang))
    sheet.finish()
    col = sheet.index("status")
    status = STATUS_LABEL[lang]
    for label, fmt in ((status["open"], "red"), (status["resolved"], "green")):
        sheet.highlight(col, col, {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": formats[fmt]})


def _cells(p: ProblemView, lang: str) -> list[Cell]:
    texts = {
        "area": area_label(p.area, lang), "order_no": p.order_no, "delivery_note_no": p.note_no,
        "responsible": RESPONSIBLE_LABEL[lang].get(p.responsible, p.responsible),
        "description": problem_text(p.rule, dict(p.params), lang) or p.what, "status": STATUS_LABEL[lang].get(p.status, p.status),
        "explanation": p.explanation, "resolved_by": p.resolved_by,
    }
    cells = []
    for key in KEYS:
        if key == "problem_no":
            cells.append(Cell(p.problem_no, "number", str(p.problem_no)))
        elif key == "opened_on":
            cells.append(Cell(p.opened_on, "date", ""))
        elif key == "resolved_at":
            cells.append(SKIP if p.resolved_at is None else Cell(p.resolved_at.replace(tzinfo=None), "stamp", ""))
        elif key == "explanation" and p.status == "open":   # the department fills it
            cells.append(Cell(clip_cell(texts[key]) or None, "to_fill", clip_cell(texts[key])))
        else:
            cells.append(Cell(clip_cell(texts[key]), "wrap" if key in WRAPPED else "text"))
    return cells


def _write_tally(sheet: ListSheet, problems: Sequence[ProblemView], lang: str) -> None:
    """Row 2: open, resolved and all problems, and a hint for the departments (or that none is open)."""
    text, status = TEXT[lang], STATUS_LABEL[lang]
    n_open = sum(1 for p in problems if p.status == "open")
    col = sheet.tally([(status["open"], "red_bold", n_open), (status["resolved"], "green_bold", len(problems) - n_open),
                       (text["total"], "count", len(problems))])
    if n_open:
        sheet.note(text["hint"], col, "hint")
    else:
        sheet.note(text["none"], col)


__all__ = ["write_problem_log", "KEYS", "STATUS_LABEL"]
