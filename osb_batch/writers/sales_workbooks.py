"""The sales workbooks of a period: one per standard form for SLT and SSG, and one per MM, UM and
KAM holding their scope's sheets of the same forms.

National: ``销售情况月统计表-2026-11.xlsx`` (and 区域销售情况统计表, 销售员工作月统计表,
经销商进货情况统计表, 每月经销商管理汇总表 for a month; 销售情况周统计表 and 销售员工作周统计表 for a
week; the monthly layouts named 季 for a quarter), each under its form key, the first two with the
chart sheet. Scoped: ``销售业绩-2026-11-华东-张伟.xlsx`` (the market, the region, or only the KAM's
name), form key ``sales_scoped``; a month's copy goes back through the inbox as its
经销商进货情况统计表 (the other sheets are marked for reading only).
Sheets are written row by row, so that a big period can be streamed (``constant_memory``): a month
may have hundreds of thousands of dealer rows. A period of at most :data:`STREAM_ROWS` rows is kept in
memory instead: streaming costs temporary files per sheet and part, several times the writing itself
for the ~50 small workbooks of a usual period.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from osb_batch import catalogue

from .common import atomic_path, new_workbook, safe_name, write_osb_sheet
from .dealer_sheets import purchases_sheet, summary_sheet
from .sales_charts import NAME as CHARTS
from .sales_charts import chart_sheet
from .sales_records import Context, Copy, View
from .sales_sheets import FORMS, lines_sheet, people_sheet, regions_sheet, text

SCOPED_FORM = "sales_scoped"
SCOPED_NAME = ("销售业绩", "Sales performance")
#: A quarter is shown in the monthly layouts, named as a quarter's.
QUARTER_NAMES = {"monthly_sales_stats": ("销售情况季统计表", "Quarterly sales statistics"),
                 "salesperson_monthly_stats": ("销售员工作季统计表", "Salesperson quarterly statistics")}
#: The forms with the chart sheet in their national workbook.
CHARTED = ("lines", "regions")
#: More rows than this (all tables of the figures together) and the sheets are streamed.
STREAM_ROWS = 5_000


def tables(kind: str) -> list[tuple[str, str, Callable]]:
    """(table, form key, sheet writer) of the standard forms of a period kind, in the order they are written."""
    found = [(table, FORMS[table][kind], writer) for table, writer in
             (("lines", lines_sheet), ("regions", regions_sheet), ("people", people_sheet)) if kind in FORMS[table]]
    if kind == "month":
        found += [("purchases", "dealer_purchase_stats", purchases_sheet),
                  ("dealers", "dealer_monthly_summary", summary_sheet)]
    return found


def form_name(ctx: Context, form_key: str) -> str:
    """The form's name in the workbook's language (a quarter's own name for the monthly layouts)."""
    if ctx.kind == "quarter" and form_key in QUARTER_NAMES:
        return text(ctx, QUARTER_NAMES[form_key])
    form = catalogue.load()[form_key]
    return form.en if ctx.lang == "en" else form.zh


def write_national(ctx: Context, view: View, folder: Path, version: str) -> list[tuple[Path, str]]:
    """One workbook per standard form: ``销售情况月统计表-2026-11.xlsx`` under its form key."""
    written = []
    for table, form_key, writer in tables(ctx.kind):
        path = folder / f"{safe_name(form_name(ctx, form_key))}-{safe_name(ctx.label)}.xlsx"
        with atomic_path(path) as tmp:
            wb = new_workbook(tmp, constant_memory=_streamed(view.figures))
            try:
                sheet = writer(wb, ctx, view.figures, form_name(ctx, form_key)[:31])
                shown = [chart_sheet(wb, ctx, view, text(ctx, CHARTS))] if table in CHARTED else []
                write_osb_sheet(wb, form_key, version, sheet.keys, fill=_fill(sheet), shown=shown)
                wb.worksheets()[0].activate()
            finally:
                wb.close()
        written.append((path, form_key))
    return written


def scoped_name(ctx: Context, copy: Copy) -> str:
    """``销售业绩-2026-11-华东-张伟.xlsx``; a KAM's scope is their own name: ``销售业绩-2026-11-王敏.xlsx``."""
    parts = [text(ctx, SCOPED_NAME), ctx.label, *dict.fromkeys((copy.label, copy.person))]
    return "-".join(safe_name(p, 40) for p in parts) + ".xlsx"


def write_scoped(ctx: Context, copy: Copy, folder: Path, version: str) -> tuple[Path, str]:
    """The person's workbook: a sheet per standard form holding their scope only, and the charts."""
    path = folder / scoped_name(ctx, copy)
    suffix = f" {copy.label}" if copy.label == copy.person else f" {copy.label} {copy.person}"
    figures = copy.view.figures
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp, constant_memory=_streamed(figures))
        try:
            sheets = []
            for table, form_key, writer in tables(ctx.kind):
                if table == "regions" and not figures.regions:
                    continue
                sheets.append((form_key, writer(wb, ctx, figures, form_name(ctx, form_key)[:31], suffix)))
            charts = chart_sheet(wb, ctx, copy.view, text(ctx, CHARTS))
            form_key, returned = next((s for s in sheets if s[0] == "dealer_purchase_stats"), sheets[0])
            shown = [s.ws.name for _, s in sheets if s is not returned] + [charts]
            write_osb_sheet(wb, form_key, version, returned.keys, fill=_fill(returned), shown=shown)
            wb.worksheets()[0].activate()
        finally:
            wb.close()
    return path, SCOPED_FORM


def _streamed(figures) -> bool:
    """Whether the figures are too many rows to keep a workbook of them in memory."""
    tables = (figures.lines, figures.markets, figures.regions, figures.people, figures.dealer_products,
              figures.dealers)
    return sum(map(len, tables)) > STREAM_ROWS


def _fill(sheet) -> set[str]:
    return {c.key for c in sheet.columns if c.fill}
