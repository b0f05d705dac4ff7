"""Working days of the Chinese calendar: official data, make-up days, overrides, fallback years.

Real data (chinesecalendar, State Council schedule for 2026): National Day 2026-10-01..07, make-up
working days Sunday 2026-09-20 and Saturday 2026-10-10; Mid-Autumn 2026-09-25..27.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from osb_batch.settings import parse
from osb_batch.workdays import WorkCalendar, hours_between

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
NO_DATA_YEAR = 2031          # far enough ahead that no calendar package has the official schedule


@pytest.mark.parametrize("day, working, why", [
    (D(2026, 11, 27), True, "a normal Friday"),
    (D(2026, 11, 28), False, "a normal Saturday"),
    (D(2026, 11, 30), True, "a normal Monday"),
    (D(2026, 10, 1), False, "National Day"),
    (D(2026, 10, 7), False, "last day of the National Day holiday, a Wednesday"),
    (D(2026, 10, 8), True, "first working day after National Day"),
    (D(2026, 9, 25), False, "Mid-Autumn, a Friday"),
    (D(2026, 9, 20), True, "make-up working day, a Sunday"),
    (D(2026, 10, 10), True, "make-up working day, a Saturday"),
    (D(2026, 10, 11), False, "the Sunday after it stays a rest day"),
    (D(2026, 2, 17), False, "Spring Festival 2026"),
    (D(2026, 2, 14), True, "make-up working day before Spring Festival 2026, a Saturday"),
    (D(2027, 2, 8), False, "Spring Festival 2027, a Monday"),
    (dt.datetime(2026, 10, 10, 23, 59), True, "a datetime is taken by its date"),
])
def test_is_workday(day, working, why):
    assert WorkCalendar().is_workday(day) is working, why


@pytest.mark.parametrize("day, n, expected, why", [
    (D(2026, 11, 27), 1, D(2026, 11, 30), "Friday + 1 is Monday"),
    (D(2026, 11, 27), 0, D(2026, 11, 27), "0 on a working day is that day"),
    (D(2026, 11, 28), 0, D(2026, 11, 30), "0 on a Saturday is the Monday"),
    (D(2026, 11, 26), 3, D(2026, 12, 1), "Thursday + 3"),
    (D(2026, 9, 30), 1, D(2026, 10, 8), "across National Day"),
    (D(2026, 9, 30), 2, D(2026, 10, 9), "across National Day, the Friday after"),
    (D(2026, 9, 30), 3, D(2026, 10, 10), "the make-up Saturday counts"),
    (D(2026, 9, 30), 4, D(2026, 10, 12), "then the Monday"),
    (D(2026, 10, 3), 0, D(2026, 10, 8), "0 inside the holiday is the first day after it"),
    (D(2026, 9, 18), 1, D(2026, 9, 20), "Friday + 1 is the make-up Sunday"),
    (D(2026, 9, 24), 1, D(2026, 9, 28), "Mid-Autumn Friday to Sunday skipped"),
])
def test_add_workdays(day, n, expected, why):
    calendar = WorkCalendar()
    assert calendar.add_workdays(day, n) == expected, why
    if n:
        assert calendar.workdays_between(day, expected) == n


def test_next_workday_is_never_the_day_itself():
    calendar = WorkCalendar()
    assert calendar.next_workday(D(2026, 11, 26)) == D(2026, 11, 27)
    assert calendar.next_workday(D(2026, 9, 30)) == D(2026, 10, 8)


@pytest.mark.parametrize("start, end, count", [
    (D(2026, 11, 27), D(2026, 11, 30), 1),
    (D(2026, 11, 27), D(2026, 11, 27), 0),
    (D(2026, 11, 30), D(2026, 11, 27), -1),
    (D(2026, 9, 30), D(2026, 10, 12), 4),        # 10-08, 10-09, 10-10 (make-up Saturday), 10-12
    (D(2026, 9, 1), D(2026, 9, 30), 21),         # 21 weekdays after 09-01 − Mid-Autumn Friday + make-up Sunday
])
def test_workdays_between_counts_after_start_up_to_end(start, end, count):
    assert WorkCalendar().workdays_between(start, end) == count


def test_add_workdays_refuses_a_negative_count():
    with pytest.raises(ValueError):
        WorkCalendar().add_workdays(D(2026, 11, 27), -1)


@pytest.mark.parametrize("holidays, workdays, day, working", [
    ([D(2026, 10, 8)], [], D(2026, 10, 8), False),        # an extra rest day beats the official working day
    ([], [D(2026, 10, 1)], D(2026, 10, 1), True),         # an extra working day beats National Day
    ([D(2026, 9, 20)], [], D(2026, 9, 20), False),        # and beats a make-up working day
    ([], [D(2026, 11, 28)], D(2026, 11, 28), True),       # a Saturday declared worked
    ([D(NO_DATA_YEAR, 3, 4)], [], D(NO_DATA_YEAR, 3, 4), False),
    ([], [D(NO_DATA_YEAR, 1, 26)], D(NO_DATA_YEAR, 1, 26), True),   # a Sunday worked in a year without data
])
def test_overrides_beat_the_packaged_data(holidays, workdays, day, working):
    assert WorkCalendar(holidays, workdays).is_workday(day) is working


def test_a_date_in_both_override_lists_is_refused():
    with pytest.raises(ValueError, match="2027-02-06"):
        WorkCalendar([D(2027, 2, 6)], [D(2027, 2, 6)])


def test_a_year_without_official_data_is_recorded_and_uses_the_holidays_package():
    calendar = WorkCalendar()
    assert calendar.is_workday(D(2026, 10, 1)) is False
    assert calendar.missing_years == frozenset()          # 2026 has official data
    year = NO_DATA_YEAR
    assert calendar.is_workday(D(year, 1, 23)) is False    # Spring Festival 2031, a Thursday (holidays pkg)
    assert calendar.is_workday(D(year, 1, 4)) is False     # a Saturday: weekends are rest days
    assert calendar.is_workday(D(year, 3, 4)) is True      # an ordinary Tuesday
    assert calendar.missing_years == frozenset({year})
    assert calendar.add_workdays(D(year, 9, 30), 1) == D(year, 10, 6)   # National Day 10-01..03 + weekend


def test_overrides_complete_a_year_without_official_data():
    year = NO_DATA_YEAR
    calendar = WorkCalendar(holidays=[D(year, 10, 6), D(year, 10, 7)], workdays=[D(year, 9, 28)])
    assert calendar.add_workdays(D(year, 9, 26), 1) == D(year, 9, 28)    # a Sunday worked
    assert calendar.add_workdays(D(year, 9, 30), 1) == D(year, 10, 8)
    assert year in calendar.missing_years


def test_overrides_from_rules_toml_dates_and_strings():
    settings = parse('[calendar]\nholidays = [2031-10-06, "2031-10-07"]\nworkdays = ["2031-09-28"]\n')
    calendar = WorkCalendar(settings.calendar.holidays, settings.calendar.workdays)
    assert not calendar.is_workday(D(2031, 10, 7)) and calendar.is_workday(D(2031, 9, 28))


@pytest.mark.parametrize("start, n, now, passed, why", [
    (dt.datetime(2026, 11, 26, 9), 0, dt.datetime(2026, 11, 26, 23, 59), False, "same day, before its end"),
    (dt.datetime(2026, 11, 26, 9), 0, dt.datetime(2026, 11, 27, 0, 1), True, "same day, just after its end"),
    (dt.datetime(2026, 11, 27, 17), 1, dt.datetime(2026, 11, 30, 18), False, "Friday ST, decided Monday"),
    (dt.datetime(2026, 11, 27, 17), 1, D(2026, 12, 1), True, "Friday ST, undecided on Tuesday"),
    (dt.datetime(2026, 9, 18, 17), 1, dt.datetime(2026, 9, 20, 23), False, "due on the make-up Sunday"),
    (dt.datetime(2026, 9, 18, 17), 1, dt.datetime(2026, 9, 21, 8), True, "missed the make-up Sunday"),
    (dt.datetime(2026, 9, 30, 10), 1, D(2026, 10, 7), False, "across National Day: not yet"),
    (dt.datetime(2026, 9, 30, 10), 1, D(2026, 10, 8), False, "across National Day: the due day"),
    (dt.datetime(2026, 9, 30, 10), 1, D(2026, 10, 9), True, "across National Day: passed"),
    (dt.datetime(2026, 10, 3, 10), 0, D(2026, 10, 8), False, "accepted on a holiday: due on the next working day"),
    (dt.datetime(2026, 11, 26, 23, 30, tzinfo=SHANGHAI), 0,
     dt.datetime(2026, 11, 26, 16, 30, tzinfo=dt.UTC), True, "UTC now is 00:30 next day in Shanghai"),
])
def test_deadline_passed(start, n, now, passed, why):
    assert WorkCalendar().deadline_passed(start, n, now) is passed, why


def test_deadline_is_the_last_day():
    assert WorkCalendar().deadline(dt.datetime(2026, 9, 30, 10), 1) == D(2026, 10, 8)


def test_deadline_refuses_mixing_aware_and_naive_times():
    with pytest.raises(TypeError):
        WorkCalendar().deadline_passed(dt.datetime(2026, 11, 26, tzinfo=SHANGHAI), 1, dt.datetime(2026, 11, 27))


@pytest.mark.parametrize("start, end, hours", [
    (dt.datetime(2026, 10, 1, 9), dt.datetime(2026, 10, 3, 9), 48.0),          # holidays count: clock hours
    (dt.datetime(2026, 11, 27, 18), dt.datetime(2026, 11, 28, 6, 30), 12.5),
    (dt.datetime(2026, 11, 28, 6), dt.datetime(2026, 11, 27, 6), -24.0),
    (dt.datetime(2026, 11, 26, 8, tzinfo=SHANGHAI), dt.datetime(2026, 11, 26, 0, tzinfo=dt.UTC), 0.0),
])
def test_hours_between_is_clock_hours(start, end, hours):
    assert hours_between(start, end) == hours
