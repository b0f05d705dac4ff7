"""The order register (订单备忘录): every order the run knows, one row each, for the SSG.

Sheet 1 lists the orders (state in words, coloured: rejected/refused red, waiting yellow,
approved and beyond green; every reason and decision in one cell). Sheet 2 lists the order lines
with the quantities AC cut. Both sheets: title, totals, frozen header, filter, widths, A4 landscape.
Every text from input is written with ``write_string``; money and quantities are numbers.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from decimal import Decimal

from osb_batch.findings import column_letter
from osb_batch.messages import state_label

from .common import clip_cell, column_width, output_workbook, print_list, safe_name
from .common import lang_key as _lang
from .palette import AMBER_FILL, AMBER_FONT, GREEN_FILL, GREEN_FONT, HEADER, RED_FILL, RED_FONT
from .records import OrderLineView, OrderView

FORM_KEY = "order_register"
NAME = {"zh": "订单备忘录", "en": "Order register"}
KEYS = ("order_no", "order_date", "accepted_on", "customer_code", "customer_name", "market", "region",
        "unit_manager", "account_manager", "amount", "state", "case", "reason", "csr", "scr", "bcr",
        "signer", "source_file")
HEADERS = {
    "zh": ("订单号", "订单日期", "接收日期", "客户编码", "客户名称", "市场", "区域", "区域经理", "客户经理",
           "金额", "状态", "信用检查情形", "原因及决定", "客服(CSR)", "储运(SCR)", "收款(BCR)", "签字领导",
           "来源文件"),
    "en": ("Order number", "Order date", "Accepted on", "Customer code", "Customer name", "Market",
           "Region", "Unit manager", "Account manager", "Amount", "State", "Credit case",
           "Reasons and decisions", "CSR", "SCR", "BCR", "Signer", "Source file"),
}
LINE_KEYS = ("order_no", "product_code", "product_name", "spec", "unit", "qty", "unit_price", "amount",
             "cut_qty")
LINE_HEADERS = {
    "zh": ("订单号", "产品编码", "产品名称", "规格", "单位", "数量", "单价", "金额", "削减数量"),
    "en": ("Order number", "Product code", "Product name", "Specification", "Unit", "Quantity",
           "Unit price", "Amount", "Quantity cut"),
}
# conditional colours of a row by its state: (states, fill, font colour)
STATE_COLOURS = (
    (("REJECTED", "REFUSED"), RED_FILL, RED_FONT),
    (("AWAITING_SIGNATURE", "NEEDS_MANAGER_APPROVAL", "ST_PENDING", "PREPAY_REQUIRED",
      "AWAITING_PAYMENT"), AMBER_FILL, AMBER_FONT),
    (("APPROVED", "NOTE_ISSUED", "SHIPPED", "INVOICED", "PAID"), GREEN_FILL, GREEN_FONT),
)
TEXT = {
    "zh": {"lines": "订单明细", "total": "合计", "none": "本次没有订单", "count": '#,##0" 笔"',
           "line_count": '#,##0" 行"'},
    "en": {"lines": "Order lines", "total": "Total", "none": "No orders in this run",
           "count": '#,##0" orders"', "line_count": '#,##0" lines"'},
}
REASON_SEPARATOR = "；"
HEADER_ROW = 2                  # 0-based: title, totals, header
MONEY = "#,##0.00"
QTY = "General"             # '#,##0.##' would show 500 as "500."
DATE = "yyyy-mm-dd"
MONEY_KEYS = {"amount", "unit_price"}
QTY_KEYS = {"qty", "cut_qty"}
DATE_KEYS = {"order_date", "accepted_on"}
WRAPPED = {"reason", "customer_name", "source_file", "product_name"}
# widest a column may become (characters, CJK counted double); wider text wraps
MAX_WIDTH = {"reason": 44, "customer_name": 24, "source_file": 24, "product_name": 30}


def order_register_name(business_date: dt.date, lang: str = "zh") -> str:
    """``订单备忘录-2026-11-26.xlsx``."""
    return f"{safe_name(NAME[_lang(lang)])}-{business_date:%Y-%m-%d}.xlsx"


def write_order_register(orders: Sequence[OrderView], path: str | os.PathLike, *,
                         business_date: dt.date, lang: str = "zh", version: str) -> None:
    """Write the order register to ``path`` (under a temporary name, renamed when complete).

    Orders are listed in the order given (the caller's acceptance order)."""
    lang = _lang(lang)
    with output_workbook(path, FORM_KEY, version, KEYS, constant_memory=True) as wb:
        styles = _Styles(wb)
        title = f"{NAME[lang]} {business_date:%Y-%m-%d}"
        _orders_sheet(wb, styles, orders, lang, title)
        _lines_sheet(wb, styles, orders, lang, f"{TEXT[lang]['lines']} {business_date:%Y-%m-%d}")



class _Styles:
    def __init__(self, wb):
        add = wb.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.header = add(HEADER)
        self.total_label = add({"bold": True})
        self.count = {kind: add({"bold": True, "align": "left", "num_format": fmt})
                      for kind, fmt in (("zh", TEXT["zh"]["count"]), ("en", TEXT["en"]["count"]),
                                        ("zh_lines", TEXT["zh"]["line_count"]),
                                        ("en_lines", TEXT["en"]["line_count"]))}
        self.total_money = add({"bold": True, "num_format": MONEY})
        self.total_qty = add({"bold": True, "num_format": QTY, "align": "right"})
        self.text = add({"valign": "top"})
        self.wrap = add({"valign": "top", "text_wrap": True})
        self.money = add({"valign": "top", "num_format": MONEY})
        self.qty = add({"valign": "top", "num_format": QTY})
        self.date = add({"valign": "top", "num_format": DATE, "align": "left"})
        self.state = [add({"bg_color": fill, "font_color": font}) for _, fill, font in STATE_COLOURS]

    def column(self, key: str):
        if key in MONEY_KEYS:
            return self.money
        if key in QTY_KEYS:
            return self.qty
        if key in DATE_KEYS:
            return self.date
        return self.wrap if key in WRAPPED else self.text


def _order_values(order: OrderView, lang: str) -> dict[str, object]:
    return {
        "order_no": order.order_no, "order_date": order.order_date, "accepted_on": order.accepted_on,
        "customer_code": order.customer_code, "customer_name": order.customer_name,
        "market": order.market, "region": order.region, "unit_manager": order.unit_manager,
        "account_manager": order.account_manager, "amount": order.amount,
        "state": state_label(order.state, lang), "case": order.case,
        "reason": REASON_SEPARATOR.join(r for r in order.reasons if r),
        "csr": order.roles.csr, "scr": order.roles.scr, "bcr": order.roles.bcr,
        "signer": order.signer, "source_file": order.source_file,
    }


def _line_values(order: OrderView, line: OrderLineView) -> dict[str, object]:
    return {
        "order_no": order.order_no, "product_code": line.product_code,
        "product_name": line.product_name, "spec": line.spec, "unit": line.unit, "qty": line.qty,
        "unit_price": line.unit_price, "amount": line.amount, "cut_qty": line.cut_qty,
    }


def _shown(key: str, value: object) -> str:
    """What a cell shows, for the column width."""
    if value is None:
        return ""
    if key in MONEY_KEYS:
        return f"{Decimal(value):,.2f}"
    if key in QTY_KEYS:
        return format(Decimal(value).normalize(), "f")
    if key in DATE_KEYS:
        return f"{value:%Y-%m-%d}"
    return str(value)


def _cell_writer(ws, key: str):
    """How one column's cells are written (numbers are display only; the ledger keeps Decimal)."""
    if key in MONEY_KEYS or key in QTY_KEYS:
        return lambda r, c, value, fmt: ws.write_number(r, c, float(value), fmt)
    if key in DATE_KEYS:
        return ws.write_datetime
    return lambda r, c, value, fmt: ws.write_string(r, c, clip_cell(value), fmt)


def _table(ws, styles: _Styles, keys: Sequence[str], headers: Sequence[str],
           rows: list[dict[str, object]]) -> int:
    """Header and rows from HEADER_ROW, widths, frozen header, filter; returns the last row.

    Rows are written top to bottom (the workbook may be in constant_memory mode)."""
    for c, head in enumerate(headers):
        ws.write_string(HEADER_ROW, c, head, styles.header)
    plan = [(c, key, _cell_writer(ws, key), styles.column(key)) for c, key in enumerate(keys)]
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for c, key, write, fmt in plan:
            value = values[key]
            if value is not None and value != "":
                write(r, c, value, fmt)
    last_row = HEADER_ROW + len(rows)
    for c, key in enumerate(keys):
        width = column_width(headers[c], (_shown(key, v[key]) for v in rows), MAX_WIDTH.get(key, 30))
        if key in MONEY_KEYS:
            width += 2                  # room for the bold total above the column
        ws.set_column(c, c, width, styles.column(key))
    ws.freeze_panes(HEADER_ROW + 1, 1)
    ws.autofilter(HEADER_ROW, 0, max(last_row, HEADER_ROW), len(keys) - 1)
    print_list(ws, header_row=HEADER_ROW)
    return last_row


def _orders_sheet(wb, styles: _Styles, orders: Sequence[OrderView], lang: str, title: str) -> None:
    ws = wb.add_worksheet(NAME[lang])
    ws.write_string(0, 0, title, styles.title)
    rows = [_order_values(o, lang) for o in orders]
    if rows:
        ws.write_string(1, 0, TEXT[lang]["total"], styles.total_label)
        ws.write_number(1, 1, len(rows), styles.count[lang])
        ws.write_number(1, KEYS.index("amount"), float(sum((o.amount for o in orders), Decimal(0))),
                        styles.total_money)
    else:
        ws.write_string(1, 0, TEXT[lang]["none"], styles.total_label)
    last_row = _table(ws, styles, KEYS, HEADERS[lang], rows)
    if rows:
        state = column_letter(KEYS.index("state") + 1)
        first = HEADER_ROW + 2          # 1-based Excel row of the first order
        for (states, _, _), fmt in zip(STATE_COLOURS, styles.state, strict=True):
            tests = ",".join(f'${state}{first}="{state_label(s, lang)}"' for s in states)
            ws.conditional_format(HEADER_ROW + 1, 0, last_row, len(KEYS) - 1, {
                "type": "formula", "criteria": f"=OR({tests})", "format": fmt})


def _lines_sheet(wb, styles: _Styles, orders: Sequence[OrderView], lang: str, title: str) -> None:
    ws = wb.add_worksheet(TEXT[lang]["lines"])
    ws.write_string(0, 0, title, styles.title)
    rows = [_line_values(o, line) for o in orders for line in o.lines]
    ws.write_string(1, 0, TEXT[lang]["total"], styles.total_label)
    ws.write_number(1, 1, len(rows), styles.count[f"{lang}_lines"])
    for key, fmt in (("amount", styles.total_money), ("cut_qty", styles.total_qty)):
        total = sum((Decimal(r[key]) for r in rows), Decimal(0))
        ws.write_number(1, LINE_KEYS.index(key), float(total), fmt)
    _table(ws, styles, LINE_KEYS, LINE_HEADERS[lang], rows)


__all__ = ["write_order_register", "order_register_name", "state_label", "KEYS", "HEADERS",
           "LINE_KEYS", "LINE_HEADERS"]
