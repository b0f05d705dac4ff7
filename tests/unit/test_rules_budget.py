"""The marketing budget loop (management.md): requests against the remaining budget, claims against requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal

import pytest

from osb_batch.rules.budget import Approvers, BudgetPolicy, Claim, Request, apply, in_order, resume
from osb_batch.rules.budget_report import evaluate, execution, expense_rates, sales_lookup, stale
from osb_batch.settings import load

POLICY = BudgetPolicy(claim_tolerance=Decimal("0.10"), claim_without_request_max=Decimal("500"),
                      stale_days=60, evaluation_days=30)
CELL = ("2026-11", "E", "promotion")
BUDGET = {CELL: Decimal("10000"), ("2026-11", "E", "travel"): Decimal("2000"),
          ("2026-10", "E", "promotion"): Decimal("5000")}
WHO = Approvers(mm={"E": ["张伟"], "N": ["赵强"]}, slt={"周建国": "gm", "总经理": "gm"},
                market_of={"王敏": "E", "李雷": "N"})
D = dt.date.fromisoformat


def req(no: str, amount: str, by: str | None = "张伟", day: str = "2026-11-02", market: str = "E",
        kind: str = "promotion", planned: str | None = None, customer: str | None = None) -> Request:
    return Request(no, D(day), "王敏", market, kind, Decimal(amount), D(planned) if planned else None, by, customer)


def claim(no: str, amount: str, request: str | None = None, day: str = "2026-11-20", who: str = "王敏",
          kind: str = "promotion") -> Claim:
    return Claim(no, D(day), who, kind, Decimal(amount), request)


@pytest.mark.parametrize("requests, claims, request_status, claim_status, cell", [
    # (requests, claims, [(status, rule)] of requests, [(status, accepted, refused)] of claims,
    #  (committed, claimed, remaining) of the 2026-11 E promotion cell)
    ([req("Q1", "10000")], [], [("approved", "")], [], ("10000", "0", "0")),               # exactly the rest
    ([req("Q1", "10000.01")], [], [("refused", "budget-over-refused")], [], ("0", "0", "10000")),
    ([req("Q1", "10000.01", by="周建国")], [], [("over_budget", "budget-over-approved")], [],
     ("10000.01", "0", "-0.01")),                                                          # SLT lets it stand
    ([req("Q1", "6000"), req("Q2", "4000", day="2026-11-03")], [], [("approved", ""), ("approved", "")], [],
     ("10000", "0", "0")),
    ([req("Q1", "6000"), req("Q2", "4000.01", day="2026-11-03")], [],
     [("approved", ""), ("refused", "budget-over-refused")], [], ("6000", "0", "4000")),
    ([req("Q1", "6000", by=None)], [], [("unapproved", "budget-request-unapproved")], [], ("0", "0", "10000")),
    ([req("Q1", "6000", by="赵强")], [], [("unapproved", "budget-request-unapproved")], [], ("0", "0", "10000")),
    ([req("Q1", "100", market="N")], [], [("refused", "budget-no-row")], [], ("0", "0", "10000")),
    ([req("Q1", "100", kind="advertising")], [], [("refused", "budget-no-row")], [], ("0", "0", "10000")),
    ([req("Q1", "100", planned="2026-12-05")], [], [("refused", "budget-no-row")], [], ("0", "0", "10000")),
    # claims against a request of 1000: the tolerance at exactly 10 %, and a cent over
    ([req("Q1", "1000")], [claim("X1", "1100", "Q1")], [("approved", "")], [("accepted", "1100", "0")],
     ("0", "1100", "8900")),
    ([req("Q1", "1000")], [claim("X1", "1100.01", "Q1")], [("approved", "")],
     [("partly_refused", "1100.00", "0.01")], ("0", "1100.00", "8900.00")),
    ([req("Q1", "1000")], [claim("X1", "400", "Q1")], [("approved", "")], [("accepted", "400", "0")],
     ("600", "400", "9000")),
    ([req("Q1", "1000")], [claim("X1", "800", "Q1"), claim("X2", "400", "Q1", day="2026-11-21")],
     [("approved", "")], [("accepted", "800", "0"), ("partly_refused", "300.00", "100.00")],
     ("0", "1100.00", "8900.00")),
    # a claim number seen before is applied once
    ([req("Q1", "1000")], [claim("X1", "400", "Q1"), claim("X1", "400", "Q1", day="2026-11-21")],
     [("approved", "")], [("accepted", "400", "0"), ("duplicate", "0", "0")], ("600", "400", "9000")),
    # claims without a request: the small-amount rule at 500 and 500.01
    ([], [claim("X1", "500")], [], [("accepted", "500", "0")], ("0", "500", "9500")),
    ([], [claim("X1", "500.01")], [], [("refused", "0", "500.01")], ("0", "0", "10000")),
    ([req("Q1", "1000", by=None)], [claim("X1", "600", "Q1")], [("unapproved", "budget-request-unapproved")],
     [("refused", "0", "600")], ("0", "0", "10000")),                                      # request not standing
    ([], [claim("X1", "100", who="李雷")], [], [("refused", "0", "100")], ("0", "0", "10000")),   # N has no row
    ([], [claim("X1", "100", who="无名")], [], [("refused", "0", "100")], ("0", "0", "10000")),   # market unknown
    # a claim dated before its request does not find it
    ([req("Q1", "1000", day="2026-11-25")], [claim("X1", "600", "Q1")], [("approved", "")],
     [("refused", "0", "600")], ("1000", "0", "9000")),
])
def test_budget_table(requests, claims, request_status, claim_status, cell):
    state = apply(requests, claims, BUDGET, WHO, policy=POLICY)
    assert [(d.status, d.rule) for d in state.requests] == request_status
    assert [(d.status, d.accepted, d.refused) for d in state.claims] == [
        (s, Decimal(a), Decimal(r)) for s, a, r in claim_status]
    assert (state.committed[CELL], state.claimed[CELL], state.remaining(CELL)) == tuple(map(Decimal, cell))
    again = resume(BUDGET, in_order(state.requests, state.claims))
    assert (again.committed[CELL], again.claimed[CELL], dict(again.claimed_of)) == (
        state.committed[CELL], state.claimed[CELL], dict(state.claimed_of))


def test_each_request_sees_the_budget_the_earlier_ones_left_in_date_order():
    later_big = req("Q1", "8000", day="2026-11-10")
    earlier = req("Q2", "5000", day="2026-11-03")
    state = apply([later_big, earlier], [], BUDGET, WHO, policy=POLICY)
    assert [(d.request.request_no, d.status, d.remaining_before) for d in state.requests] == [
        ("Q2", "approved", Decimal("10000")), ("Q1", "refused", Decimal("5000"))]


def test_as_of_leaves_out_what_is_dated_later():
    state = apply([req("Q1", "1000")], [claim("X1", "500", "Q1", day="2026-12-02")], BUDGET, WHO,
                  as_of=D("2026-11-30"), policy=POLICY)
    assert (state.committed[CELL], state.claimed[CELL], state.claims) == (Decimal("1000"), Decimal(0), [])


def test_execution_table_month_and_year_to_date():
    requests = [req("Q0", "4000", day="2026-10-05"), req("Q1", "10000.01", by="周建国"),
                req("Q2", "500", kind="travel")]
    state = apply(requests, [claim("X1", "3000", "Q0", day="2026-10-20")], BUDGET, WHO, policy=POLICY)
    rows = {(r.scope, r.market, r.expense_type): r for r in execution(state, "2026-11")}
    assert set(rows) == {("month", "E", "promotion"), ("month", "E", "travel"),
                         ("ytd", "E", "promotion"), ("ytd", "E", "travel")}
    month, ytd = rows["month", "E", "promotion"], rows["ytd", "E", "promotion"]
    assert (month.budget, month.committed, month.claimed, month.remaining, month.used, month.over_budget) == (
        Decimal("10000"), Decimal("10000.01"), Decimal(0), Decimal("-0.01"), Decimal("1.0000"), True)
    # Q0 was planned in October (its request date): 3000 claimed, 1000 still committed
    assert (ytd.budget, ytd.committed, ytd.claimed, ytd.remaining, ytd.over_budget) == (
        Decimal("15000"), Decimal("11000.01"), Decimal("3000"), Decimal("999.99"), False)
    travel = rows["month", "E", "travel"]
    assert (travel.used, travel.over_budget) == (Decimal("0.2500"), False)


@pytest.mark.parametrize("made, claimed, listed", [
    ("2026-09-30", False, True),        # 61 days before 2026-11-30
    ("2026-10-01", False, False),       # exactly 60 days: not yet
    ("2026-09-01", True, False),        # claimed
])
def test_stale_requests(made, claimed, listed):
    budget = {("2026-09", "E", "promotion"): Decimal("9000"), ("2026-10", "E", "promotion"): Decimal("9000")}
    claims = [claim("X1", "100", "Q1", day="2026-10-15")] if claimed else []
    state = apply([req("Q1", "1000", day=made)], claims, budget, WHO, policy=POLICY)
    assert [r.request_no for r in stale(state, D("2026-11-30"), policy=POLICY)] == (["Q1"] if listed else [])


def test_evaluation_compares_thirty_days_after_the_planned_date_with_thirty_before():
    asked = []

    def sales_of(code: str, first: dt.date, last: dt.date) -> Decimal:
        asked.append((code, first, last))
        return Decimal("1000") if first < D("2026-11-10") else Decimal("1500")

    state = apply([req("Q1", "1000", planned="2026-11-10", customer="C001"), req("Q2", "10")], [], BUDGET, WHO,
                  policy=POLICY)
    (effect,) = evaluate(state, sales_of, policy=POLICY)
    assert asked == [("C001", D("2026-10-11"), D("2026-11-09")), ("C001", D("2026-11-10"), D("2026-12-09"))]
    assert (effect.before, effect.after, effect.change) == (Decimal("1000"), Decimal("1500"), Decimal("0.5000"))


def test_expense_rate_per_market():
    state = apply([req("Q1", "1000")], [claim("X1", "1000", "Q1")], BUDGET, WHO, policy=POLICY)
    rates = expense_rates(state, ["2026-11"], {"E": Decimal("40000"), "N": Decimal("0")})
    assert [(r.market, r.expenses, r.rate) for r in rates] == [
        ("E", Decimal("1000"), Decimal("0.0250")), ("N", Decimal(0), None)]


def test_sales_lookup_sums_the_days_asked_for_both_ends_included():
    sales_of = sales_lookup([("C1", dt.datetime(2026, 11, 1), 100), ("C1", D("2026-11-30"), 250),
                             ("C1", D("2026-12-01"), 999), ("C2", D("2026-11-15"), 7)])
    assert sales_of("C1", D("2026-11-01"), D("2026-11-30")) == Decimal("3.50")
    assert sales_of("C3", D("2026-11-01"), D("2026-11-30")) == Decimal(0)


def test_the_policy_is_made_from_rules_toml_and_its_defaults_are_the_specs():
    assert BudgetPolicy(**asdict(load(None).budget)) == POLICY


@pytest.mark.parametrize("approved_by, status", [
    ("王丽娜代总经理", "over_budget"),          # a secretary signing on an SLT member's behalf
    ("总经理（王丽娜代签）", "over_budget"),
    ("王丽娜", "unapproved"),                   # the secretary alone signs for nobody
    ("张三代总经理", "unapproved"),              # not a secretary
])
def test_a_secretary_may_sign_on_an_slt_members_behalf(approved_by, status):
    who = Approvers(mm=WHO.mm, slt=WHO.slt, market_of=WHO.market_of, secretaries=("王丽娜",))
    state = apply([req("Q1", "10000.01", by=approved_by)], [], BUDGET, who, policy=POLICY)
    assert [d.status for d in state.requests] == [status]


def test_decisions_kept_and_resumed_go_on_as_if_taken_in_one_go():
    first = apply([req("Q1", "6000")], [claim("X1", "2000", "Q1")], BUDGET, WHO, policy=POLICY)
    kept = in_order(first.requests, first.claims)
    later = apply([req("Q2", "4000", day="2026-11-21")],
                  [claim("X1", "2000", "Q1", day="2026-11-22"), claim("X2", "4600", "Q1", day="2026-11-22")],
                  BUDGET, WHO, policy=POLICY, earlier=resume(BUDGET, kept))
    assert [(d.request.request_no, d.status) for d in later.requests] == [("Q1", "approved"), ("Q2", "approved")]
    assert [(d.claim.claim_no, d.status, d.accepted) for d in later.claims] == [
        ("X1", "accepted", Decimal("2000")), ("X1", "duplicate", Decimal(0)), ("X2", "accepted", Decimal("4600"))]
    assert (later.committed[CELL], later.claimed[CELL], later.remaining(CELL)) == (
        Decimal("4000"), Decimal("6600"), Decimal("-600"))
    assert resume(BUDGET, kept, as_of=D("2026-11-19")).claimed[CELL] == Decimal(0)
