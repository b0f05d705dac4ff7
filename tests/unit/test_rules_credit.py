"""CC: one row per decision-table case and per boundary named in domain.md step 5."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from osb_batch.rules.credit import (
    COMMITTED_STATES,
    CreditFacts,
    CreditOrder,
    CreditPolicy,
    RunningExposure,
    Standing,
    decide,
    decide_in_order,
)

POLICY = CreditPolicy(tolerance=D("0.20"), prepay_shortfall_cap=D("10000.00"))


def credit(limit="100000.00", receivables="0", overdue="0", unapplied="0"):
    return CreditFacts(D(limit), False, D(receivables), D(overdue), D(unapplied))


def prepaid(unapplied, overdue="0", limit="0"):
    return CreditFacts(D(limit), True, D("0"), D(overdue), D(unapplied))


# amount, facts, committed, committed_prepaid, st, case, state, exposure, over, available, shortfall
CASES = [
    pytest.param("30000", prepaid("50000"), "0", "0", False,
                 "5-7a", "AWAITING_SIGNATURE", "30000", None, "50000", "0", id="5-7a prepayment covers"),
    pytest.param("30000", prepaid("30000"), "0", "0", False,
                 "5-7a", "AWAITING_SIGNATURE", "30000", None, "30000", "0", id="5-7a prepayment exactly the amount"),
    pytest.param("30000", prepaid("25000"), "0", "0", False,
                 "5-7b", "NEEDS_MANAGER_APPROVAL", "30000", None, "25000", "5000", id="5-7b small shortfall"),
    pytest.param("30000.00", prepaid("20000.00"), "0", "0", False,
                 "5-7b", "NEEDS_MANAGER_APPROVAL", "30000.00", None, "20000.00", "10000.00",
                 id="5-7b shortfall exactly 10,000.00"),
    pytest.param("30000.01", prepaid("20000.00"), "0", "0", False,
                 "5-7c", "AWAITING_PAYMENT", "30000.01", None, "20000.00", "10000.01",
                 id="5-7c shortfall one cent over the cap"),
    pytest.param("15000", prepaid("30000"), "20000", "20000", False,
                 "5-7b", "NEEDS_MANAGER_APPROVAL", "35000", None, "10000", "5000",
                 id="5-7b earlier committed prepaid orders use up prepayment"),
    pytest.param("50000", prepaid("0", overdue="5000"), "0", "0", True,
                 "5-7c", "AWAITING_PAYMENT", "50000", None, "0", "50000",
                 id="prepaid row wins over overdue and ST"),
    pytest.param("10000", credit(overdue="0.01"), "0", "0", True,
                 "5-5", "ST_PENDING", "10000", "-0.9", "0", "10000", id="5-5 overdue and ST requested"),
    pytest.param("130000", credit(), "0", "0", True,
                 "5-5", "ST_PENDING", "130000", "0.3", "0", "130000", id="5-5 over tolerance and ST requested"),
    pytest.param("10000", credit(overdue="0.01"), "0", "0", False,
                 "5-4", "PREPAY_REQUIRED", "10000", "-0.9", "0", "10000",
                 id="5-4 overdue by one day (any amount > 0)"),
    pytest.param("0.01", credit(receivables="120000.00"), "0", "0", False,
                 "5-4", "PREPAY_REQUIRED", "120000.01", "0.2000001", "0", "0.01",
                 id="5-4 one cent above 120 %"),
    pytest.param("10000", credit(limit="0"), "0", "0", False,
                 "5-4", "PREPAY_REQUIRED", "10000", None, "0", "10000", id="5-4 a limit of 0 is always over"),
    pytest.param("10000", credit(limit="0"), "0", "0", True,
                 "5-5", "ST_PENDING", "10000", None, "0", "10000", id="5-5 a limit of 0 with ST"),
    pytest.param("10000", credit(overdue="5000", unapplied="10000"), "0", "0", False,
                 "5-7a", "AWAITING_SIGNATURE", "10000", "-0.9", "10000", "0",
                 id="5-4 already covered by prepayment is 5-7a at once, as the release would free it"),
    pytest.param("10000", credit(limit="0", unapplied="25000"), "15000", "15000", False,
                 "5-7a", "AWAITING_SIGNATURE", "25000", None, "10000", "0",
                 id="5-4 covered by what committed orders leave of the prepayment is 5-7a"),
    pytest.param("10000", credit(limit="0", unapplied="25000"), "15000.01", "15000.01", False,
                 "5-4", "PREPAY_REQUIRED", "25000.01", None, "9999.99", "0.01",
                 id="5-4 a cent short of cover keeps waiting for payment"),
    pytest.param("10000", credit(overdue="5000", unapplied="10000"), "0", "0", True,
                 "5-5", "ST_PENDING", "10000", "-0.9", "10000", "0",
                 id="5-5 an ST request is decided by the SLT even when prepayment would cover"),
    pytest.param("10000", credit(receivables="60000"), "40000", "0", False,
                 "5-3", "NEEDS_MANAGER_APPROVAL", "110000", "0.1", "0", "10000", id="5-3 over within tolerance"),
    pytest.param("20000.00", credit(receivables="100000.00"), "0", "0", False,
                 "5-3", "NEEDS_MANAGER_APPROVAL", "120000.00", "0.2", "0", "20000.00", id="5-3 exactly 120 %"),
    pytest.param("10000", credit(receivables="50000"), "0", "0", False,
                 "5-2", "AWAITING_SIGNATURE", "60000", "-0.4", "0", "10000", id="5-2 within the limit"),
    pytest.param("40000.00", credit(receivables="50000.00"), "10000.00", "0", False,
                 "5-2", "AWAITING_SIGNATURE", "100000.00", "0", "0", "40000.00", id="5-2 exposure exactly at the limit"),
    pytest.param("10000", credit(receivables="50000"), "0", "0", True,
                 "5-2", "AWAITING_SIGNATURE", "60000", "-0.4", "0", "10000", id="5-2 ST requested but not needed"),
]


@pytest.mark.parametrize(
    "amount, facts, committed, committed_prepaid, st, case, state, exposure, over, available, shortfall", CASES)
def test_decide_follows_the_first_matching_row(amount, facts, committed, committed_prepaid, st, case, state,
                                               exposure, over, available, shortfall):
    decision = decide(D(amount), facts, D(committed), D(committed_prepaid), st, POLICY)
    assert (decision.case, decision.state) == (case, state)
    assert decision.exposure == D(exposure)
    if facts.limit:
        assert decision.over == D(over)
    else:
        assert decision.over is None
    assert (decision.available_prepayment, decision.shortfall) == (D(available), D(shortfall))


def test_policy_thresholds_come_from_the_argument():
    facts = credit(receivables="100000.00")
    assert decide(D("20000.00"), facts, D(0), D(0), False, POLICY).case == "5-3"
    assert decide(D("20000.00"), facts, D(0), D(0), False, CreditPolicy(D("0.10"), D("10000"))).case == "5-4"


def orders(*rows):
    return [CreditOrder(f"SO-{i}", code, D(amount), st) for i, (code, amount, st) in enumerate(rows, 1)]


# standings, orders, expected cases
IN_ORDER = [
    pytest.param({"C1": Standing(credit(receivables="50000"))},
                 orders(("C1", "40000", False), ("C1", "20000", False)), ["5-2", "5-3"],
                 id="two orders of one customer in one file: the second sees the first"),
    pytest.param({"C1": Standing(credit(receivables="50000"), committed_amount=D("45000"))},
                 orders(("C1", "5000", False), ("C1", "1", False)), ["5-2", "5-3"],
                 id="committed orders from the ledger count too"),
    pytest.param({"C1": Standing(credit())},
                 orders(("C1", "130000", False), ("C1", "50000", False)), ["5-4", "5-2"],
                 id="an order waiting for prepayment is not committed"),
    pytest.param({"C1": Standing(credit())},
                 orders(("C1", "90000", False), ("C1", "40000", True), ("C1", "1", False)), ["5-2", "5-5", "5-4"],
                 id="an ST pending order is committed"),
    pytest.param({"P1": Standing(prepaid("30000"))},
                 orders(("P1", "20000", False), ("P1", "20000", False), ("P1", "20000", False)),
                 ["5-7a", "5-7b", "5-7c"], id="prepaid orders use up the prepayment in acceptance order"),
    pytest.param({"C1": Standing(credit()), "C2": Standing(credit())},
                 orders(("C1", "90000", False), ("C2", "90000", False), ("C1", "20000", False)),
                 ["5-2", "5-2", "5-3"], id="customers do not share exposure"),
]


@pytest.mark.parametrize("standings, batch, expected", IN_ORDER)
def test_decide_in_order_carries_committed_amounts_forward(standings, batch, expected):
    assert [d.case for d in decide_in_order(batch, standings, POLICY)] == expected


def test_decide_in_order_names_a_customer_without_facts():
    with pytest.raises(KeyError, match="C9"):
        decide_in_order(orders(("C9", "1", False)), {}, POLICY)


# committed before the run, orders (customer, amount, prepaid), expected cases and available prepayment
RUNNING = [
    pytest.param({"P1": "0"}, [("P1", "20000", True), ("P1", "20000", True)], [("5-7a", "30000"), ("5-7b", "10000")],
                 id="a prepaid customer's committed amount is prepayment spoken for"),
    pytest.param({"C1": "45000"}, [("C1", "5000", False), ("C1", "1", False)],
                 [("5-2", "-45000"), ("5-3", "-50000")],
                 id="a credit customer's committed amount is exposure and prepayment spoken for"),
    pytest.param({"C1": "0"}, [("C1", "130000", False), ("C1", "50000", False)], [("5-4", "0"), ("5-2", "0")],
                 id="an order that is not committed adds nothing"),
]


@pytest.mark.parametrize("before, batch, expected", RUNNING)
def test_running_exposure_adds_each_committed_order(before, batch, expected):
    asked = []
    running = RunningExposure(lambda code: asked.append(code) or D(before[code]))
    facts = {"P1": prepaid("30000"), "C1": credit(receivables="50000")}
    decisions = [running.decide(code, D(amount), facts[code], st_requested=False, policy=POLICY)
                 for code, amount, _prepaid in batch]
    assert [(d.case, d.available_prepayment) for d in decisions] == [(c, D(a)) for c, a in expected]
    assert asked == list(before)


def test_committed_states_are_those_of_domain_md():
    assert COMMITTED_STATES == {"AWAITING_SIGNATURE", "NEEDS_MANAGER_APPROVAL", "ST_PENDING", "APPROVED",
                                "NOTE_ISSUED", "SHIPPED"}
