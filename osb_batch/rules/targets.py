"""Targets from the plan forms: a scope's, an owner's and a person's, for any span of days.

A plan row (:class:`~osb_batch.rules.management_records.PlanRow`) sets the sales target of the
scope it names (a market; a region; a product in a region) for its plan's period (a month, a
quarter, a year). Within one plan, a scope's target is its own row where there is one, else the
sum of the rows below it. A month without monthly plan rows for the scope takes its quarter's
(else its year's) target in proportion to working days; any other span of days (a week, the
year to date) takes, of each month it touches, the share of the working days it holds. A quarter
or a year with its own plan rows takes them; otherwise, like a half, it is the sum of its months.

Money is exact: targets are Decimal yuan to the cent, and a prorated target is split with the
largest-remainder method, so that the months of a quarter, and the weeks of a month, add up to
it to the cent. Pure: the rows, the working-day calendar and the dates decide everything.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from osb_batch.workdays import WorkCalendar

from .management_records import Person, PlanRow

__all__ = ["Targets", "allocate"]

CENT = Decimal("0.01")
_ONE_DAY = dt.timedelta(days=1)

#: A scope: (market, region or None, product code or None).
Scope = tuple[str, str | None, str | None]


class Span(Protocol):
    """Anything with a first and a last day (a report's Period)."""

    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...


def allocate(total: Decimal, weights: Sequence[int]) -> list[Decimal]:
    """``total`` (rounded to the cent) split in proportion to ``weights``, parts summing to it exactly.

    Largest remainder: each part is rounded down to the cent and the cents left over go to the
    parts with the largest remainders (the earlier part on a tie). All-zero weights split evenly.
    """
    cents = int((total / CENT).to_integral_value(ROUND_HALF_UP))
    sign, cents = (-1 if cents < 0 else 1), abs(cents)
    weights = list(weights) if any(weights) else [1] * len(weights)
    whole = sum(weights)
    parts = [cents * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(cents * weights[i] % whole), i))
    for i in order[:cents - sum(parts)]:
        parts[i] += 1
    return [Decimal(sign * part) * CENT for part in parts]


class _Plan:
    """The rows of one plan (kind and period), indexed by scope, by the scopes below and by owner."""

    def __init__(self, rows: Iterable[PlanRow]):
        self.own: dict[Scope, Decimal] = {}
        self.regions: dict[str, set[str]] = defaultdict(set)
        self.products: dict[tuple[str, str | None], list[Scope]] = defaultdict(list)
        self.owners: dict[str, Decimal] = defaultdict(Decimal)
        current = {(row.market, row.region, row.product_code): row for row in rows}   # the last per key
        for key, row in current.items():
            if row.product_code is not None:
                self.products[(row.market, row.region)].append(key)
            if row.region is not None:
                self.regions[row.market].add(row.region)
            target = row.sales_target.quantize(CENT, ROUND_HALF_UP)
            self.own[key] = target
            self.owners[row.owner] += target

    def scope(self, scope: Scope) -> Decimal | None:
        """The scope's own row, else the sum of the rows below it; None when there is neither."""
        if scope in self.own:
            return self.own[scope]
        market, region, product = scope
        if product is not None:
            return None
        below = [self.own[key] for key in self.products.get((market, region), ())]
        if region is None:
            below += [value for r in sorted(self.regions.get(market, ()))
                      if (value := self.scope((market, r, None))) is not None]
        return sum(below, Decimal(0)) if below else None

    def owner(self, name: str) -> Decimal | None:
        return self.owners.get(name)


class Targets:
    """The targets the current plan rows set, for any span of days."""

    def __init__(self, rows: Iterable[PlanRow], calendar: WorkCalendar):
        grouped: dict[tuple[str, str], list[PlanRow]] = defaultdict(list)
        for row in rows:
            grouped[(row.kind, row.period.strip().upper())].append(row)
        self._plans = {key: _Plan(group) for key, group in grouped.items()}
        self._calendar = calendar
        self._workdays: dict[tuple[dt.date, dt.date], int] = {}
        self._memo: dict[tuple[dt.date, dt.date, object], Decimal | None] = {}

    def scope(self, period: Span, market: str, region: str | None = None,
              product: str | None = None) -> Decimal | None:
        """The target of a market, a region, or a product in a region for ``period``; None when unplanned."""
        key = (market, region, product)
        return self._remembered(period, key, lambda plan: plan.scope(key))

    def owned(self, period: Span, owner: str) -> Decimal | None:
        """The sum of the plan rows ``owner`` answers for, for ``period``; None when they own none."""
        return self._remembered(period, owner, lambda plan: plan.owner(owner))

    def person(self, period: Span, person: Person) -> Decimal | None:
        """An MM's market's target, a UM's region's, a KAM's or SR's owned rows'; None for other roles."""
        if person.role == "MM" and person.market:
            return self.scope(period, person.market)
        if person.role == "UM" and person.market and person.region:
            return self.scope(period, person.market, person.region)
        if person.role in ("KAM", "SR"):
            return self.owned(period, person.name)
        return None

    def scopes(self) -> frozenset[Scope]:
        """Every scope some plan row names."""
        return frozenset(key for plan in self._plans.values() for key in plan.own)

    def _remembered(self, period: Span, key: object,
                    value: Callable[[_Plan], Decimal | None]) -> Decimal | None:
        """:meth:`_target`, computed once per span and scope (or owner): the reports ask many times."""
        memo = (period.start, period.end, key)
        if memo not in self._memo:
            self._memo[memo] = self._target(period, value)
        return self._memo[memo]

    def _target(self, period: Span, value: Callable[[_Plan], Decimal | None]) -> Decimal | None:
        start, end = period.start, period.end
        own_plan = _own_plan(start, end)
        if own_plan is not None and (plan := self._plans.get(own_plan)) is not None:
            if (own := value(plan)) is not None:
                return own
        parts = [self._part_of_month(first, start, end, value) for first in _months(start, end)]
        known = [part for part in parts if part is not None]
        return sum(known, Decimal(0)) if known else None

    def _month(self, first: dt.date, value: Callable[[_Plan], Decimal | None]) -> Decimal | None:
        """A month's target: its monthly plan's, else its share of its quarter's, else of its year's."""
        quarter_first = first.replace(month=first.month - (first.month - 1) % 3)
        plans = (("month", f"{first:%Y-%m}", [first]),
                 ("quarter", f"{first.year}Q{(first.month + 2) // 3}", _months_from(quarter_first, 3)),
                 ("year", str(first.year), _months_from(first.replace(month=1), 12)))
        for kind, label, months in plans:
            plan = self._plans.get((kind, label))
            if plan is None or (total := value(plan)) is None:
                continue
            shares = allocate(total, [self._count(m, _month_end(m)) for m in months])
            return shares[months.index(first)]
        return None

    def _part_of_month(self, first: dt.date, start: dt.date, end: dt.date,
                       value: Callable[[_Plan], Decimal | None]) -> Decimal | None:
        """The share of the month beginning ``first`` that falls in ``start``..``end``, by working days.

        The month is cut at every Monday and at the span's ends; the pieces inside the span take
        their largest-remainder shares, so the weeks of a month add up to the month.
        """
        target = self._month(first, value)
        last = _month_end(first)
        if target is None or (start <= first and last <= end):
            return target
        cuts = sorted({first, last + _ONE_DAY, max(start, first), min(end, last) + _ONE_DAY}
                      | {d for d in _days(first, last) if d.weekday() == 0})
        pieces = list(zip(cuts, cuts[1:], strict=False))
        shares = allocate(target, [self._count(a, b - _ONE_DAY) for a, b in pieces])
        return sum((share for (a, _), share in zip(pieces, shares, strict=True) if start <= a <= end),
                   Decimal(0))

    def _count(self, start: dt.date, end: dt.date) -> int:
        """Working days from ``start`` to ``end``, both included."""
        key = (start, end)
        if key not in self._workdays:
            self._workdays[key] = sum(map(self._calendar.is_workday, _days(start, end)))
        return self._workdays[key]


def _own_plan(start: dt.date, end: dt.date) -> tuple[str, str] | None:
    """The plan whose own period is exactly ``start``..``end`` (a quarter or a year), if any."""
    if start.day != 1 or (end + _ONE_DAY).day != 1:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == 3 and start.month % 3 == 1:
        return ("quarter", f"{start.year}Q{(start.month + 2) // 3}")
    if months == 12 and start.month == 1:
        return ("year", str(start.year))
    return None


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months that ``start``..``end`` touches."""
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return _months_from(start.replace(day=1), count)


def _months_from(first: dt.date, count: int) -> list[dt.date]:
    index = first.year * 12 + first.month - 1
    return [dt.date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(count)]


def _month_end(first: dt.date) -> dt.date:
    return _months_from(first, 2)[1] - _ONE_DAY


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
