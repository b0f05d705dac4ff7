"""The sales figures: sums to the cent, comparisons, ranks, people, dealers, and the JSON shape."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osb_batch.reports.dealer_figures import DealerBook
from osb_batch.reports.period import calendar_period
from osb_batch.reports.sales_figures import FigureInputs, as_json, build, span
from osb_batch.rules.management_records import FACT_COLUMNS, Person, PlanRow
from osb_batch.rules.targets import Targets
from osb_batch.workdays import WorkCalendar

NOVEMBER = calendar_period("month", "2026-11")
CALENDAR = WorkCalendar()

#: customer -> (market, region, KAM, UM)
CUSTOMERS = {
    "C1": ("E", "上海", "王敏", "李雷"), "C2": ("E", "上海", "张伟", "李雷"),
    "C3": ("E", "杭州", "张伟", "韩梅"), "C4": ("N", "北京", "赵六", "钱七"),
}


def fact(kind, date, customer, product, qty, cents, order=None, **override):
    market, region, kam, um = CUSTOMERS[customer]
    row = dict(kind=kind, date=pd.Timestamp(date), doc_no=f"D-{date}", customer_code=customer,
               product_code=product, market=market, region=region, kam=kam, um=um, qty=float(qty),
               cents=cents, order_no=order)
    return row | override


def frame(rows):
    return pd.DataFrame(rows, columns=list(FACT_COLUMNS)).astype({"cents": "int64"})


def plan(period, market, region, product, target, owner):
    return PlanRow("month", period, market, region, product, Decimal(target), None, None, None, owner)


def person(name, role, market=None, region=None):
    return Person(name, role, market, region, None, None, True, dt.date(2026, 1, 1))


PEOPLE = (person("东经理", "MM", "E"), person("北经理", "MM", "N"), person("李雷", "UM", "E", "上海"),
          person("韩梅", "UM", "E", "杭州"), person("钱七", "UM", "N", "北京"),
          person("王敏", "KAM", "E"), person("张伟", "KAM", "E"), person("赵六", "KAM", "N"))

PLANS = (plan("2026-11", "E", "上海", None, "2000", "李雷"),
         plan("2026-11", "E", "杭州", "P1", "500", "张伟"),
         plan("2026-11", "E", "上海", "P1", "1000", "王敏"),
         plan("2026-11", "N", None, None, "1000", "北经理"))

FACTS = (
    fact("sales", "2026-11-02", "C1", "P1", 10, 100000, "O1"),
    fact("sales", "2026-11-02", "C1", "P2", 1, 1, "O1"),
    fact("sales", "2026-11-20", "C2", "P1", 3, 50000, "O2"),
    fact("sales", "2026-11-21", "C2", "P1", -1, -10000, "O2"),          # a return
    fact("sales", "2026-11-30", "C3", "P1", 5, 50000, "O3"),
    fact("sales", "2026-11-15", "C4", "P1", 2, 20000, "O4"),
    fact("collection", "2026-11-10", "C1", None, 0, 33333),
    fact("collection", "2026-11-11", "C4", None, 0, 5000),
    fact("sales", "2026-10-31", "C1", "P1", 1, 40000, "O0"),           # the month before
    fact("sales", "2025-11-05", "C3", "P1", 1, 25000, "Y1"),           # a year earlier
    fact("sales", "2026-12-01", "C3", "P1", 1, 99999, "X1"),           # after the period
)


def figures(facts=FACTS, **extra):
    inputs = FigureInputs(frame(facts), NOVEMBER, Targets(PLANS, CALENDAR), PEOPLE,
                          {"C2": dt.date(2026, 11, 20), "C3": dt.date(2025, 11, 5)}, **extra)
    return build(inputs)


def test_the_facts_must_cover_a_year_back_for_the_same_period_a_year_earlier():
    assert span(NOVEMBER) == (dt.date(2025, 11, 1), dt.date(2026, 11, 30))


@pytest.mark.parametrize("market, region, amount, target, achievement, rank, collection, customers, new", [
    ("E", "上海", "1400.01", "2000.00", "0.7000", 2, "333.33", 2, 1),   # own row, not its P1 row
    ("E", "杭州", "500.00", "500.00", "1.0000", 1, "0.00", 1, 0),       # the sum of its product rows
    ("N", "北京", "200.00", None, None, None, "50.00", 1, 0),           # unplanned: unranked
])
def test_a_regions_figures_are_its_customers_sums_and_its_plan(market, region, amount, target, achievement,
                                                                rank, collection, customers, new):
    row = next(r for r in figures().regions if (r.market, r.region) == (market, region))
    assert (row.amount, row.target, row.achievement, row.rank, row.collection, row.customers,
            row.new_customers) == (Decimal(amount), target and Decimal(target),
                                   achievement and Decimal(achievement), rank, Decimal(collection),
                                   customers, new)


def test_a_market_without_its_own_row_takes_the_sum_of_its_regions_and_markets_are_ranked():
    markets = [(m.market, m.amount, m.target, m.achievement, m.rank) for m in figures().markets]
    assert markets == [("E", Decimal("1900.01"), Decimal("2500.00"), Decimal("0.7600"), 1),
                       ("N", Decimal("200.00"), Decimal("1000.00"), Decimal("0.2000"), 2)]


def test_comparisons_are_the_period_before_a_year_earlier_and_the_year_to_date():
    total = figures().total
    assert (total.amount, total.previous, total.year_ago, total.year_to_date) == (
        Decimal("2100.01"), Decimal("400.00"), Decimal("250.00"), Decimal("2500.01"))
    assert (total.mom, total.yoy) == (Decimal("4.2500"), Decimal("7.4000"))
    assert (total.qty, total.target) == (Decimal("20"), Decimal("3500.00"))


def test_no_comparison_before_the_ledgers_history():
    total = figures(history_from=dt.date(2026, 1, 1)).total
    assert (total.previous, total.year_ago, total.yoy) == (Decimal("400.00"), None, None)


@pytest.mark.parametrize("name, orders, amount, collection, new, target, rank, market_rank", [
    ("东经理", 3, "1900.01", "333.33", 1, "2500.00", 1, 1),      # MM: the market's
    ("北经理", 1, "200.00", "50.00", 0, "1000.00", 2, 1),
    ("韩梅", 1, "500.00", "0.00", 0, "500.00", 1, 1),            # UM: the region's
    ("李雷", 2, "1400.01", "333.33", 1, "2000.00", 2, 2),
    ("钱七", 1, "200.00", "50.00", 0, None, None, None),
    ("张伟", 2, "900.00", "0.00", 1, "500.00", 1, 1),            # KAM: the rows they own
    ("王敏", 1, "1000.01", "333.33", 0, "1000.00", 2, 2),
    ("赵六", 1, "200.00", "50.00", 0, None, None, None),
])
def test_a_persons_figures_follow_their_role(name, orders, amount, collection, new, target, rank, market_rank):
    row = next(r for r in figures().people if r.name == name)
    assert (row.orders, row.amount, row.collection, row.new_customers, row.target, row.rank,
            row.market_rank) == (orders, Decimal(amount), Decimal(collection), new,
                                 target and Decimal(target), rank, market_rank)


def test_people_are_listed_by_role_then_rank_with_visits_and_on_time_rate_as_given():
    rows = figures(visits={"王敏": 7}, on_time={"王敏": Decimal("0.75")}).people
    assert [r.name for r in rows] == ["东经理", "北经理", "韩梅", "李雷", "钱七", "张伟", "王敏", "赵六"]
    wang = next(r for r in rows if r.name == "王敏")
    zhang = next(r for r in rows if r.name == "张伟")
    assert (wang.visits, wang.on_time_rate, zhang.visits, zhang.on_time_rate) == (7, Decimal("0.75"), None, None)


def test_the_json_has_management_md_shapes():
    shown = as_json(figures())
    assert shown["markets"][0] == shown["markets"][0] | {"market": "E", "amount": "1900.01", "target": "2500.00",
                                                          "achievement": "0.7600", "rank": 1}
    region = next(r for r in shown["regions"] if r["region"] == "北京")
    assert {k: region[k] for k in ("market", "region", "amount", "target", "achievement", "rank")} == {
        "market": "N", "region": "北京", "amount": "200.00", "target": None, "achievement": None, "rank": None}
    wang = next(p for p in shown["people"] if p["name"] == "王敏")
    assert {k: wang[k] for k in ("role", "market", "amount", "collection", "orders", "target",
                                 "achievement", "rank")} == {
        "role": "KAM", "market": "E", "amount": "1000.01", "collection": "333.33", "orders": 1,
        "target": "1000.00", "achievement": "1.0000", "rank": 2}


def test_dealers_show_this_and_last_months_purchases_and_the_receivables_given():
    result = figures(dealers=DealerBook({"C1": Decimal("12.50")}, {"C1": Decimal("2.00")}, {"C1": "B"}))
    c1 = [(r.product_code, r.qty, r.amount, r.previous_qty, r.previous_amount)
          for r in result.dealer_products if r.customer_code == "C1"]
    assert c1 == [("P1", Decimal("10"), Decimal("1000.00"), Decimal("1"), Decimal("400.00")),
                  ("P2", Decimal("1"), Decimal("0.01"), Decimal("0"), Decimal("0.00"))]
    rows = {r.customer_code: r for r in result.dealers}
    assert (rows["C1"].amount, rows["C1"].year_to_date, rows["C1"].collection, rows["C1"].balance,
            rows["C1"].overdue, rows["C1"].grade) == (Decimal("1000.01"), Decimal("1400.01"),
                                                      Decimal("333.33"), Decimal("12.50"), Decimal("2.00"), "B")
    assert (rows["C3"].year_ago, rows["C3"].yoy) == (Decimal("250.00"), Decimal("1.0000"))
    assert (rows["C3"].market, rows["C3"].region, rows["C3"].kam) == ("E", "杭州", "张伟")


# -- the sums add up to the cent, whatever the facts ------------------------------------------------

fact_rows = st.lists(st.tuples(
    st.sampled_from(["sales", "sales", "collection"]),
    st.integers(min_value=0, max_value=29),
    st.sampled_from(sorted(CUSTOMERS)),
    st.sampled_from(["P1", "P2", "P3"]),
    st.integers(min_value=-5, max_value=50),
    st.integers(min_value=-10**9, max_value=10**11),
), max_size=40)


def november_facts(rows):
    """Fact rows of November 2026 from drawn (kind, day, customer, product, qty, cents) tuples."""
    return [fact(kind, dt.date(2026, 11, 1) + dt.timedelta(days=day), customer,
                 product if kind == "sales" else None, qty, cents, f"O{day}")
            for kind, day, customer, product, qty, cents in rows]


@settings(max_examples=60, deadline=None)
@given(fact_rows)
def test_regions_add_up_to_markets_and_markets_to_the_total_to_the_cent(rows):
    facts = november_facts(rows)
    result = figures(facts)
    sales = sum(cents for kind, *_, cents in rows if kind == "sales")
    collected = sum(cents for kind, *_, cents in rows if kind == "collection")
    total = result.total
    assert total.amount == Decimal(sales) / 100 and total.collection == Decimal(collected) / 100
    assert sum(m.amount for m in result.markets) == total.amount
    assert sum(r.amount for r in result.regions) == total.amount
    assert sum(r.collection for r in result.regions) == total.collection
    for market in result.markets:
        assert sum(r.amount for r in result.regions if r.market == market.market) == market.amount
    for line in result.lines:
        if line.level == "region":
            products = [p for p in result.lines if p.level == "product" and (p.market, p.region) ==
                        (line.market, line.region)]
            assert sum(p.amount for p in products) == line.amount
