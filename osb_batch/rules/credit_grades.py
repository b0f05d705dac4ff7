"""客户信用等级: each active customer's monthly credit grade (management.md "Monthly duties").

Over the last ``months`` months of debits falling due (invoices and opening balances, due on
document date + payment term days, exactly as :mod:`osb_batch.rules.receivables` settles them,
receipts paying the debits they name first and then the oldest due first)::

    on-time ratio = amount receipts paid by due date + grace days ÷ amount due

where the amount due leaves out what returns settled, and a debit whose grace period runs past
the month end counts only once fully paid (it cannot be late yet), as the BC KPI
(:func:`~osb_batch.rules.receivables.collected_on_time`) counts them. Then, at the month end,
the overdue amount and the oldest overdue debit in days decide with the ratio:

    A  ratio ≥ a_on_time and nothing overdue
    B  ratio ≥ b_on_time and oldest overdue ≤ b_oldest_days
    C  ratio ≥ c_on_time and oldest overdue ≤ c_oldest_days
    D  otherwise

A customer with nothing due in the window keeps its grade (``initial`` when it has none).
The ratio is compared unrounded and shown with four decimals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .receivables import ZERO, Account, collected_on_time

RATIO = Decimal("0.0001")
GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True, slots=True)
class CreditGradePolicy:
    """rules.toml [credit_grade], plus the BC grace (``deadlines.collection_window_days``)."""

    months: int
    a_on_time: Decimal
    b_on_time: Decimal
    b_oldest_days: int
    c_on_time: Decimal
    c_oldest_days: int
    initial: str
    grace_days: int


@dataclass(frozen=True, slots=True)
class GradeSubject:
    """One active customer: its code, the grade it has now (None: never graded), its account.

    ``account`` is :func:`osb_batch.ledger.receivables.accounts` settled as of the month end
    (None when the customer has no documents).
    """

    customer_code: str
    previous: str | None
    account: Account | None


@dataclass(frozen=True, slots=True)
class Grade:
    """The month's grade of one customer; ``ratio`` None when nothing fell due in the window."""

    customer_code: str
    due: Decimal
    paid_on_time: Decimal
    ratio: Decimal | None           # four decimals
    overdue: Decimal                # open debits past their due date at the month end
    oldest_days: int                # days past due of the oldest overdue debit, 0 when none
    grade: str
    previous: str | None

    @property
    def change(self) -> str:
        """``up``, ``down``, ``same`` or ``new`` (no previous grade)."""
        if self.previous not in GRADES:
            return "new"
        if self.grade == self.previous:
            return "same"
        return "up" if GRADES.index(self.grade) < GRADES.index(self.previous) else "down"

    @property
    def changed(self) -> bool:
        return self.grade != self.previous


def window_months(month: str, months: int) -> list[str]:
    """The ``months`` month labels ending with ``month`` (``YYYY-MM``), oldest first."""
    year, mon = map(int, month.split("-"))
    index = year * 12 + mon - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)]


def month_end(month: str) -> dt.date:
    year, mon = map(int, month.split("-"))
    first_next = dt.date(year + mon // 12, mon % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def letter(ratio: Decimal, overdue: Decimal, oldest_days: int, policy: CreditGradePolicy) -> str:
    """The grade of a customer whose debits fell due: the first row of the table it meets."""
    if ratio >= policy.a_on_time and overdue <= 0:
        return "A"
    if ratio >= policy.b_on_time and oldest_days <= policy.b_oldest_days:
        return "B"
    if ratio >= policy.c_on_time and oldest_days <= policy.c_oldest_days:
        return "C"
    return "D"


def grade(subjects: Iterable[GradeSubject], month: str, *, since: dt.date | None = None,
          policy: CreditGradePolicy) -> list[Grade]:
    """Every subject's grade for ``month`` (``YYYY-MM``), in the subjects' order.

    Args:
        subjects: the active customers, each with its previous grade and its account settled as
            of the month end.
        month: the month graded; the window is it and the ``policy.months - 1`` months before.
        since: the system's first day: a debit whose grace ended before it is no data.
        policy: the thresholds.
    """
    end = month_end(month)
    labels = window_months(month, policy.months)
    result = []
    for s in subjects:
        due = on_time = overdue = ZERO
        oldest = 0
        if s.account is not None:
            for label in labels:
                c = collected_on_time([s.account], label, policy.grace_days, as_of=end + dt.timedelta(days=1),
                                      since=since)
                due, on_time = due + c.due, on_time + c.on_time
            overdue = s.account.overdue(end)
            oldest = max(((end - d.due).days for d, _ in s.account.open_debits
                          if d.due is not None and d.due < end), default=0)
        if due <= 0:
            kept = s.previous if s.previous in GRADES else policy.initial
            result.append(Grade(s.customer_code, due, on_time, None, overdue, oldest, kept, s.previous))
            continue
        exact = on_time / due
        result.append(Grade(s.customer_code, due, on_time, exact.quantize(RATIO), overdue, oldest,
                            letter(exact, overdue, oldest, policy), s.previous))
    return result
