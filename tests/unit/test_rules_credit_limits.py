"""Credit limits (management.md "Quarterly: credit limits"): the formula case by case, and the signed return."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal

import pytest

from osb_batch.rules.credit_limits import (
    CreditLimitPolicy,
    CustomerLimit,
    LimitRow,
    LimitSubject,
    decide_return,
    monthly_sales,
    previous_month,
    propose,
)
from osb_batch.rules.signers import Signer
from osb_batch.settings import load

POLICY = CreditLimitPolicy(rounding_step=Decimal("10000"), window_months=6, factor_a=Decimal("1.2"),
                           factor_b=Decimal("1.0"), factor_c=Decimal("0.7"), factor_d=Decimal("0"),
                           growth_min=Decimal("0.8"), growth_max=Decimal("1.3"))
BEFORE = ("2026-04", "2026-05", "2026-06")       # the quarter before the last, for 2026Q4
LAST = ("2026-07", "2026-08", "2026-09")


def sales(before: str, last: str) -> dict[str, Decimal]:
    """Each quarter's total spread as the first month's sales (the average does not care)."""
    return {BEFORE[0]: Decimal(before), LAST[0]: Decimal(last)}


@pytest.mark.parametrize("quarter_sales, term, grade, prepaid, growth, formula, proposed", [
    # (before, last), payment term days, grade, prepaid -> growth, unrounded value, proposed
    (("120000", "120000"), 30, "B", False, "1.0000", "80000.00", "80000"),     # exactly 80,000 stays
    (("120000", "120000.06"), 30, "B", False, "1.0000", "80000.06", "90000"),  # a few cents above rounds up
    (("90000", "117000"), 0, "B", False, "1.3000", "44850.00", "50000"),      # growth exactly 1.3
    (("90000", "126000"), 0, "B", False, "1.3000", "46800.00", "50000"),      # 1.4 clamped to 1.3
    (("100000", "80000"), 0, "B", False, "0.8000", "24000.00", "30000"),      # growth exactly 0.8
    (("100000", "50000"), 0, "B", False, "0.8000", "20000.00", "20000"),      # 0.5 clamped to 0.8
    (("0", "60000"), 45, "B", False, "1.0000", "25000.00", "30000"),          # no sales the quarter before
    (("90000", "90000"), 20, "B", False, "1.0000", "50000.00", "50000"),      # 20/30 + 1 kept exact
    (("90000", "90000"), 30, "A", False, "1.0000", "72000.00", "80000"),
    (("90000", "90000"), 30, "C", False, "1.0000", "42000.00", "50000"),
    (("90000", "90000"), 30, "D", False, "1.0000", "0.00", "0"),              # grade D: no credit
    (("90000", "90000"), 30, "A", True, "1.0000", "0.00", "0"),               # prepaid: 0
    (("0", "0"), 30, "A", False, "1.0000", "0.00", "0"),                      # no sales at all
    (("10000", "-30000"), 30, "B", False, "0.8000", "0.00", "0"),             # returns above sales
])
def test_proposal_formula(quarter_sales, term, grade, prepaid, growth, formula, proposed):
    subject = LimitSubject("C001", Decimal("50000"), term, prepaid, grade, sales(*quarter_sales))
    (p,) = propose([subject], "2026Q4", policy=POLICY)
    assert (p.growth, p.formula, p.proposed) == (Decimal(growth), Decimal(formula), Decimal(proposed))
    assert (p.current, p.grade) == (Decimal("50000"), grade)


def test_sales_outside_the_window_do_not_count():
    inside = {m: Decimal("10000") for m in (*BEFORE, *LAST)}
    outside = {**inside, "2026-03": Decimal("999999"), "2026-10": Decimal("999999")}
    a, b = propose([LimitSubject("C1", Decimal(0), 30, False, "B", inside),
                    LimitSubject("C2", Decimal(0), 30, False, "B", outside)], "2026Q4", policy=POLICY)
    assert a.proposed == b.proposed == Decimal("20000") and a.average == Decimal("10000.00")


@pytest.mark.parametrize("quarter, month", [("2026Q4", "2026-09"), ("2027Q1", "2026-12"), ("2026Q2", "2026-03")])
def test_the_window_ends_with_the_month_before_the_quarter(quarter, month):
    assert previous_month(quarter) == month


MEMBERS = {"王丽": "gm", "周建国": "gm", "总经理": "gm", "李明": "director", "销售总监": "director", "销售副总监": "deputy"}
SECRETARIES = ("王丽娜", "刘婷")
CUSTOMERS = {"C001": CustomerLimit(Decimal("300000"), False), "C009": CustomerLimit(Decimal("0"), True)}


@pytest.mark.parametrize("code, approved, by, status, rule, signer", [
    ("C001", "350000", "周建国", "applied", "", Signer("gm")),
    ("C001", "350000", "销售总监", "applied", "", Signer("director")),
    ("C001", "0", "李明", "applied", "", Signer("director")),
    ("C001", "350000", "王丽娜代周建国", "applied", "", Signer("gm", "王丽娜")),     # 秘书代签
    ("C001", "350000", "总经理（刘婷代签）", "applied", "", Signer("gm", "刘婷")),
    ("C001", "350000", "王丽娜", "error", "credit-limit-wrong-signer", None),        # a secretary alone (王丽 is SLT)
    ("C001", "350000", "张三", "error", "credit-limit-wrong-signer", None),          # not SLT
    ("C001", "350000", "周建国 李明", "error", "credit-limit-wrong-signer", None),    # two members
    ("C001", "350000", "周建国（已阅）", "error", "credit-limit-wrong-signer", None),  # more than a name
    ("C001", "350000", "王丽娜代周建国、李明", "error", "credit-limit-wrong-signer", None),
    ("C001", None, "周建国", "skipped", "credit-limit-blank", None),
    ("C404", "350000", "周建国", "error", "credit-limit-unknown-customer", None),
    ("C009", "350000", "周建国", "error", "credit-limit-prepaid", None),
])
def test_a_signed_row_coming_back(code, approved, by, status, rule, signer):
    row = LimitRow("2026Q4", code, Decimal("340000"), Decimal("10000"), None if approved is None else Decimal(approved), by)
    d = decide_return(row, CUSTOMERS, MEMBERS, SECRETARIES)
    assert (d.status, d.rule, d.signer) == (status, rule, signer)
    if status == "applied":
        assert (d.old_limit, d.formula, d.adjustment, d.new_limit) == (
            Decimal("300000"), Decimal("340000"), Decimal("10000"), Decimal(approved))
    else:
        assert d.new_limit is None


def test_monthly_sales_from_the_sales_facts_rows():
    rows = [("C1", dt.datetime(2026, 7, 3), 1000050), ("C1", dt.date(2026, 7, 31), -50), ("C2", dt.date(2026, 8, 1), 1)]
    assert monthly_sales(rows) == {"C1": {"2026-07": Decimal("10000.00")}, "C2": {"2026-08": Decimal("0.01")}}


def test_the_policy_is_made_from_rules_toml_and_its_defaults_are_the_specs():
    assert CreditLimitPolicy(**asdict(load(None).credit_limits)) == POLICY
