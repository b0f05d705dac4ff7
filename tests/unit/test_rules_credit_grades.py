"""Credit grades (management.md "Monthly duties"): one case per row of the grade table and its edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from osb_batch.reports.credit_grades import policy_of
from osb_batch.rules.credit_grades import CreditGradePolicy, GradeSubject, grade, month_end, window_months
from osb_batch.rules.receivables import INVOICE, OPENING, RECEIPT, Doc, settle
from osb_batch.settings import load

POLICY = CreditGradePolicy(months=6, a_on_time=Decimal("0.95"), b_on_time=Decimal("0.85"), b_oldest_days=30,
                           c_on_time=Decimal("0.70"), c_oldest_days=90, initial="B", grace_days=5)
MONTH = "2026-10"
D = dt.date.fromisoformat


def inv(no: str, due: str, amount: str, kind: str = INVOICE) -> Doc:
    return Doc(kind, no, D(due) - dt.timedelta(days=30), Decimal(amount), due=D(due))


def paid(no: str, day: str, amount: str) -> Doc:
    return Doc(RECEIPT, f"R-{no}-{day}", D(day), -Decimal(amount), names=(no,))


ON_TIME_90K = [inv("I0", "2026-09-01", "90000"), paid("I0", "2026-09-01", "90000")]


@pytest.mark.parametrize("docs, previous, expected", [
    # (documents, previous grade, (ratio, overdue, oldest days, grade))
    # exactly 0.95 and nothing overdue -> A
    ([inv("I1", "2026-09-10", "10000"), paid("I1", "2026-09-15", "9500"), paid("I1", "2026-10-20", "500")],
     "C", ("0.9500", "0", 0, "A")),
    # 0.9499 and nothing overdue -> B
    ([inv("I1", "2026-09-10", "10000"), paid("I1", "2026-09-15", "9499"), paid("I1", "2026-10-20", "501")],
     "A", ("0.9499", "0", 0, "B")),
    # the grace ends on due + 5: a payment one day later is late
    ([inv("I1", "2026-09-10", "10000"), paid("I1", "2026-09-16", "10000")], "A", ("0.0000", "0", 0, "D")),
    # all on time but one day overdue at the month end (still in its grace, so not counted as due) -> B
    ([*ON_TIME_90K, inv("I2", "2026-10-30", "10000")], "A", ("1.0000", "10000", 1, "B")),
    # exactly 30 days overdue, ratio 0.90 -> B
    ([*ON_TIME_90K, inv("I2", "2026-10-01", "10000")], None, ("0.9000", "10000", 30, "B")),
    # 31 days -> C
    ([*ON_TIME_90K, inv("I2", "2026-09-30", "10000")], None, ("0.9000", "10000", 31, "C")),
    # exactly 90 days -> C
    ([*ON_TIME_90K, inv("I2", "2026-08-02", "10000")], None, ("0.9000", "10000", 90, "C")),
    # 91 days -> D
    ([*ON_TIME_90K, inv("I2", "2026-08-01", "10000")], None, ("0.9000", "10000", 91, "D")),
    # exactly 0.70, nothing overdue -> C; 0.6999 -> D
    ([inv("I1", "2026-09-10", "10000"), paid("I1", "2026-09-10", "7000"), paid("I1", "2026-10-01", "3000")],
     None, ("0.7000", "0", 0, "C")),
    ([inv("I1", "2026-09-10", "10000"), paid("I1", "2026-09-10", "6999"), paid("I1", "2026-10-01", "3001")],
     None, ("0.6999", "0", 0, "D")),
    # an opening balance falls due like an invoice
    ([inv("OB1", "2026-06-30", "5000", OPENING), paid("OB1", "2026-07-01", "5000")], "D", ("1.0000", "0", 0, "A")),
    # a debit due before the six-month window counts for overdue, not for the ratio
    ([*ON_TIME_90K, inv("I9", "2026-04-30", "1000")], "A", ("1.0000", "1000", 184, "D")),
    # nothing due in the window: the previous grade stays; B when there is none
    ([inv("I9", "2026-12-01", "1000")], "C", (None, "0", 0, "C")),
    ([], None, (None, "0", 0, "B")),
])
def test_grade_table(docs, previous, expected):
    account = settle(docs, month_end(MONTH)) if docs else None
    (g,) = grade([GradeSubject("C001", previous, account)], MONTH, policy=POLICY)
    ratio, overdue, oldest, letter = expected
    assert (g.ratio, g.overdue, g.oldest_days, g.grade) == (
        None if ratio is None else Decimal(ratio), Decimal(overdue), oldest, letter)
    assert g.previous == previous


@pytest.mark.parametrize("previous, now, change", [
    ("B", "A", "up"), ("A", "B", "down"), ("C", "C", "same"), (None, "B", "new"),
])
def test_change_against_the_previous_grade(previous, now, change):
    docs = {"A": [inv("I1", "2026-09-10", "100"), paid("I1", "2026-09-10", "100")],
            "B": [inv("I1", "2026-09-10", "100"), paid("I1", "2026-09-10", "90"), paid("I1", "2026-10-01", "10")],
            "C": []}[now]
    (g,) = grade([GradeSubject("C001", previous, settle(docs, month_end(MONTH)))], MONTH, policy=POLICY)
    assert (g.grade, g.change, g.changed) == (now, change, previous != now)


def test_the_window_is_the_month_and_the_five_before():
    assert window_months("2026-02", 6) == ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_end("2026-12") == D("2026-12-31") and month_end("2028-02") == D("2028-02-29")


def test_the_policy_is_made_from_rules_toml_and_its_defaults_are_the_specs():
    settings = load(None)
    assert policy_of(settings) == POLICY
