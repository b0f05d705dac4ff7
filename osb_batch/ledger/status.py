"""What waits, as ``osb-batch status`` reads it: orders, approvals and names, read only.

Rows come back as the ledger stores them (text); :mod:`osb_batch.commands.status` shapes them.
"""

from __future__ import annotations

from .database import Ledger
from .problems import ProblemLog


def orders_awaiting(ledger: Ledger, states: tuple[str, str]) -> list[tuple]:
    """(order no, customer, signer, state, amount, accepted on) of the orders in ``states``, by id."""
    return ledger.conn.execute(
        "SELECT order_no, customer_code, signer, state, amount, accepted_on FROM orders WHERE state IN (?, ?) "
        "ORDER BY id", states).fetchall()


def st_pending(ledger: Ledger) -> list[tuple[str, str, list[str]]]:
    """(order no, accepted on, the SLT members who approved) of orders waiting for special treatment."""
    return [(no, accepted, [a for (a,) in ledger.conn.execute(
                "SELECT DISTINCT approver FROM approvals WHERE order_no = ? AND approval_type = 'ST' "
                "AND accepted = 1 AND decision = 'approve'", (no,))])
            for no, accepted in ProblemLog(ledger).st_pending()]


def customer_names(ledger: Ledger) -> dict[str, str | None]:
    """customer code -> customer name."""
    return dict(ledger.conn.execute("SELECT customer_code, customer_name FROM customers"))
