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

from .common import OSB_SHEET, clip_cell, column_width, output_workbook, print_list, safe_name
from .exceptions import unique_sheet_name
from .records import Notice

FORM_KEY = "um_notices"
FILE_PREFIX = "区域通知"
# catalogue keys (forms.toml `um_notices`); the per-UM sheets leave out unit_manager
KEYS = ("unit_manager", "order_no", "customer_code", "customer_name", "amount", "result", "product_code",
        "ordered_qty", "allowed_qty", "cut_qty", "reason", "action")
HEADERS = {
    "zh": ("区域经理", "订单号", "客户编码", "客户名称", "金额", "处理结果", "产品编码", "订货数量", "可发数量",
           "削减数量", "原因", "处理办法"),
    "en": ("Unit manager", "Order number", "Customer code", "Customer name", "Amount", "Result", "Product code",
           "Ordered quantity", "Allowed quantity", "Cut quantity", "Reason", "Action"),
}
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
HEADER_ROW = 2                  # 0-based: title, totals, header
MONEY = "#,##0.00"
RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
AMBER = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}


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
        styles = _Styles(wb)
        taken = {OSB_SHEET.casefold()}
        _write_sheet(wb, styles, unique_sheet_name(text["all"], taken), everything, lang,
                     f"{text['title']} {day}", with_um=True)
        for um in ordered_ums:
            label = um or text["unassigned"]
            _write_sheet(wb, styles, unique_sheet_name(label, taken), groups[um], lang,
                         f"{text['title']} {day} — {text['um']}{label}", with_um=False)


class _Styles:
    def __init__(self, wb):
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.header = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "text_wrap": True, "valign": "vcenter"})
        self.text = wb.add_format({"valign": "top"})
        self.wrap = wb.add_format({"valign": "top", "text_wrap": True})
        self.money = wb.add_format({"valign": "top", "num_format": MONEY})
        self.qty = wb.add_format({"valign": "top", "num_format": "#,##0.###"})
        self.count = wb.add_format({"bold": True, "align": "left"})
        self.total = wb.add_format({"bold": True, "top": 1, "valign": "top"})
        self.total_money = wb.add_format({"bold": True, "top": 1, "valign": "top", "num_format": MONEY})
        self.red = wb.add_format(RED)
        self.amber = wb.add_format(AMBER)
        self.red_bold = wb.add_format({**RED, "bold": True})
        self.amber_bold = wb.add_format({**AMBER, "bold": True})


def _write_sheet(wb, styles: _Styles, name: str, notices: Sequence[Notice], lang: str, title: str,
                 *, with_um: bool) -> None:
    ws = wb.add_worksheet(name)
    text = TEXT[lang]
    keys = KEYS if with_um else KEYS[1:]
    headers = HEADERS[lang] if with_um else HEADERS[lang][1:]
    last_col = len(keys) - 1
    ws.write_string(0, 0, clip_cell(title), styles.title)

    if notices:
        col = 0
        for state in sorted({n.state for n in notices}, key=_state_rank):
            fmt = styles.red_bold if state in RED_STATES else styles.amber_bold if state in AMBER_STATES \
                else styles.count
            ws.write_string(1, col, state_label(state, lang), fmt)
            ws.write_number(1, col + 1, sum(1 for n in notices if n.state == state), styles.count)
            col += 2
        ws.write_string(1, col, text["orders"], styles.count)
        ws.write_number(1, col + 1, len(notices), styles.count)
    else:
        ws.write_string(1, 0, text["none"], styles.count)

    for c, head in enumerate(headers):
        ws.write_string(HEADER_ROW, c, head, styles.header)
    shown: list[list[str]] = []
    for r, n in enumerate(notices, start=HEADER_ROW + 1):
        values = {"unit_manager": n.unit_manager, "order_no": n.order_no, "customer_code": n.customer_code,
                  "customer_name": n.customer_name, "result": state_label(n.state, lang),
                  "reason": n.what, "action": n.todo}
        values["product_code"] = n.product_code
        row = []
        for c, key in enumerate(keys):
            if key == "amount":
                ws.write_number(r, c, float(n.amount), styles.money)
                row.append(f"{n.amount:,.2f}")
                continue
            if key in QTY_KEYS:
                qty = getattr(n, key)
                row.append("" if qty is None else format(qty.normalize(), "f"))
                if qty is not None:
                    ws.write_number(r, c, float(qty), styles.qty)
                continue
            value = clip_cell(values[key])
            row.append(value)
            if value:
                ws.write_string(r, c, value, styles.wrap if key in WRAPPED else styles.text)
        shown.append(row)

    last_row = HEADER_ROW + len(shown)
    if shown:                           # totals row under the table, outside the filter range
        ws.write_string(last_row + 1, 0, text["total"], styles.total)
        for c in range(1, last_col + 1):
            if keys[c] == "amount":         # each order once, however many rows it has
                orders = {n.order_no: n.amount for n in notices}
                ws.write_number(last_row + 1, c, float(sum(orders.values(), Decimal(0))), styles.total_money)
            else:
                ws.write_blank(last_row + 1, c, None, styles.total)
    for c, key in enumerate(keys):
        width = column_width(headers[c], (v[c] for v in shown), MAX_WIDTH[key])
        fmt = styles.wrap if key in WRAPPED else styles.money if key == "amount" else None
        ws.set_column(c, c, width, fmt)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.autofilter(HEADER_ROW, 0, max(last_row, HEADER_ROW), last_col)
    if shown:
        state_col = keys.index("result")
        for states, fmt in ((RED_STATES, styles.red), (AMBER_STATES, styles.amber)):
            for state in states:
                ws.conditional_format(HEADER_ROW + 1, state_col, last_row, state_col, {
                    "type": "cell", "criteria": "==", "value": f'"{state_label(state, lang)}"',
                    "format": fmt,
                })
    print_list(ws, header_row=HEADER_ROW)


def _state_rank(state: str) -> tuple[int, str]:
    order = (*RED_STATES, *AMBER_STATES)
    return (order.index(state) if state in order else len(order), state)


__all__ = ["write_um_notices", "notice_file_name", "state_label", "KEYS", "HEADERS"]
