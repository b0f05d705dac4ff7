"""The ledger: SQLite under ``state/``, or PostgreSQL (:mod:`.postgres`) when several working
folders share one, versioned by the numbered migrations of :mod:`.migrations`, applied on open.

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
from typing import TYPE_CHECKING

from . import postgres
from .migrations import MIGRATIONS

if TYPE_CHECKING:
    import pandas as pd

#: the transaction advisory lock migrations take on PostgreSQL (one opener migrates)
MIGRATE_LOCK_KEY = 0x05B0_0002


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


def replacing(keys: Sequence[str], columns: Sequence[str]) -> str:
    """The ``ON CONFLICT`` clause by which an insert of ``columns`` replaces the row with the same
    ``keys`` (what SQLite's INSERT OR REPLACE does, written so PostgreSQL runs it too)."""
    sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
    return f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"


class LedgerLocked(RuntimeError):
    pass


class Ledger:
    """One ledger over a sqlite3 connection, or over :class:`~.postgres.PgConnection` (``engine``
    "postgresql"); the repositories use ``conn`` the same way on both."""

    def __init__(self, conn: sqlite3.Connection | postgres.PgConnection, engine: str = "sqlite"):
        self.conn = conn
        self.engine = engine

    @classmethod
    def open(cls, target: Path | str, *, readonly: bool = False, migrate: bool = True) -> Ledger:
        """The ledger in the SQLite file ``target``, or in the PostgreSQL database it names (a URL);
        migrated unless ``readonly`` (or, on PostgreSQL, ``migrate`` is false: the caller will)."""
        if postgres.is_url(target):
            ledger = cls(postgres.PgConnection(target, readonly=readonly), "postgresql")
            if migrate and not readonly:
                ledger.migrate()
            return ledger
        path = Path(target)
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
        if self.engine == "sqlite":
            return self.conn.execute("PRAGMA user_version").fetchone()[0]
        if self.conn.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None:
            return 0
        return self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0

    def migrate(self) -> None:
        """Apply the migrations the database lacks (on PostgreSQL one opener at a time)."""
        if self.engine == "postgresql":
            with self.transaction():
                self.migrate_pg()
            return
        version = self.schema_version
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in filter(str.strip, script.split(";")):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {int(number)}")

    def migrate_pg(self) -> None:
        """On PostgreSQL, inside the caller's transaction: the migrations the database lacks (and,
        on a new database, the functions and bookkeeping tables of :mod:`.postgres`)."""
        self.conn.execute(f"SELECT pg_advisory_xact_lock({MIGRATE_LOCK_KEY})")
        version = self.schema_version
        if version == 0:
            for statement in (*postgres.FUNCTIONS, *postgres.BOOKKEEPING):
                self.conn.execute(statement)
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in filter(str.strip, script.split(";")):
                self.conn.execute(postgres.pg_ddl(statement))
            self.conn.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.begin()
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE" if self.engine == "sqlite" else "BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open (a run's, not yet committed)."""
        return self.conn.in_transaction

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def frame(self, sql: str, params: Sequence | Mapping = (), *, dtype: object = None) -> pd.DataFrame:
        """The rows of a query as a DataFrame (what ``pandas.read_sql`` gives, on either engine)."""
        import pandas as pd

        cur = self.conn.execute(sql, params)
        frame = pd.DataFrame.from_records(cur.fetchall(), columns=[d[0] for d in cur.description],
                                          coerce_float=True)
        return frame if dtype is None else frame.astype(dtype)

    # runs and inputs -----------------------------------------------------------------------
    def next_run_no(self, business_date: str) -> int:
        row = self.conn.execute("SELECT MAX(run_no) FROM runs WHERE business_date = ?",
                                (business_date,)).fetchone()
        return (row[0] or 0) + 1

    def add_run(self, business_date: str, run_no: int, started_at: str, folder: str) -> int:
        cur = self.conn.execute(
            "INSERT INTO runs (business_date, run_no, started_at, folder, state) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (business_date, run_no, started_at, folder, "committed"))
        return cur.fetchone()[0]

    def runs_in_state(self, state: str) -> list[dict]:
        cur = self.conn.execute("SELECT * FROM runs WHERE state = ?", (state,))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def set_run_state(self, run_id: int, state: str) -> None:
        self.conn.execute("UPDATE runs SET state = ? WHERE id = ?", (state, run_id))

    def add_input(self, run_id: int, **values) -> int:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO inputs (run_id, {cols}) VALUES (?, {marks}) RETURNING id",
                                (run_id, *values.values()))
        return cur.fetchone()[0]

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
        self.conn.execute("INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT DO NOTHING", (name,))
        self.conn.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (name,))
        return self.conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]

    def count(self, table: str) -> int:
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
