"""The demo's master-data workbooks, laid out as the secretaries' group and the regions send them.

Column orders differ from the templates, some numbers and dates are typed as text, the 华北
update comes with Traditional-Chinese headers: the shapes the readers must accept.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path

from osb_batch import catalogue as catalogue_mod

from .master_data import CUSTOMER_ORDER, Customer, Product, customer_row
from .staff_workbook import DATE_FORMAT, MONEY_FORMAT, YUAN_FORMAT, write_form_rows


def _keys(form_key: str) -> tuple[str, ...]:
    return catalogue_mod.load()[form_key].keys


def write_customers(path: Path, customers: Sequence[Customer], day: dt.date) -> None:
    rng = random.Random(len(customers))       # which cells staff typed as text; fixed by the data
    write_form_rows(path, "customers", CUSTOMER_ORDER, [customer_row(c, rng) for c in customers],
                    sheet="客户主数据", title=f"{day.year}年客户主数据（销售部秘书组汇总）",
                    notes=["说明：带 * 为必填项；信用额度单位：元；先款后货填 是/否。"], star=True,
                    formats={"credit_limit": MONEY_FORMAT})


def write_products(path: Path, products: Sequence[Product]) -> None:
    rows = [{"product_code": p.code, "product_name": p.name, "spec": p.spec, "unit": p.unit,
             "unit_price": p.price, "status": "在售" if p.on_sale else "停售", "product_group": p.group}
            for p in products]
    write_form_rows(path, "products", _keys("products"), rows, sheet="产品价格表",
                    formats={"unit_price": YUAN_FORMAT})


def write_contract_prices(path: Path, rows: Sequence[dict]) -> None:
    write_form_rows(path, "contract_prices", _keys("contract_prices"), rows, sheet="合同价",
                    formats={"unit_price": MONEY_FORMAT, "valid_from": DATE_FORMAT, "valid_to": DATE_FORMAT})


def write_quotas(path: Path, rows: Sequence[dict], day: dt.date) -> None:
    write_form_rows(path, "quotas", _keys("quotas"), rows, sheet=f"{day.month}月配额",
                    title=f"{day.year}年{day.month}月 月度配额表", star=True)


def write_transfers(path: Path, rows: Sequence[dict]) -> None:
    write_form_rows(path, "quota_transfers", _keys("quota_transfers"), rows, sheet="配额调拨单", star=True)


def write_opening(path: Path, rows: Sequence[dict], day: dt.date) -> None:
    rows = [dict(row) for row in rows]
    for i in (3, 11):    # dates typed as text, the way some staff do
        if i < len(rows):
            row = rows[i]
            row["doc_date"] = f"{row['doc_date'].year}年{row['doc_date'].month}月{row['doc_date'].day}日"
            row["due_date"] = row["due_date"].strftime("%Y/%m/%d")
    write_form_rows(path, "opening_balances", _keys("opening_balances"), rows, sheet="期初应收",
                    title=f"期初应收余额（截至 {day:%Y-%m-%d}）", star=True,
                    formats={"doc_date": DATE_FORMAT, "due_date": DATE_FORMAT, "amount": MONEY_FORMAT})


def write_update(path: Path, rows: Sequence[dict]) -> None:
    """The 华北 update with Traditional-Chinese headers, as a regional office sends it."""
    order = ("customer_code", "customer_name", "credit_limit", "market", "region", "account_manager",
             "unit_manager", "payment_term_days", "prepaid", "phone")
    write_form_rows(path, "customers", order, rows, sheet="客戶主數據", title="客戶主數據更新（華北市場）",
                    hant=True, formats={"credit_limit": MONEY_FORMAT})

