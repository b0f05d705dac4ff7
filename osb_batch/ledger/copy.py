"""Move a SQLite ledger into an empty PostgreSQL database, and prove the copy.

Everything happens in one transaction on the target: the schema (the same numbered migrations),
every row of every table, the identity counters set past the copied ids, then the proof: each
table's row count, and the total of each of its columns that holds numbers only (money,
quantities), read back from the target and compared with the source's as exact Decimals. Any
difference, or any error, rolls the whole copy back: the target is left as empty as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .database import Ledger

#: rows inserted per batch
BATCH = 5000


class CopyRefused(Exception):
    """The copy was not made (the target left as it was); the message says why."""


@dataclass(frozen=True, slots=True)
class TableProof:
    """One table as counted on both sides: its rows and its numeric columns' totals."""

    table: str
    rows: int
    totals: dict[str, Decimal] = field(default_factory=dict)


def copy_ledger(source: Path, url: str) -> list[TableProof]:
    """Copy the SQLite ledger at ``source`` into the empty PostgreSQL database at ``url``; return
    the proof (per table, equal on both sides), or raise :class:`CopyRefused`."""
    if not source.exists():
        raise CopyRefused(f"there is no SQLite ledger at {source}")
    origin = Ledger.open(source)
    target = Ledger.open(url, readonly=False, migrate=False)
    try:
        tables = target_tables(target)
        if tables:
            raise CopyRefused(f"the target database is not empty: it has the tables {', '.join(tables[:8])}")
        target.begin()
        target.migrate_pg()
        proofs = [_copy_table(origin, target, table) for table in source_tables(origin)]
        _restart_identities(target)
        target.commit()
        return proofs
    finally:
        target.rollback()
        target.close()
        origin.close()


def source_tables(ledger: Ledger) -> list[str]:
    return [t for (t,) in ledger.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]


def target_tables(ledger: Ledger) -> list[str]:
    return [t for (t,) in ledger.conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]


def _copy_table(origin: Ledger, target: Ledger, table: str) -> TableProof:
    cur = origin.conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
    columns = [d[0] for d in cur.description]
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    while rows := cur.fetchmany(BATCH):
        target.conn.executemany(insert, rows)
    before, after = _proof(origin, table, columns), _proof(target, table, columns)
    if before != after:
        raise CopyRefused(f"table {table} differs after the copy: {before.rows} rows {before.totals} in the "
                          f"SQLite ledger, {after.rows} rows {after.totals} in the database")
    return before


def _proof(ledger: Ledger, table: str, columns: list[str]) -> TableProof:
    """The table's row count, and the exact total of every column whose values are all numbers."""
    rows = ledger.conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
    totals = {}
    for i, column in enumerate(columns):
        total = _total(row[i] for row in rows)
        if total is not None:
            totals[column] = total
    return TableProof(table, len(rows), totals)


def _total(values) -> Decimal | None:
    total = Decimal(0)
    for value in values:
        if value is None:
            continue
        try:
            total += Decimal(str(value))
        except InvalidOperation:
            return None
    return total


def _restart_identities(target: Ledger) -> None:
    """Each identity column's next value past the largest id copied."""
    for table, column in target.conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_identity = 'YES'").fetchall():
        target.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                            f"(SELECT COALESCE(MAX({column}), 0) + 1 FROM {table}), false)")
