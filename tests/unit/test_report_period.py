"""Periods: the labels people write, read into a kind and a first and last day."""

from __future__ import annotations

import datetime as dt

import pytest

from osb_batch.reports.period import Period, day, half_year, parse
from osb_batch.settings import parse as parse_settings

D = dt.date
DEFAULT = parse_settings("")
MARCH = parse_settings('[reconciliation]\nperiod_ends = ["03-31", "12-31"]\n')


@pytest.mark.parametrize("label, settings, expected", [
    ("2026H1", DEFAULT, Period("half_year", "2026H1", D(2026, 1, 1), D(2026, 6, 30))),
    ("2026H2", DEFAULT, Period("half_year", "2026H2", D(2026, 7, 1), D(2026, 12, 31))),
    (" 2026h2 ", DEFAULT, Period("half_year", "2026H2", D(2026, 7, 1), D(2026, 12, 31))),
    ("2027H1", MARCH, Period("half_year", "2027H1", D(2027, 1, 1), D(2027, 3, 31))),
    ("2027H2", MARCH, Period("half_year", "2027H2", D(2027, 4, 1), D(2027, 12, 31))),
    ("2026Q3", DEFAULT, None),
    ("2026H3", DEFAULT, None),
    ("H1", DEFAULT, None),
    ("", DEFAULT, None),
])
def test_a_half_year_label_is_read_with_the_configured_first_half_end(label, settings, expected):
    assert half_year(label, settings) == expected
    assert parse("half_year", label, settings) == expected


def test_a_business_date_is_a_one_day_period_labelled_as_in_file_names():
    assert day(D(2026, 11, 26)) == Period("day", "2026-11-26", D(2026, 11, 26), D(2026, 11, 26))


def _p(kind, label):
    from osb_batch.reports.period import calendar_period
    return calendar_period(kind, label)


@pytest.mark.parametrize("kind, typed, label, start, end", [
    ("week", "2026-W48", "2026-W48", D(2026, 11, 23), D(2026, 11, 29)),
    ("week", "2026-w48", "2026-W48", D(2026, 11, 23), D(2026, 11, 29)),
    ("week", " 2026W1 ", "2026-W01", D(2025, 12, 29), D(2026, 1, 4)),
    ("week", "2026-W53", "2026-W53", D(2026, 12, 28), D(2027, 1, 3)),
    ("month", "2026-11", "2026-11", D(2026, 11, 1), D(2026, 11, 30)),
    ("month", "2026/11", "2026-11", D(2026, 11, 1), D(2026, 11, 30)),
    ("month", "2026-2", "2026-02", D(2026, 2, 1), D(2026, 2, 28)),
    ("month", "2026年12月", "2026-12", D(2026, 12, 1), D(2026, 12, 31)),
    ("quarter", "2026Q4", "2026Q4", D(2026, 10, 1), D(2026, 12, 31)),
    ("quarter", "2026q4", "2026Q4", D(2026, 10, 1), D(2026, 12, 31)),
    ("quarter", " 2026Q4 ", "2026Q4", D(2026, 10, 1), D(2026, 12, 31)),
    ("half", "2026h2", "2026H2", D(2026, 7, 1), D(2026, 12, 31)),
    ("year", "2026", "2026", D(2026, 1, 1), D(2026, 12, 31)),
])
def test_a_calendar_label_is_read_as_people_type_it(kind, typed, label, start, end):
    assert parse(kind, typed, DEFAULT) == Period(kind, label, start, end)


@pytest.mark.parametrize("kind, typed", [
    ("week", "2025-W53"), ("week", "2026-W00"), ("month", "2026-13"), ("month", "2026-W48"),
    ("quarter", "2026Q5"), ("half", "2026H3"), ("year", "26"), ("month", ""),
])
def test_a_label_naming_no_period_of_the_kind_is_none(kind, typed):
    assert parse(kind, typed, DEFAULT) is None


@pytest.mark.parametrize("report_kind, label, kind", [
    ("weekly", "2026-W48", "week"), ("monthly", "2026-11", "month"), ("quarterly", "2026Q4", "quarter"),
])
def test_the_report_command_kinds_read_their_period_kinds(report_kind, label, kind):
    from osb_batch.reports.period import REPORT_KINDS
    assert REPORT_KINDS[report_kind] == kind
    assert parse(report_kind, label, DEFAULT) == _p(kind, label)


@pytest.mark.parametrize("kind, date, label", [
    ("week", D(2026, 11, 26), "2026-W48"),
    ("week", D(2027, 1, 1), "2026-W53"),
    ("week", D(2025, 12, 29), "2026-W01"),
    ("month", D(2026, 11, 30), "2026-11"),
    ("quarter", D(2026, 10, 1), "2026Q4"),
    ("half", D(2026, 6, 30), "2026H1"),
    ("year", D(2026, 2, 28), "2026"),
])
def test_the_period_containing_a_day(kind, date, label):
    from osb_batch.reports.period import containing
    assert containing(kind, date).label == label


@pytest.mark.parametrize("kind, label, before, a_year_ago, ytd_start, ytd_end", [
    ("week", "2026-W48", "2026-W47", "2025-W48", D(2026, 1, 1), D(2026, 11, 29)),
    ("week", "2026-W01", "2025-W52", "2025-W01", D(2026, 1, 1), D(2026, 1, 4)),
    ("week", "2026-W53", "2026-W52", "2025-W52", D(2027, 1, 1), D(2027, 1, 3)),
    ("week", "2021-W01", "2020-W53", "2020-W01", D(2021, 1, 1), D(2021, 1, 10)),
    ("month", "2026-01", "2025-12", "2025-01", D(2026, 1, 1), D(2026, 1, 31)),
    ("month", "2026-11", "2026-10", "2025-11", D(2026, 1, 1), D(2026, 11, 30)),
    ("quarter", "2026Q1", "2025Q4", "2025Q1", D(2026, 1, 1), D(2026, 3, 31)),
    ("half", "2026H1", "2025H2", "2025H1", D(2026, 1, 1), D(2026, 6, 30)),
    ("year", "2026", "2025", "2025", D(2026, 1, 1), D(2026, 12, 31)),
])
def test_previous_year_ago_and_year_to_date(kind, label, before, a_year_ago, ytd_start, ytd_end):
    from osb_batch.reports.period import previous, year_ago, year_to_date
    period = _p(kind, label)
    assert previous(period).label == before
    assert year_ago(period).label == a_year_ago
    ytd = year_to_date(period)
    assert (ytd.kind, ytd.start, ytd.end) == ("year_to_date", ytd_start, ytd_end)


def test_the_trend_is_the_last_n_periods_oldest_first():
    from osb_batch.reports.period import last_n
    labels = [p.label for p in last_n(_p("week", "2026-W02"), 13)]
    assert labels[0] == "2025-W42" and labels[-3:] == ["2025-W52", "2026-W01", "2026-W02"]
    assert len(labels) == 13
    assert [p.label for p in last_n(_p("month", "2026-02"), 3)] == ["2025-12", "2026-01", "2026-02"]
