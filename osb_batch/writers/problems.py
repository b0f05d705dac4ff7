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

from .common import OSB_SHEET, clip_cell, column_width, output_workbook, print_list
from .exceptions import unique_sheet_name
from .records import ProblemView

FORM_KEY = "problem_log"
# catalogue keys (forms.toml `problem_log`), in the order of the columns
KEYS = ("problem_no", "opened_on", "area", "order_no", "delivery_note_no", "responsible", "description",
        "status", "explanation", "resolved_by", "resolved_at")
HEADERS = {
    "zh": ("问题编号", "发生日期", "领域", "订单号", "送货单号", "责任部门", "问题描述", "状态", "书面说明",
           "处理人", "解决时间"),
    "en": ("Problem number", "Opened on", "Area", "Order number", "Delivery note number", "Responsible",
           "Description", "Status", "Written explanation", "Resolved by", "Resolved at"),
}
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
MAX_WIDTH = {"problem_no": 12, "opened_on": 12, "area": 8, "order_no": 22, "delivery_note_no": 22,
             "responsible": 16, "description": 50, "status": 10, "explanation": 44, "resolved_by": 12,
             "resolved_at": 18}
MIN_WIDTH = {"opened_on": 12, "resolved_at": 17, "description": 30, "explanation": 30}
WRAPPED = {"description", "explanation"}
HEADER_ROW = 2                  # 0-based: title, totals, header
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
GREEN = {"bg_color": "#C6EFCE", "font_color": "#006100"}
TO_FILL = {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BF8F00"}


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
    ws = wb.add_worksheet(name)
    text = TEXT[lang]
    status = STATUS_LABEL[lang]
    headers = HEADERS[lang]
    last_col = len(KEYS) - 1
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    header_fmt = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                "valign": "vcenter"})
    count = wb.add_format({"bold": True, "align": "left"})
    plain = wb.add_format({"valign": "top"})
    wrap = wb.add_format({"valign": "top", "text_wrap": True})
    number = wb.add_format({"valign": "top", "align": "left", "num_format": "0"})
    date = wb.add_format({"valign": "top", "align": "left", "num_format": DATE})
    stamp = wb.add_format({"valign": "top", "align": "left", "num_format": DATETIME})
    to_fill = wb.add_format({"valign": "top", "text_wrap": True, **TO_FILL})
    red, green = wb.add_format(RED), wb.add_format(GREEN)

    ws.write_string(0, 0, clip_cell(title), title_fmt)
    n_open = sum(1 for p in problems if p.status == "open")
    ws.write_string(1, 0, status["open"], wb.add_format({**RED, "bold": True}))
    ws.write_number(1, 1, n_open, count)
    ws.write_string(1, 2, status["resolved"], wb.add_format({**GREEN, "bold": True}))
    ws.write_number(1, 3, len(problems) - n_open, count)
    ws.write_string(1, 4, text["total"], count)
    ws.write_number(1, 5, len(problems), count)
    if n_open:
        ws.write_string(1, 6, text["hint"], wb.add_format({"italic": True, "font_color": "#7F6000"}))
    else:
        ws.write_string(1, 6, text["none"], count)

    for c, head in enumerate(headers):
        ws.write_string(HEADER_ROW, c, head, header_fmt)
    shown: list[list[str]] = []
    for r, p in enumerate(problems, start=HEADER_ROW + 1):
        is_open = p.status == "open"
        texts = {
            "area": p.area, "order_no": p.order_no, "delivery_note_no": p.note_no,
            "responsible": RESPONSIBLE_LABEL[lang].get(p.responsible, p.responsible),
            "description": p.what, "status": status.get(p.status, p.status),
            "explanation": p.explanation, "resolved_by": p.resolved_by,
        }
        row = []
        for c, key in enumerate(KEYS):
            if key == "problem_no":
                ws.write_number(r, c, p.problem_no, number)
                row.append(str(p.problem_no))
            elif key == "opened_on":
                ws.write_datetime(r, c, p.opened_on, date)
                row.append("")
            elif key == "resolved_at":
                if p.resolved_at is not None:
                    ws.write_datetime(r, c, p.resolved_at.replace(tzinfo=None), stamp)
                row.append("")
            else:
                value = clip_cell(texts[key])
                row.append(value)
                fmt = to_fill if key == "explanation" and is_open else wrap if key in WRAPPED else plain
                if value:
                    ws.write_string(r, c, value, fmt)
                elif fmt is to_fill:
                    ws.write_blank(r, c, None, fmt)
        shown.append(row)

    last_row = HEADER_ROW + len(shown)
    for c, key in enumerate(KEYS):
        width = max(column_width(headers[c], (v[c] for v in shown), MAX_WIDTH[key]), MIN_WIDTH.get(key, 0))
        ws.set_column(c, c, width, wrap if key in WRAPPED else None)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.autofilter(HEADER_ROW, 0, max(last_row, HEADER_ROW), last_col)
    if shown:
        col = KEYS.index("status")
        for label, fmt in ((status["open"], red), (status["resolved"], green)):
            ws.conditional_format(HEADER_ROW + 1, col, last_row, col, {
                "type": "cell", "criteria": "==", "value": f'"{label}"', "format": fmt})
    print_list(ws, header_row=HEADER_ROW)


__all__ = ["write_problem_log", "KEYS", "HEADERS", "STATUS_LABEL"]
