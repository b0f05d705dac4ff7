"""The day's workbooks that keep coming: finance's bank receipts and the orders the secretaries
collect. :mod:`osb_batch.demo.week` writes one of each on later days too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from osb_batch import catalogue as catalogue_mod

from .orders import DemoOrder
from .staff_workbook import DATE_FORMAT, MONEY_FORMAT, write_form_rows


def receipts_name(day: dt.date) -> str:
    return f"银行到款-{day:%Y-%m-%d}.xlsx"


def orders_name(day: dt.date) -> str:
    return f"订单-{day:%Y-%m-%d}.xlsx"


def write_receipts(path: Path, rows: Sequence[dict], day: dt.date) -> None:
    """Finance's bank receipts export: a title, amounts partly typed as text with ¥ and commas."""
    shown = [{**row, "amount": f"¥{row['amount']:,.2f}" if i % 2 else row["amount"]}
             for i, row in enumerate(rows)]
    write_form_rows(path, "bank_receipts", catalogue_mod.load()["bank_receipts"].keys, shown, sheet="到款明细",
                    title=f"银行到款明细 {day:%Y年%m月%d日}", star=True,
                    formats={"receipt_date": DATE_FORMAT, "amount": MONEY_FORMAT})


_ORDER_COLUMNS = ("order_no", "order_date", "customer_code", "kam_verified", "mm_approved", "product_code",
                  "qty", "unit_price", "amount", "st_requested", "st_reason", "st_note", "remark")


def write_orders(path: Path, orders: Sequence[DemoOrder], day: dt.date, title: str = "") -> None:
    """The orders as the SSG collects them: one row per line, order fields repeated on each line;
    a title and a note above the header; some dates, quantities and prices typed as text."""
    rows = []
    for o in orders:
        for ln in o.lines:
            n = len(rows)
            rows.append({
                "order_no": o.order_no,
                "order_date": f"{o.day.year}年{o.day.month}月{o.day.day}日" if n % 3 == 1 else o.day,
                "customer_code": o.customer.code, "kam_verified": o.kam_verified, "mm_approved": o.mm_approved,
                "product_code": ln.product.code,
                "qty": str(ln.qty) if n % 2 else int(ln.qty),
                "unit_price": f"{ln.unit_price:,.2f}" if n % 4 == 2 else ln.unit_price,
                "amount": ln.amount, "st_requested": "是" if o.st_reason else "否",
                "st_reason": o.st_reason, "st_note": o.st_note, "remark": o.remark,
            })
    write_form_rows(path, "orders", _ORDER_COLUMNS, rows, sheet="订单", title=title or f"订单汇总 {day:%Y-%m-%d}（销售部秘书组）",
                    notes=["说明：带 * 为必填项；一张订单多行时，订单号、日期、客户等逐行填写。"], star=True,
                    formats={"order_date": DATE_FORMAT, "unit_price": MONEY_FORMAT, "amount": MONEY_FORMAT})


