"""Who sees what: a scoped copy of the figures holds only its scope's rows and totals, with national ranks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings

from osb_batch.reports.figure_scope import Scope, restrict
from osb_batch.reports.sales_figures import FigureInputs, build
from osb_batch.rules.targets import Targets

from .test_report_sales_figures import (
    CALENDAR,
    CUSTOMERS,
    FACTS,
    NOVEMBER,
    PEOPLE,
    PLANS,
    fact_rows,
    frame,
    november_facts,
)

SCOPES = [Scope("E"), Scope("N"), Scope("E", "上海"), Scope("E", "杭州"), Scope("N", "北京"),
          Scope(kam="王敏"), Scope(kam="张伟"), Scope(kam="赵六")]


def inputs(facts=FACTS):
    return FigureInputs(frame(facts), NOVEMBER, Targets(PLANS, CALENDAR), PEOPLE,
                        {"C2": dt.date(2026, 11, 20)})


def customers_of(scope):
    return {code for code, (market, region, kam, _) in CUSTOMERS.items() if scope.holds(market, region, kam)}


def assert_only_the_scope(scoped, national, scope, facts):
    people = {p.name: p for p in PEOPLE}
    areas = {(market, region) for market, region, kam, _ in CUSTOMERS.values() if scope.holds(market, region, kam)}
    for line in scoped.lines[:-1]:
        if line.level == "market":
            assert not (scope.region or scope.kam) and line.market == scope.market
        else:
            assert (line.market, line.region) in areas and (line.level == "product" or not scope.kam)
    assert all(scope.holds(m.market, None) and not scope.region and not scope.kam for m in scoped.markets)
    assert all(scope.holds(r.market, r.region) and not scope.kam for r in scoped.regions)
    for row in scoped.dealer_products + scoped.dealers:
        assert row.customer_code in customers_of(scope)
    for row in scoped.people:
        person = people[row.name]
        assert scope.kam in (None, row.name)
        assert person.market == (scope.market or person.market)
    ranks = {r.name: (r.rank, r.market_rank) for r in national.people}
    assert all((r.rank, r.market_rank) == ranks[r.name] for r in scoped.people)
    area_ranks = {(r.market, r.region): r.rank for r in national.regions + national.markets}
    assert all(r.rank == area_ranks[(r.market, r.region)] for r in scoped.regions + scoped.markets)
    mine = customers_of(scope)
    in_month = [f for f in facts if NOVEMBER.start <= f["date"].date() <= NOVEMBER.end and f["customer_code"] in mine]
    total = scoped.total
    assert total.amount == Decimal(sum(f["cents"] for f in in_month if f["kind"] == "sales")) / 100
    assert total.collection == Decimal(sum(f["cents"] for f in in_month if f["kind"] == "collection")) / 100


@pytest.mark.parametrize("scope", SCOPES, ids=str)
def test_a_scoped_copy_holds_only_its_scopes_rows_and_totals(scope):
    national = build(inputs())
    assert_only_the_scope(restrict(national, inputs(), scope), national, scope, FACTS)


@pytest.mark.parametrize("scope, target", [
    (Scope("E"), "2500.00"), (Scope("E", "上海"), "2000.00"), (Scope(kam="张伟"), "500.00"),
    (Scope("N", "北京"), None),
])
def test_a_scoped_total_carries_the_scopes_own_target(scope, target):
    national = build(inputs())
    assert restrict(national, inputs(), scope).total.target == (target and Decimal(target))


def test_a_regions_copy_shows_its_people_and_a_kam_partly_outside_without_target_but_with_national_ranks():
    national = build(inputs())
    shanghai = restrict(national, inputs(), Scope("E", "上海"))
    people = {r.name: r for r in shanghai.people}
    assert sorted(people) == sorted(["李雷", "王敏", "张伟"])
    zhang = people["张伟"]                      # C2 in 上海, C3 in 杭州
    assert (zhang.amount, zhang.target, zhang.achievement, zhang.rank) == (Decimal("400.00"), None, None, 1)
    assert [line.level for line in shanghai.lines] == ["product", "product", "region", "total"]


def test_the_whole_scope_is_the_national_figures():
    national = build(inputs())
    assert restrict(national, inputs(), Scope()) is national


@settings(max_examples=30, deadline=None)
@given(fact_rows)
def test_scoped_copies_of_one_level_add_up_to_the_national_total(rows):
    facts = november_facts(rows)
    national = build(inputs(facts))
    for level in (SCOPES[:2], SCOPES[2:5], SCOPES[5:]):
        copies = [restrict(national, inputs(facts), scope) for scope in level]
        for scope, scoped in zip(level, copies, strict=True):
            assert_only_the_scope(scoped, national, scope, facts)
        assert sum(c.total.amount for c in copies) == national.total.amount
        assert sum(c.total.collection for c in copies) == national.total.collection
