"""The sales figures of a period: the tables of 销售情况统计表, 区域销售情况统计表 and 销售员工作统计表.

From the sales facts (:data:`~osb_batch.rules.management_records.FACT_COLUMNS`, one frame that
covers the period, the period before, the same period a year earlier and the year to date:
:func:`span` says which days), the targets and the roster, :func:`build` sums (pandas, integer
cents, never floats) and ranks (:mod:`osb_batch.rules.ranking`):

- ``lines``: market × region × product with quantity, amount, target, achievement, the period
  before (环比), a year earlier (同比) and the year to date, then a subtotal per region (with its
  collection), per market and the total;
- ``regions`` and ``markets``: target, sales, achievement, rank, collection, customers with
  sales, new customers (first order in the period), 同比 and 环比;
- ``people``: orders, sales, collection, new customers, target, achievement, rank nationally and
  within their market among the people of their role, visits and on-time rate as given.

Money leaves as Decimal yuan; :func:`as_json` gives management.md's JSON of markets, regions, people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from osb_batch.rules.management_records import MARKET_ROLES, ROLES, Person
from osb_batch.rules.ranking import achievement, rank, rank_within
from osb_batch.rules.targets import Targets

from . import period as periods
from .dealer_figures import (
    DealerBook,
    DealerProductRow,
    DealerRow,
    attribution,
    dealer_products,
    dealer_summary,
)
from .figure_frames import Window, add_up, cents_to_yuan, distinct, prepare, roll_up, window
from .figure_numbers import growth, money, quantity, ratio
from .period import Period

#: The comparisons every figure is shown with: the period before (环比) and a year earlier (同比).
COMPARED = ("previous", "year_ago")


@dataclass(frozen=True, slots=True)
class FigureInputs:
    """What the figures are made of; ``facts`` must cover :func:`span` (``period``)."""

    facts: pd.DataFrame                              # FACT_COLUMNS (or figure_frames.prepare of them)
    period: Period
    targets: Targets
    people: Sequence[Person] = ()
    first_order_dates: Mapping[str, dt.date] = field(default_factory=dict)
    history_from: dt.date | None = None              # the ledger's first day: no 同比/环比 before it
    visits: Mapping[str, int] | None = None
    on_time: Mapping[str, Decimal] | None = None
    dealers: DealerBook = DealerBook()


@dataclass(frozen=True, slots=True)
class Line:
    """One row of the market × region × product table; ``level`` says which (subtotals have None below)."""

    level: str                                       # product | region | market | total
    market: str | None
    region: str | None
    product_code: str | None
    qty: Decimal
    amount: Decimal
    collection: Decimal | None                       # receipts have no product: region level and up
    target: Decimal | None
    achievement: Decimal | None
    previous: Decimal | None
    year_ago: Decimal | None
    year_to_date: Decimal
    mom: Decimal | None                              # 环比: amount ÷ previous − 1
    yoy: Decimal | None                              # 同比: amount ÷ year_ago − 1


@dataclass(frozen=True, slots=True)
class AreaRow:
    """A market (``region`` None) or a region, as 区域销售情况统计表 and the market list show it."""

    market: str
    region: str | None
    target: Decimal | None
    amount: Decimal
    achievement: Decimal | None
    rank: int | None
    collection: Decimal
    customers: int
    new_customers: int
    previous: Decimal | None
    year_ago: Decimal | None
    year_to_date: Decimal
    mom: Decimal | None
    yoy: Decimal | None


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person of the sales force, as 销售员工作统计表 shows them."""

    name: str
    role: str
    market: str | None
    region: str | None
    orders: int
    amount: Decimal
    collection: Decimal
    new_customers: int
    target: Decimal | None
    achievement: Decimal | None
    rank: int | None                                 # among the people of the role, nationally
    market_rank: int | None                          # ... and within their market
    visits: int | None
    on_time_rate: Decimal | None


@dataclass(frozen=True, slots=True)
class SalesFigures:
    period: Period
    lines: tuple[Line, ...]
    markets: tuple[AreaRow, ...]
    regions: tuple[AreaRow, ...]
    people: tuple[PersonRow, ...]
    dealer_products: tuple[DealerProductRow, ...]
    dealers: tuple[DealerRow, ...]

    @property
    def total(self) -> Line:
        return self.lines[-1]


def span(period: Period) -> tuple[dt.date, dt.date]:
    """The days the facts frame must cover: from the earliest compared period to the period's end."""
    starts = [periods.previous(period).start, periods.year_ago(period).start,
              periods.year_to_date(period).start]
    return min(starts), period.end


def build(inputs: FigureInputs, *, holds: Callable[[str | None, str | None], bool] | None = None,
          areas: bool = True) -> SalesFigures:
    """Every table of the period's sales figures.

    ``holds`` (market, region → bool) keeps out the planned product lines of other areas, and
    ``areas=False`` leaves out the ranked markets and regions: what a scoped copy needs.
    """
    facts = prepare(inputs.facts)
    windows = _windows(facts, inputs)
    attributed = attribution(facts[facts["date"] <= pd.Timestamp(inputs.period.end)])
    markets = _areas(windows, inputs, ("market",)) if areas else ()
    regions = _areas(windows, inputs, ("market", "region")) if areas else ()
    return SalesFigures(inputs.period, _lines(windows, inputs, holds), markets, regions,
                        _people(windows["current"], inputs), dealer_products(windows, attributed),
                        dealer_summary(windows, attributed, inputs.dealers))


def _windows(facts, inputs: FigureInputs) -> dict[str, Window | None]:
    """The facts of the period, of each compared period (None before the ledger's history) and of the YTD."""
    period = inputs.period
    compared = {"previous": periods.previous(period), "year_ago": periods.year_ago(period)}
    windows: dict[str, Window | None] = {"current": window(facts, period.start, period.end),
                                         "ytd": window(facts, *_dates(periods.year_to_date(period)))}
    for name, other in compared.items():
        known = inputs.history_from is None or inputs.history_from <= other.start
        windows[name] = window(facts, other.start, other.end) if known else None
    return windows


def _dates(period: Period) -> tuple[dt.date, dt.date]:
    return period.start, period.end


def _lines(windows: dict[str, Window | None], inputs: FigureInputs,
           holds: Callable[[str | None, str | None], bool] | None) -> tuple[Line, ...]:
    """Product lines with a subtotal after each region and market, and the total last."""
    keys = ("market", "region", "product_code")
    amounts = {name: (None if w is None else add_up(w.sales, keys)) for name, w in windows.items()}
    qty = add_up(windows["current"].sales, keys, "qty")
    collection = add_up(windows["current"].collection, keys[:2])
    planned = {scope for scope in inputs.targets.scopes()
               if scope[2] is not None and (holds is None or holds(scope[0], scope[1]))}
    products = sorted(set(amounts["current"]) | set(amounts["ytd"]) | planned, key=_order)
    levels = {depth: {name: None if a is None else roll_up(a, depth) for name, a in amounts.items()}
              | {"qty": roll_up(qty, depth)} for depth in range(4)}
    collected_at = [roll_up(collection, depth) for depth in range(3)]
    target = _target_of(inputs)

    def line(key: tuple) -> Line:
        depth = len(key)
        collected = None if depth == 3 else cents_to_yuan(collected_at[depth].get(key, 0))
        return _line(LEVELS[depth], key, levels[depth], collected, target(key))

    regions = sorted({key[:2] for key in products} | set(collection), key=_order)
    lines: list[Line] = []
    for market in _unique(key[:1] for key in regions):
        for region in (key for key in regions if key[:1] == market):
            lines += [line(key) for key in products if key[:2] == region]
            lines.append(line(region))
        lines.append(line(market))
    lines.append(line(()))
    return tuple(lines)


#: The level of a line by the length of its key.
LEVELS = ("total", "market", "region", "product")


def _line(level: str, key: tuple, sums: dict, collection: Decimal | None, target: Decimal | None) -> Line:
    cents = sums["current"].get(key, 0)
    compared = {name: None if sums[name] is None else sums[name].get(key, 0) for name in COMPARED}
    market, region, product = (*key, None, None, None)[:3]
    return Line(level, market, region, product, quantity(sums["qty"].get(key, 0.0)), cents_to_yuan(cents),
                collection, target, achievement(cents_to_yuan(cents), target),
                _yuan(compared["previous"]), _yuan(compared["year_ago"]),
                cents_to_yuan(sums["ytd"].get(key, 0)),
                growth(cents, compared["previous"]), growth(cents, compared["year_ago"]))


def _unique(keys: Iterable[tuple]) -> list[tuple]:
    return list(dict.fromkeys(keys))


def _areas(windows: dict[str, Window | None], inputs: FigureInputs, keys: tuple[str, ...]) -> tuple[AreaRow, ...]:
    """Markets (keys market) or regions (market, region), ranked nationally."""
    current = windows["current"]
    amounts = {name: (None if w is None else add_up(w.sales, keys)) for name, w in windows.items()}
    collection = add_up(current.collection, keys)
    customers = distinct(current.sales, keys, "customer_code")
    new = distinct(_new_customers(current, inputs), keys, "customer_code")
    named = {scope[:len(keys)] for scope in inputs.targets.scopes() if len(keys) == 1 or scope[1] is not None}
    named |= set(collection)
    named |= {(p.market, p.region)[:len(keys)] for p in inputs.people
              if p.market and (len(keys) == 1 or (p.role == "UM" and p.region))}
    target = _target_of(inputs)
    entries = [(key, cents_to_yuan(amounts["current"].get(key, 0)), target(key))
               for key in sorted(set(amounts["current"]) | named, key=_order)]
    rows = []
    for standing in rank(entries):
        key, cents = standing.key, amounts["current"].get(standing.key, 0)
        compared = {n: None if amounts[n] is None else amounts[n].get(key, 0) for n in COMPARED}
        rows.append(AreaRow(key[0], key[1] if len(key) > 1 else None, standing.target, standing.amount,
                            standing.achievement, standing.rank, cents_to_yuan(collection.get(key, 0)),
                            customers.get(key, 0), new.get(key, 0), _yuan(compared["previous"]),
                            _yuan(compared["year_ago"]), cents_to_yuan(amounts["ytd"].get(key, 0)),
                            growth(cents, compared["previous"]), growth(cents, compared["year_ago"])))
    return tuple(rows)


#: Which fact column names a person's documents, per role (an MM's are their market's).
PERSON_COLUMN = {"KAM": "kam", "SR": "kam", "UM": "um", "MM": "market"}


def _people(current: Window, inputs: FigureInputs) -> tuple[PersonRow, ...]:
    """The people of the market roles, ranked among their role nationally and within their market."""
    people = [p for p in inputs.people if p.role in MARKET_ROLES]
    new = _new_customers(current, inputs)
    figures = {}
    for column in sorted({PERSON_COLUMN[p.role] for p in people}):      # only the columns someone needs
        figures[column] = (add_up(current.sales, (column,)), add_up(current.collection, (column,)),
                           distinct(current.sales, (column,), "order_no"),
                           distinct(new, (column,), "customer_code"))
    period = inputs.period
    rows = {}
    for person in people:
        column = PERSON_COLUMN[person.role]
        key = (person.market if column == "market" else person.name,)
        sales, collected, orders, fresh = (part.get(key, 0) for part in figures[column])
        rows[person.name] = (person, sales, collected, orders, fresh, inputs.targets.person(period, person))
    entries = [((p.role, p.market or "", p.name), cents_to_yuan(s), t) for p, s, _, _, _, t in rows.values()]
    national = rank_within(entries, group=lambda key: key[0])
    local = rank_within(entries, group=lambda key: key[:2])
    result = []
    for key in sorted(national, key=lambda k: (ROLES.index(k[0]), _rank_order(national[k]))):
        person, sales, collected, orders, fresh, target = rows[key[2]]
        standing = national[key]
        result.append(PersonRow(person.name, person.role, person.market, person.region, orders,
                                standing.amount, cents_to_yuan(collected), fresh, target,
                                standing.achievement, standing.rank, local[key].rank,
                                (inputs.visits or {}).get(person.name), (inputs.on_time or {}).get(person.name)))
    return tuple(result)


def _new_customers(current: Window, inputs: FigureInputs):
    """The period's fact rows of customers whose first order falls in the period."""
    period = inputs.period
    new = {code for code, first in inputs.first_order_dates.items() if period.start <= first <= period.end}
    frame = current.all
    return frame[frame["customer_code"].isin(new)]


def _target_of(inputs: FigureInputs):
    """The target of a scope key (), (market,), (market, region) or (market, region, product)."""
    markets = sorted({scope[0] for scope in inputs.targets.scopes()})

    def target(key: tuple) -> Decimal | None:
        if not key:
            known = [t for m in markets if (t := inputs.targets.scope(inputs.period, m)) is not None]
            return sum(known, Decimal(0)) if known else None
        market, region, product = (*key, None, None)[:3]
        return inputs.targets.scope(inputs.period, market, region, product)
    return target


def _order(key: tuple) -> tuple:
    return tuple((value is None, value or "") for value in key)


def _rank_order(standing) -> tuple:
    return (standing.rank is None, standing.rank or 0, -standing.amount, str(standing.key))


def _yuan(cents: int | None) -> Decimal | None:
    return None if cents is None else cents_to_yuan(cents)


def as_json(figures: SalesFigures) -> dict:
    """management.md's ``markets``, ``regions`` and ``people``: money with two decimals, ratios four."""
    return {
        "markets": [{"market": r.market, **_area_json(r)} for r in figures.markets],
        "regions": [{"market": r.market, "region": r.region, **_area_json(r)} for r in figures.regions],
        "people": [_person_json(r) for r in figures.people],
    }


def _area_json(row: AreaRow) -> dict:
    return {"amount": money(row.amount), "target": money(row.target), "achievement": ratio(row.achievement),
            "rank": row.rank, "collection": money(row.collection), "customers": row.customers,
            "new_customers": row.new_customers, "previous": money(row.previous),
            "year_ago": money(row.year_ago), "year_to_date": money(row.year_to_date),
            "mom": ratio(row.mom), "yoy": ratio(row.yoy)}


def _person_json(row: PersonRow) -> dict:
    return {"name": row.name, "role": row.role, "market": row.market, "region": row.region,
            "amount": money(row.amount), "collection": money(row.collection), "orders": row.orders,
            "new_customers": row.new_customers, "target": money(row.target),
            "achievement": ratio(row.achievement), "rank": row.rank, "market_rank": row.market_rank,
            "visits": row.visits, "on_time_rate": ratio(row.on_time_rate)}
