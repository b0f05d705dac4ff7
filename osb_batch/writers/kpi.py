"""The OSB KPIs (OSB指标): each KPI month by month against its target, with a trend chart.

One sheet: the table has one row per KPI and month (KPIs in a fixed order, months ascending, every
month of the workbook shown for every KPI), the value as a percentage, the target, numerator and
denominator, and ✓/✗ (red when the target is missed). A month without data shows a blank value,
never 0 %. Beside the table, one native Excel line chart per KPI shows the monthly values against
the target line; charts reference the table's cells, so they follow what the table says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from osb_batch.messages import area_label, kpi_name

from .common import OSB_SHEET, output_workbook, unique_sheet_name
from .list_sheet import HEADER_ROW, SKIP, Cell, ListSheet, columns_of, form_headers, list_formats
from .palette import CHART_ACTUAL, CHART_TARGET, GREEN, GRIDLINE_GREY, RED
from .records import KpiFigure

FORM_KEY = "kpi"
# catalogue keys (forms.toml `kpi`), in the order of the columns
AMOUNT_KPI = "bc_5day"          # its numerator and denominator are money, not counts
KEYS = ("month", "area", "indicator", "target", "actual", "numerator", "denominator", "met_amount", "due_amount",
        "status", "remark")
KPI_ORDER = ("op_same_day", "sp_24h", "sp_accuracy", "bc_5day")
AREAS = ("OP", "SP", "BC")
TEXT = {
    "zh": {"title": "OSB指标", "sheet": "OSB指标", "met": "✓ 达标", "missed": "✗ 未达标", "no_data": "本月无数据",
           "none": "暂无指标数据", "n_met": "达标", "n_missed": "未达标", "n_empty": "无数据",
           "target_series": "目标值", "actual_series": "实际值"},
    "en": {"title": "OSB KPIs", "sheet": "KPIs", "met": "✓ met", "missed": "✗ missed", "no_data": "no data",
           "none": "No KPI figures yet", "n_met": "met", "n_missed": "missed", "n_empty": "no data",
           "target_series": "Target", "actual_series": "Actual"},
}
MAX_WIDTH = {"month": 10, "area": 22, "indicator": 30, "target": 10, "actual": 10, "numerator": 14,
             "denominator": 14, "met_amount": 16, "due_amount": 16, "status": 12, "remark": 30}
PERCENT = '0.0"%"'   # values are written in percentage points, so every client reads the same number
_TOP = {"valign": "top"}
FORMATS = {
    "bold": {"bold": True, "align": "left"},
    "percent": {**_TOP, "num_format": PERCENT},
    "percent_red": {**_TOP, **RED, "num_format": PERCENT},
    "int": {**_TOP, "num_format": "#,##0"},
    "decimal": {**_TOP, "num_format": "#,##0.00"},
    "met": {**_TOP, **GREEN},
    "missed": {**_TOP, **RED, "bold": True},
    "met_bold": {**GREEN, "bold": True},
    "missed_bold": {**RED, "bold": True},
}
CHART_SIZE = (520, 280)         # pixels
CHART_ROWS = 15                 # rows one chart takes, stacked beside the table


def write_kpi(figures: Sequence[KpiFigure], path: str | Path, *, business_date: dt.date,
              lang: str = "zh", version: str) -> None:
    """Write the KPI workbook to ``path`` (under a temporary name, renamed when complete).

    Raises ``ValueError`` when two figures have the same KPI and month.
    """
    lang = "en" if lang == "en" else "zh"
    text = TEXT[lang]
    by_kpi, months = _table(figures)
    with output_workbook(path, FORM_KEY, version, KEYS) as wb:
        name = unique_sheet_name(text["sheet"], {OSB_SHEET.casefold()})
        _write_sheet(wb, name, by_kpi, months, lang, f"{text['title']} {business_date.isoformat()}")


def _table(figures: Sequence[KpiFigure]) -> tuple[dict[str, dict[str, KpiFigure]], list[str]]:
    by_kpi: dict[str, dict[str, KpiFigure]] = {}
    for f in figures:
        per_month = by_kpi.setdefault(f.key, {})
        if f.month in per_month:
            raise ValueError(f"two KPI figures for {f.key} in {f.month}")
        per_month[f.month] = f
    order = {k: i for i, k in enumerate(KPI_ORDER)}
    keys = sorted(by_kpi, key=lambda k: order.get(k, len(order)))     # stable: others as given
    months = sorted({f.month for f in figures})
    return {k: by_kpi[k] for k in keys}, months


def _area(key: str) -> str:
    area = key.split("_", 1)[0].upper()
    return area if area in AREAS else ""


def _write_sheet(wb, name: str, by_kpi: dict[str, dict[str, KpiFigure]], months: list[str], lang: str,
                 title: str) -> None:
    formats = list_formats(wb, FORMATS)
    sheet = ListSheet(wb.add_worksheet(name), formats,
                      columns_of(KEYS, form_headers(FORM_KEY, KEYS, lang), MAX_WIDTH, styles={"indicator": "wrap"}))
    sheet.title(title)
    sheet.header()
    blocks: list[tuple[int, int, bool]] = []         # (first row, last row, every ratio <= 100 %)
    latest = months[-1] if months else ""
    tally = {"met": 0, "missed": 0, "empty": 0}
    for per_month in by_kpi.values():
        first = sheet.last + 1
        for month in months:
            f = per_month.get(month)
            sheet.add_row(_cells(per_month, month, lang))
            if month == latest:
                tally["empty" if f is None or f.met is None else "met" if f.met else "missed"] += 1
        ratios = [f.value for f in per_month.values() if f.value is not None] + \
            [f.target for f in per_month.values()]
        blocks.append((first, sheet.last, max(ratios) <= 1))
    _write_tally(sheet, latest, tally, lang)
    sheet.finish()
    for i, (first, last, bounded) in enumerate(blocks):
        sheet.ws.insert_chart(HEADER_ROW + 1 + i * CHART_ROWS, sheet.last_col + 2,
                              _chart(wb, name, first, last, bounded),
                              {"x_offset": 8, "y_offset": 4, "object_position": 1})


def _cells(per_month: dict[str, KpiFigure], month: str, lang: str) -> list[Cell]:
    """One KPI's row for ``month``; a month without a figure shows the newest target and no value."""
    text = TEXT[lang]
    newest = per_month[max(per_month)]
    f = per_month.get(month)
    value = f.value if f else None
    target = f.target if f else newest.target
    met = f.met if f else None
    remark = text["no_data"] if value is None else ""
    # counts and yuan in columns of their own: a KPI fills the pair its numbers are
    counts = [SKIP] * 4 if f is None else [SKIP, SKIP, _yuan(f.numerator), _yuan(f.denominator)] \
        if f.key == AMOUNT_KPI else [_count(f.numerator), _count(f.denominator), SKIP, SKIP]
    return [
        Cell(month), Cell(area_label(_area(newest.key), lang)),
        Cell(kpi_name(newest.key, newest.name if f is None else f.name, lang), "wrap"),
        Cell(float(target * 100), "percent", f"{target:.1%}"),
        Cell(None, "percent", "") if value is None else
        Cell(float(value * 100), "percent_red" if met is False else "percent", f"{value:.1%}"),
        *counts,
        SKIP if met is None else Cell(text["met" if met else "missed"], "met" if met else "missed"),
        Cell(remark),
    ]


def _count(number: Decimal) -> Cell:
    whole = number == number.to_integral_value()
    return Cell(float(number), "int" if whole else "decimal", _number_text(number))


def _yuan(amount: Decimal) -> Cell:
    return Cell(float(amount), "decimal", f"{amount:,.2f}")


def _write_tally(sheet: ListSheet, latest: str, tally: dict[str, int], lang: str) -> None:
    """Row 2: the latest month and how many KPIs met, missed or had no data in it."""
    text = TEXT[lang]
    if not latest:
        sheet.note(text["none"], style="bold")
        return
    sheet.note(latest, style="bold")
    sheet.tally([(text[f"n_{key}"], style, tally[key])
                 for key, style in (("missed", "missed_bold"), ("met", "met_bold"), ("empty", "bold"))], first_col=1)


def _chart(wb, sheet: str, first: int, last: int, bounded: bool):
    """A line chart of one KPI's block of rows: the values and the target as a dashed line.

    The title and series names point at cells (the block's first indicator cell, the headers), so
    no text is ever parsed as a formula; ``bounded`` caps the value axis at 100 %."""
    dense = last - first >= 6
    month, target, actual, indicator = (KEYS.index(k) for k in ("month", "target", "actual", "indicator"))
    chart = wb.add_chart({"type": "line"})
    categories = [sheet, first, month, last, month]
    chart.add_series({
        "name": [sheet, HEADER_ROW, actual], "categories": categories,
        "values": [sheet, first, actual, last, actual],
        "line": {"color": CHART_ACTUAL, "width": 2.25},
        "marker": {"type": "circle", "size": 6, "border": {"color": CHART_ACTUAL},
                   "fill": {"color": CHART_ACTUAL}},
    } | ({} if dense else {"data_labels": {"value": True, "num_format": PERCENT, "position": "above"}}))
    chart.add_series({
        "name": [sheet, HEADER_ROW, target], "categories": categories,
        "values": [sheet, first, target, last, target],
        "line": {"color": CHART_TARGET, "width": 1.5, "dash_type": "dash"},
        "marker": {"type": "none"},
    })
    chart.set_title({"name": [sheet, first, indicator], "name_font": {"size": 12, "bold": True}})
    chart.set_y_axis({"num_format": '0"%"', "major_gridlines": {"visible": True, "line": {"color": GRIDLINE_GREY}}}
                     | ({"max": 100} if bounded else {}))
    if dense:
        chart.set_x_axis({"num_font": {"rotation": -45}})
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("gap")
    chart.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
    return chart


def _number_text(number: Decimal) -> str:
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"


__all__ = ["write_kpi", "KEYS", "KPI_ORDER"]
