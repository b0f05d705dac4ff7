"""Random business days written as staff workbooks: the re-run property test and its reproduction.

A :class:`Day` is plain data (customers with credit limits and the prepaid flag, products,
region and customer quotas, bank receipts, orders); :func:`write_day` lays it out in an inbox
with :func:`osb_batch.demo.staff_workbook.write_form`, one workbook per form. :func:`draw_day`
makes a large one from a seed, with regional quotas tight enough to cut.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from osb_batch.demo.staff_workbook import write_form

#: (market, region) pairs the default rules.toml knows.
PLACES = (("华东", "上海"), ("华东", "江苏"), ("华北", "北京"), ("华南", "广东"), ("西南", "四川"))
#: The SLT member who signs for each of those markets (rules.toml [markets]).
SIGNER = {"华东": "销售副总监", "华北": "销售总监", "华南": "销售副总监", "西南": "销售副总监"}


@dataclass(frozen=True, slots=True)
class Customer:
    code: str
    place: int                  # index into PLACES
    limit: Decimal
    prepaid: bool
    term: int = 30

    @property
    def name(self) -> str:
        return f"随机客户{self.code}有限公司"


@dataclass(frozen=True, slots=True)
class Order:
    order_no: str
    customer: int               # index into Day.customers
    lines: tuple[tuple[int, int], ...]     # (product index, qty)
    st: bool = False
    day: dt.date | None = None  # the order date; the business date when None


@dataclass(slots=True)
class Day:
    customers: list[Customer]
    prices: list[Decimal]                   # product i is P{i+1:03d}
    region_quotas: dict[tuple[int, int], int] = field(default_factory=dict)      # (place, product) -> qty
    customer_quotas: dict[tuple[int, int], int] = field(default_factory=dict)    # (customer, product) -> qty
    receipts: list[tuple[int, Decimal]] = field(default_factory=list)            # (customer, amount)
    openings: list[tuple[int, Decimal, int]] = field(default_factory=list)       # (customer, amount, days ago)
    approvals: list[tuple[Order, bool]] = field(default_factory=list)   # MA signatures: (order, approve?)
    orders: list[Order] = field(default_factory=list)


def product_code(i: int) -> str:
    return f"P{i + 1:03d}"


def write_master(inbox: Path, day: Day, date: dt.date) -> None:
    """Customers, products and quotas of ``day`` as three workbooks in ``inbox``."""
    inbox.mkdir(parents=True, exist_ok=True)
    write_form(inbox / "客户.xlsx", "customers", [
        {"customer_code": c.code, "customer_name": c.name, "market": PLACES[c.place][0],
         "region": PLACES[c.place][1], "account_manager": "王经理", "unit_manager": f"区域经理{c.place}",
         "credit_limit": c.limit, "payment_term_days": c.term, "prepaid": "是" if c.prepaid else "否"}
        for c in day.customers], sheet="客户")
    write_form(inbox / "产品.xlsx", "products", [
        {"product_code": product_code(i), "product_name": f"产品{i + 1}", "unit": "箱", "unit_price": price,
         "status": "在售", "product_group": "G1"} for i, price in enumerate(day.prices)], sheet="产品")
    month = date.strftime("%Y-%m")
    rows = [{"month": month, "level": "区域", "market": PLACES[p][0], "region": PLACES[p][1],
             "product_code": product_code(i), "quota_qty": qty} for (p, i), qty in sorted(day.region_quotas.items())]
    rows += [{"month": month, "level": "客户", "market": PLACES[day.customers[c].place][0],
              "region": PLACES[day.customers[c].place][1], "customer_code": day.customers[c].code,
              "product_code": product_code(i), "quota_qty": qty}
             for (c, i), qty in sorted(day.customer_quotas.items())]
    if rows:
        write_form(inbox / "配额.xlsx", "quotas", rows, sheet="配额")
    if day.openings:
        write_form(inbox / "期初.xlsx", "opening_balances", [
            {"customer_code": day.customers[c].code, "doc_no": f"QC-{n:04d}",
             "doc_date": date - dt.timedelta(days=ago), "due_date": date - dt.timedelta(days=ago - 30),
             "amount": amount} for n, (c, amount, ago) in enumerate(day.openings)], sheet="期初")


def write_flow(inbox: Path, day: Day, date: dt.date, tag: str = "") -> None:
    """The day's receipts and orders as two workbooks in ``inbox`` (``tag`` keeps later days' names apart)."""
    inbox.mkdir(parents=True, exist_ok=True)
    if day.receipts:
        write_form(inbox / f"到款{tag}.xlsx", "bank_receipts", [
            {"bank_ref": f"BR{tag}-{n:04d}", "receipt_date": date, "payer_name": day.customers[c].name,
             "amount": amount, "remark": "预付货款"} for n, (c, amount) in enumerate(day.receipts)], sheet="到款")
    rows = []
    for o in day.orders:
        customer = day.customers[o.customer]
        for i, qty in o.lines:
            rows.append({"order_no": o.order_no, "order_date": o.day or date, "customer_code": customer.code,
                         "kam_verified": "王经理", "mm_approved": "李经理", "product_code": product_code(i),
                         "qty": qty, "unit_price": day.prices[i], "amount": day.prices[i] * qty,
                         "st_requested": "是" if o.st else "否", "st_reason": "订货会" if o.st else None})
    if rows:
        write_form(inbox / f"订单{tag}.xlsx", "orders", rows, sheet="订单")
    if day.approvals:
        write_form(inbox / f"审批{tag}.xlsx", "approvals", [
            {"order_no": o.order_no, "approval_type": "经理批准",
             "approver": SIGNER[PLACES[day.customers[o.customer].place][0]],
             "decision": "同意" if yes else "不同意", "signed_at": dt.datetime.combine(date, dt.time(15))}
            for o, yes in day.approvals], sheet="审批")


def write_day(inbox: Path, day: Day, date: dt.date) -> None:
    write_master(inbox, day, date)
    write_flow(inbox, day, date)


def draw_day(seed: int, *, customers: int = 300, products: int = 60, lines: int = 20_000) -> Day:
    """A large day: Pareto-weighted customers, a tenth prepaid, limits around their day's total,
    region quotas for every product at about half of what the day asks, receipts for some."""
    rng = random.Random(seed)
    prices = [Decimal(rng.randrange(500, 30_000)) / 100 for _ in range(products)]
    weights = [rng.paretovariate(1.2) for _ in range(customers)]
    orders, left = [], lines
    while left > 0:
        n = min(rng.randint(1, 9), left)
        left -= n
        orders.append(Order(f"SO-{len(orders) + 1:05d}", rng.choices(range(customers), weights)[0],
                            tuple((p, rng.randint(1, 30)) for p in rng.sample(range(products), n)),
                            st=rng.random() < 0.03))
    asked: dict[tuple[int, int], int] = {}
    total: dict[int, Decimal] = {}
    people = []
    for c in range(customers):
        people.append(Customer(f"R{c + 1:04d}", c % len(PLACES), Decimal(0), rng.random() < 0.1))
    for o in orders:
        for p, qty in o.lines:
            key = (people[o.customer].place, p)
            asked[key] = asked.get(key, 0) + qty
            total[o.customer] = total.get(o.customer, Decimal(0)) + prices[p] * qty
    for c, person in enumerate(people):
        limit = Decimal(0) if person.prepaid else (total.get(c, Decimal(10_000)) * Decimal(rng.uniform(0.3, 2.0)))
        people[c] = Customer(person.code, person.place, limit.quantize(Decimal(1000)), person.prepaid)
    quotas = {key: max(0, int(qty * rng.uniform(0.2, 0.8))) for key, qty in asked.items()}
    receipts = [(c, (total.get(c, Decimal(0)) * Decimal(rng.uniform(0.1, 1.2))).quantize(Decimal("0.01")))
                for c in rng.sample(range(customers), customers // 5)]
    openings = [(c, Decimal(rng.randrange(1_000, 50_000)), rng.randrange(10, 90))
                for c in rng.sample(range(customers), customers // 10)]
    return Day(people, prices, quotas, receipts=receipts, orders=orders, openings=openings)
