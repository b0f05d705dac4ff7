"""The sales part of the periodic reports (issue 11 items 4-5): the standard statistics forms
the batch fills, once whole for SLT and SSG and once per MM, UM and KAM for their scope.

:func:`build` reads the period's inputs (:mod:`.sales_inputs`), makes the national figures
(:func:`.sales_figures.build`) and one scoped copy per active MM (their market), UM (their
region) and KAM (their customers) with :func:`.figure_scope.restrict`, each with its own trend
of the last 13 periods; :func:`write` puts the workbooks into the report's folder
(:mod:`osb_batch.writers.sales_workbooks`); :func:`as_json` is the part's JSON: the basis and
management.md's markets, regions and people. :data:`PARTS` holds the part for each period kind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from osb_batch.rules.management_records import ROLES, Person
from osb_batch.settings import Settings
from osb_batch.writers import sales_workbooks
from osb_batch.writers.sales_records import Card, Context, Copy, View

from . import sales_figures, sales_inputs
from .figure_frames import cents_to_yuan
from .figure_scope import Scope, restrict
from .period import Period
from .report import Basis, Report
from .sales_figures import FigureInputs

#: The roles that receive a scoped copy, and what their scope is.
SCOPED_ROLES = ("MM", "UM", "KAM")


@dataclass(frozen=True, slots=True)
class SalesReport:
    """The national figures, and what each scoped copy is made from when it is written.

    A copy's figures are made just before its workbook is written and dropped after it (a large
    month's dealer rows would not fit in memory for 200 copies at once); an error there leaves the
    report's folder unswapped, as an error in :func:`build` does.
    """

    context: Context
    national: View
    inputs: FigureInputs
    trend: Trend
    scopes: tuple[tuple[Person, Scope, str], ...]

    def copies(self) -> Iterator[Copy]:
        for person, scope, label in self.scopes:
            figures = restrict(self.national.figures, self.inputs, scope)
            yield Copy(person.name, person.role, label, View(figures, self.trend.of(scope)))


def build(basis: Basis, period: Period, lang: str) -> SalesReport | None:
    """The period's national figures and its scopes; None when the ledger has nothing for them."""
    read = sales_inputs.read(basis.ledger, basis.settings, period, basis.today)
    inputs = read.figures
    if inputs.facts.empty and not inputs.targets.scopes() and not inputs.people:
        return None
    national = sales_figures.build(inputs)
    trend = Trend(inputs.facts, read.trend, inputs.history_from)
    context = Context(period.kind, period.label, period.start, period.end, lang, read.basis,
                      {m.code: (m.zh, m.en) for m in basis.settings.markets},
                      {code: Card(c.name, c.grade, c.credit_limit) for code, c in read.cards.items()},
                      read.stock, read.derived, tuple(p.label for p in read.trend))
    return SalesReport(context, View(national, trend.of(Scope())), inputs, trend,
                       tuple(scopes(inputs.people, basis.settings, lang)))


def scopes(people: Sequence[Person], settings: Settings, lang: str) -> list[tuple[Person, Scope, str]]:
    """(person, scope, the scope's name for the file) of every active MM, UM (with a region) and KAM."""
    found = []
    for person in sorted(people, key=lambda p: (ROLES.index(p.role), p.market or "", p.region or "", p.name)):
        if not person.active or person.role not in SCOPED_ROLES or not person.market:
            continue
        if person.role == "MM":
            market = settings.market(person.market)
            label = (market.en if lang == "en" else market.zh) if market else person.market
            found.append((person, Scope(market=person.market), label))
        elif person.role == "UM" and person.region:
            found.append((person, Scope(market=person.market, region=person.region), person.region))
        elif person.role == "KAM":
            found.append((person, Scope(kam=person.name), person.name))
    return found


class Trend:
    """The sales amount of each of the trend's periods, for the whole or a scope (None for a period
    that ended before the ledger's first business day: not a zero, nothing known)."""

    def __init__(self, facts: pd.DataFrame, points: tuple[Period, ...], history_from: dt.date | None = None):
        sales = facts[(facts["kind"] == "sales").to_numpy()]
        starts = np.array([p.start for p in points], dtype="datetime64[ns]")
        dates = sales["date"].to_numpy()
        index = np.searchsorted(starts, dates, side="right") - 1
        inside = (index >= 0) & (dates <= np.datetime64(points[-1].end, "ns"))
        self.sales, self.index, self.size = sales[inside], index[inside], len(points)
        self.known = [history_from is None or p.end >= history_from for p in points]

    def of(self, scope: Scope) -> tuple[Decimal | None, ...]:
        sales, index = self.sales, self.index
        if scope.kam is not None:
            keep = (sales["kam"] == scope.kam).to_numpy()
        elif scope.market is not None:
            keep = (sales["market"] == scope.market).to_numpy()
            if scope.region is not None:
                keep = keep & (sales["region"] == scope.region).to_numpy()
        else:
            keep = np.ones(len(sales), dtype=bool)
        cents = np.zeros(self.size, dtype="int64")
        np.add.at(cents, index[keep], sales["cents"].to_numpy()[keep])
        return tuple(cents_to_yuan(int(c)) if known else None for c, known in zip(cents, self.known, strict=True))


def write(records: SalesReport, period: Period, folder: Path, lang: str, version: str) -> list[tuple]:
    """The national workbook of each standard form, then one scoped workbook per person (named)."""
    context = dataclasses.replace(records.context, lang=lang)
    written = sales_workbooks.write_national(context, records.national, folder, version)
    for copy in records.copies():
        written.append((*sales_workbooks.write_scoped(context, copy, folder, version), copy.person))
    return written


def as_json(records: SalesReport) -> dict:
    """{"basis", "markets", "regions", "people"} as management.md shows them."""
    return {"basis": records.context.basis, **sales_figures.as_json(records.national.figures)}


def part(kind: str) -> Report[Basis]:
    """The sales part of the ``kind`` (week, month, quarter) reports, written into 报表-P/."""
    return Report("sales", kind, build, write, as_json, folder="报表-{period}")


#: The sales part per period kind, for reports/periodic.py's PARTS.
PARTS: dict[str, Report[Basis]] = {kind: part(kind) for kind in ("week", "month", "quarter")}
