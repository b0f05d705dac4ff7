"""Which periodic reports (``outbox/报表-P/``) have been produced, so the daily run makes each
closed period once; and the ledger's first business date, where the reporting calendar starts."""

from __future__ import annotations

import datetime as dt

from .database import Ledger, replacing


def first_business_date(ledger: Ledger) -> dt.date | None:
    """The business date of the ledger's first run; None before any."""
    row = ledger.conn.execute("SELECT MIN(business_date) FROM runs").fetchone()
    return dt.date.fromisoformat(row[0]) if row and row[0] else None


def produced(ledger: Ledger, kind: str) -> set[str]:
    """The period labels of ``kind`` (weekly, monthly, quarterly) already produced."""
    rows = ledger.conn.execute("SELECT period FROM periodic_reports WHERE kind = ?", (kind,)).fetchall()
    return {label for (label,) in rows}


def mark_produced(ledger: Ledger, kind: str, period: str, folder: str, business_date: dt.date,
                  produced_at: dt.datetime) -> None:
    """Remember that ``kind`` of ``period`` was written to ``folder`` (a later production replaces the line)."""
    ledger.conn.execute(
        "INSERT INTO periodic_reports (kind, period, folder, business_date, produced_at) VALUES (?, ?, ?, ?, ?)"
        + replacing(("kind", "period"), ("folder", "business_date", "produced_at")),
        (kind, period, folder, business_date.isoformat(), produced_at.isoformat(timespec="seconds")))
