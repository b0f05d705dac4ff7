"""The reporting calendar (催报): due times, who is expected, on time / late / missing, rates, the matrix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from osb_batch.due_notation import parse_due
from osb_batch.rules.duties import Rate, ReminderPolicy, as_json, evaluate, reminders
from osb_batch.rules.duty_calendar import TZ, due_time, period_of
from osb_batch.rules.duty_matrix import monthly_matrix
from osb_batch.rules.management_records import Person, Submission
from osb_batch.settings import Duty
from osb_batch.settings.sections import DEFAULT_DUTIES
from osb_batch.workdays import WorkCalendar

CAL = WorkCalendar()
POLICY = ReminderPolicy(remind_hours=24)
WEEKLY_PLAN = Duty("weekly_work_plan", ("KAM", "SR", "UM"), "weekly", "周一 10:00", "this")
VISIT_PLAN = Duty("visit_plan", ("KAM", "SR"), "weekly", "周六 12:00", "next")
MONTHLY_PLAN = Duty("monthly_work_plan", ("KAM", "UM", "MM"), "monthly", "第1个工作日 18:00", "this")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def person(name="王敏", role="KAM", since="2026-01-01", active=True) -> Person:
    return Person(name, role, "E", "上海", None, None, active, dt.date.fromisoformat(since))


def sent(period: str, when: str, form="weekly_work_plan", name="王敏") -> Submission:
    return Submission(form, name, period, at(when))


def statuses(duties, people, submissions, now) -> dict[tuple[str, str, str], str]:
    return {(r.form, r.person, r.period): r.status for r in evaluate(duties, people, submissions, at(now), CAL, POLICY)}


@pytest.mark.parametrize("cycle, day, due, covers, label, expected", [
    # (cycle, a day of the covered period, due, covers, its label, the due time)
    ("weekly", "2026-11-23", "周一 10:00", "this", "2026-W48", "2026-11-23T10:00"),
    ("weekly", "2026-11-23", "周六 12:00", "next", "2026-W48", "2026-11-21T12:00"),   # an ordinary Saturday stays
    ("weekly", "2026-11-23", "周一 12:00", "previous", "2026-W48", "2026-11-30T12:00"),
    ("weekly", "2026-12-31", "周一 10:00", "this", "2026-W53", "2026-12-28T10:00"),   # across the year end
    ("weekly", "2027-01-01", "周六 12:00", "next", "2026-W53", "2026-12-26T12:00"),
    ("weekly", "2026-12-29", "mon 12:00", "previous", "2026-W53", "2027-01-04T12:00"),
    ("weekly", "2027-01-05", "mon 10:00", "this", "2027-W01", "2027-01-04T10:00"),
    ("weekly", "2026-10-05", "周一 10:00", "this", "2026-W41", "2026-10-08T10:00"),   # National Day: to Thursday
    ("weekly", "2026-10-05", "周六 12:00", "next", "2026-W41", "2026-10-08T12:00"),   # a Saturday inside the holiday
    ("weekly", "2026-02-23", "周一 10:00", "this", "2026-W09", "2026-02-24T10:00"),   # Spring Festival
    ("monthly", "2026-10-15", "第1个工作日 18:00", "this", "2026-10", "2026-10-08T18:00"),
    ("monthly", "2026-10-15", "day 1 18:00", "this", "2026-10", "2026-10-08T18:00"),
    ("monthly", "2026-01-15", "第3个工作日 18:00", "previous", "2026-01", "2026-02-04T18:00"),
    ("monthly", "2026-02-15", "第5个工作日 18:00", "previous", "2026-02", "2026-03-06T18:00"),
    ("monthly", "2026-05-15", "25日 18:00", "next", "2026-05", "2026-04-27T18:00"),      # 25 April is a Saturday
    ("monthly", "2026-12-15", "25日 18:00", "next", "2026-12", "2026-11-25T18:00"),
    ("monthly", "2027-01-15", "25日 18:00", "next", "2027-01", "2026-12-25T18:00"),
    ("quarterly", "2026-11-15", "day 31 09:00", "this", "2026Q4", "2026-11-02T09:00"),
])
def test_the_due_time_of_a_period(cycle, day, due, covers, label, expected):
    period = period_of(cycle, dt.date.fromisoformat(day))
    assert period.label == label
    assert due_time(parse_due(due), covers, period, CAL) == at(expected)


@pytest.mark.parametrize("arrived, now, status", [
    ("2026-11-23T09:59", "2026-11-23T12:00", "on_time"),
    ("2026-11-23T10:00", "2026-11-23T12:00", "on_time"),
    ("2026-11-23T10:00:59", "2026-11-23T12:00", "on_time"),        # within the due minute
    ("2026-11-23T10:01", "2026-11-23T12:00", "late"),
    ("2026-11-25T10:00", "2026-11-25T12:00", "late"),
    (None, "2026-11-23T10:00", "due_soon"),                         # at the due minute, not yet overdue
    (None, "2026-11-23T10:01", "missing"),
    (None, "2026-11-22T10:00", "due_soon"),                         # exactly 24 hours before
    ("2026-11-23T11:00", "2026-11-23T10:30", "missing"),            # arrives after now: not seen yet
])
def test_on_time_late_missing_at_the_due_minute(arrived, now, status):
    submissions = [sent("2026-W48", arrived)] if arrived else []
    assert statuses([WEEKLY_PLAN], [person(since="2026-11-01")], submissions, now)[
        ("weekly_work_plan", "王敏", "2026-W48")] == status


def test_a_due_more_than_remind_hours_away_is_not_listed():
    found = statuses([WEEKLY_PLAN], [person(since="2026-11-09")], [], "2026-11-22T09:59")
    assert ("weekly_work_plan", "王敏", "2026-W48") not in found


def test_a_submission_for_the_wrong_period_does_not_count():
    found = statuses([WEEKLY_PLAN], [person(since="2026-11-09")], [sent("2026-W49", "2026-11-23T09:00")],
                     "2026-11-24T09:00")
    assert found[("weekly_work_plan", "王敏", "2026-W48")] == "missing"


def test_a_submission_counts_for_the_person_it_names_only():
    found = statuses([WEEKLY_PLAN], [person(), person("李强", since="2026-01-01")],
                     [sent("2026-W48", "2026-11-23T09:00", name="李强")], "2026-11-24T09:00")
    assert found[("weekly_work_plan", "李强", "2026-W48")] == "on_time"
    assert found[("weekly_work_plan", "王敏", "2026-W48")] == "missing"


@pytest.mark.parametrize("since, first", [
    ("2026-11-16", "2026-W47"),          # a Monday: its own week is full
    ("2026-11-17", "2026-W48"),          # a Tuesday: from the next week
    ("2026-11-22", "2026-W48"),
])
def test_a_person_is_expected_from_the_first_full_period_after_since(since, first):
    found = statuses([WEEKLY_PLAN], [person(since=since)], [], "2026-11-24T09:00")
    assert min(p for (_, _, p) in found) == first


def test_a_monthly_duty_starts_with_the_first_full_month():
    found = statuses([MONTHLY_PLAN], [person(since="2026-10-02")], [], "2026-11-28T09:00")
    assert sorted(p for (_, _, p) in found) == ["2026-11"]


def test_an_inactive_person_is_not_expected():
    people = [person(since="2026-11-02"), person(since="2026-11-18", active=False)]
    found = statuses([WEEKLY_PLAN], people, [], "2026-11-30T12:00")
    assert sorted(p for (_, _, p) in found) == ["2026-W45", "2026-W46", "2026-W47"]   # W48 fell due after leaving


def test_a_role_change_moves_the_duty_with_the_role():
    um = Duty("market_weekly_status", ("UM",), "weekly", "周一 12:00", "previous")
    people = [person(since="2026-11-02"), person(role="UM", since="2026-11-16")]
    found = statuses([WEEKLY_PLAN, um, VISIT_PLAN], people, [], "2026-11-24T09:00")
    assert sorted(k for k in found if k[0] == "market_weekly_status") == [
        ("market_weekly_status", "王敏", "2026-W47")]
    assert sorted(p for (f, _, p) in found if f == "visit_plan") == ["2026-W46"]     # a KAM's only while KAM
    assert sorted(p for (f, _, p) in found if f == "weekly_work_plan") == ["2026-W45", "2026-W46", "2026-W47",
                                                                            "2026-W48"]


def test_working_days_overdue_skip_the_holiday():
    found = evaluate([WEEKLY_PLAN], [person(since="2026-09-01")], [], at("2026-10-12T09:00"), CAL, POLICY)
    w41 = next(r for r in found if r.period == "2026-W41")
    assert (w41.status, w41.due, w41.workdays_overdue) == ("missing", at("2026-10-08T10:00"), 3)  # Fri, Sat, Mon


def test_the_owed_list_puts_the_longest_overdue_first_then_what_is_due_soon():
    people = [person(since="2026-11-09"), person("李强", since="2026-11-09")]
    done = [sent("2026-W46", "2026-11-09T09:00"), sent("2026-W47", "2026-11-16T09:00", name="李强")]
    result = reminders([WEEKLY_PLAN], people, done, at("2026-11-22T12:00"), CAL, POLICY)
    assert [(r.person, r.period, r.status, r.workdays_overdue) for r in result.owed()] == [
        ("李强", "2026-W46", "missing", 9),
        ("王敏", "2026-W47", "missing", 4),
        ("李强", "2026-W48", "due_soon", 0),
        ("王敏", "2026-W48", "due_soon", 0),
    ]
    assert list(result.owed_by_person()) == ["李强", "王敏"]


def test_rates_per_person_and_duty_and_overall():
    people = [person(since="2026-11-01")]
    done = [sent("2026-W46", "2026-11-09T09:00"), sent("2026-W47", "2026-11-16T11:00"),
            sent("2026-11", "2026-11-02T17:00", form="monthly_work_plan")]
    result = reminders([WEEKLY_PLAN, MONTHLY_PLAN], people, done, at("2026-11-30T09:00"), CAL, POLICY)
    assert result.rates() == [
        Rate("王敏", "monthly_work_plan", 1, 0, 0),
        Rate("王敏", "weekly_work_plan", 1, 1, 2),
        Rate("王敏", None, 2, 1, 2),
    ]
    assert [r.rate for r in result.rates()] == [Decimal("1.0000"), Decimal("0.2500"), Decimal("0.4000")]
    assert Rate("x", None, 0, 0, 0).rate is None


def test_the_monthly_matrix_has_every_period_due_in_the_month():
    people = [person(since="2026-10-01"), person("赵刚", role="MM", since="2026-10-01")]
    done = [sent("2026-W45", "2026-11-02T09:00"), sent("2026-W46", "2026-11-09T10:30"),
            sent("2026-11", "2026-11-02T18:00", form="monthly_work_plan", name="赵刚")]
    result = reminders([WEEKLY_PLAN, MONTHLY_PLAN], people, done, at("2026-12-01T09:00"), CAL, POLICY)
    matrix = monthly_matrix(result.records, "2026-11", result.forms)
    assert [(c.form, c.period) for c in matrix.columns] == [
        ("weekly_work_plan", "2026-W45"), ("weekly_work_plan", "2026-W46"), ("weekly_work_plan", "2026-W47"),
        ("weekly_work_plan", "2026-W48"), ("weekly_work_plan", "2026-W49"),     # W49 is due on 30 November
        ("monthly_work_plan", "2026-11")]
    assert [(row.person, row.role, row.cells, row.rate.rate) for row in matrix.rows] == [
        ("赵刚", "MM", (None, None, None, None, None, "on_time"), Decimal("1.0000")),
        ("王敏", "KAM", ("on_time", "late", "missing", "missing", "missing", "missing"), Decimal("0.1667")),
    ]


def test_the_default_duties_are_the_table_of_management_md():
    assert [(d.form, d.who, d.cycle, parse_due(d.due), d.covers) for d in DEFAULT_DUTIES] == [
        ("visit_plan", ("KAM", "SR"), "weekly", parse_due("sat 12:00"), "next"),
        ("weekly_work_plan", ("KAM", "SR", "UM"), "weekly", parse_due("mon 10:00"), "this"),
        ("market_weekly_status", ("UM",), "weekly", parse_due("mon 12:00"), "previous"),
        ("monthly_work_plan", ("KAM", "UM", "MM"), "monthly", parse_due("workday 1 18:00"), "this"),
        ("market_monthly_status", ("MM",), "monthly", parse_due("workday 3 18:00"), "previous"),
        ("target_customers", ("KAM",), "monthly", parse_due("workday 5 18:00"), "previous"),
        ("monthly_plan", ("MM",), "monthly", parse_due("day 25 18:00"), "next"),
    ]


def test_the_manifest_shape_names_form_person_period_due_and_status():
    result = reminders([WEEKLY_PLAN], [person(since="2026-11-16")], [sent("2026-W48", "2026-11-23T09:00")],
                       at("2026-11-23T12:00"), CAL, POLICY)
    assert as_json(result.records) == [
        {"form": "weekly_work_plan", "person": "王敏", "period": "2026-W47", "due": "2026-11-16T10:00",
         "status": "missing"},
        {"form": "weekly_work_plan", "person": "王敏", "period": "2026-W48", "due": "2026-11-23T10:00",
         "status": "on_time"},
    ]


@pytest.mark.parametrize("start, periods", [
    (None, ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]),
    (dt.date(2026, 11, 16), ["2026-W47", "2026-W48"]),          # due on the start day: counted
    (dt.date(2026, 11, 17), ["2026-W48"]),
])
def test_nothing_due_before_the_calendar_starts_is_expected(start, periods):
    found = evaluate([WEEKLY_PLAN], [person(since="2020-01-01")], [], at("2026-11-24T09:00"), CAL,
                     ReminderPolicy(24, start))
    assert [r.period for r in found if r.due.date() >= dt.date(2026, 11, 1)] == periods
    assert start is None or min(r.due.date() for r in found) >= start


@pytest.mark.parametrize("start", [
    # a period's first day: the reports of a period evaluate from it (reports/submissions, sales_inputs)
    dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 11, 23), dt.date(2026, 12, 28), dt.date(2027, 1, 1),
])
def test_a_later_start_changes_no_record_due_from_it(start):
    people = [person(since="2025-06-01"), person("李强", "UM", since="2025-06-01"),
              person("张伟", "MM", since="2026-09-10"), person("赵敏", "SLT", since="2025-01-01")]
    sends = [sent("2026-W48", "2026-11-23T09:00"), sent("2026-11", "2026-11-05T09:00", "monthly_work_plan"),
             sent("2026Q4", "2026-10-20T09:00", "quarterly_plan", "张伟")]
    now = at("2027-02-20T12:00")
    every = evaluate(DEFAULT_DUTIES, people, sends, now, CAL, POLICY)
    later = evaluate(DEFAULT_DUTIES, people, sends, now, CAL, ReminderPolicy(24, start))
    assert later == [r for r in every if r.due.date() >= start]
    assert {r.form for r in later} == {d.form for d in DEFAULT_DUTIES}, "every duty has a record due from start"
