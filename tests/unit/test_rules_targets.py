"""Targets from plan rows: own row or the sum below, months prorated from quarters and years, weeks from months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osb_batch.reports.period import calendar_period
from osb_batch.rules.management_records import Person, PlanRow
from osb_batch.rules.targets import Targets, allocate
from osb_batch.workdays import WorkCalendar

CALENDAR = WorkCalendar()


def plan(kind, period, market, region, product, target, owner="甲"):
    return PlanRow(kind, period, market, region, product, Decimal(target), None, None, None, owner)


def p(kind, label):
    return calendar_period(kind, label)


NOVEMBER = [
    plan("month", "2026-11", "E", "上海", None, "100000", owner="UM上海"),
    plan("month", "2026-11", "E", "上海", "P1", "30000", owner="KAM1"),
    plan("month", "2026-11", "E", "上海", "P2", "50000", owner="KAM2"),
    plan("month", "2026-11", "E", "杭州", "P1", "20000", owner="KAM1"),
    plan("month", "2026-11", "E", "杭州", "P2", "25000.505", owner="KAM2"),
    plan("month", "2026-11", "N", None, None, "200000", owner="MM北"),
    plan("month", "2026-11", "N", "北京", None, "90000", owner="UM北京"),
]


@pytest.mark.parametrize("market, region, product, expected", [
    ("E", "上海", None, "100000.00"),        # its own row, not the 80,000 of its products
    ("E", "杭州", None, "45000.51"),         # no own row: the sum of its product rows (to the cent)
    ("E", None, None, "145000.51"),         # no own row: its regions, each own row or sum below
    ("N", None, None, "200000.00"),         # its own row, whatever its regions say
    ("N", "北京", None, "90000.00"),
    ("E", "上海", "P1", "30000.00"),
    ("E", "上海", "P3", None),              # nothing planned
    ("W", None, None, None),
])
def test_a_scope_takes_its_own_row_else_the_sum_of_the_rows_below(market, region, product, expected):
    target = Targets(NOVEMBER, CALENDAR).scope(p("month", "2026-11"), market, region, product)
    assert target == (None if expected is None else Decimal(expected))


# 2026Q4 has 62 working days: October 18 (National Day, 1-7 October off, Saturday 10 October worked),
# November 21, December 23. 620,000 is 10,000 a working day.
QUARTER = [plan("quarter", "2026Q4", "E", None, None, "620000")]


@pytest.mark.parametrize("rows, label, expected", [
    (QUARTER, "2026-10", "180000.00"),
    (QUARTER, "2026-11", "210000.00"),
    (QUARTER, "2026-12", "230000.00"),
    (QUARTER + [plan("month", "2026-11", "E", None, None, "250000")], "2026-11", "250000.00"),
    (QUARTER + [plan("month", "2026-11", "E", None, None, "250000")], "2026-10", "180000.00"),
    ([plan("quarter", "2026Q4", "E", None, None, "100000")], "2026-10", "29032.26"),   # 18/62
    ([plan("quarter", "2026Q4", "E", None, None, "100000")], "2026-11", "33870.97"),   # 21/62
    ([plan("quarter", "2026Q4", "E", None, None, "100000")], "2026-12", "37096.77"),   # 23/62
    ([plan("quarter", "2026Q3", "E", None, None, "100000")], "2026-10", None),
])
def test_a_month_without_a_monthly_plan_takes_its_share_of_the_quarter_by_working_days(rows, label, expected):
    target = Targets(rows, CALENDAR).scope(p("month", label), "E")
    assert target == (None if expected is None else Decimal(expected))


def test_a_month_without_monthly_or_quarterly_plan_takes_its_share_of_the_year():
    targets = Targets([plan("year", "2026", "E", None, None, "1000000")], CALENDAR)
    months = [targets.scope(p("month", f"2026-{m:02d}"), "E") for m in range(1, 13)]
    year_days = sum(CALENDAR.is_workday(dt.date(2026, 1, 1) + dt.timedelta(days=i)) for i in range(365))
    assert sum(months) == Decimal("1000000.00")
    assert abs(months[9] - Decimal(1000000 * 18) / year_days) < Decimal("0.01")


# September 2026: 22 working days (Sunday 20 September worked); 220,000 is 10,000 a day.
WEEKS = [plan("month", "2026-09", "E", None, None, "220000"),
         plan("month", "2026-10", "E", None, None, "180000"),
         plan("month", "2026-11", "E", None, None, "210000")]


@pytest.mark.parametrize("label, expected", [
    ("2026-W40", "30000.00"),    # 28-30 Sept (3 days) + 1-4 Oct (National Day: none)
    ("2026-W41", "30000.00"),    # 5-7 Oct off, 8-10 Oct worked (Saturday 10th a make-up day)
    ("2026-W44", "50000.00"),    # 26-30 Oct (5 days) + Sunday 1 Nov
    ("2026-W39", "40000.00"),    # 21-27 Sept: Friday 25 Sept off (Mid-Autumn Festival), then the weekend
])
def test_a_week_takes_its_share_of_each_month_it_touches_by_working_days(label, expected):
    assert Targets(WEEKS, CALENDAR).scope(p("week", label), "E") == Decimal(expected)


def test_the_weeks_of_a_month_add_up_to_the_month_to_the_cent():
    targets = Targets([plan("month", "2026-10", "E", None, None, "100000")], CALENDAR)
    weeks = [targets.scope(p("week", f"2026-W{n}"), "E") for n in range(40, 45)]
    assert sum(weeks) == Decimal("100000.00")
    assert all(w == w.quantize(Decimal("0.01")) for w in weeks)


@pytest.mark.parametrize("rows, kind, label, expected", [
    (QUARTER + [plan("month", "2026-10", "E", None, None, "1")], "quarter", "2026Q4", "620000.00"),
    (WEEKS, "quarter", "2026Q4", "390000.00"),           # no quarterly plan: Oct + Nov (+ Dec unplanned)
    (WEEKS, "quarter", "2026Q3", "220000.00"),
    (WEEKS, "half", "2026H2", "610000.00"),
    (WEEKS, "year", "2026", "610000.00"),
    (WEEKS + [plan("year", "2026", "E", None, None, "5000000")], "year", "2026", "5000000.00"),
    (QUARTER, "half", "2026H2", "620000.00"),
    (WEEKS, "quarter", "2026Q1", None),
])
def test_a_quarter_half_or_year_without_its_own_plan_is_the_sum_of_its_months(rows, kind, label, expected):
    target = Targets(rows, CALENDAR).scope(p(kind, label), "E")
    assert target == (None if expected is None else Decimal(expected))


def person(name, role, market=None, region=None):
    return Person(name, role, market, region, None, None, True, dt.date(2026, 1, 1))


@pytest.mark.parametrize("who, expected", [
    (person("MM东", "MM", "E"), "145000.51"),            # the market's
    (person("UM上海", "UM", "E", "上海"), "100000.00"),   # the region's
    (person("KAM1", "KAM", "E"), "50000.00"),            # the rows they own: 30,000 + 20,000
    (person("KAM2", "SR", "E"), "75000.51"),
    (person("新人", "KAM", "E"), None),                   # owns no row
    (person("秘书", "SSG"), None),
])
def test_a_persons_target_follows_their_role(who, expected):
    target = Targets(NOVEMBER, CALENDAR).person(p("month", "2026-11"), who)
    assert target == (None if expected is None else Decimal(expected))


def test_of_two_rows_with_one_key_the_later_one_counts_for_the_scope_and_its_owner():
    rows = [plan("month", "2026-11", "E", "上海", "P1", "100", owner="KAM1"),
            plan("month", "2026-11", "E", "上海", "P1", "300", owner="KAM2")]
    targets = Targets(rows, CALENDAR)
    november = p("month", "2026-11")
    assert (targets.scope(november, "E", "上海"), targets.owned(november, "KAM1"),
            targets.owned(november, "KAM2")) == (Decimal("300.00"), None, Decimal("300.00"))


@given(st.integers(min_value=-10**12, max_value=10**12),
       st.lists(st.integers(min_value=0, max_value=31), min_size=1, max_size=14))
def test_allocated_parts_add_up_to_the_total_to_the_cent(cents, weights):
    total = Decimal(cents) / 100
    parts = allocate(total, weights)
    assert sum(parts) == total and len(parts) == len(weights)
