"""The order register (订单备忘录): every order the run knows, one row each, for the SSG.

Sheet 1 lists the orders (state in words, coloured: rejected/refused red, waiting yellow,
approved and beyond green; every reason and decision in one cell). Sheet 2 lists every order
line with the quantity AC cut (0 when none). The amounts in the totals row leave out rejected
and refused orders (they will not ship), and say so; the quantity cut counts every line. Both
sheets: title, totals, frozen header, filter, widths, A4 landscape.
Every text from input is written with ``write_string``; money and quantities are numbers.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from decimal import Decimal

from osb_batch.findings import column_letter
from osb_batch.messages import case_label, state_label

from .common import clip_cell, output_workbook, safe_name
from .common import lang_key as _lang
from .list_sheet import HEADER_ROW, SKIP, Cell, Column, ListSheet, list_formats
from .palette import AMBER_FILL, AMBER_FONT, GREEN_FILL, GREEN_FONT, RED_FILL, RED_FONT
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
           "line_count": '#,##0" 行"', "live": "金额合计不含已退回、不同意的订单"},
    "en": {"lines": "Order lines", "total": "Total", "none": "No orders in this run",
           "count": '#,##0" orders"', "line_count": '#,##0" lines"',
           "live": "Amount totals leave out rejected and refused orders"},
}
ENDED = ("REJECTED", "REFUSED")      # orders whose amounts the totals leave out
REASON_SEPARATOR = {"zh": "；", "en": "; "}
MONEY = "#,##0.00"
QTY = "General"             # '#,##0.##' would show 500 as "500."
DATE = "yyyy-mm-dd"
MONEY_KEYS = {"amount", "unit_price"}
QTY_KEYS = {"qty", "cut_qty"}
DATE_KEYS = {"order_date", "accepted_on"}
WRAPPED = {"reason", "customer_name", "source_file", "product_name"}
# widest a column may become (characters, CJK counted double); wider text wraps
MAX_WIDTH = {"reason": 44, "customer_name": 24, "source_file": 24, "product_name": 30}
#: More rows than this (orders and their lines) and the register is streamed (``constant_memory``,
#: memory stays flat); a smaller one is kept in memory, without a temporary file per sheet and part.
STREAM_ROWS = 5_000


def order_register_name(business_date: dt.date, lang: str = "zh") -> str:
    """``订单备忘录-2026-11-26.xlsx``."""
    return f"{safe_name(NAME[_lang(lang)])}-{business_date:%Y-%m-%d}.xlsx"


def write_order_register(orders: Sequence[OrderView], path: str | os.PathLike, *,
                         business_date: dt.date, lang: str = "zh", version: str) -> None:
    """Write the order register to ``path`` (under a temporary name, renamed when complete).

    Orders are listed in the order given (the caller's acceptance order)."""
    lang = _lang(lang)
    streamed = len(orders) + sum(len(order.lines) for order in orders) > STREAM_ROWS
    with output_workbook(path, FORM_KEY, version, KEYS, constant_memory=streamed) as wb:
        styles = _formats(wb, lang)
        title = f"{NAME[lang]} {business_date:%Y-%m-%d}"
        _orders_sheet(wb, styles, orders, lang, title)
        _lines_sheet(wb, styles, orders, lang, f"{TEXT[lang]['lines']} {business_date:%Y-%m-%d}")



def _formats(wb, lang: str) -> dict:
    top = {"valign": "top"}
    return list_formats(wb, {
        "label": {"bold": True},
        "count": {"bold": True, "align": "left", "num_format": TEXT[lang]["count"]},
        "line_count": {"bold": True, "align": "left", "num_format": TEXT[lang]["line_count"]},
        "total_money": {"bold": True, "num_format": MONEY},
        "total_qty": {"bold": True, "num_format": QTY, "align": "right"},
        "money": {**top, "num_format": MONEY},
        "qty": {**top, "num_format": QTY},
        "date": {**top, "num_format": DATE, "align": "left"},
        **{f"state_{i}": {"bg_color": fill, "font_color": font} for i, (_, fill, font) in enumerate(STATE_COLOURS)},
    })


def _style(key: str) -> str:
    if key in MONEY_KEYS:
        return "money"
    if key in QTY_KEYS:
        return "qty"
    if key in DATE_KEYS:
        return "date"
    return "wrap" if key in WRAPPED else "text"


def _order_values(order: OrderView, lang: str) -> dict[str, object]:
    return {
        "order_no": order.order_no, "order_date": order.order_date, "accepted_on": order.accepted_on,
        "customer_code": order.customer_code, "customer_name": order.customer_name,
        "market": order.market, "region": order.region, "unit_manager": order.unit_manager,
        "account_manager": order.account_manager, "amount": order.amount,
        "state": state_label(order.state, lang), "case": case_label(order.case, lang),
        "reason": REASON_SEPARATOR[lang].join(r for r in order.reasons if r),
        "csr": order.roles.csr, "scr": order.roles.scr, "bcr": order.roles.bcr,
        "signer": order.signer, "source_file": order.source_file,
    }


def _line_values(order: OrderView, line: OrderLineView) -> dict[str, object]:
    return {
        "order_no": order.order_no, "product_code": line.product_code,
        "product_name": line.product_name, "spec": line.spec, "unit": line.unit, "qty": line.qty,
        "unit_price": line.unit_price, "amount": line.amount, "cut_qty": line.cut_qty,
    }


def _cell(key: str, value: object) -> Cell:
    """One value as a cell (numbers are display only; the ledger keeps Decimal)."""
    if value is None or value == "":
        return SKIP
    if key in MONEY_KEYS:
        return Cell(float(value), "money", f"{Decimal(value):,.2f}")
    if key in QTY_KEYS:
        return Cell(float(value), "qty", format(Decimal(value).normalize(), "f"))
    if key in DATE_KEYS:
        return Cell(value, "date", f"{value:%Y-%m-%d}")
    return Cell(clip_cell(value), _style(key), str(value))


def _table(sheet: ListSheet, rows: list[dict[str, object]]) -> None:
    """Header and rows, widths, frozen header and first column, filter, print setup.

    Rows are written top to bottom (the workbook may be in constant_memory mode)."""
    sheet.header()
    keys = [col.key for col in sheet.columns]
    for values in rows:
        sheet.add_row(_cell(key, values[key]) for key in keys)
    sheet.finish(frozen_columns=1)


def _columns(keys: Sequence[str], headers: Sequence[str]) -> tuple[Column, ...]:
    return tuple(Column(k, h, MAX_WIDTH.get(k, 30), style=_style(k), pad=2 if k in MONEY_KEYS else 0)
                 for k, h in zip(keys, headers, strict=True))


def _orders_sheet(wb, formats: dict, orders: Sequence[OrderView], lang: str, title: str) -> None:
    sheet = ListSheet(wb.add_worksheet(NAME[lang]), formats, _columns(KEYS, HEADERS[lang]))
    ws = sheet.ws
    sheet.title(title)
    rows = [_order_values(o, lang) for o in orders]
    if rows:
        ws.write_string(1, 0, TEXT[lang]["total"], formats["label"])
        ws.write_number(1, 1, len(rows), formats["count"])
        live = sum((o.amount for o in orders if o.state not in ENDED), Decimal(0))
        ws.write_number(1, KEYS.index("amount"), float(live), formats["total_money"])
        ws.write_string(1, KEYS.index("amount") + 1, TEXT[lang]["live"], formats["label"])
    else:
        ws.write_string(1, 0, TEXT[lang]["none"], formats["label"])
    _table(sheet, rows)
    state = column_letter(KEYS.index("state") + 1)
    first = HEADER_ROW + 2          # 1-based Excel row of the first order
    for i, (states, _, _) in enumerate(STATE_COLOURS):
        tests = ",".join(f'${state}{first}="{state_label(s, lang)}"' for s in states)
        sheet.highlight(0, sheet.last_col, {"type": "formula", "criteria": f"=OR({tests})",
                                            "format": formats[f"state_{i}"]})


def _lines_sheet(wb, formats: dict, orders: Sequence[OrderView], lang: str, title: str) -> None:
    sheet = ListSheet(wb.add_worksheet(TEXT[lang]["lines"]), formats, _columns(LINE_KEYS, LINE_HEADERS[lang]))
    sheet.title(title)
    rows = [_line_values(o, line) for o in orders for line in o.lines]
    live = [_line_values(o, line) for o in orders if o.state not in ENDED for line in o.lines]
    sheet.ws.write_string(1, 0, TEXT[lang]["total"], formats["label"])
    sheet.ws.write_number(1, 1, len(rows), formats["line_count"])
    for key, fmt, counted in (("amount", "total_money", live), ("cut_qty", "total_qty", rows)):
        total = sum((Decimal(r[key] or 0) for r in counted), Decimal(0))
        sheet.ws.write_number(1, LINE_KEYS.index(key), float(total), formats[fmt])
    sheet.ws.write_string(1, 2, TEXT[lang]["live"], formats["label"])     # free up to the amount
    _table(sheet, rows)


__all__ = ["write_order_register", "order_register_name", "state_label", "KEYS", "HEADERS",
           "LINE_KEYS", "LINE_HEADERS"]
