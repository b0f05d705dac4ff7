"""The demo's faulty files: one of each way a workbook goes wrong before its rows are read.

Wrong cells in otherwise good rows (西南 additions), a header that matches no form, a file that
is no workbook at all, and a sheet missing a required column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import openpyxl

from osb_batch import catalogue as catalogue_mod

from .master_data import CUSTOMER_ORDER, Customer, Product, Quota, market_regions, quota_row
from .staff_workbook import MONEY_FORMAT, write_form_rows


def write_bad_customers(path: Path, rows: Sequence[dict], day: dt.date) -> None:
    market = rows[-1]["market"]
    write_form_rows(path, "customers", CUSTOMER_ORDER, rows, sheet="Sheet1",
                    title=f"{day.year}年客户主数据（{market}提交）", notes=["新增客户，请秘书组录入。"],
                    star=True, formats={"credit_limit": MONEY_FORMAT})


def write_bad_header(path: Path, products: Sequence[Product]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["货号", "品名", "价钱", "备注说明"])
    for p in products[:6]:
        ws.append([p.code.replace("P", "HH-"), p.name, float(p.price), "新价格，下月执行"])
    wb.save(path)


def write_not_a_workbook(path: Path) -> None:
    text = "销售部周例会会议纪要\n一、十一月订单进度\n二、西南市场新客户录入\n三、配额调拨事项\n"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                     + text.encode("utf-8") + b"%%EOF\n")


def write_missing_column(path: Path, customers: Sequence[Customer], products: Sequence[Product],
                          day: dt.date) -> None:
    """A quotas sheet where the required quantity column was deleted."""
    market = customers[0].market
    order = [k for k in catalogue_mod.load()["quotas"].keys if k != "quota_qty"]
    rows = [quota_row(Quota("区域", market, region, "", p.code, 0), day.strftime("%Y-%m"))
            for region in market_regions(market) for p in products[:3]]
    write_form_rows(path, "quotas", order, rows, sheet="月度配额表", star=True)


