"""What the sales report shows of each customer beside its figures: its name, its current credit
grade and limit, and the first business date the ledger knows (no 同比 or 环比 before it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .database import Ledger


@dataclass(frozen=True, slots=True)
class DealerCard:
    """A customer as the customers master has it now."""

    name: str
    grade: str | None
    credit_limit: Decimal | None


def dealer_cards(ledger: Ledger) -> dict[str, DealerCard]:
    """customer code -> its name, current credit grade and credit limit."""
    rows = ledger.conn.execute("SELECT customer_code, customer_name, credit_grade, credit_limit FROM customers")
    return {code: DealerCard(name or "", grade or None, Decimal(limit) if limit not in (None, "") else None)
            for code, name, grade, limit in rows}


def first_business_date(ledger: Ledger) -> dt.date | None:
    """The business date of the ledger's first run (None before any)."""
    row = ledger.conn.execute("SELECT MIN(business_date) FROM runs").fetchone()
    return dt.date.fromisoformat(row[0][:10]) if row and row[0] else None
