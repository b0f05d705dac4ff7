"""The reporting calendar's part of a periodic report: who sent which report, on time or not.

The records of :func:`osb_batch.rules.duties.evaluate` whose due time falls in the period, over
the roster's history and every submission of the duties' forms, seen at the moment the report is
made (a report not yet due and not yet in is left out: the period is still open). The calendar
starts on the ledger's first business date, so nothing due before the batch began is missing.
JSON ``submissions`` (management.md); a month also writes ``上报情况-YYYY-MM.xlsx``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from osb_batch.ledger.database import Ledger
from osb_batch.ledger.documents import submissions
from osb_batch.ledger.periodic_reports import first_business_date
from osb_batch.ledger.roster import roster_history
from osb_batch.rules.duties import Record, ReminderPolicy, Reminders, as_json, reminders
from osb_batch.rules.duty_calendar import TZ
from osb_batch.rules.duty_matrix import monthly_matrix
from osb_batch.settings import Settings
from osb_batch.workdays import WorkCalendar
from osb_batch.writers.reporting_matrix import write_matrix

from .period import Period
from .report import Basis

SHOWN = frozenset({"on_time", "late", "missing"})


def as_of(day: dt.date, now: dt.datetime | None) -> dt.datetime:
    """The moment a report or run of business date ``day`` sees: ``now`` when it falls on that day
    (Asia/Shanghai), else the last minute of ``day`` (a run for another date sees that day's end)."""
    if now is not None and now.astimezone(TZ).date() == day:
        return now.astimezone(TZ)
    return dt.datetime.combine(day, dt.time(23, 59, 59), TZ)


def calendar_at(ledger: Ledger, settings: Settings, moment: dt.datetime, since: dt.date | None = None) -> Reminders:
    """The reporting calendar at ``moment``: every duty of ``[[reporting.duties]]`` over the roster
    and what people sent, counted from the ledger's first business date, or from ``since`` when
    that is later (a period's report needs nothing due before the period)."""
    duties = settings.reporting.duties
    starts = [day for day in (first_business_date(ledger), since) if day is not None]
    policy = ReminderPolicy(settings.reporting.remind_hours, max(starts, default=None))
    calendar = WorkCalendar(settings.calendar.holidays, settings.calendar.workdays)
    sent = submissions(ledger, tuple(dict.fromkeys(d.form for d in duties)))
    return reminders(duties, roster_history(ledger), sent, moment, calendar, policy)


@dataclass(frozen=True, slots=True)
class PeriodSubmissions:
    records: tuple[Record, ...]          # due in the period, by due time then form and person
    all_records: Reminders               # for the month's rates


def build(basis: Basis, period: Period, lang: str) -> PeriodSubmissions:
    """The records falling due in ``period`` (none due yet: an empty list)."""
    found = calendar_at(basis.ledger, basis.settings, as_of(basis.today, basis.now), since=period.start)
    due_in = tuple(sorted((r for r in found.records if r.status in SHOWN
                           and period.start <= r.due.astimezone(TZ).date() <= period.end),
                          key=lambda r: (r.due, found.forms.index(r.form), r.person)))
    return PeriodSubmissions(due_in, found)


def write(records: PeriodSubmissions, period: Period, folder: Path, lang: str,
          version: str) -> list[tuple[Path, str]]:
    """A month's matrix of people × duties with each person's on-time rate; nothing for other periods."""
    if period.kind != "month":
        return []
    matrix = monthly_matrix(records.records, period.label, records.all_records.forms)
    path = write_matrix(folder, matrix, records.all_records.rates(period.start, period.end), lang)
    return [(path, "reporting_matrix")]


def to_json(records: PeriodSubmissions) -> dict:
    return {"submissions": as_json(records.records)}
