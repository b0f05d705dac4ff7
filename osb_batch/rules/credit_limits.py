"""信用额度建议 and its return: the quarterly credit limits (management.md "Quarterly: credit limits").

:func:`propose` computes, per active customer, exactly (fractions, no rounding on the way)::

    proposed = round up to ``rounding_step`` of
        average monthly sales of the last ``window_months`` months × (payment term days ÷ 30 + 1)
        × grade factor × growth factor
    growth   = sales of the last 3 months ÷ sales of the 3 before, within growth_min..growth_max
               (1 when the 3 before had no sales)

so a value of exactly 80,000 stays 80,000; a prepaid customer is proposed 0.
:func:`decide_return` judges one row of the ``credit_limit_decisions`` form coming back signed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .credit_grades import window_months
from .signers import Signer, signer

ZERO = Decimal(0)
CENT = Decimal("0.01")
QUARTER_MONTHS = 3


@dataclass(frozen=True, slots=True)
class CreditLimitPolicy:
    """rules.toml [credit_limits]."""

    rounding_step: Decimal
    window_months: int
    factor_a: Decimal
    factor_b: Decimal
    factor_c: Decimal
    factor_d: Decimal
    growth_min: Decimal
    growth_max: Decimal

    def factor(self, grade: str) -> Decimal:
        return {"A": self.factor_a, "B": self.factor_b, "C": self.factor_c}.get(grade, self.factor_d)


@dataclass(frozen=True, slots=True)
class LimitSubject:
    """One active customer at the quarter's start.

    ``grade`` is the one just given for the month before the quarter; ``sales`` maps month labels
    (``YYYY-MM``) to the customer's sales of that month on the report basis (returns deducted);
    a month missing from it had none.
    """

    customer_code: str
    current_limit: Decimal
    payment_term_days: int
    prepaid: bool
    grade: str
    sales: Mapping[str, Decimal]


@dataclass(frozen=True, slots=True)
class Proposal:
    customer_code: str
    current: Decimal
    grade: str
    average: Decimal            # average monthly sales of the window, to the cent
    growth: Decimal             # the clamped growth factor, four decimals
    formula: Decimal            # the unrounded value, to the cent (0 for prepaid)
    proposed: Decimal           # rounded up to the step


def monthly_sales(rows: Iterable[tuple[str, dt.date, int]]) -> dict[str, dict[str, Decimal]]:
    """Customer -> month (``YYYY-MM``) -> sales, from ``(customer_code, date, cents)`` rows.

    The rows are the ``sales`` rows of the sales-facts frame (:data:`.management_records.FACT_COLUMNS`),
    e.g. ``facts.loc[facts.kind == "sales", ["customer_code", "date", "cents"]].itertuples(index=False)``.
    """
    result: dict[str, dict[str, Decimal]] = {}
    for code, day, cents in rows:
        months = result.setdefault(code, {})
        label = f"{day:%Y-%m}"
        months[label] = months.get(label, ZERO) + Decimal(int(cents)) / 100
    return result


def previous_month(quarter: str) -> str:
    """``2026Q4`` -> ``2026-09``: the last month before the quarter."""
    year, q = int(quarter[:4]), int(quarter[-1])
    first = (q - 1) * 3 + 1
    return f"{year - 1}-12" if first == 1 else f"{year}-{first - 1:02d}"


def growth(last: Fraction, before: Fraction, policy: CreditLimitPolicy) -> Fraction:
    """Last quarter's sales ÷ the one before, clamped; 1 when the one before had no sales."""
    if before <= 0:
        return Fraction(1)
    low, high = Fraction(policy.growth_min), Fraction(policy.growth_max)
    return min(max(last / before, low), high)


def round_up(value: Fraction, step: Decimal) -> Decimal:
    """``value`` rounded up to a whole multiple of ``step``; never below 0."""
    if value <= 0:
        return ZERO
    unit = Fraction(step)
    return Decimal(math.ceil(value / unit)) * step


def propose(subjects: Iterable[LimitSubject], quarter: str, *, policy: CreditLimitPolicy) -> list[Proposal]:
    """The proposal of every subject for ``quarter`` (``2026Q4``), in the subjects' order."""
    months = window_months(previous_month(quarter), policy.window_months)
    result = []
    for s in subjects:
        amounts = [Fraction(s.sales.get(m, ZERO)) for m in months]
        average = sum(amounts, Fraction(0)) / len(months)
        g = growth(sum(amounts[-QUARTER_MONTHS:], Fraction(0)),
                   sum(amounts[-2 * QUARTER_MONTHS:-QUARTER_MONTHS], Fraction(0)), policy)
        value = average * (Fraction(s.payment_term_days, 30) + 1) * Fraction(policy.factor(s.grade)) * g
        if s.prepaid:
            value = Fraction(0)
        result.append(Proposal(s.customer_code, s.current_limit, s.grade, _dec(average, CENT),
                               _dec(g, Decimal("0.0001")), _dec(max(value, Fraction(0)), CENT),
                               round_up(value, policy.rounding_step)))
    return result


def _dec(value: Fraction, places: Decimal) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places)


# the signed copy coming back --------------------------------------------------------------------
APPLIED, SKIPPED, ERROR = "applied", "skipped", "error"


@dataclass(frozen=True, slots=True)
class LimitRow:
    """One row of a returned ``credit_limit_decisions`` form, as read."""

    quarter: str
    customer_code: str
    proposed_limit: Decimal | None
    manual_adjustment: Decimal | None
    approved_limit: Decimal | None
    approved_by: str | None


@dataclass(frozen=True, slots=True)
class CustomerLimit:
    """What the ledger knows of the row's customer now."""

    current_limit: Decimal
    prepaid: bool


@dataclass(frozen=True, slots=True)
class LimitDecision:
    """The verdict on one row; ``applied`` rows become the customer's limit, recorded as a change
    that keeps ``old_limit``, ``formula`` (the proposal), ``adjustment``, ``signer`` and the run."""

    status: str                 # applied | skipped | error
    rule: str                   # message slug; "" when applied
    customer_code: str
    old_limit: Decimal | None
    formula: Decimal | None
    adjustment: Decimal | None
    new_limit: Decimal | None
    signer: Signer | None


def decide_return(row: LimitRow, customers: Mapping[str, CustomerLimit], members: Mapping[str, str],
                  secretaries: Iterable[str] = ()) -> LimitDecision:
    """Judge one returned row.

    Args:
        row: the row as read from the signed workbook.
        customers: the ledger's customers by code (current limit, prepaid).
        members: every name an SLT member goes by -> the member (see :func:`.signers.signer`).
        secretaries: the SSG, who may sign on a member's behalf.

    A blank ``approved_limit`` is skipped (``credit-limit-blank``); an unknown customer
    (``credit-limit-unknown-customer``) or a prepaid one (``credit-limit-prepaid``) is an error, and
    so is a signature that names no SLT member (``credit-limit-wrong-signer``).
    """
    customer = customers.get(row.customer_code)
    old = customer.current_limit if customer else None

    def verdict(status: str, rule: str, who: Signer | None = None, new: Decimal | None = None) -> LimitDecision:
        return LimitDecision(status, rule, row.customer_code, old, row.proposed_limit, row.manual_adjustment,
                             new, who)

    if row.approved_limit is None:
        return verdict(SKIPPED, "credit-limit-blank")
    if customer is None:
        return verdict(ERROR, "credit-limit-unknown-customer")
    if customer.prepaid:
        return verdict(ERROR, "credit-limit-prepaid")
    who = signer(row.approved_by, members, secretaries)
    if who is None:
        return verdict(ERROR, "credit-limit-wrong-signer")
    return verdict(APPLIED, "", who, row.approved_limit)
