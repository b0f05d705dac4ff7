"""UM notices (区域通知): what happened to each UM's orders and what the UM should do.

A first sheet 全部 lists every notice with the UM's name; then one sheet per UM holds only that
UM's orders. The rows are rejected, cut, prepay-required and refused orders (whatever the run
hands over as :class:`~osb_batch.writers.records.Notice`). Every piece of text is written with
``write_string``, so a customer name such as ``=1+1`` stays text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from osb_batch.messages import state_label

from .common import OSB_SHEET, clip_cell, output_workbook, safe_name, unique_sheet_name
from .list_sheet import SKIP, Cell, ListSheet, columns_of, form_headers, list_formats
from .palette import AMBER, RED
from .records import Notice

FORM_KEY = "um_notices"
FILE_PREFIX = "区域通知"
# catalogue keys (forms.toml `um_notices`); the per-UM sheets leave out unit_manager
KEYS = ("unit_manager", "order_no", "customer_code", "customer_name", "amount", "result", "product_code",
        "ordered_qty", "allowed_qty", "cut_qty", "reason", "action")
QTY_KEYS = ("ordered_qty", "allowed_qty", "cut_qty")
RED_STATES = ("REJECTED", "REFUSED")
AMBER_STATES = ("PREPAY_REQUIRED", "AWAITING_PAYMENT")
TEXT = {
    "zh": {"title": "区域通知", "all": "全部", "none": "本次没有需要通知区域经理的订单", "unassigned": "未指定",
           "um": "区域经理：", "orders": "订单", "total": "合计"},
    "en": {"title": "UM notices", "all": "All", "none": "No orders to notify unit managers about",
           "unassigned": "Unassigned", "um": "Unit manager: ", "orders": "Orders", "total": "Total"},
}
MAX_WIDTH = {"unit_manager": 14, "order_no": 22, "customer_code": 14, "customer_name": 32, "amount": 16,
             "result": 14, "product_code": 14, "ordered_qty": 10, "allowed_qty": 10, "cut_qty": 10, "reason": 50,
             "action": 44}
WRAPPED = {"customer_name", "reason", "action"}
MONEY = "#,##0.00"
FORMATS = {
    "money": {"valign": "top", "num_format": MONEY},
    "qty": {"valign": "top", "num_format": "#,##0.###"},
    "total": {"bold": True, "top": 1, "valign": "top"},
    "total_money": {"bold": True, "top": 1, "valign": "top", "num_format": MONEY},
    "red": RED, "amber": AMBER, "red_bold": {**RED, "bold": True}, "amber_bold": {**AMBER, "bold": True},
}


def notice_file_name(um: str | None, date: dt.date | str) -> str:
    """区域通知-<UM>-<date>.xlsx for one UM's file; 区域通知-<date>.xlsx for all UMs in one file."""
    day = date.isoformat() if isinstance(date, dt.date) else str(date)
    if um:
        return f"{FILE_PREFIX}-{safe_name(um, 30)}-{safe_name(day)}.xlsx"
    return f"{FILE_PREFIX}-{safe_name(day)}.xlsx"


def write_um_notices(notices: Sequence[Notice], path: str | Path, *, business_date: dt.date,
                     lang: str = "zh", version: str) -> None:
    """Write the UM notices workbook to ``path`` (under a temporary name, renamed when complete)."""
    lang = "en" if lang == "en" else "zh"
    text = TEXT[lang]
    day = business_date.isoformat()
    groups: dict[str, list[Notice]] = {}
    for n in notices:                   # the run's order within one UM is kept
        groups.setdefault(n.unit_manager or "", []).append(n)
    ordered_ums = sorted(groups, key=lambda um: (um == "", um.casefold(), um))
    everything = [n for um in ordered_ums for n in groups[um]]
    with output_workbook(path, FORM_KEY, version, KEYS) as wb:
        styles = list_formats(wb, FORMATS)
        taken = {OSB_SHEET.casefold()}
        _write_sheet(wb, styles, unique_sheet_name(text["all"], taken), everything, lang,
                     f"{text['title']} {day}", with_um=True)
        for um in ordered_ums:
            label = um or text["unassigned"]
            _write_sheet(wb, styles, unique_sheet_name(label, taken), groups[um], lang,
                         f"{text['title']} {day} — {text['um']}{label}", with_um=False)


def _write_sheet(wb, formats: dict, name: str, notices: Sequence[Notice], lang: str, title: str,
                 *, with_um: bool) -> None:
    keys = KEYS if with_um else KEYS[1:]
    headers = form_headers(FORM_KEY, keys, lang)
    styles = {k: "wrap" for k in WRAPPED} | {"amount": "money"}
    sheet = ListSheet(wb.add_worksheet(name), formats, columns_of(keys, headers, MAX_WIDTH, styles=styles))
    sheet.title(title)
    _write_tally(sheet, notices, lang)
    sheet.header()
    for n in notices:
        sheet.add_row(_cells(n, keys, lang))
    if notices:                         # totals row under the table, outside the filter range
        _write_total(sheet, notices, lang)
    sheet.finish()
    state_col = keys.index("result")
    for states, fmt in ((RED_STATES, "red"), (AMBER_STATES, "amber")):
        for state in states:
            sheet.highlight(state_col, state_col, {"type": "cell", "criteria": "==",
                                                   "value": f'"{state_label(state, lang)}"',
                                                   "format": formats[fmt]})


def _cells(n: Notice, keys: Sequence[str], lang: str) -> list[Cell]:
    texts = {"unit_manager": n.unit_manager, "order_no": n.order_no, "customer_code": n.customer_code,
             "customer_name": n.customer_name, "result": state_label(n.state, lang),
             "reason": n.what, "action": n.todo, "product_code": n.product_code}
    cells = []
    for key in keys:
        if key == "amount":
            cells.append(Cell(float(n.amount), "money", f"{n.amount:,.2f}"))
        elif key in QTY_KEYS:
            qty = getattr(n, key)
            cells.append(SKIP if qty is None else Cell(float(qty), "qty", format(qty.normalize(), "f")))
        else:
            cells.append(Cell(clip_cell(texts[key]), "wrap" if key in WRAPPED else "text"))
    return cells


def _write_tally(sheet: ListSheet, notices: Sequence[Notice], lang: str) -> None:
    """Row 2: the count of orders in each state and in all (an order with several rows counts once),
    or that there is nothing to notify."""
    text = TEXT[lang]
    if not notices:
        sheet.note(text["none"])
        return
    states = sorted({n.state for n in notices}, key=_state_rank)
    sheet.tally([*((state_label(state, lang), _tally_style(state), len({n.order_no for n in notices
                                                                       if n.state == state}))
                   for state in states), (text["orders"], "count", len({n.order_no for n in notices}))])


def _tally_style(state: str) -> str:
    return "red_bold" if state in RED_STATES else "amber_bold" if state in AMBER_STATES else "count"


def _write_total(sheet: ListSheet, notices: Sequence[Notice], lang: str) -> None:
    """The totals row one below the list: each order's amount once, however many rows it has."""
    ws, formats, row = sheet.ws, sheet.formats, sheet.last + 1
    ws.write_string(row, 0, TEXT[lang]["total"], formats["total"])
    for c in range(1, sheet.last_col + 1):
        if sheet.columns[c].key == "amount":
            orders = {n.order_no: n.amount for n in notices}
            ws.write_number(row, c, float(sum(orders.values(), Decimal(0))), formats["total_money"])
        else:
            ws.write_blank(row, c, None, formats["total"])


def _state_rank(state: str) -> tuple[int, str]:
    order = (*RED_STATES, *AMBER_STATES)
    return (order.index(state) if state in order else len(order), state)


__all__ = ["write_um_notices", "notice_file_name", "state_label", "KEYS"]
