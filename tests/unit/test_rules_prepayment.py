"""The prepayment release: one row per way waiting orders meet their customer's prepayment, and the
property that a decided order and the release agree."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osb_batch.rules.credit import CreditFacts, CreditPolicy, decide
from osb_batch.rules.prepayment import WAITING_STATES, Release, WaitingOrder, release


def waiting(*rows):
    return [WaitingOrder(n, code, D(amount)) for n, (code, amount) in enumerate(rows, 1)]


# unapplied, committed, waiting orders, auto_sign, expected (order id, state, available)
CASES = [
    pytest.param({"P1": "100"}, {}, waiting(("P1", "100")), False, [(1, "AWAITING_SIGNATURE", "100")],
                 id="prepayment exactly the amount releases the order to the signature"),
    pytest.param({"P1": "100"}, {}, waiting(("P1", "100")), True, [(1, "APPROVED", "100")],
                 id="with auto_sign_pass the order is approved"),
    pytest.param({"P1": "99.99"}, {}, waiting(("P1", "100")), False, [],
                 id="a cent short keeps the order waiting"),
    pytest.param({"P1": "150"}, {"P1": "60"}, waiting(("P1", "100")), False, [],
                 id="committed orders use up prepayment first"),
    pytest.param({"P1": "150"}, {}, waiting(("P1", "100"), ("P1", "60"), ("P1", "50")), False,
                 [(1, "AWAITING_SIGNATURE", "150"), (3, "AWAITING_SIGNATURE", "50")],
                 id="a released order uses up prepayment before the next; a smaller later order may fit"),
    pytest.param({"P1": "100", "P2": "100"}, {}, waiting(("P1", "100"), ("P2", "100")), False,
                 [(1, "AWAITING_SIGNATURE", "100"), (2, "AWAITING_SIGNATURE", "100")],
                 id="customers do not share prepayment"),
    pytest.param({}, {}, waiting(("C1", "0")), False, [(1, "AWAITING_SIGNATURE", "0")],
                 id="an order of 0 is covered by nothing"),
]


@pytest.mark.parametrize("unapplied, committed, orders, auto_sign, expected", CASES)
def test_release_covers_waiting_orders_in_order(unapplied, committed, orders, auto_sign, expected):
    released = release(orders, lambda c: D(unapplied.get(c, "0")), lambda c: D(committed.get(c, "0")),
                       auto_sign=auto_sign)
    assert released == [Release(oid, state, D(available)) for oid, state, available in expected]
    assert all(r.case == "5-7a" for r in released)


def test_committed_amount_is_asked_once_per_customer():
    asked = []
    release(waiting(("P1", "1"), ("P1", "1"), ("P2", "1")), lambda c: D(5),
            lambda c: asked.append(c) or D(0), auto_sign=False)
    assert asked == ["P1", "P2"]


@settings(max_examples=200, deadline=None)
@given(amount=st.decimals("0", "50000", places=2), unapplied=st.decimals("0", "50000", places=2),
       committed=st.decimals("0", "50000", places=2), receivables=st.decimals("0", "200000", places=2),
       overdue=st.booleans(), prepaid_customer=st.booleans(), limit=st.sampled_from(["0", "20000", "100000"]))
def test_an_order_decided_to_wait_is_not_released_by_the_same_facts(amount, unapplied, committed, receivables,
                                                                      overdue, prepaid_customer, limit):
    """The release rule gives the run that decides an order the answer the next run would give."""
    facts = CreditFacts(D(limit), prepaid_customer, receivables, receivables if overdue else D(0), unapplied)
    policy = CreditPolicy(D("0.20"), D("10000"))
    decision = decide(amount, facts, committed, committed, False, policy)
    released = release([WaitingOrder(1, "C1", amount)], lambda c: unapplied, lambda c: committed, auto_sign=False)
    if decision.state in WAITING_STATES:
        assert released == []
    elif decision.case == "5-7a":
        assert released == [Release(1, "AWAITING_SIGNATURE", decision.available_prepayment)]
