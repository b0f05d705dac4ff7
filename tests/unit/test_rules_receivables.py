"""The receivables rules: settlement, ageing, the BC KPI, statements and the comparison with a reply."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osb_batch.rules.receivables import (
    INVOICE,
    OPENING,
    RECEIPT,
    RETURN,
    Doc,
    TheirDoc,
    ageing,
    bucket_labels,
    bucket_of,
    collected_on_time,
    compare,
    settle,
    statement,
)

d = dt.date
BUCKETS = (30, 60, 90, 180)


def inv(no, day, amount, term=30):
    return Doc(INVOICE, no, day, D(amount), due=day + dt.timedelta(days=term))


def rec(no, day, amount, *names):
    return Doc(RECEIPT, no, day, -D(amount), names=names)


def ret(no, day, amount, original=""):
    return Doc(RETURN, no, day, -D(amount), names=(original,) if original else (), ref=original)


# settlement ---------------------------------------------------------------------------------------
def test_a_receipt_pays_the_oldest_due_first_and_the_rest_is_prepayment():
    acc = settle([inv("I2", d(2026, 2, 1), "50"), inv("I1", d(2026, 1, 1), "100"), rec("B1", d(2026, 3, 1), "180")])
    assert [(doc.number, left) for doc, left in acc.debits] == [("I1", D(0)), ("I2", D(0))]
    assert [s.debit for s in acc.settlements] == ["I1", "I2"]
    assert acc.prepayment == D(30) and acc.balance == D(-30)


def test_a_claim_names_the_invoice_it_pays():
    acc = settle([inv("I1", d(2026, 1, 1), "100"), inv("I2", d(2026, 2, 1), "50"),
                  rec("B1", d(2026, 3, 1), "50", "I2")])
    assert dict((doc.number, left) for doc, left in acc.debits) == {"I1": D(100), "I2": D(0)}


def test_a_return_credits_its_original_invoice():
    acc = settle([inv("I1", d(2026, 1, 1), "100"), inv("I2", d(2026, 2, 1), "50"), ret("R1", d(2026, 2, 5), "20", "I2")])
    assert dict((doc.number, left) for doc, left in acc.debits) == {"I1": D(100), "I2": D(30)}


def test_prepayment_is_used_by_the_next_invoice_on_its_date():
    acc = settle([rec("B1", d(2026, 1, 1), "80"), inv("I1", d(2026, 1, 10), "100")])
    assert acc.open_amount == D(20) and acc.unapplied == D(0)
    assert acc.settlements[0].date == d(2026, 1, 10)


def test_one_receipt_pays_many_invoices_and_many_receipts_pay_one():
    many = settle([inv("I1", d(2026, 1, 1), "10"), inv("I2", d(2026, 1, 2), "20"), rec("B1", d(2026, 2, 1), "30")])
    assert many.open_amount == 0 and len(many.settlements) == 2
    one = settle([inv("I1", d(2026, 1, 1), "30"), rec("B1", d(2026, 2, 1), "10"), rec("B2", d(2026, 2, 2), "20")])
    assert one.open_amount == 0 and {s.credit for s in one.settlements} == {"B1", "B2"}


def test_documents_after_the_as_of_date_are_left_out():
    docs = [inv("I1", d(2026, 6, 20), "100"), rec("B1", d(2026, 7, 2), "100")]
    assert settle(docs, d(2026, 6, 30)).balance == D(100)
    assert settle(docs, d(2026, 7, 2)).balance == D(0)


def test_overdue_counts_open_debits_past_their_due_date():
    acc = settle([inv("I1", d(2026, 1, 1), "100", term=30), inv("I2", d(2026, 1, 20), "40", term=30)])
    assert acc.overdue(d(2026, 1, 31)) == 0          # due exactly today is not overdue
    assert acc.overdue(d(2026, 2, 1)) == D(100)


# ageing ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("days, bucket", [(-5, 0), (0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3),
                                          (91, 4), (180, 4), (181, 5), (900, 5)])
def test_bucket_edges(days, bucket):
    assert bucket_of(days, BUCKETS) == bucket


def test_bucket_labels_follow_the_settings():
    assert bucket_labels(BUCKETS) == ["未到期", "1-30天", "31-60天", "61-90天", "91-180天", ">180天"]
    assert bucket_labels((45,), "en") == ["Not due", "1-45 days", ">45 days"]


def test_ageing_puts_each_open_amount_in_its_bucket():
    acc = settle([Doc(OPENING, "O1", d(2025, 1, 1), D(70), due=d(2025, 6, 1)),
                  inv("I1", d(2026, 5, 1), "100", term=30), inv("I2", d(2026, 6, 20), "10", term=30),
                  rec("B1", d(2026, 6, 25), "20", "O1")])
    assert ageing(acc, d(2026, 6, 30), BUCKETS) == [D(10), D(100), 0, 0, 0, D(50)]


# BC KPI ------------------------------------------------------------------------------------------
def test_collection_counts_receipts_within_the_grace_days_of_the_due_date():
    acc = settle([inv("I1", d(2026, 1, 1), "100", term=30), inv("I2", d(2026, 1, 5), "100", term=30),
                  rec("B1", d(2026, 2, 5), "100", "I1"),        # due 01-31, paid 02-05: 5 days, in time
                  rec("B2", d(2026, 2, 11), "100", "I2")])      # due 02-04, paid 02-11: 7 days, late
    jan = collected_on_time([acc], "2026-01", 5)
    assert (jan.due, jan.on_time, jan.rate) == (D(100), D(100), D("100.00"))
    feb = collected_on_time([acc], "2026-02", 5)
    assert (feb.due, feb.on_time, feb.rate) == (D(100), D(0), D("0.00"))


def test_collection_leaves_out_what_returns_settled_and_waits_for_running_grace_periods():
    acc = settle([inv("I1", d(2026, 1, 1), "100", term=30), ret("R1", d(2026, 1, 10), "40", "I1")])
    assert collected_on_time([acc], "2026-01", 5).due == D(60)
    assert collected_on_time([acc], "2026-01", 5, as_of=d(2026, 2, 2)).due == 0    # grace still running
    assert collected_on_time([acc], "2026-01", 5, as_of=d(2026, 2, 6)).due == D(60)


# statements and replies --------------------------------------------------------------------------
H1 = (d(2026, 1, 1), d(2026, 6, 30))


def test_statement_has_opening_lines_in_date_order_and_closing():
    docs = [inv("I0", d(2025, 12, 1), "500"), inv("I1", d(2026, 3, 1), "100"), rec("B1", d(2026, 2, 1), "300"),
            ret("R1", d(2026, 3, 1), "10", "I1"), inv("I9", d(2026, 7, 1), "999")]
    s = statement(docs, *H1)
    assert s.opening == D(500)
    assert [(ln.doc.number, ln.balance) for ln in s.lines] == [("B1", D(200)), ("I1", D(300)), ("R1", D(290))]
    assert (s.debits, s.credits, s.closing) == (D(100), D(310), D(290))


def _h1():
    return statement([inv("I1", d(2026, 3, 1), "1000"), ret("RET-1", d(2026, 4, 1), "200", "I1"),
                      rec("B1", d(2026, 6, 29), "300")], *H1)


@pytest.mark.parametrize("balance, docs, status, explained, ours, theirs", [
    (None, None, "no_reply", "0", [], []),
    ("500", None, "agreed", "0", [], []),
    ("700", None, "differs", "0", [], []),
    # the customer never booked the return
    ("700", [("I1", "2026-03-01", "1000"), ("X9", "2026-06-29", "-300")], "differs", "-200", ["RET-1"], []),
    # the customer dated the payment two days later, inside the window, after the period end
    ("800", [("I1", "2026-03-01", "1000"), ("RET-1", "2026-04-01", "-200"), ("PAY", "2026-07-01", "-300")],
     "differs", "-300", [], []),
    # their extra invoice we do not have
    ("600", [("I1", "2026-03-01", "1000"), ("RET-1", "2026-04-01", "-200"), ("B1", "2026-06-29", "-300"),
             ("I7", "2026-05-05", "100")], "differs", "-100", [], ["I7"]),
    # an amount booked differently
    ("550", [("I1", "2026-03-01", "1050"), ("RET-1", "2026-04-01", "-200"), ("B1", "2026-06-29", "-300")],
     "differs", "-50", [], []),
])
def test_compare_reply(balance, docs, status, explained, ours, theirs):
    their = None if docs is None else [TheirDoc(n, dt.date.fromisoformat(day), D(a)) for n, day, a in docs]
    c = compare(_h1(), None if balance is None else D(balance), their, 3)
    assert c.status == status
    assert c.explained == D(explained)
    assert [x.number for x in c.unmatched_ours] == ours
    assert [x.number for x in c.unmatched_theirs] == theirs
    if c.difference is not None and docs:
        assert c.unexplained == 0


def test_a_match_by_amount_needs_the_date_window():
    their = [TheirDoc("I1", d(2026, 3, 1), D(1000)), TheirDoc("RET-1", d(2026, 4, 1), D(-200)),
             TheirDoc("PAY", d(2026, 7, 3), D(-300))]        # four days after our 06-29
    c = compare(_h1(), D(800), their, 3)
    assert [x.number for x in c.unmatched_ours] == ["B1"] and [x.number for x in c.unmatched_theirs] == ["PAY"]


# properties -------------------------------------------------------------------------------------
days = st.integers(min_value=0, max_value=360).map(lambda n: d(2026, 1, 1) + dt.timedelta(days=n))
cents = st.integers(min_value=1, max_value=10_000_00).map(lambda n: D(n) / 100)


@st.composite
def accounts(draw):
    n_inv = draw(st.integers(0, 8))
    docs = [Doc(INVOICE, f"I{i}", draw(days), draw(cents), due=None) for i in range(n_inv)]
    docs = [Doc(x.kind, x.number, x.date, x.amount, due=x.date + dt.timedelta(days=draw(st.integers(0, 90))))
            for x in docs]
    names = [x.number for x in docs]
    for i in range(draw(st.integers(0, 4))):
        docs.append(ret(f"R{i}", draw(days), draw(cents), draw(st.sampled_from(names)) if names else ""))
    for i in range(draw(st.integers(0, 8))):
        claimed = tuple(draw(st.lists(st.sampled_from(names), max_size=2))) if names else ()
        docs.append(Doc(RECEIPT, f"B{i}", draw(days), -draw(cents), names=claimed))
    if draw(st.booleans()):
        docs.append(Doc(OPENING, "O1", d(2025, 12, 1), draw(cents) * draw(st.sampled_from([1, -1])),
                        due=d(2025, 12, 31)))
    return docs


@settings(max_examples=300, deadline=None)
@given(accounts(), days)
def test_money_is_conserved_and_nothing_is_applied_twice(docs, as_of):
    acc = settle(docs, as_of)
    seen = [x for x in docs if x.date <= as_of]
    for credit in (x for x in seen if x.amount < 0):
        applied = acc.applied_of(credit.number)
        held = sum((a for h, a in acc.held if h.number == credit.number), D(0))
        assert applied + held == -credit.amount              # each credit: applied + held, never more
    for debit, left in acc.debits:
        paid = sum((s.amount for s in acc.settlements if s.debit == debit.number), D(0))
        assert 0 <= left <= debit.amount and paid + left == debit.amount
    assert acc.balance == sum((x.amount for x in seen), D(0))  # closing = everything booked up to as_of
    assert settle(list(reversed(docs)), as_of) == acc           # the input order does not matter


@settings(max_examples=200, deadline=None)
@given(accounts(), days, days)
def test_statement_closing_is_opening_plus_debits_minus_credits(docs, a, b):
    start, end = min(a, b), max(a, b)
    s = statement(docs, start, end)
    assert s.closing == s.opening + s.debits - s.credits
    assert s.closing == settle(docs, end).balance
    assert s.opening == settle(docs, start - dt.timedelta(days=1)).balance
