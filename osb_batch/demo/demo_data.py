"""The demo's data, drawn once from a seed: master data, the scenarios' customers, the day's
receipts and orders.

:func:`build` draws the master data (:mod:`.master_data`), then casts a customer for each
scenario among those whose exposure it can predict (credit customers without opening balances,
prepaid customers), sets their credit limits, adds the overdue opening balances and the bank
receipts the scenarios need, and builds the day's orders (:mod:`.orders`). Every value comes
from ``random.Random(seed)`` and the business date, never the clock, so a seed always gives the
same data; :mod:`osb_batch.demo.week` carries it on through a simulated week.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from . import master_data as md
from .master_data import Customer, Names, Product, Quota
from .orders import CENT, DemoLine, DemoOrder, day_orders

if TYPE_CHECKING:
    from osb_batch.settings import Settings

DEFAULT_SEED = 20261126
# scenario -> the credit limit its customer gets (the orders are sized from it)
_LIMITS = {"pass": 200_000, "over": 100_000, "overdue": 300_000, "far_over": 50_000, "st": 300_000,
           "twice": 150_000, "cut": 500_000}
_CREDIT_ROLES = ("cut", "pass", "over", "overdue", "far_over", "st", "twice", "rejected")
_PREPAID_ROLES = ("prepay_ok", "shortfall", "prepay_wait")


@dataclass(slots=True)
class DemoData:
    """Everything the demo writes, drawn once from the seed; :mod:`osb_batch.demo.week` reuses it."""

    day: dt.date
    seed: int
    settings: Settings
    customers: list[Customer]
    products: list[Product]
    quotas: list[Quota]
    contract_rows: list[dict]
    quota_rows: list[dict]
    transfer_rows: list[dict]
    opening_rows: list[dict]
    update_rows: list[dict]
    bad_rows: list[dict]
    market_managers: dict[str, str] = field(default_factory=dict)      # market code -> MM name
    roles: dict[str, Customer] = field(default_factory=dict)           # scenario -> customer
    regulars: list[Customer] = field(default_factory=list)             # for later days' orders
    receipt_rows: list[dict] = field(default_factory=list)
    orders: list[DemoOrder] = field(default_factory=list)

    def product(self, name: str) -> Product:
        return next(p for p in self.products if p.name == name)

    def price(self, customer: Customer, product: Product, day: dt.date) -> Decimal:
        """The contract price valid on ``day``, else the list price: what a correct order says."""
        for row in self.contract_rows:
            if (row["customer_code"], row["product_code"]) == (customer.code, product.code) \
                    and row["valid_from"] <= day and (row["valid_to"] is None or day <= row["valid_to"]):
                return row["unit_price"]
        return product.price

    def line(self, customer: Customer, product: Product, qty: int, day: dt.date | None = None) -> DemoLine:
        price = self.price(customer, product, day or self.day)
        return DemoLine(product, Decimal(qty), price, (price * qty).quantize(CENT))

    def sized(self, customer: Customer, product: Product, target: Decimal,
              day: dt.date | None = None) -> DemoLine:
        """A line of ``product`` worth about ``target`` yuan (rounded up to whole units)."""
        price = self.price(customer, product, day or self.day)
        return self.line(customer, product, max(1, math.ceil(target / price)), day)

    def mm(self, customer: Customer) -> str:
        return self.market_managers[customer.market.code]



def build(settings: Settings, business_date: dt.date, *, seed: int = DEFAULT_SEED) -> DemoData:
    """The demo's data for ``business_date``: master data, faulty rows, receipts and orders.

    The random draws happen in the order the workbooks were always written, so the master-data
    files of a seed do not change when scenarios are added; the scenarios then use no draw but
    the market managers' names.
    """
    rng = random.Random(seed)
    names = Names(rng)
    customers = md.draw_customers(rng, names, settings.markets)
    products = md.product_list()
    quotas = md.draw_quotas(rng, customers, products, settings.markets)
    data = DemoData(
        day=business_date, seed=seed, settings=settings, customers=customers, products=products, quotas=quotas,
        contract_rows=md.contract_rows(rng, customers, products, business_date),
        quota_rows=[md.quota_row(q, rng.choice(md.month_texts(business_date))) for q in quotas],
        transfer_rows=md.transfer_rows(rng, customers, quotas, settings.markets, business_date),
        opening_rows=md.opening_rows(rng, customers, business_date),
        update_rows=md.update_rows(rng, customers),
        bad_rows=md.bad_customer_rows(rng, names, customers, settings.markets, business_date),
    )
    data.market_managers = {m.code: names() for m in settings.markets}
    _cast(data, names)
    data.orders = day_orders(data)
    return data


def _interleaved(customers: Sequence[Customer]) -> list[Customer]:
    """Customers taken one market at a time, so that scenarios spread over markets and regions."""
    by_market: dict[str, list[Customer]] = {}
    for c in customers:
        by_market.setdefault(c.market.code, []).append(c)
    queues = list(by_market.values())
    out = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def _cast(data: DemoData, names: Names) -> None:
    """Pick each scenario's customer, give it the credit limit and opening balance it needs.

    Credit scenarios take credit customers without opening balances (whose exposure is known)
    and not in the later 华北 update (whose limits change); the cut takes one outside the market
    whose regions trade quota, so that its region's quota is the quota file's figure.
    """
    day = data.day
    update_market = md.pick_market([c.market for c in data.customers], "华北", "N", 0)
    updated = {c.code for c in [c for c in data.customers if c.market is update_market][:3]}
    with_opening = {r["customer_code"] for r in data.opening_rows}
    transfer_market = md.transfer_market(data.settings.markets)
    credit = _interleaved([c for c in data.customers if not c.prepaid and c.credit_limit > 0
                           and c.code not in with_opening | updated])
    prepaid = _interleaved([c for c in data.customers if c.prepaid])
    cut = next((c for c in credit if c.market is not transfer_market), None)
    if cut is None or len(credit) < len(_CREDIT_ROLES) + 2 or len(prepaid) < len(_PREPAID_ROLES):
        raise ValueError("too few demo customers for the order scenarios")
    credit.remove(cut)
    roles = {"cut": cut, **dict(zip(_CREDIT_ROLES[1:], credit, strict=False)),
             **dict(zip(_PREPAID_ROLES, prepaid, strict=False))}
    data.regulars = credit[len(_CREDIT_ROLES) - 1:]
    changed = {roles[role].code: Decimal(limit) for role, limit in _LIMITS.items()}
    data.customers = [dataclasses.replace(c, credit_limit=changed[c.code]) if c.code in changed else c
                      for c in data.customers]
    by_code = {c.code: c for c in data.customers}
    data.roles = {role: by_code[c.code] for role, c in roles.items()}
    data.regulars = [by_code[c.code] for c in data.regulars]
    # overdue receivables for the 5-4 and 5-5 customers: an invoice due 25 days ago
    for role, amount in (("overdue", Decimal("36000.00")), ("st", Decimal("28000.00"))):
        c = data.roles[role]
        due = day - dt.timedelta(days=25)
        data.opening_rows.append({"customer_code": c.code, "doc_date": due - dt.timedelta(days=c.term),
                                  "due_date": due, "amount": amount,
                                  "doc_no": f"QC-{day.year}-{len(data.opening_rows) + 1:03d}"})
    # the day's bank receipts: enough for one prepaid customer, too little for another, one unknown payer
    ok, wait = data.roles["prepay_ok"], data.roles["prepay_wait"]
    data.receipt_rows = [
        receipt_row(day, 1, ok.name, Decimal("100000.00"), f"工商银行{ok.city}分行", "预付货款"),
        receipt_row(day, 2, names(), Decimal("3000.00"), "建设银行营业部", "货款"),
        receipt_row(day, 3, wait.name, Decimal("20000.00"), f"农业银行{wait.city}支行", "部分预付款"),
    ]


def receipt_row(day: dt.date, n: int, payer: str, amount: Decimal, account: str, remark: str) -> dict:
    return {"bank_ref": f"BR-{day:%Y%m%d}-{n:03d}", "receipt_date": day, "payer_name": payer,
            "amount": amount, "bank_account": account, "remark": remark}


