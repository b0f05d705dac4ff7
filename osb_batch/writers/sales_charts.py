"""The chart sheet of the sales workbooks: achievement by market and by region (bars) and the
sales of the last 13 periods (a line), each drawn from a small table on the same sheet, so a
scoped workbook's charts hold its scope's figures only. The reader skips the sheet (``shown``)."""

from __future__ import annotations

from .form_sheet import Col, FormSheet
from .palette import CHART_ACTUAL, GRIDLINE_GREY
from .sales_records import Context, View
from .sales_sheets import note, text

NAME = ("图表", "Charts")
TITLES = {"markets": ("各市场完成率", "Achievement by market"), "regions": ("各区域完成率", "Achievement by region"),
          "trend": ("近{n}期销售趋势", "Sales of the last {n} periods")}
HEADERS = {"area": ("名称", "Name"), "target": ("目标金额", "Target"), "amount": ("销售金额", "Sales"),
           "achievement": ("完成率", "Achievement")}
CHART_SIZE = {"x_scale": 1.6, "y_scale": 1.2}


def chart_sheet(wb, ctx: Context, view: View, name: str) -> str:
    """Write the tables and charts; returns the sheet's name."""
    figures = view.figures
    keys = ("area", "target", "amount", "achievement")
    kinds = {"target": "money", "amount": "money", "achievement": "ratio"}
    columns = [_col(k, kinds.get(k, "text"), ctx) for k in keys]
    sheet = FormSheet(wb, name, columns, f"{text(ctx, NAME)} {ctx.label}", note(ctx))
    blocks = {}
    for block, rows in (("markets", [(ctx.market(r.market), r) for r in figures.markets]),
                        ("regions", [(r.region, r) for r in figures.regions])):
        ranked = [(label, row) for label, row in rows if row.achievement is not None]
        if not ranked:
            continue
        sheet.total([text(ctx, TITLES[block]), None, None, None])
        first = sheet.last + 1
        for label, row in ranked:
            sheet.row([label, row.target, row.amount, row.achievement])
        blocks[block] = (first, sheet.last)
    sheet.total([text(ctx, TITLES["trend"]).format(n=len(view.trend)), None, None, None])
    first = sheet.last + 1
    for label, amount in zip(ctx.trend_labels, view.trend, strict=True):
        sheet.row([label, None, amount, None])
    blocks["trend"] = (first, sheet.last)
    sheet.finish()
    ws, at = sheet.ws, 2
    for block, (start, end) in blocks.items():
        chart = _trend(wb, name, start, end) if block == "trend" else _bars(wb, name, start, end)
        chart.set_title({"name": text(ctx, TITLES[block]).format(n=len(view.trend)), "name_font": {"size": 12}})
        ws.insert_chart(at, 6, chart, CHART_SIZE)
        at += 20
    return name


def _col(key: str, kind: str, ctx: Context) -> Col:
    return Col(f"~{key}", text(ctx, HEADERS[key]), kind)


def _bars(wb, sheet: str, first: int, last: int):
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({"categories": [sheet, first, 0, last, 0], "values": [sheet, first, 3, last, 3],
                      "fill": {"color": CHART_ACTUAL}, "data_labels": {"value": True, "num_format": '0.0"%"'},
                      "name": [sheet, 2, 3]})
    chart.set_x_axis({"num_format": '0"%"', "major_gridlines": {"visible": True, "line": {"color": GRIDLINE_GREY}}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    return chart


def _trend(wb, sheet: str, first: int, last: int):
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"categories": [sheet, first, 0, last, 0], "values": [sheet, first, 2, last, 2],
                      "line": {"color": CHART_ACTUAL, "width": 2.25},
                      "marker": {"type": "circle"}, "name": [sheet, 2, 2]})
    chart.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": GRIDLINE_GREY}}})
    chart.set_legend({"none": True})
    return chart

