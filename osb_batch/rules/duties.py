"""The reporting calendar (催报): who owes which report, and who sent theirs on time.

For each duty (``[[reporting.duties]]``) and each period it covers whose due time has come or
comes within ``remind_hours``, each person expected gets a :class:`Record` with a status:

- ``on_time``: the submission arrived by the due time (arriving within the due minute counts);
- ``late``: it arrived after the due time;
- ``missing``: it has not arrived and the due time has passed (with the working days overdue);
- ``due_soon``: it has not arrived and the due time is within ``remind_hours``.

Who is expected: the person as the roster stood on the covered period's first day (so from the
first full period after their ``since``, and a role change moves the duty with the role) must be
active and hold one of the duty's roles, and must be on the roster, active, when it falls due (an
inactive person is not expected). A submission counts for the person its person column names and
for the period its period column names, nothing else: a plan for the wrong week leaves the week
due missing. A submission arriving after ``now`` is not seen yet.

A rate is on time ÷ expected, where expected counts the on-time, late and missing records (a
report not yet due and not yet in is not counted). Pure: no files, no clock, no ledger.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from osb_batch.due_notation import Due, parse_due
from osb_batch.workdays import WorkCalendar

from .duty_calendar import TZ, Period, due_time, period_of, periods_between
from .management_records import ROLES, Person, Submission

__all__ = ["STATUSES", "DutyLike", "Rate", "Record", "ReminderPolicy", "Reminders", "as_json", "evaluate",
           "rates", "reminders"]

#: The statuses, in the order a reminder list shows them.
STATUSES = ("missing", "due_soon", "late", "on_time")
COUNTED = frozenset({"on_time", "late", "missing"})


class DutyLike(Protocol):
    """A duty as rules.toml declares it (:class:`osb_batch.settings.Duty`)."""

    form: str
    who: tuple[str, ...]
    cycle: str
    due: str | Due
    covers: str


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """``reporting.remind_hours``: how long before its due time a report is reminded; ``start``: the
    first day the calendar counts (the day the batch began receiving reports, say), so that a roster
    ``since`` years back does not make years of reports missing; None counts from the roster."""

    remind_hours: int = 24
    start: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """One report expected of one person for one period, and where it stands at ``now``."""

    form: str
    person: str
    role: str
    period: str
    due: dt.datetime
    status: str
    arrived_at: dt.datetime | None = None
    workdays_overdue: int = 0


@dataclass(frozen=True, slots=True)
class Rate:
    """On-time rate of one person for one form (``form`` None: all their duties)."""

    person: str
    form: str | None
    on_time: int
    late: int
    missing: int

    @property
    def expected(self) -> int:
        return self.on_time + self.late + self.missing

    @property
    def rate(self) -> Decimal | None:
        """On time ÷ expected to four places; None when nothing was expected."""
        if not self.expected:
            return None
        return (Decimal(self.on_time) / Decimal(self.expected)).quantize(Decimal("0.0001"))


@dataclass(frozen=True, slots=True)
class Reminders:
    """Everything the calendar says at ``now``: every record, in duty order, and the duties' forms."""

    now: dt.datetime
    records: tuple[Record, ...]
    forms: tuple[str, ...]

    def owed(self) -> list[Record]:
        """What is owed, for SSG: overdue first (most working days overdue first), then due soon."""
        owed = [r for r in self.records if r.status in ("missing", "due_soon")]
        return sorted(owed, key=lambda r: (r.status != "missing", -r.workdays_overdue, r.due, r.person, r.form))

    def owed_by_person(self) -> dict[str, list[Record]]:
        """Each person's own list, in the order of :meth:`owed`; people who owe nothing are absent."""
        found: dict[str, list[Record]] = defaultdict(list)
        for record in self.owed():
            found[record.person].append(record)
        return dict(sorted(found.items()))

    def rates(self, first: dt.date | None = None, last: dt.date | None = None) -> list[Rate]:
        """:func:`rates` of the records due from ``first`` to ``last`` (both included, either open)."""
        return rates(r for r in self.records if (first is None or r.due.date() >= first)
                     and (last is None or r.due.date() <= last))


def reminders(duties: Sequence[DutyLike], people: Sequence[Person], submissions: Iterable[Submission],
              now: dt.datetime, calendar: WorkCalendar, policy: ReminderPolicy) -> Reminders:
    """The reporting calendar at ``now`` (aware): every record of :func:`evaluate`, ready for the writers."""
    return Reminders(now.astimezone(TZ), tuple(evaluate(duties, people, submissions, now, calendar, policy)),
                     tuple(dict.fromkeys(d.form for d in duties)))


def evaluate(duties: Sequence[DutyLike], people: Sequence[Person], submissions: Iterable[Submission],
             now: dt.datetime, calendar: WorkCalendar, policy: ReminderPolicy) -> list[Record]:
    """A :class:`Record` per duty, covered period and person expected, for every due up to
    ``now`` + ``remind_hours``, by duty, period and person."""
    now = now.astimezone(TZ)
    horizon = now + dt.timedelta(hours=policy.remind_hours)
    history = _history(people)
    if not history:
        return []
    first = min(versions[0].since for versions in history.values())
    if policy.start is not None:
        first = max(first, policy.start - dt.timedelta(days=100))     # a covered period may lie a quarter back
    arrivals = _arrivals(submissions, now)
    overdue = _Overdue(calendar, now)
    records = []
    for duty in duties:
        due = duty.due if isinstance(duty.due, Due) else parse_due(duty.due)
        last = period_of(duty.cycle, horizon.date()).shifted(1).end
        for period in periods_between(duty.cycle, first, last):
            due_at = due_time(due, duty.covers, period, calendar)
            if due_at > horizon or (policy.start is not None and due_at.date() < policy.start):
                continue
            for name, versions in history.items():
                holder = _expected(versions, duty, period, due_at)
                if holder is not None:
                    arrived = arrivals.get((duty.form, name, period.label))
                    records.append(_record(duty.form, holder, period, due_at, arrived, now, overdue))
    return records


def rates(records: Iterable[Record]) -> list[Rate]:
    """Per person: one :class:`Rate` per form they were expected to send, then their overall one
    (``form`` None); people by name."""
    counts: dict[tuple[str, str | None], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTED, 0))
    for r in records:
        if r.status in COUNTED:
            counts[(r.person, r.form)][r.status] += 1
            counts[(r.person, None)][r.status] += 1
    ordered = sorted(counts, key=lambda k: (k[0], k[1] is None, k[1] or ""))
    return [Rate(person, form, c["on_time"], c["late"], c["missing"])
            for (person, form), c in ((k, counts[k]) for k in ordered)]


def as_json(records: Iterable[Record]) -> list[dict]:
    """The manifest's and ``report --json``'s ``submissions``: form, person, period, due (ISO, to the
    minute, Asia/Shanghai time) and status."""
    return [{"form": r.form, "person": r.person, "period": r.period,
             "due": r.due.astimezone(TZ).strftime("%Y-%m-%dT%H:%M"), "status": r.status} for r in records]


def _history(people: Sequence[Person]) -> dict[str, list[Person]]:
    """Each name's roster versions, oldest first."""
    history: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        history[person.name.strip()].append(person)
    return {name: sorted(versions, key=lambda v: v.since) for name, versions in sorted(history.items())}


def _arrivals(submissions: Iterable[Submission], now: dt.datetime) -> dict[tuple[str, str, str], dt.datetime]:
    """The first arrival of each (form, person, period) up to ``now``."""
    first: dict[tuple[str, str, str], dt.datetime] = {}
    for s in submissions:
        arrived = s.arrived_at.astimezone(TZ)
        key = (s.form, s.person.strip(), s.period.strip())
        if arrived <= now and (key not in first or arrived < first[key]):
            first[key] = arrived
    return first


def _holder(versions: list[Person], day: dt.date) -> Person | None:
    """The roster version in force on ``day``: the latest whose ``since`` is on or before it."""
    return next((v for v in reversed(versions) if v.since <= day), None)


def _expected(versions: list[Person], duty: DutyLike, period: Period, due_at: dt.datetime) -> Person | None:
    """The version that owes ``duty`` for ``period``, or None when the person does not owe it."""
    holder = _holder(versions, period.start)
    at_due = _holder(versions, due_at.date())
    if holder is None or not holder.active or holder.role not in duty.who:
        return None
    return holder if at_due is not None and at_due.active else None


class _Overdue:
    """Working days after a due day up to ``now``'s (:meth:`WorkCalendar.workdays_between`), counted
    in one walk back from today however many due days are asked about."""

    def __init__(self, calendar: WorkCalendar, now: dt.datetime):
        self.calendar, self.earliest = calendar, now.date()
        self.after = {self.earliest: 0}

    def __call__(self, due_day: dt.date) -> int:
        while self.earliest > due_day:
            before = self.earliest - dt.timedelta(days=1)
            self.after[before] = self.after[self.earliest] + self.calendar.is_workday(self.earliest)
            self.earliest = before
        return self.after[due_day]


def _record(form: str, holder: Person, period: Period, due_at: dt.datetime, arrived: dt.datetime | None,
            now: dt.datetime, overdue: _Overdue) -> Record:
    if arrived is not None:
        status = "on_time" if arrived.replace(second=0, microsecond=0) <= due_at else "late"
        return Record(form, holder.name.strip(), holder.role, period.label, due_at, status, arrived)
    if now.replace(second=0, microsecond=0) > due_at:
        return Record(form, holder.name.strip(), holder.role, period.label, due_at, "missing", None,
                      overdue(due_at.date()))
    return Record(form, holder.name.strip(), holder.role, period.label, due_at, "due_soon")


def role_order(role: str) -> int:
    """Where ``role`` stands in the roster's order of roles (unknown roles last)."""
    return ROLES.index(role) if role in ROLES else len(ROLES)
