"""The demo inbox: which workbooks ``osb-batch demo`` drops, in which order, and what to expect.

``osb-batch demo`` drops into ``inbox/`` the master data of every market, the month's quotas,
contract prices, quota transfers, opening balances, the day's bank receipts, a later customer
update with Traditional-Chinese headers, the day's orders and four faulty files, so that one
``run`` shows every intake path (accepted, updated, refused, returned with red cells,
quarantined) and every decision path of an order: QC rejection with several reasons, a quota
cut, and each case of the credit decision table (5-2, 5-3, 5-4, 5-5, 5-7a, 5-7b, 5-7c), with a
customer's second order seeing the first one's exposure.

The data comes from :func:`osb_batch.demo.demo_data.build`; the workbooks are written by
:mod:`.master_workbooks`, :mod:`.day_workbooks` and :mod:`.faulty_workbooks` through the one
builder :mod:`.staff_workbook`, with the catalogue's labels as headers, so the demo cannot drift
from the forms it exercises. :func:`demo_summary` says in Chinese what the run should make of it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import faulty_workbooks as faulty
from . import master_workbooks as master
from .day_workbooks import orders_name, receipts_name, write_orders, write_receipts
from .demo_data import DEFAULT_SEED, DemoData, build
from .orders import DemoOrder

if TYPE_CHECKING:
    from osb_batch.settings import Settings

CUSTOMERS = "客户主数据-全国.xlsx"
PRODUCTS = "产品价格表.xlsx"
CONTRACT_PRICES = "客户合同价.xlsx"
TRANSFERS = "配额调拨单.xlsx"
OPENING = "期初应收.xlsx"
UPDATE = "客户主数据-华北更新.xlsx"
BAD_CUSTOMERS = "客户主数据-西南补充.xlsx"
BAD_HEADER = "产品价格表-错表头.xlsx"
NOT_A_WORKBOOK = "会议纪要.xlsx"
MISSING_COLUMN = "配额表-缺列.xlsx"


def make_demo(inbox: Path, settings: Settings, business_date: dt.date, *,
              seed: int = DEFAULT_SEED) -> list[Path]:
    """Fill ``inbox`` with the demo workbooks; return them in arrival order.

    The same seed and business date always give the same cell values. Modification times are
    set a few minutes apart on the business date's morning (master data, quotas, balances and
    receipts, then the later update, then the day's orders, then the faulty files), so that
    arrival order is deterministic.
    """
    return write_demo(inbox, build(settings, business_date, seed=seed))


def write_demo(inbox: Path, data: DemoData) -> list[Path]:
    """Write ``data``'s workbooks into ``inbox``; return them in arrival order."""
    inbox.mkdir(parents=True, exist_ok=True)
    day = data.day
    # (file name, writer, minutes after 08:30 of its arrival wave)
    writers = [
        (CUSTOMERS, lambda p: master.write_customers(p, data.customers, day), 0),
        (PRODUCTS, lambda p: master.write_products(p, data.products), 0),
        (CONTRACT_PRICES, lambda p: master.write_contract_prices(p, data.contract_rows), 0),
        (f"月度配额表-{day:%Y-%m}.xlsx", lambda p: master.write_quotas(p, data.quota_rows, day), 0),
        (TRANSFERS, lambda p: master.write_transfers(p, data.transfer_rows), 0),
        (OPENING, lambda p: master.write_opening(p, data.opening_rows, day), 0),
        (receipts_name(day), lambda p: write_receipts(p, data.receipt_rows, day), 0),
        (UPDATE, lambda p: master.write_update(p, data.update_rows), 60),
        (orders_name(day), lambda p: write_orders(p, data.orders, day), 90),
        (BAD_CUSTOMERS, lambda p: faulty.write_bad_customers(p, data.bad_rows, day), 120),
        (BAD_HEADER, lambda p: faulty.write_bad_header(p, data.products), 120),
        (NOT_A_WORKBOOK, faulty.write_not_a_workbook, 120),
        (MISSING_COLUMN, lambda p: faulty.write_missing_column(p, data.customers, data.products, day), 120),
    ]
    files = []
    for name, write, _ in writers:
        path = inbox / name
        write(path)
        files.append(path)
    set_arrival(files, day, waves=[wave for _, _, wave in writers])
    return files


def set_arrival(paths: Sequence[Path], day: dt.date, start: dt.time = dt.time(8, 30),
                waves: Sequence[int] | None = None) -> None:
    """Modification times on ``day``'s morning, five minutes apart (plus each file's wave), in order."""
    first = dt.datetime.combine(day, start)
    for i, path in enumerate(paths):
        stamp = (first + dt.timedelta(minutes=(waves[i] if waves else 0) + 5 * i)).timestamp()
        os.utime(path, (stamp, stamp))


# --- summary --------------------------------------------------------------------------------

_DESCRIPTIONS = {
    CUSTOMERS: ("约 60 个客户，覆盖全部市场；标题行、说明行、列顺序与模板不同、部分数字为文本", "全部入账"),
    PRODUCTS: ("40 个产品（2 个停售），单价带 ¥ 格式", "全部入账"),
    CONTRACT_PRICES: ("约 10 条客户合同价，略低于目录价", "全部入账"),
    "月度配额表": ("本月区域级和客户级配额，月份写法混用（2026年11月 / 2026-11）", "全部入账"),
    TRANSFERS: ("同一市场内 3 笔区域间调拨", "2 笔生效；1 笔因调出区域经理未同意被拒绝"),
    OPENING: ("约 20 个客户的期初应收（含 1 笔负数贷项，部分已逾期）", "全部入账，进入应收账龄"),
    "银行到款": ("财务导出的当日银行到款 3 笔，部分金额为带 ¥ 的文本",
                 "2 笔按付款户名认领到先款后货客户（成为其预付款），1 笔户名不明，留在到款池待认领"),
    UPDATE: ("稍后到达的更新：3 个华北客户改信用额度或电话，繁体表头", "更新 3 个客户"),
    "订单": ("当日订单汇总：标题行、带 * 的中文表头、部分日期/数量/单价为文本；覆盖每条审核路径",
             "逐单结果见下"),
    BAD_CUSTOMERS: ("西南新客户，含多处错误",
                    "未知市场“西藏区”、信用额度“abc”、回款期 400 天超范围、客户编码重复、"
                    "一行缺客户编码、先款后货填“可能”：进入异常清单，退回修改件中标红；正确的行照常入账"),
    BAD_HEADER: ("表头（货号/品名/价钱/备注说明）与任何表单都不匹配",
                 "移入 quarantine/，说明文件列出最接近的表单"),
    NOT_A_WORKBOOK: ("不是 Excel 工作簿（实为 PDF 内容）", "移入 quarantine/，说明原因"),
    MISSING_COLUMN: ("配额表缺少必填列“配额数量”", "整表退回，异常清单指出缺少的列"),
}
_DESCRIPTIONS_EN = {
    CUSTOMERS: ("about 60 customers in every market; a title row, a note row, columns in another order than the "
                "template's, some numbers as text", "all applied"),
    PRODUCTS: ("40 products (2 discontinued), prices formatted with ¥", "all applied"),
    CONTRACT_PRICES: ("about 10 customer contract prices, a little below the list price", "all applied"),
    "月度配额表": ("this month's region and customer quotas, months written two ways (2026年11月 / 2026-11)",
                  "all applied"),
    TRANSFERS: ("3 transfers between regions of one market", "2 take effect; 1 is refused: the giving UM did not "
                                                            "consent"),
    OPENING: ("opening receivables of about 20 customers (one negative credit, some overdue)",
              "all applied, aged as receivables"),
    "银行到款": ("finance's export of the day's 3 bank receipts, some amounts as text with ¥",
                 "2 are matched by payer name to prepaid customers (their prepayment), 1 with an unknown payer "
                 "stays in the receipts pool to be claimed"),
    UPDATE: ("a later update: 3 customers of 华北 change their credit limit or phone, Traditional Chinese headers",
             "3 customers updated"),
    "订单": ("the day's orders: a title row, Chinese headers marked *, some dates, quantities and prices as text; "
             "every decision path", "order by order below"),
    BAD_CUSTOMERS: ("new customers of 西南 with several mistakes",
                    "unknown market 西藏区, credit limit abc, 400 payment days out of range, a duplicate customer "
                    "code, a row without a customer code, prepaid written 可能: in the exceptions list and red in "
                    "the returned copy; the correct rows are applied"),
    BAD_HEADER: ("a header (货号/品名/价钱/备注说明) that fits no form",
                 "moved to quarantine/, its note names the closest forms"),
    NOT_A_WORKBOOK: ("not an Excel workbook (PDF content)", "moved to quarantine/, its note says why"),
    MISSING_COLUMN: ("a quota table without the required column 配额数量",
                     "returned whole; the exceptions list names the missing column"),
}
_SUMMARY = {
    "zh": ("已在 inbox/ 放入 {n} 个演示文件（按到达顺序）：", "  {name}：{what}", "运行 run 后预期：",
           "订单逐单预期（信用检查情形 5-2 … 5-7c 见 docs/credit-decisions.md 信用检查决策表）："),
    "en": ("{n} demo files dropped into inbox/ (in the order they arrive):", "  {name}: {what}",
           "What the run should make of them:",
           "Order by order (credit cases 5-2 … 5-7c: the decision table in docs/credit-decisions.md):"),
}


def _description_key(name: str) -> str:
    for prefix in ("月度配额表", "银行到款", "订单"):
        if name.startswith(prefix + "-"):
            return prefix
    return name

def order_expectations(orders: Iterable[DemoOrder], lang: str = "zh") -> list[str]:
    """One line per order: number, customer, what the run should decide and why."""
    if lang == "en":
        return [f"  {o.order_no} ({o.customer.code} {o.customer.name}, {o.customer.market.en}): {o.expect_en}"
                for o in orders]
    return [f"  {o.order_no}（{o.customer.code} {o.customer.name}，{o.customer.market.zh}）：{o.expect}"
            for o in orders]


def demo_summary(files: Iterable[Path], data: DemoData | None = None, lang: str = "zh") -> str:
    """A few lines in ``lang``: which files were dropped into the inbox and what the run should do,
    order by order when ``data`` (from :func:`build`) is given."""
    files = list(files)
    heading, item, expect_heading, orders_heading = _SUMMARY["en" if lang == "en" else "zh"]
    descriptions = _DESCRIPTIONS_EN if lang == "en" else _DESCRIPTIONS
    lines = [heading.format(n=len(files))]
    expected = []
    for path in files:
        what, outcome = descriptions.get(_description_key(path.name), ("", ""))
        lines.append(item.format(name=path.name, what=what) if what else f"  {path.name}")
        if outcome:
            expected.append(f"  {path.name} → {outcome}")
    lines += [expect_heading, *expected]
    if data is not None and data.orders:
        lines.append(orders_heading)
        lines += order_expectations(data.orders, lang)
    return "\n".join(lines)
