"""CC, the credit check (信用检查): OP step 5 in domain.md, the decision table as code.

For customer c::

    exposure  = open receivables + committed orders + this order's amount (after AC)
    over      = exposure / limit - 1          (a limit of 0: every credit order is over)
    available = unapplied receipts - earlier committed orders not yet invoiced

and the first matching row of the decision table decides (:data:`STATE_OF_CASE` maps its
cases to order states). An order that would wait for payment (5-4, 5-7c) while its available
prepayment already covers it is decided 5-7a at once: the prepayment release
(:mod:`osb_batch.rules.prepayment`) would free it on the next run anyway, and a second run
must not change what the first decided. :class:`RunningExposure` decides a run's orders one after another, so a
customer's second order sees the first one's exposure; :func:`decide_in_order` does so for a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from . import prepayment

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
    """The decision-table row for one order; ``committed_*`` are the customer's earlier orders
    (``committed_prepaid``: those that use up its prepayment, i.e. not yet invoiced)."""
    exposure = customer.open_receivables + committed_amount + order_amount
    over = None if customer.limit <= 0 else exposure / customer.limit - 1
    available = prepayment.available(customer.unapplied_receipts, committed_prepaid)
    shortfall = max(order_amount - available, ZERO)
    case = _case(customer, over, shortfall, st_requested, policy)
    if STATE_OF_CASE[case] in prepayment.WAITING_STATES and prepayment.covers(order_amount, available):
        case = prepayment.CASE
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


class RunningExposure:
    """Each customer's committed amount as a run decides its orders one after another."""

    def __init__(self, committed_of: Callable[[str], Decimal]):
        """``committed_of`` loads a customer's committed amount (earlier runs) on first use."""
        self._committed_of = committed_of
        self._committed: dict[str, Decimal] = {}

    def decide(self, customer_code: str, amount: Decimal, facts: CreditFacts, *,
               st_requested: bool, policy: CreditPolicy) -> CreditDecision:
        """:func:`decide` one order; an order that ends committed adds ``amount`` for the next.

        The committed amount is also the prepayment already spoken for (every committed order
        is not yet invoiced), for a prepaid customer and for one that must pay first (5-4) alike;
        ``facts.prepaid`` says which the customer is.
        """
        if customer_code not in self._committed:
            self._committed[customer_code] = self._committed_of(customer_code)
        committed = self._committed[customer_code]
        decision = decide(amount, facts, committed, committed, st_requested, policy)
        if decision.committed:
            self._committed[customer_code] = committed + amount
        return decision


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


def decide_in_order(orders: Iterable[CreditOrder], facts: Mapping[str, Standing],
                    policy: CreditPolicy) -> list[CreditDecision]:
    """Decide ``orders`` in acceptance order with one :class:`RunningExposure`; one decision per order.

    Raises:
        KeyError: an order's customer has no standing in ``facts``.
    """
    running = RunningExposure(lambda code: facts[code].committed_amount)
    decisions = []
    for order in orders:
        if order.customer_code not in facts:
            raise KeyError(f"no credit facts for customer {order.customer_code!r} (order {order.order_no})")
        customer = facts[order.customer_code].facts
        decisions.append(running.decide(order.customer_code, order.amount, customer,
                                        st_requested=order.st_requested, policy=policy))
    return decisions
