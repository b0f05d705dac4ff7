"""营销费用预算执行表: the marketing budget against what was committed and claimed.

Five list sheets: the month and the year to date (market × expense type: budget, committed,
claimed, remaining, used %, over budget in red), the stale requests (approved long ago, never
claimed), the evaluation (each request naming a customer: its sales after against before) and
the expense rates (per market, expenses ÷ sales, month and year to date). The records carry the
markets and expense types already named in the workbook's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .common import OSB_SHEET, lang_key, output_workbook, unique_sheet_name
from .list_sheet import Cell, Column, ListSheet, list_formats
from .palette import RED

FORM_KEY = "budget_execution"


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """One market and expense type of the month or the year to date."""

    market: str
    expense_type: str
    budget: Decimal
    committed: Decimal
    claimed: Decimal
    remaining: Decimal
    used: Decimal | None            # (committed + claimed) ÷ budget
    over_budget: bool


@dataclass(frozen=True, slots=True)
class StaleLine:
    request_no: str
    request_date: dt.date
    applicant: str
    market: str
    expense_type: str
    amount: Decimal
    days: int                       # since the request, at the month's end


@dataclass(frozen=True, slots=True)
class EffectLine:
    request_no: str
    customer_code: str
    market: str
    planned: dt.date
    before: Decimal
    after: Decimal
    change: Decimal | None          # after ÷ before - 1


@dataclass(frozen=True, slots=True)
class RateLine:
    scope: str                      # month | ytd
    market: str
    expenses: Decimal
    sales: Decimal
    rate: Decimal | None


@dataclass(frozen=True, slots=True)
class BudgetBook:
    """Everything the workbook shows for one month."""

    month: str
    end: dt.date
    month_lines: Sequence[BudgetLine]
    ytd_lines: Sequence[BudgetLine]
    stale: Sequence[StaleLine]
    effects: Sequence[EffectLine]
    rates: Sequence[RateLine]
    stale_days: int
    evaluation_days: int


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
           "evaluation": "效果评估", "rates": "费用率", "over": "超预算", "none": "无", "n_over": "超预算",
           "stale_note": "已批准超过 {days} 天仍未报销的费用申请",
           "evaluation_note": "客户在计划日期之后与之前各 {days} 天的销售额（截至 {end}）"},
    "en": {"title": "Marketing budget execution", "month": "Month", "ytd": "Year to date", "stale": "Stale requests",
           "evaluation": "Evaluation", "rates": "Expense rates", "over": "over budget", "none": "none",
           "n_over": "over budget", "stale_note": "Approved requests not claimed after {days} days",
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
class _Sheet:
    kind: str                        # of HEADERS
    name: str
    rows: Sequence[Sequence[Cell]]
    note: str = ""
    over: int | None = None          # the count of over-budget rows shown on row 2


def _money(amount: Decimal, red: bool = False) -> Cell:
    return Cell(float(amount), "money_red" if red else "money", f"{amount:,.2f}")


def _percent(value: Decimal | None, red: bool = False) -> Cell:
    if value is None:
        return Cell(None, "percent", "")
    return Cell(float(value * 100), "percent_red" if red else "percent", f"{value:.1%}")


def _date(day: dt.date) -> Cell:
    return Cell(day, "date", day.isoformat())


def _execution(lines: Sequence[BudgetLine], lang: str) -> list[list[Cell]]:
    return [[Cell(b.market), Cell(b.expense_type), _money(b.budget), _money(b.committed), _money(b.claimed),
             _money(b.remaining, b.over_budget), _percent(b.used, b.over_budget),
             Cell(TEXT[lang]["over"], "red") if b.over_budget else Cell("")] for b in lines]


def _sheets(book: BudgetBook, lang: str) -> list[_Sheet]:
    text = TEXT[lang]
    stale = [[Cell(s.request_no), _date(s.request_date), Cell(s.applicant), Cell(s.market), Cell(s.expense_type),
              _money(s.amount), Cell(s.days, "int")] for s in book.stale]
    effects = [[Cell(e.request_no), Cell(e.customer_code), Cell(e.market), _date(e.planned), _money(e.before),
                _money(e.after), _percent(e.change, e.change is not None and e.change < 0)] for e in book.effects]
    rates = [[Cell(text[r.scope]), Cell(r.market), _money(r.expenses), _money(r.sales), _percent(r.rate)]
             for r in book.rates]
    return [
        _Sheet("execution", "month", _execution(book.month_lines, lang),
               over=sum(b.over_budget for b in book.month_lines)),
        _Sheet("execution", "ytd", _execution(book.ytd_lines, lang), over=sum(b.over_budget for b in book.ytd_lines)),
        _Sheet("stale", "stale", stale, text["stale_note"].format(days=book.stale_days)),
        _Sheet("evaluation", "evaluation", effects,
               text["evaluation_note"].format(days=book.evaluation_days, end=book.end.isoformat())),
        _Sheet("rates", "rates", rates),
    ]


def write_budget(book: BudgetBook, path: str | Path, *, lang: str, version: str) -> None:
    """Write the workbook to ``path`` (under a temporary name, renamed when complete)."""
    lang = lang_key(lang)
    text = TEXT[lang]
    taken = {OSB_SHEET.casefold()}
    with output_workbook(path, FORM_KEY, version, ()) as wb:
        formats = list_formats(wb, FORMATS)
        for sheet in _sheets(book, lang):
            columns = [Column(f"c{i}", header, cap) for i, (header, cap) in
                       enumerate(zip(HEADERS[sheet.kind][lang], CAPS[sheet.kind], strict=True))]
            ws = ListSheet(wb.add_worksheet(unique_sheet_name(text[sheet.name], taken)), formats, columns)
            ws.title(f"{text['title']} {book.month} {text[sheet.name]}")
            if sheet.over is not None:
                ws.tally([(text["n_over"], "red_bold" if sheet.over else "count", sheet.over)])
            elif sheet.note:
                ws.note(sheet.note)
            ws.header()
            for row in sheet.rows:
                ws.add_row(row)
            if not sheet.rows and sheet.over is None:
                ws.add_row([Cell(text["none"])])
            ws.finish()
