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

from .common import OSB_SHEET, clip_cell, column_width, output_workbook, print_list
from .exceptions import unique_sheet_name
from .records import KpiFigure

FORM_KEY = "kpi"
# catalogue keys (forms.toml `kpi`), in the order of the columns
AMOUNT_KPI = "bc_5day"          # its numerator and denominator are money, not counts
KEYS = ("month", "area", "indicator", "target", "actual", "numerator", "denominator", "status", "remark")
HEADERS = {
    "zh": ("月份", "领域", "指标", "目标值", "实际值", "达标数", "总数", "是否达标", "备注"),
    "en": ("Month", "Area", "Indicator", "Target", "Actual", "Numerator", "Denominator", "Met", "Remark"),
}
KPI_ORDER = ("op_same_day", "sp_24h", "sp_accuracy", "bc_5day")
AREAS = ("OP", "SP", "BC")
TEXT = {
    "zh": {"title": "OSB指标", "sheet": "OSB指标", "met": "✓ 达标", "missed": "✗ 未达标", "no_data": "本月无数据", "amounts": "达标数、总数为金额（元）",
           "none": "暂无指标数据", "n_met": "达标", "n_missed": "未达标", "n_empty": "无数据",
           "target_series": "目标值", "actual_series": "实际值"},
    "en": {"title": "OSB KPIs", "sheet": "KPIs", "met": "✓ met", "missed": "✗ missed", "no_data": "no data", "amounts": "met and total are amounts (CNY)",
           "none": "No KPI figures yet", "n_met": "met", "n_missed": "missed", "n_empty": "no data",
           "target_series": "Target", "actual_series": "Actual"},
}
MAX_WIDTH = {"month": 10, "area": 8, "indicator": 30, "target": 10, "actual": 10, "numerator": 14,
             "denominator": 14, "status": 12, "remark": 30}
HEADER_ROW = 2                  # 0-based: title, latest month's tally, header
PERCENT = '0.0"%"'   # values are written in percentage points, so every client reads the same number
RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
GREEN = {"bg_color": "#C6EFCE", "font_color": "#006100"}
ACTUAL_COLOUR = "#2F5597"
TARGET_COLOUR = "#C00000"
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
    ws = wb.add_worksheet(name)
    text = TEXT[lang]
    headers = HEADERS[lang]
    last_col = len(KEYS) - 1
    fmt = _formats(wb)
    ws.write_string(0, 0, clip_cell(title), fmt["title"])
    for c, head in enumerate(headers):
        ws.write_string(HEADER_ROW, c, head, fmt["header"])

    shown: list[list[str]] = []
    blocks: list[tuple[int, int, bool]] = []         # (first row, last row, every ratio <= 100 %)
    latest = months[-1] if months else ""
    tally = {"met": 0, "missed": 0, "empty": 0}
    r = HEADER_ROW + 1
    for per_month in by_kpi.values():
        newest = per_month[max(per_month)]
        first = r
        for month in months:
            f = per_month.get(month)
            value = f.value if f else None
            target = f.target if f else newest.target
            met = f.met if f else None
            if month == latest:
                tally["empty" if met is None else "met" if met else "missed"] += 1
            row = [month, _area(newest.key), newest.name if f is None else f.name,
                   f"{target:.1%}", "" if value is None else f"{value:.1%}",
                   _number_text(f.numerator) if f else "", _number_text(f.denominator) if f else "",
                   "" if met is None else text["met" if met else "missed"],
                   text["no_data"] if value is None else text["amounts"] if newest.key == AMOUNT_KPI else ""]
            for c, key in enumerate(KEYS):
                if key == "target":
                    ws.write_number(r, c, float(target * 100), fmt["percent"])
                elif key == "actual":
                    if value is None:
                        ws.write_blank(r, c, None, fmt["percent"])
                    else:
                        ws.write_number(r, c, float(value * 100), fmt["percent_red" if met is False else "percent"])
                elif key in ("numerator", "denominator"):
                    if f is not None:
                        number = f.numerator if key == "numerator" else f.denominator
                        ws.write_number(r, c, float(number), fmt["int" if number == number.to_integral_value()
                                                                 else "decimal"])
                elif key == "status":
                    if met is not None:
                        ws.write_string(r, c, row[c], fmt["met" if met else "missed"])
                elif row[c]:
                    ws.write_string(r, c, clip_cell(row[c]), fmt["wrap" if key == "indicator" else "text"])
            shown.append(row)
            r += 1
        ratios = [f.value for f in per_month.values() if f.value is not None] + \
            [f.target for f in per_month.values()]
        blocks.append((first, r - 1, max(ratios) <= 1))

    if months:
        ws.write_string(1, 0, latest, fmt["bold"])
        col = 1
        for key, style in (("missed", "missed_bold"), ("met", "met_bold"), ("empty", "bold")):
            ws.write_string(1, col, text[f"n_{key}"], fmt[style])
            ws.write_number(1, col + 1, tally[key], fmt["count"])
            col += 2
    else:
        ws.write_string(1, 0, text["none"], fmt["bold"])

    last_row = HEADER_ROW + len(shown)
    for c, key in enumerate(KEYS):
        width = column_width(headers[c], (v[c] for v in shown), MAX_WIDTH[key])
        ws.set_column(c, c, width, fmt["wrap"] if key == "indicator" else None)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.autofilter(HEADER_ROW, 0, max(last_row, HEADER_ROW), last_col)

    for i, (first, last, bounded) in enumerate(blocks):
        ws.insert_chart(HEADER_ROW + 1 + i * CHART_ROWS, last_col + 2, _chart(wb, name, first, last, bounded),
                        {"x_offset": 8, "y_offset": 4, "object_position": 1})
    print_list(ws, header_row=HEADER_ROW)


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
        "line": {"color": ACTUAL_COLOUR, "width": 2.25},
        "marker": {"type": "circle", "size": 6, "border": {"color": ACTUAL_COLOUR},
                   "fill": {"color": ACTUAL_COLOUR}},
    } | ({} if dense else {"data_labels": {"value": True, "num_format": PERCENT, "position": "above"}}))
    chart.add_series({
        "name": [sheet, HEADER_ROW, target], "categories": categories,
        "values": [sheet, first, target, last, target],
        "line": {"color": TARGET_COLOUR, "width": 1.5, "dash_type": "dash"},
        "marker": {"type": "none"},
    })
    chart.set_title({"name": [sheet, first, indicator], "name_font": {"size": 12, "bold": True}})
    chart.set_y_axis({"num_format": '0"%"', "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
                     | ({"max": 100} if bounded else {}))
    if dense:
        chart.set_x_axis({"num_font": {"rotation": -45}})
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("gap")
    chart.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
    return chart


def _number_text(number: Decimal) -> str:
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"


def _formats(wb) -> dict:
    top = {"valign": "top"}
    return {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "header": wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                 "valign": "vcenter"}),
        "bold": wb.add_format({"bold": True, "align": "left"}),
        "count": wb.add_format({"bold": True, "align": "left"}),
        "text": wb.add_format(top),
        "wrap": wb.add_format({**top, "text_wrap": True}),
        "percent": wb.add_format({**top, "num_format": PERCENT}),
        "percent_red": wb.add_format({**top, **RED, "num_format": PERCENT}),
        "int": wb.add_format({**top, "num_format": "#,##0"}),
        "decimal": wb.add_format({**top, "num_format": "#,##0.00"}),
        "met": wb.add_format({**top, **GREEN}),
        "missed": wb.add_format({**top, **RED, "bold": True}),
        "met_bold": wb.add_format({**GREEN, "bold": True}),
        "missed_bold": wb.add_format({**RED, "bold": True}),
    }


__all__ = ["write_kpi", "KEYS", "HEADERS", "KPI_ORDER"]
