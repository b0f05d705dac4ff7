"""QC, the qualification check (合格性检查): OP step 3 in domain.md, as a pure function.

:func:`check_order` looks at one order against the catalogue facts and returns *every* reason
it fails at once, so the order goes back to its UM in one round trip. It knows nothing of
files or the ledger: the caller passes the facts (products, contract prices, customers, the
state of an earlier order with the same number) and the thresholds (:class:`QcPolicy`).

A reason names a rule slug of :mod:`osb_batch.messages`. All but one reject the order; a
customer master record that lacks a required field (:data:`WAIT_RULES`) makes the order wait
instead, see :func:`verdict`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

#: ST (特别处理) may be requested only for these reasons; "other" needs a written note.
ST_REASONS = frozenset({"fair", "above_expectation", "other"})
#: Reasons that make an order wait (fix the master data) rather than reject it.
WAIT_RULES = frozenset({"customer-master-incomplete"})
#: The customer master fields an order cannot be processed without, with their labels.
REQUIRED_CUSTOMER_FIELDS = {
    "credit_limit": ("信用额度", "credit limit"),
    "payment_term_days": ("回款期", "payment term"),
    "account_manager": ("客户经理", "account manager"),
    "market": ("市场", "market"),
    "slt_member": ("分管经理", "responsible SLT member"),
}

#: The order field (form key) each reason is about: the cell its finding points at.
FIELDS = {
    "order-duplicate": "order_no", "order-date-future": "order_date", "order-too-old": "order_date",
    "unknown-customer": "customer_code", "customer-master-incomplete": "customer_code",
    "kam-missing": "kam_verified", "mm-missing": "mm_approved", "st-reason-missing": "st_reason",
    "st-reason-invalid": "st_reason", "st-note-missing": "st_note", "unknown-product": "product_code",
    "product-discontinued": "product_code", "quantity-not-positive": "qty", "price-mismatch": "unit_price",
    "amount-mismatch": "amount",
}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an order (``line is None``) or one of its lines (0-based index) fails a rule."""

    rule: str
    line: int | None = None
    params: tuple[tuple[str, str], ...] = ()

    @property
    def params_dict(self) -> dict[str, str]:
        return dict(self.params)


def reason(rule: str, line: int | None = None, **params: object) -> Reason:
    """A :class:`Reason` whose params are rendered as text (Decimal, date, ... via ``str``)."""
    return Reason(rule, line, tuple((k, "" if v is None else str(v)) for k, v in params.items()))


@dataclass(frozen=True, slots=True)
class QcPolicy:
    max_order_age_days: int
    price_tolerance: Decimal
    amount_tolerance: Decimal


@dataclass(frozen=True, slots=True)
class LineIn:
    """One order line; a field the reader could not convert is None (already reported)."""

    product_code: str
    qty: Decimal | None
    unit_price: Decimal | None
    amount: Decimal | None


@dataclass(frozen=True, slots=True)
class OrderIn:
    order_no: str
    order_date: dt.date | None
    customer_code: str
    kam_verified: str | None
    mm_approved: str | None
    lines: tuple[LineIn, ...]
    st_requested: bool = False
    st_reason: str | None = None
    st_note: str | None = None
    over_quota_requested: bool = False


@dataclass(frozen=True, slots=True)
class ProductFact:
    unit_price: Decimal
    discontinued: bool
    unit: str = ""


@dataclass(frozen=True, slots=True)
class CustomerFact:
    """What QC needs of a customer; ``slt_member`` is the market's signer from rules.toml."""

    credit_limit: Decimal | None
    payment_term_days: int | None
    account_manager: str | None
    market: str | None
    slt_member: str | None


ContractPrices = Callable[[str, str, dt.date], Decimal | None]


def check_order(order: OrderIn, products: Mapping[str, ProductFact], contract_prices: ContractPrices,
                customers: Mapping[str, CustomerFact], batch_date: dt.date,
                previous_state_of_order_no: str | None, policy: QcPolicy) -> list[Reason]:
    """Every QC reason ``order`` fails, order-level reasons first, then line by line.

    ``previous_state_of_order_no`` is the state of an order already registered under the same
    number (None when there is none). The caller has already folded the same order read twice
    from the same file into one (acceptance is idempotent), so any earlier order that is not
    REJECTED makes this one a duplicate.
    """
    reasons = _order_reasons(order, customers, batch_date, previous_state_of_order_no, policy)
    for index, line in enumerate(order.lines):
        reasons += _line_reasons(index, line, order, products, contract_prices, policy)
    return reasons


def verdict(reasons: list[Reason]) -> str:
    """The QC outcome: "pass", "wait" (only master-data reasons: fix the customer) or "reject"."""
    if any(r.rule not in WAIT_RULES for r in reasons):
        return "reject"
    return "wait" if reasons else "pass"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _order_reasons(order: OrderIn, customers: Mapping[str, CustomerFact], batch_date: dt.date,
                   previous_state: str | None, policy: QcPolicy) -> list[Reason]:
    reasons = []
    if previous_state is not None and previous_state != "REJECTED":
        reasons.append(reason("order-duplicate", value=order.order_no, state=previous_state))
    reasons += _date_reasons(order.order_date, batch_date, policy)
    customer = customers.get(order.customer_code)
    if customer is None:
        reasons.append(reason("unknown-customer", value=order.customer_code))
    else:
        reasons += _master_reasons(order.customer_code, customer)
    if _blank(order.kam_verified):
        reasons.append(reason("kam-missing"))
    if _blank(order.mm_approved):
        reasons.append(reason("mm-missing"))
    return reasons + _st_reasons(order)


def _date_reasons(order_date: dt.date | None, batch_date: dt.date, policy: QcPolicy) -> list[Reason]:
    if order_date is None:
        return []
    if order_date > batch_date:
        return [reason("order-date-future", value=order_date, batch_date=batch_date)]
    oldest = batch_date - dt.timedelta(days=policy.max_order_age_days)
    if order_date < oldest:
        return [reason("order-too-old", value=order_date, max_days=policy.max_order_age_days, oldest=oldest)]
    return []


def _master_reasons(code: str, customer: CustomerFact) -> list[Reason]:
    missing = [key for key in REQUIRED_CUSTOMER_FIELDS if _blank(getattr(customer, key))]
    if not missing:
        return []
    return [reason("customer-master-incomplete", value=code, missing=",".join(missing),
                   missing_zh="、".join(REQUIRED_CUSTOMER_FIELDS[k][0] for k in missing),
                   missing_en=", ".join(REQUIRED_CUSTOMER_FIELDS[k][1] for k in missing))]


def _st_reasons(order: OrderIn) -> list[Reason]:
    if not order.st_requested:
        return []
    if _blank(order.st_reason):
        return [reason("st-reason-missing")]
    if order.st_reason not in ST_REASONS:
        return [reason("st-reason-invalid", value=order.st_reason)]
    if order.st_reason == "other" and _blank(order.st_note):
        return [reason("st-note-missing")]
    return []


def _line_reasons(index: int, line: LineIn, order: OrderIn, products: Mapping[str, ProductFact],
                  contract_prices: ContractPrices, policy: QcPolicy) -> list[Reason]:
    reasons = []
    product = products.get(line.product_code)
    if product is None:
        reasons.append(reason("unknown-product", index, value=line.product_code))
    elif product.discontinued:
        reasons.append(reason("product-discontinued", index, value=line.product_code))
    if line.qty is not None and line.qty <= 0:
        reasons.append(reason("quantity-not-positive", index, value=line.qty,
                              unit=product.unit if product else ""))
    if product is not None and line.unit_price is not None:
        reasons += _price_reasons(index, line, order, product, contract_prices, policy)
    if line.qty is not None and line.unit_price is not None and line.amount is not None:
        expected = line.qty * line.unit_price
        if abs(line.amount - expected) > policy.amount_tolerance:
            reasons.append(reason("amount-mismatch", index, value=line.amount, qty=line.qty,
                                  unit_price=line.unit_price, expected=expected))
    return reasons


def _price_reasons(index: int, line: LineIn, order: OrderIn, product: ProductFact,
                   contract_prices: ContractPrices, policy: QcPolicy) -> list[Reason]:
    contract = None
    if order.order_date is not None:
        contract = contract_prices(order.customer_code, line.product_code, order.order_date)
    expected, source = (product.unit_price, "price_list") if contract is None else (contract, "contract")
    if abs(line.unit_price - expected) <= policy.price_tolerance:
        return []
    zh, en = ("价目表价", "price-list price") if source == "price_list" else ("合同价", "contract price")
    return [reason("price-mismatch", index, value=line.unit_price, expected=expected, source=source,
                   source_zh=zh, source_en=en)]
