"""Who sees what (分权): the sales figures restricted to a market, a region or a KAM's customers.

A scoped copy holds only rows of its scope and its totals are the scope's own, summed from the
scope's facts; a rank it shows is the row's national rank. Rows that would carry a figure of a
wider scope are left out: a region's copy has no market subtotal, a KAM's no market or region
rows, and product lines in a KAM's copy show no target (the plan's targets are the region's). A
person whose documents partly fall outside the scope is shown with the scope's part only, without
target or achievement, and with their national ranks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from osb_batch.rules.ranking import achievement

from .figure_frames import prepare
from .sales_figures import FigureInputs, Line, PersonRow, SalesFigures, build


@dataclass(frozen=True, slots=True)
class Scope:
    """A market (``market``), a region (``market`` and ``region``) or a KAM's or SR's customers (``kam``)."""

    market: str | None = None
    region: str | None = None
    kam: str | None = None

    def holds(self, market: str | None, region: str | None, kam: str | None = None) -> bool:
        """Whether a row of this market, region and KAM (None: not a row of one) is inside the scope."""
        if self.kam is not None:
            return kam == self.kam
        if self.market is not None and market != self.market:
            return False
        return self.region is None or region == self.region


def restrict(national: SalesFigures, inputs: FigureInputs, scope: Scope) -> SalesFigures:
    """``national`` as ``scope`` sees it: its rows only, its totals, the national ranks.

    Making many copies of one report, give ``inputs`` the facts through ``figure_frames.prepare``
    once: each copy then only filters them.
    """
    if scope == Scope():
        return national
    facts = prepare(inputs.facts)
    inside = (facts["kam"] == scope.kam).to_numpy() if scope.kam is not None else \
        (facts["market"] == (scope.market or "")).to_numpy() & \
        ((facts["region"] == scope.region).to_numpy() if scope.region else True)
    level = "kam" if scope.kam else "region" if scope.region else "market"
    holds = _areas(facts[inside]) if level == "kam" else scope.holds
    people = _shown(inputs.people, scope, set(facts.loc[inside, "kam"].unique()))
    scoped = build(dataclasses.replace(inputs, facts=facts[inside], people=people), holds=holds, areas=False)
    return SalesFigures(
        national.period,
        _lines(scoped.lines, holds, level, _scope_target(inputs, scope, level)),
        tuple(row for row in national.markets if level == "market" and scope.holds(row.market, None)),
        tuple(row for row in national.regions if level != "kam" and scope.holds(row.market, row.region)),
        _people(national.people, scoped.people, inputs, scope),
        tuple(row for row in scoped.dealer_products if scope.holds(row.market, row.region, row.kam)),
        tuple(row for row in scoped.dealers if scope.holds(row.market, row.region, row.kam)))


def _scope_target(inputs: FigureInputs, scope: Scope, level: str) -> Decimal | None:
    if level == "kam":
        person = next((p for p in inputs.people if p.name == scope.kam), None)
        return None if person is None else inputs.targets.person(inputs.period, person)
    return inputs.targets.scope(inputs.period, scope.market, scope.region)


def _areas(facts) -> Callable[[str | None, str | None], bool]:
    """Whether a market and region are those of some fact of ``facts`` (a KAM's customers' areas)."""
    areas = set(zip(facts["market"], facts["region"], strict=True))
    return lambda market, region: (market, region) in areas


def _lines(lines: tuple[Line, ...], inside: Callable[[str | None, str | None], bool], level: str,
           target: Decimal | None) -> tuple[Line, ...]:
    """The scope's product lines and subtotals below its level, and its total with its own target."""
    kept = []
    for line in lines[:-1]:
        wider = line.level == "market" and level in ("region", "kam") or line.level == "region" and level == "kam"
        if wider or not inside(line.market, line.region):
            continue
        kept.append(dataclasses.replace(line, target=None, achievement=None) if level == "kam" else line)
    total = lines[-1]
    return (*kept, dataclasses.replace(total, target=target, achievement=achievement(total.amount, target)))


def _placed(person, scope: Scope) -> bool:
    """Whether the roster places ``person`` in ``scope``: a region's UM, a market's people, the KAM."""
    if scope.kam is not None:
        return person.name == scope.kam
    if scope.region is not None:
        return person.role == "UM" and (person.market, person.region) == (scope.market, scope.region)
    return scope.market is None or person.market == scope.market


def _shown(people, scope: Scope, kams: set[str]) -> list:
    """The people a scoped copy may show: placed in the scope, or (below a market) KAMs and SRs
    whose name the scope's facts carry; the scoped figures are made for these only."""
    return [p for p in people if _placed(p, scope) or (scope.region and p.role in ("KAM", "SR") and p.name in kams)]


def _people(national: tuple[PersonRow, ...], scoped: tuple[PersonRow, ...], inputs: FigureInputs,
            scope: Scope) -> tuple[PersonRow, ...]:
    """The people placed in the scope, and the KAMs and SRs with documents in it (below a market)."""
    roster = {p.name: p for p in inputs.people}
    mine = {row.name: row for row in scoped}
    rows = []
    for row in national:
        if row.name not in mine:
            continue
        person, part = roster[row.name], mine[row.name]
        active = part.amount or part.collection or part.orders
        if not (_placed(person, scope) or (scope.region and person.role in ("KAM", "SR") and active)):
            continue
        same = (part.amount, part.collection, part.orders) == (row.amount, row.collection, row.orders)
        rows.append(row if same else dataclasses.replace(part, target=None, achievement=None, rank=row.rank,
                                                          market_rank=row.market_rank))
    return tuple(rows)
