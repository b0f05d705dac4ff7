"""The month's workflow figures (跟进事项月报-2026-11.xlsx): one list sheet each, with a chart.

Sheets: the chains (opened, closed on time, late, open; a chart of the median working days to
close), the service tickets by category (a chart of the satisfaction shares), the quotes and the
bids per person (a chart of the win rates), the lead funnel per market (a stacked chart of the
leads by stage), the POP material per market (a chart of the quantities requested and delivered).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from osb_batch import catalogue

from .common import lang_key, output_workbook
from .list_sheet import HEADER_ROW, Cell, Column, ListSheet, list_formats

if TYPE_CHECKING:                       # the records only: writers never decide
    from osb_batch.reports.workflow_report import WorkflowMonth

__all__ = ["report_file_name", "write_workflow_report"]

TEXT = {
    "zh": {"file": "跟进事项月报", "title": "跟进事项月报", "none": "本月没有记录",
           "chains": ("流程", ("流程", "新开", "按时完成", "逾期完成", "未完成", "完成中位工作日"), "完成所需工作日（中位数）"),
           "tickets": ("客服工单", ("问题类别", "工单数", "满意度", "占比 %"), "客户满意度"),
           "times": ("响应时间（小时，中位数）", "关闭所需工作日（中位数）"),
           "quotes": ("报价", ("报价人", "报价", "成交", "未成交", "成交率 %"), "报价成交率 %"),
           "bids": ("投标", ("负责人", "投标", "中标", "未中标", "中标率 %"), "中标率 %"),
           "funnel": ("目标客户", ("市场", "阶段", "客户数", "已成为客户", "跟进逾期"), "目标客户（按阶段）"),
           "pop": ("POP物料", ("市场", "申请项", "申请数量", "已送达项", "送达数量", "按期送达项"), "POP物料申请与送达数量")},
    "en": {"file": "Workflows", "title": "Workflows of the month", "none": "Nothing this month",
           "chains": ("Workflows", ("Workflow", "Opened", "Closed on time", "Closed late", "Open", "Median working days"),
                      "Working days to close (median)"),
           "tickets": ("Tickets", ("Category", "Tickets", "Satisfaction", "Share %"), "Customer satisfaction"),
           "times": ("Response time (hours, median)", "Working days to close (median)"),
           "quotes": ("Quotes", ("Quoted by", "Quotes", "Won", "Lost", "Win rate %"), "Quote win rate %"),
           "bids": ("Bids", ("Owner", "Bids", "Won", "Lost", "Win rate %"), "Bid win rate %"),
           "funnel": ("Leads", ("Market", "Stage", "Leads", "Became customers", "Stale"), "Leads by stage"),
           "pop": ("POP", ("Market", "Lines requested", "Quantity requested", "Lines delivered", "Quantity delivered",
                           "Delivered by the date needed"), "POP material requested and delivered")},
}
FORMATS = {"number": {"valign": "top", "align": "right", "num_format": "0"},
           "decimal": {"valign": "top", "align": "right", "num_format": "0.0"}}
CHART_SIZE = (640, 300)
FORM_KEY = "workflow_report"             # the catalogue's output form: the columns of the first sheet
CHAIN_KEYS = ("chain", "opened", "closed_on_time", "closed_late", "open", "median_days")


def report_file_name(label: str, lang: str = "zh") -> str:
    return f"{TEXT[lang_key(lang)]['file']}-{label}.xlsx"


def _label(form: str, field: str, key: str, lang: str) -> str:
    """An enum value's label in ``lang`` (the stored key when it is not a choice)."""
    choice = next((c for c in catalogue.load()[form].field(field).choices if c.key == key), None)
    return key if choice is None else (choice.en if lang == "en" else choice.zh)


def _num(value: float | int | None, style: str = "number") -> Cell:
    if value is None:
        return Cell(None, style)
    return Cell(value, style, f"{value:.1f}" if style == "decimal" else str(value))


def _sheet(wb, formats, title: str, key: str, lang: str, rows: Sequence[Sequence[Cell]], chart: dict | None) -> None:
    name, headers, chart_title = TEXT[lang][key]
    ws = wb.add_worksheet(name)
    sheet = ListSheet(ws, formats, [Column(f"c{i}", h, 24 if i == 0 else 14) for i, h in enumerate(headers)])
    sheet.title(title)
    if not rows:
        sheet.note(TEXT[lang]["none"])
    sheet.header()
    for row in rows:
        sheet.add_row(row)
    sheet.finish(landscape=True)
    if rows and chart:
        made = wb.add_chart({"type": chart["type"], **({"subtype": chart["subtype"]} if "subtype" in chart else {})})
        last = HEADER_ROW + chart["rows"] if "rows" in chart else sheet.last
        category = chart.get("category", 0)
        for column in chart["values"]:
            made.add_series({"name": [name, HEADER_ROW, column],
                             "categories": [name, HEADER_ROW + 1, category, last, category],
                             "values": [name, HEADER_ROW + 1, column, last, column],
                             "data_labels": {"value": chart["type"] == "pie"}})
        made.set_title({"name": chart_title, "name_font": {"size": 12, "bold": True}})
        made.set_legend({"position": "bottom"})
        made.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
        ws.insert_chart(sheet.last + 2, 0, made)


def _ticket_rows(month: WorkflowMonth, lang: str) -> list[list[Cell]]:
    """Categories with their counts on the left, the satisfaction shares on the right, side by side;
    under them the median response and closing times."""
    cats = list(month.tickets["by_category"].items())
    sat = list(month.tickets["satisfaction"].items())
    blank = [Cell(""), Cell(None)]
    rows = [([Cell(_label("service_ticket", "category", cats[i][0], lang)), _num(cats[i][1])] if i < len(cats) else blank)
            + ([Cell(_label("service_ticket", "satisfaction", sat[i][0], lang)), _num(sat[i][1], "decimal")]
               if i < len(sat) else blank)
            for i in range(max(len(cats), len(sat)))]
    times = zip(TEXT[lang]["times"], (month.tickets.get("response_hours"), month.tickets.get("closing_days")),
                strict=True)
    return rows + [[Cell(label), _num(value, "decimal"), *blank] for label, value in times]


def write_workflow_report(folder: str | Path, month: WorkflowMonth, *, lang: str = "zh", version: str = "") -> Path:
    """Write the month's workbook into ``folder``; its path."""
    lang = lang_key(lang)
    path = Path(folder) / report_file_name(month.period.label, lang)
    title = f"{TEXT[lang]['title']} {month.period.label}"
    chains = [[Cell(month.chain_names.get(name, name)), _num(f["opened"]), _num(f["closed_on_time"]),
               _num(f["closed_late"]), _num(f["open"]), _num(f["median_days"], "decimal")]
              for name, f in month.workflows.items()]
    tickets = _ticket_rows(month, lang) if month.tickets["count"] else []
    people = {key: [[Cell(p), _num(f["count"]), _num(f["won"]), _num(f["lost"]), _num(f["win_rate"], "decimal")]
                    for p, f in getattr(month, key).items()] for key in ("quotes", "bids")}
    funnel = [[Cell(market), Cell(_label("target_customers", "stage", stage, lang)), _num(n),
               _num(f["converted"]) if i == 0 else Cell(None), _num(f["stale"]) if i == 0 else Cell(None)]
              for market, f in month.funnel.items() for i, (stage, n) in enumerate(f["stages"].items())]
    pop = [[Cell(market), *(_num(f[k]) for k in ("requested", "requested_qty", "delivered", "delivered_qty",
                                                     "delivered_in_time"))] for market, f in month.pop.items()]
    others = [TEXT[lang][k][0] for k in ("tickets", "quotes", "bids", "funnel", "pop")]
    with output_workbook(path, FORM_KEY, version, CHAIN_KEYS, shown=others) as wb:
        formats = list_formats(wb, FORMATS)
        _sheet(wb, formats, title, "chains", lang, chains, {"type": "bar", "values": [5]})
        _sheet(wb, formats, title, "tickets", lang, tickets,
               {"type": "pie", "values": [3], "category": 2, "rows": len(month.tickets["satisfaction"])})
        _sheet(wb, formats, title, "quotes", lang, people["quotes"], {"type": "column", "values": [4]})
        _sheet(wb, formats, title, "bids", lang, people["bids"], {"type": "column", "values": [4]})
        _sheet(wb, formats, title, "funnel", lang, funnel, {"type": "column", "values": [2], "category": 1})
        _sheet(wb, formats, title, "pop", lang, pop, {"type": "column", "values": [2, 4]})
    return path
