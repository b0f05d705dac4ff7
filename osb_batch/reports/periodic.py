"""The periodic reports (management.md "The `report` command"): one folder ``outbox/报表-P/`` per period.

A weekly, monthly or quarterly report is made of **parts**, each a :class:`~.report.Report` entry
of :data:`PARTS` for its kind of period: its build reads the ledger (None: nothing to say this
time), its write puts its workbooks into the shared folder, its as_json gives its keys of the
JSON. The composite (:data:`PERIODIC`, entries of the reports registry) builds every part before
anything is written (a part that fails fails the whole report, and the folder in place stays),
writes them all into one folder and merges their JSON under the header ``kind``, ``period``,
``start``, ``end``, ``basis``, ``as_of``, ``closed`` (False: the period is still running, the
figures are those so far), followed by ``outputs``: the written files as ``outbox/报表-P/…``.

A part is added with one import and one entry in :data:`PARTS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osb_batch.ledger.periodic_reports import first_business_date, mark_produced, produced
from osb_batch.workspace import Home

from . import (
    budget_execution,
    consolidation,
    contract_register,
    credit_grades,
    credit_limits,
    osb_meeting,
    sales_report,
    shipping_info,
    submissions,
    workflow_report,
)
from .period import REPORT_KINDS, Period, containing, previous
from .report import Basis, Produced, Report, produce

FOLDER = "报表-{period}"

#: The parts of each kind of period's report, in the order their files and JSON keys are listed.
PARTS: dict[str, tuple[Report[Basis], ...]] = {
    "week": (
        sales_report.PARTS["week"],
        Report("submissions", "week", submissions.build, submissions.write, submissions.to_json),
        Report("consolidation", "week", consolidation.build, consolidation.write, consolidation.to_json),
    ),
    "month": (
        sales_report.PARTS["month"],
        Report("submissions", "month", submissions.build, submissions.write, submissions.to_json),
        Report("consolidation", "month", consolidation.build, consolidation.write, consolidation.to_json),
        credit_grades.PART,
        shipping_info.PART,
        contract_register.PART,
        osb_meeting.PART,
        budget_execution.BUDGET_REPORT,
        workflow_report.PART,
    ),
    "quarter": (
        sales_report.PARTS["quarter"],
        Report("submissions", "quarter", submissions.build, submissions.write, submissions.to_json),
        Report("consolidation", "quarter", consolidation.build, consolidation.write, consolidation.to_json),
        credit_limits.CURRENT_PART,
    ),
}


@dataclass(slots=True)
class Composite:
    """Every part's records, built before anything is written; the files once written."""

    name: str                                        # weekly | monthly | quarterly
    period: Period
    basis: str                                       # [reports] sales_basis
    as_of: dt.date
    built: list[tuple[Report[Basis], Any]]           # (part, records) of the parts with something to say
    outputs: list[str] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.period.end < self.as_of


def _builder(name: str):
    def build(basis: Basis, period: Period, lang: str) -> Composite:
        built = []
        for part in PARTS[period.kind]:
            records = part.build(basis, period, lang)
            if records is not None:
                built.append((part, records))
        return Composite(name, period, basis.settings.reports.sales_basis, basis.today, built)
    return build


def write(composite: Composite, period: Period, folder: Path, lang: str, version: str) -> list[tuple[Path, str]]:
    """Every part's files into ``folder``; the composite remembers them as they will be named in outbox/."""
    written = []
    for part, records in composite.built:
        written += part.write(records, period, folder, lang, version)
    final = FOLDER.format(period=period.label)
    composite.outputs = [f"outbox/{final}/{record[0].name}" for record in written]
    return written


def as_json(composite: Composite) -> dict:
    """The header, every part's keys in :data:`PARTS` order, then ``outputs``."""
    period = composite.period
    result: dict = {"kind": composite.name, "period": period.label, "start": period.start.isoformat(),
                    "end": period.end.isoformat(), "basis": composite.basis, "as_of": composite.as_of.isoformat(),
                    "closed": composite.closed}
    for part, records in composite.built:
        if part.as_json is not None:
            result.update(part.as_json(records))
    result["outputs"] = list(composite.outputs)
    return result


#: The reports registry's entries: weekly, monthly, quarterly.
PERIODIC: dict[str, Report[Basis]] = {
    name: Report(name, kind, _builder(name), write, as_json, folder=FOLDER) for name, kind in REPORT_KINDS.items()
}


def produce_period(home: Home, basis: Basis, name: str, period: Period, lang: str) -> Produced:
    """Make ``outbox/报表-P/`` for ``period`` in one ledger transaction (the parts that record
    something do it once, with the folder); a closed period is remembered as produced, so the
    daily run does not make it again. Raises what a part raised, the folder in place untouched."""
    with basis.ledger.transaction():
        done = produce(home, PERIODIC[name], basis, period, lang)
        if period.end < basis.today:
            mark_produced(basis.ledger, name, period.label, home.relative(done.folder), basis.today,
                          basis.now or dt.datetime.now(dt.UTC))
    return done


def closed_unproduced(basis: Basis) -> list[tuple[str, Period]]:
    """The reports the daily run of ``basis.today`` owes: (name, period) for each period closed by
    the day before, ending on or after the ledger's first business date, not produced yet; by end
    then weeks before months before quarters (a run producing a month produces its quarter too)."""
    first = first_business_date(basis.ledger)
    if first is None:
        return []
    owed = []
    for order, (name, kind) in enumerate(REPORT_KINDS.items()):
        done = produced(basis.ledger, name)
        period = previous(containing(kind, basis.today))
        while period.end >= first:
            if period.label not in done:
                owed.append((period.end, order, name, period))
            period = previous(period)
    return [(name, period) for _, _, name, period in sorted(owed, key=lambda o: o[:2])]
