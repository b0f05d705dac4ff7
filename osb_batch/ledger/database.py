"""The ledger: SQLite under ``state/``, versioned by the numbered migrations of :mod:`.migrations`, applied on open.

Values are stored as text in their canonical form (money as a Decimal string, dates ISO,
booleans 0/1, lists joined by ``;``) so nothing is ever rounded by a float. Master data is
upserted: a later file updates the fields it fills, and every change is kept in ``changes``.
All writes of one run happen inside one transaction, committed by the caller once.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from .migrations import MIGRATIONS


def to_text(value: object) -> str | None:
    """Canonical text of a typed value ('' for a blank key part, None for a blank field)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    return str(value)


class LedgerLocked(RuntimeError):
    pass


class Ledger:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False) -> Ledger:
        if readonly:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            return cls(conn)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, timeout=5)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        ledger = cls(conn)
        ledger.migrate()
        return ledger

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        version = self.schema_version
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in filter(str.strip, script.split(";")):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {int(number)}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    # runs and inputs -----------------------------------------------------------------------
    def next_run_no(self, business_date: str) -> int:
        row = self.conn.execute("SELECT MAX(run_no) FROM runs WHERE business_date = ?",
                                (business_date,)).fetchone()
        return (row[0] or 0) + 1

    def add_run(self, business_date: str, run_no: int, started_at: str, folder: str) -> int:
        cur = self.conn.execute(
            "INSERT INTO runs (business_date, run_no, started_at, folder, state) VALUES (?, ?, ?, ?, ?)",
            (business_date, run_no, started_at, folder, "committed"))
        return cur.lastrowid

    def runs_in_state(self, state: str) -> list[sqlite3.Row]:
        self.conn.row_factory = sqlite3.Row
        try:
            return self.conn.execute("SELECT * FROM runs WHERE state = ?", (state,)).fetchall()
        finally:
            self.conn.row_factory = None

    def set_run_state(self, run_id: int, state: str) -> None:
        self.conn.execute("UPDATE runs SET state = ? WHERE id = ?", (state, run_id))

    def add_input(self, run_id: int, **values) -> int:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO inputs (run_id, {cols}) VALUES (?, {marks})",
                                (run_id, *values.values()))
        return cur.lastrowid

    def inputs_of_run(self, run_id: int) -> list[tuple]:
        return self.conn.execute(
            "SELECT id, inbox_path, sha256, status FROM inputs WHERE run_id = ? AND cleaned = 0",
            (run_id,)).fetchall()

    def mark_cleaned(self, input_id: int) -> None:
        self.conn.execute("UPDATE inputs SET cleaned = 1 WHERE id = ?", (input_id,))

    def seen(self, sha256: str) -> tuple[str, str] | None:
        """(name, business date) of the first processed input with these bytes."""
        return self.conn.execute(
            "SELECT inputs.name, runs.business_date FROM inputs JOIN runs ON runs.id = inputs.run_id "
            "WHERE sha256 = ? AND status IN ('processed', 'rejected') ORDER BY inputs.id LIMIT 1",
            (sha256,)).fetchone()

    # master data ---------------------------------------------------------------------------
    def get(self, table: str, key_fields: Sequence[str], key: Sequence[str]) -> dict | None:
        where = " AND ".join(f"{k} = ?" for k in key_fields)
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE {where}", tuple(key))
        row = cur.fetchone()
        return None if row is None else dict(zip([d[0] for d in cur.description], row, strict=True))

    def upsert(self, table: str, key_fields: Sequence[str], values: Mapping[str, str | None],
               *, run_id: int, input_id: int) -> tuple[str, dict[str, tuple]]:
        """Insert, or update the fields this row fills; blank fields keep their stored value.

        Returns ("inserted" | "updated" | "unchanged", {field: (old, new)}).
        """
        key = [values[k] or "" for k in key_fields]
        current = self.get(table, key_fields, key)
        if current is None:
            row = {**{k: v for k, v in values.items() if v is not None}, **dict(zip(key_fields, key, strict=True))}
            row["input_id"] = input_id
            cols = ", ".join(row)
            self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' for _ in row)})",
                              tuple(row.values()))
            return "inserted", {}
        changed = {k: (current.get(k), v) for k, v in values.items()
                   if v is not None and k not in key_fields and current.get(k) != v}
        if not changed:
            return "unchanged", {}
        sets = ", ".join(f"{k} = ?" for k in changed)
        where = " AND ".join(f"{k} = ?" for k in key_fields)
        self.conn.execute(f"UPDATE {table} SET {sets}, input_id = ? WHERE {where}",
                          (*[v for _, v in changed.values()], input_id, *key))
        label = "|".join(key)
        self.conn.executemany(
            "INSERT INTO changes (run_id, input_id, form, row_key, field, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(run_id, input_id, table, label, k, old, new) for k, (old, new) in changed.items()])
        return "updated", changed

    def column(self, table: str, column: str) -> set[str]:
        return {r[0] for r in self.conn.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")}

    def customer_owner(self, code: str) -> str | None:
        row = self.conn.execute("SELECT unit_manager FROM customers WHERE customer_code = ?",
                                (code,)).fetchone()
        return row[0] if row else None

    def next_number(self, name: str) -> int:
        """The next value of a named counter; numbers are never reused (inside the run's transaction)."""
        self.conn.execute("INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)", (name,))
        self.conn.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (name,))
        return self.conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]

    def count(self, table: str) -> int:
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
