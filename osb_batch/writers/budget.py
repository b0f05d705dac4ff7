"""营销费用预算执行表: the marketing budget against what was committed and claimed.

Five list sheets: the month and the year to date (market × expense type: budget, committed,
claimed, remaining, used %, over budget in red), the stale requests (approved long ago, never
claimed), the evaluation (each request naming a customer: its sales after against before) and
the expense rates (per market, expenses ÷ sales, month and year to date).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .common import OSB_SHEET, lang_key, output_workbook, unique_sheet_name
from .list_sheet import Cell, Column, ListSheet, list_formats
from .palette import RED

FORM_KEY = "budget_execution"
_TOP = {"valign": "top"}
FORMATS = {
    "money": {**_TOP, "num_format": "#,##0.00"},
    "money_red": {**_TOP, **RED, "num_format": "#,##0.00"},
    "percent": {**_TOP, "num_format": '0.0"%"'},
    "percent_red": {**_TOP, **RED, "num_format": '0.0"%"'},
    "int": {**_TOP, "num_format": "0"},
    "date": {**_TOP, "num_format": "yyyy-mm-dd"},
    "red": {**_TOP, **RED, "bold": True},
    "red_bold": {**RED, "bold": True},
}
TEXT = {
    "zh": {"title": "营销费用预算执行表", "month": "本月", "ytd": "本年累计", "stale": "长期未报销",
           "evaluation": "效果评估", "rates": "费用率", "over": "超预算", "within": "", "none": "无",
           "n_over": "超预算", "n_stale": "长期未报销", "stale_note": "已批准超过 {days} 天仍未报销的费用申请",
           "evaluation_note": "客户在计划日期之后与之前各 {days} 天的销售额（截至 {end}）"},
    "en": {"title": "Marketing budget execution", "month": "Month", "ytd": "Year to date", "stale": "Stale requests",
           "evaluation": "Evaluation", "rates": "Expense rates", "over": "over budget", "within": "", "none": "none",
           "n_over": "over budget", "n_stale": "stale", "stale_note": "Approved requests not claimed after {days} days",
           "evaluation_note": "The customer's sales in the {days} days from the planned date against the {days} "
                              "days before (up to {end})"},
}
HEADERS = {
    "execution": {"zh": ("市场", "费用类型", "预算", "已占用", "已报销", "剩余", "使用率", "状态"),
                  "en": ("Market", "Expense type", "Budget", "Committed", "Claimed", "Remaining", "Used",
                         "Status")},
    "stale": {"zh": ("申请单号", "申请日期", "申请人", "市场", "费用类型", "申请金额", "已过天数"),
              "en": ("Request", "Request date", "Applicant", "Market", "Expense type", "Amount", "Days")},
    "evaluation": {"zh": ("申请单号", "客户编码", "市场", "计划日期", "之前销售额", "之后销售额", "变化"),
                   "en": ("Request", "Customer", "Market", "Planned date", "Sales before", "Sales after", "Change")},
    "rates": {"zh": ("范围", "市场", "费用", "销售额", "费用率"),
              "en": ("Scope", "Market", "Expenses", "Sales", "Expense rate")},
}
CAPS = {"execution": (12, 14, 16, 16, 16, 16, 10, 10), "stale": (20, 12, 12, 12, 14, 16, 10),
        "evaluation": (20, 12, 12, 12, 16, 16, 10), "rates": (12, 12, 16, 18, 12)}


@dataclass(frozen=True, slots=True)
class Sheet:
    """One list sheet: its kind (of :data:`HEADERS`), name, title, note on row 2 and rows."""

    kind: str
    name: str
    title: str
    rows: Sequence[Sequence[Cell]]
    note: str = ""
    over: int | None = None          # the count of over-budget rows shown on row 2


def money(amount: Decimal, red: bool = False) -> Cell:
    return Cell(float(amount), "money_red" if red else "money", f"{amount:,.2f}")


def percent(value: Decimal | None, red: bool = False) -> Cell:
    if value is None:
        return Cell(None, "percent", "")
    return Cell(float(value * 100), "percent_red" if red else "percent", f"{value:.1%}")


def write_budget(sheets: Iterable[Sheet], path: str | Path, *, lang: str, version: str) -> None:
    """Write the workbook to ``path`` (under a temporary name, renamed when complete)."""
    lang = lang_key(lang)
    taken = {OSB_SHEET.casefold()}
    with output_workbook(path, FORM_KEY, version, ()) as wb:
        formats = list_formats(wb, FORMATS)
        for sheet in sheets:
            columns = [Column(f"c{i}", h, cap) for i, (h, cap) in
                       enumerate(zip(HEADERS[sheet.kind][lang], CAPS[sheet.kind], strict=True))]
            ws = ListSheet(wb.add_worksheet(unique_sheet_name(sheet.name, taken)), formats, columns)
            ws.title(sheet.title)
            if sheet.over is not None:
                ws.tally([(TEXT[lang]["n_over"], "red_bold" if sheet.over else "count", sheet.over)])
            elif sheet.note:
                ws.note(sheet.note)
            ws.header()
            for row in sheet.rows:
                ws.add_row(row)
            if not sheet.rows and sheet.over is None:
                ws.add_row([Cell(TEXT[lang]["none"])])
            ws.finish()
