"""营销费用预算执行表 and the evaluation, from the state :func:`.budget.apply` leaves.

- :func:`execution`: market × expense type of a month and of the year to that month: budget,
  committed, claimed, remaining, used % ((committed + claimed) ÷ budget) and the over-budget flag
  (remaining below 0).
- :func:`stale`: requests that stand, were made more than ``stale_days`` before the day, and
  have no accepted claim.
- :func:`evaluate`: each standing request naming a customer, that customer's sales in the
  ``evaluation_days`` from its planned date (else request date) on against the as many days
  before; and per market, the claimed expenses ÷ sales (费用率).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .budget import ZERO, Budget, BudgetPolicy, Request

RATIO = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class ExecutionRow:
    scope: str                  # month | ytd
    market: str
    expense_type: str
    budget: Decimal
    committed: Decimal
    claimed: Decimal
    remaining: Decimal
    used: Decimal | None        # (committed + claimed) ÷ budget, four decimals; None when budget is 0
    over_budget: bool


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole).quantize(RATIO) if whole > 0 else None


def execution(state: Budget, month: str) -> list[ExecutionRow]:
    """The month's rows, then the year to date's, each by market and expense type (sorted)."""
    year = month[:4]
    cells = {c for c in (*state.budget, *state.committed, *state.claimed) if c[0][:4] == year and c[0] <= month}
    rows = []
    for scope, months in (("month", lambda m: m == month), ("ytd", lambda m: True)):
        keys = sorted({(mk, t) for m, mk, t in cells if months(m)})
        for market, kind in keys:
            mine = [c for c in cells if months(c[0]) and c[1:] == (market, kind)]
            budget = sum((state.budget.get(c, ZERO) for c in mine), ZERO)
            committed = sum((state.committed[c] for c in mine), ZERO)
            claimed = sum((state.claimed[c] for c in mine), ZERO)
            remaining = budget - committed - claimed
            rows.append(ExecutionRow(scope, market, kind, budget, committed, claimed, remaining,
                                     _ratio(committed + claimed, budget), remaining < 0))
    return rows


def stale(state: Budget, day: dt.date, *, policy: BudgetPolicy) -> list[Request]:
    """Standing requests made over ``stale_days`` before ``day`` that no claim has drawn on."""
    return [d.request for d in state.requests
            if d.stands and (day - d.request.request_date).days > policy.stale_days
            and state.claimed_of.get(d.request.request_no, ZERO) <= 0]


@dataclass(frozen=True, slots=True)
class Effect:
    request_no: str
    customer_code: str
    market: str
    before: Decimal             # sales in the days before the planned date
    after: Decimal              # sales from the planned date on
    change: Decimal | None      # after ÷ before - 1, four decimals; None when before is 0


@dataclass(frozen=True, slots=True)
class ExpenseRate:
    market: str
    expenses: Decimal           # accepted claims of the market's cells in the months given
    sales: Decimal
    rate: Decimal | None        # expenses ÷ sales, four decimals; None when sales are not above 0


#: sales(customer_code, first day, last day), both inclusive
SalesOf = Callable[[str, dt.date, dt.date], Decimal]


def sales_lookup(rows: Iterable[tuple[str, dt.date, int]]) -> SalesOf:
    """A :data:`SalesOf` over ``(customer_code, date, cents)`` rows (the sales rows of the facts frame)."""
    by_customer: dict[str, list[tuple[dt.date, Decimal]]] = {}
    for code, day, cents in rows:
        when = day.date() if isinstance(day, dt.datetime) else day
        by_customer.setdefault(code, []).append((when, Decimal(int(cents)) / 100))

    def sales_of(code: str, first: dt.date, last: dt.date) -> Decimal:
        return sum((amount for day, amount in by_customer.get(code, ()) if first <= day <= last), ZERO)

    return sales_of


def evaluate(state: Budget, sales_of: SalesOf, *, policy: BudgetPolicy) -> list[Effect]:
    """Sales before and after each standing request that names a customer, in request order."""
    days = dt.timedelta(days=policy.evaluation_days)
    one = dt.timedelta(days=1)
    effects = []
    for d in state.requests:
        r = d.request
        if not d.stands or not r.customer_code:
            continue
        start = r.planned_date or r.request_date
        before = sales_of(r.customer_code, start - days, start - one)
        after = sales_of(r.customer_code, start, start + days - one)
        change = (after / before - 1).quantize(RATIO) if before > 0 else None
        effects.append(Effect(r.request_no, r.customer_code, r.market, before, after, change))
    return effects


def expense_rates(state: Budget, months: Iterable[str], market_sales: Mapping[str, Decimal]) -> list[ExpenseRate]:
    """Per market (sorted), the claims accepted in the cells of ``months`` ÷ the market's sales."""
    wanted = set(months)
    expenses: dict[str, Decimal] = {}
    for (month, market, _), amount in state.claimed.items():
        if month in wanted:
            expenses[market] = expenses.get(market, ZERO) + amount
    return [ExpenseRate(m, expenses.get(m, ZERO), market_sales.get(m, ZERO),
                        _ratio(expenses.get(m, ZERO), market_sales.get(m, ZERO)))
            for m in sorted(set(expenses) | set(market_sales))]
