"""QC: one row per rule of domain.md step 3, plus an order failing several rules at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pytest

from osb_batch import messages
from osb_batch.rules.qc import (
    CustomerFact,
    LineIn,
    OrderIn,
    ProductFact,
    QcPolicy,
    check_order,
    reason,
    verdict,
)

BATCH = dt.date(2026, 11, 26)
POLICY = QcPolicy(max_order_age_days=30, price_tolerance=D("0.005"), amount_tolerance=D("0.01"))
PRODUCTS = {
    "P1": ProductFact(D("100.00"), False, "箱"),
    "P2": ProductFact(D("50.00"), False, "瓶"),
    "P3": ProductFact(D("20.00"), False, "箱"),
    "PX": ProductFact(D("10.00"), True, "箱"),
}
CUSTOMERS = {
    "C1": CustomerFact(D("500000.00"), 30, "王磊", "E", "deputy"),
    "C2": CustomerFact(None, 30, "", "E", "deputy"),
}


def contract_prices(customer, product, on):
    """C1 buys P2 at 45.00 from 2026-11-01."""
    if (customer, product) == ("C1", "P2") and on >= dt.date(2026, 11, 1):
        return D("45.00")
    return None


def line(product="P1", qty="10", price="100.00", amount="1000.00"):
    return LineIn(product, None if qty is None else D(qty), D(price), D(amount))


BASE = OrderIn("SO-1", dt.date(2026, 11, 25), "C1", "王磊", "陈刚", (line(), line("P3", "5", "20.00", "100.00")))


def order(**changes):
    return replace(BASE, **changes)


def with_line(first):
    return order(lines=(first, BASE.lines[1]))


# order, previous state of the order number, expected (rule, line index) pairs
CASES = [
    pytest.param(BASE, None, [], id="a good order passes"),
    pytest.param(BASE, "REJECTED", [], id="a rejected order may be resubmitted under its number"),
    pytest.param(BASE, "AWAITING_SIGNATURE", [("order-duplicate", None)], id="a second order with the same number"),
    pytest.param(with_line(line("P9")), None, [("unknown-product", 0)], id="product not in the price list"),
    pytest.param(with_line(line("PX", "10", "10.00", "100.00")), None, [("product-discontinued", 0)],
                 id="product discontinued"),
    pytest.param(with_line(line(qty="0", amount="0")), None, [("quantity-not-positive", 0)], id="quantity zero"),
    pytest.param(with_line(line(qty="-1", amount="-100.00")), None, [("quantity-not-positive", 0)],
                 id="quantity negative"),
    pytest.param(with_line(line(price="100.01", amount="1000.10")), None, [("price-mismatch", 0)],
                 id="unit price differs from the price list"),
    pytest.param(with_line(line(price="100.005", amount="1000.05")), None, [],
                 id="unit price within the 0.005 tolerance"),
    pytest.param(with_line(line("P2", "2", "45.00", "90.00")), None, [], id="contract price accepted"),
    pytest.param(with_line(line("P2", "2", "50.00", "100.00")), None, [("price-mismatch", 0)],
                 id="price-list price refused when a contract price exists"),
    pytest.param(replace(with_line(line("P2", "2", "45.00", "90.00")), order_date=dt.date(2026, 10, 30)), None,
                 [("price-mismatch", 0)], id="contract price not yet valid on the order date"),
    pytest.param(with_line(line(amount="1000.02")), None, [("amount-mismatch", 0)], id="amount is not qty x price"),
    pytest.param(with_line(line(amount="1000.01")), None, [], id="amount within the 0.01 tolerance"),
    pytest.param(order(order_date=dt.date(2026, 11, 27)), None, [("order-date-future", None)],
                 id="order date in the future"),
    pytest.param(order(order_date=dt.date(2026, 10, 26)), None, [("order-too-old", None)],
                 id="order date 31 days old"),
    pytest.param(order(order_date=dt.date(2026, 10, 27)), None, [], id="order date exactly 30 days old"),
    pytest.param(order(customer_code="C9"), None, [("unknown-customer", None)], id="unknown customer"),
    pytest.param(order(customer_code="C2"), None, [("customer-master-incomplete", None)],
                 id="customer master record lacks required fields"),
    pytest.param(order(kam_verified=" "), None, [("kam-missing", None)], id="KAM verification missing"),
    pytest.param(order(mm_approved=None), None, [("mm-missing", None)], id="MM approval missing"),
    pytest.param(order(st_requested=True), None, [("st-reason-missing", None)], id="ST without a reason"),
    pytest.param(order(st_requested=True, st_reason="whim"), None, [("st-reason-invalid", None)],
                 id="ST with a reason not allowed"),
    pytest.param(order(st_requested=True, st_reason="other"), None, [("st-note-missing", None)],
                 id="ST other without a written note"),
    pytest.param(order(st_requested=True, st_reason="other", st_note="年底冲量"), None, [],
                 id="ST other with a written note"),
    pytest.param(order(st_requested=True, st_reason="fair"), None, [], id="ST for an order fair"),
    pytest.param(order(st_reason="whim"), None, [], id="ST fields ignored when ST is not requested"),
    pytest.param(with_line(line(qty=None)), None, [], id="a cell the reader could not convert is not re-reported"),
    pytest.param(order(order_date=dt.date(2026, 12, 1), kam_verified="",
                       lines=(BASE.lines[0], line("P3", "0", "20.00", "0"))), None,
                 [("order-date-future", None), ("kam-missing", None), ("quantity-not-positive", 1)],
                 id="an order failing three rules reports all three"),
]


@pytest.mark.parametrize("the_order, previous, expected", CASES)
def test_check_order_reports_every_reason(the_order, previous, expected):
    reasons = check_order(the_order, PRODUCTS, contract_prices, CUSTOMERS, BATCH, previous, POLICY)
    assert [(r.rule, r.line) for r in reasons] == expected


@pytest.mark.parametrize("the_order, rule, params", [
    pytest.param(with_line(line("P2", "2", "50.00", "100.00")), "price-mismatch",
                 {"value": "50.00", "expected": "45.00", "source": "contract"}, id="price names the contract"),
    pytest.param(with_line(line(amount="1000.02")), "amount-mismatch",
                 {"value": "1000.02", "qty": "10", "unit_price": "100.00", "expected": "1000.00"}, id="amount"),
    pytest.param(order(customer_code="C2"), "customer-master-incomplete",
                 {"value": "C2", "missing": "credit_limit,account_manager"}, id="master names the missing fields"),
    pytest.param(order(order_date=dt.date(2026, 10, 1)), "order-too-old",
                 {"value": "2026-10-01", "max_days": "30", "oldest": "2026-10-27"}, id="too old"),
])
def test_reasons_carry_the_figures_people_need(the_order, rule, params):
    [found] = check_order(the_order, PRODUCTS, contract_prices, CUSTOMERS, BATCH, None, POLICY)
    assert found.rule == rule
    assert params.items() <= found.params_dict.items()


@pytest.mark.parametrize("rules, expected", [
    pytest.param([], "pass", id="no reason passes"),
    pytest.param(["customer-master-incomplete"], "wait", id="incomplete master data waits"),
    pytest.param(["customer-master-incomplete", "kam-missing"], "reject", id="any other reason rejects"),
])
def test_verdict(rules, expected):
    assert verdict([reason(rule) for rule in rules]) == expected


@pytest.mark.parametrize("rule", [
    "unknown-customer", "unknown-product", "product-discontinued", "quantity-not-positive", "price-mismatch",
    "amount-mismatch", "order-date-future", "order-too-old", "kam-missing", "mm-missing", "order-duplicate",
    "st-reason-missing", "st-reason-invalid", "st-note-missing", "customer-master-incomplete",
    "quota-cut", "quota-over-approved",
])
def test_every_rule_slug_has_a_message_in_both_languages(rule):
    assert messages.render(rule, "zh", {}) and messages.render(rule, "en", {})
