"""The prepayment release (预付款放行): orders waiting for a customer's payment move on once it is paid.

domain.md OP step 5, case 5-7a reached later. Each order waiting for payment (PREPAY_REQUIRED or
AWAITING_PAYMENT), taken in the given order, is covered when its customer's available
prepayment (unapplied receipts - committed orders) is at least its amount; a released order is
committed from then on, so it uses up prepayment before the customer's next waiting order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

CASE = "5-7a"


@dataclass(frozen=True, slots=True)
class WaitingOrder:
    order_id: int
    customer_code: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Release:
    """A waiting order the prepayment covers: its new state and the prepayment it saw."""

    order_id: int
    state: str
    available: Decimal
    case: str = CASE


def release(waiting: Iterable[WaitingOrder], unapplied_of: Callable[[str], Decimal],
            committed_of: Callable[[str], Decimal], *, auto_sign: bool) -> list[Release]:
    """The waiting orders released, in the order given.

    Args:
        waiting: the orders waiting for payment, oldest first.
        unapplied_of: a customer's unapplied receipts on the business date.
        committed_of: a customer's committed orders before this release, asked once per customer.
        auto_sign: whether a released order skips the MA signature (rules.toml ``[ma] auto_sign_pass``).
    """
    state = "APPROVED" if auto_sign else "AWAITING_SIGNATURE"
    committed: dict[str, Decimal] = {}
    released = []
    for order in waiting:
        code = order.customer_code
        if code not in committed:
            committed[code] = committed_of(code)
        available = unapplied_of(code) - committed[code]
        if available >= order.amount:
            released.append(Release(order.order_id, state, available))
            committed[code] += order.amount
    return released
