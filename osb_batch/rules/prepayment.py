"""The prepayment release (预付款放行): orders waiting for a customer's payment move on once it is paid.

domain.md OP step 5, case 5-7a reached later. Each order waiting for payment (PREPAY_REQUIRED or
AWAITING_PAYMENT), taken in the given order, is covered when its customer's available
prepayment (unapplied receipts - committed orders) is at least its amount; a released order is
committed from then on, so it uses up prepayment before the customer's next waiting order.

:func:`covers` is the one test: :func:`release` applies it to orders already waiting, and
:func:`osb_batch.rules.credit.decide` to an order the moment it would start waiting, so a new
order the prepayment covers never waits for a run that would only release it (the state of an
order depends on the documents, not on how many times the batch ran).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

CASE = "5-7a"
#: The states of an order waiting for its customer's payment (cases 5-4 and 5-7c).
WAITING_STATES = ("PREPAY_REQUIRED", "AWAITING_PAYMENT")


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


def available(unapplied: Decimal, committed: Decimal) -> Decimal:
    """A customer's available prepayment: unapplied receipts - its committed orders not yet invoiced."""
    return unapplied - committed


def covers(amount: Decimal, available_prepayment: Decimal) -> bool:
    """Whether the available prepayment pays for an order of ``amount`` in advance (先款后货 satisfied)."""
    return available_prepayment >= amount


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
        prepayment = available(unapplied_of(code), committed[code])
        if covers(order.amount, prepayment):
            released.append(Release(order.order_id, state, prepayment))
            committed[code] += order.amount
    return released
