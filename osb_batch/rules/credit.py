"""CC, the credit check (信用检查): OP step 5 in domain.md, the decision table as code.

For customer c::

    exposure  = open receivables + committed orders + this order's amount (after AC)
    over      = exposure / limit - 1          (a limit of 0: every credit order is over)
    available = unapplied receipts - earlier committed prepaid orders not yet invoiced

and the first matching row of the decision table decides (:data:`STATE_OF_CASE` maps its
cases to order states). :func:`decide_in_order` runs a batch of
orders in acceptance order, so a customer's second order sees the first one's exposure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
#: Orders in these states count as committed: they raise exposure and use up prepayment.
COMMITTED_STATES = frozenset({"AWAITING_SIGNATURE", "NEEDS_MANAGER_APPROVAL", "ST_PENDING", "APPROVED",
                              "NOTE_ISSUED", "SHIPPED"})
#: case -> the order state it leads to (interface.md); a PASS waits for the MA signature.
STATE_OF_CASE = {
    "5-7a": "AWAITING_SIGNATURE",
    "5-7b": "NEEDS_MANAGER_APPROVAL",
    "5-7c": "AWAITING_PAYMENT",
    "5-5": "ST_PENDING",
    "5-4": "PREPAY_REQUIRED",
    "5-3": "NEEDS_MANAGER_APPROVAL",
    "5-2": "AWAITING_SIGNATURE",
}


@dataclass(frozen=True, slots=True)
class CreditPolicy:
    """Thresholds from rules.toml [credit]; no defaults here, the numbers live there."""

    tolerance: Decimal
    prepay_shortfall_cap: Decimal


@dataclass(frozen=True, slots=True)
class CreditFacts:
    """A customer's position on the batch date (overdue = open receivables past their due date)."""

    limit: Decimal
    prepaid: bool
    open_receivables: Decimal
    overdue: Decimal
    unapplied_receipts: Decimal


@dataclass(frozen=True, slots=True)
class CreditDecision:
    case: str
    state: str
    exposure: Decimal
    over: Decimal | None        # exposure / limit - 1; None when the limit is 0 (always over)
    available_prepayment: Decimal
    shortfall: Decimal          # amount - available prepayment, not below 0

    @property
    def committed(self) -> bool:
        """Whether the order now counts in its customer's exposure and prepayment use."""
        return self.state in COMMITTED_STATES


def decide(order_amount: Decimal, customer: CreditFacts, committed_amount: Decimal,
           committed_prepaid: Decimal, st_requested: bool, policy: CreditPolicy) -> CreditDecision:
    """The decision-table row for one order; ``committed_*`` are the customer's earlier orders."""
    exposure = customer.open_receivables + committed_amount + order_amount
    over = None if customer.limit <= 0 else exposure / customer.limit - 1
    available = customer.unapplied_receipts - committed_prepaid
    shortfall = max(order_amount - available, ZERO)
    case = _case(customer, over, shortfall, st_requested, policy)
    return CreditDecision(case, STATE_OF_CASE[case], exposure, over, available, shortfall)


def _case(customer: CreditFacts, over: Decimal | None, shortfall: Decimal, st_requested: bool,
          policy: CreditPolicy) -> str:
    if customer.prepaid:
        if shortfall <= 0:
            return "5-7a"
        return "5-7b" if shortfall <= policy.prepay_shortfall_cap else "5-7c"
    if customer.overdue > 0 or over is None or over > policy.tolerance:
        return "5-5" if st_requested else "5-4"
    return "5-3" if over > 0 else "5-2"


@dataclass(frozen=True, slots=True)
class CreditOrder:
    order_no: str
    customer_code: str
    amount: Decimal             # after AC (cut lines already reduced)
    st_requested: bool = False


@dataclass(frozen=True, slots=True)
class Standing:
    """A customer's credit facts plus its committed orders from earlier runs (the ledger)."""

    facts: CreditFacts
    committed_amount: Decimal = ZERO
    committed_prepaid: Decimal = ZERO


def decide_in_order(orders: Iterable[CreditOrder], facts: Mapping[str, Standing],
                    policy: CreditPolicy) -> list[CreditDecision]:
    """Decide ``orders`` in acceptance order; one decision per order, in the same order.

    Each order that ends committed adds its amount to its customer's committed amount (and
    committed prepaid amount) seen by that customer's next order.
    """
    running = {code: (s.committed_amount, s.committed_prepaid) for code, s in facts.items()}
    decisions = []
    for order in orders:
        if order.customer_code not in facts:
            raise KeyError(f"no credit facts for customer {order.customer_code!r} (order {order.order_no})")
        committed, prepaid = running[order.customer_code]
        decision = decide(order.amount, facts[order.customer_code].facts, committed, prepaid,
                          order.st_requested, policy)
        if decision.committed:
            running[order.customer_code] = (committed + order.amount, prepaid + order.amount)
        decisions.append(decision)
    return decisions
