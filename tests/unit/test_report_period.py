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
