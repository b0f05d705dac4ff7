"""The ledger: SQLite under ``state/``, versioned by numbered migrations applied on open.

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

MIGRATIONS: tuple[str, ...] = (
    # 1: runs, inputs, master data
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY, business_date TEXT NOT NULL, run_no INTEGER NOT NULL,
        started_at TEXT NOT NULL, folder TEXT NOT NULL, state TEXT NOT NULL,
        UNIQUE (business_date, run_no));
    CREATE TABLE inputs (
        id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs, sha256 TEXT NOT NULL,
        name TEXT NOT NULL, inbox_path TEXT NOT NULL, archive_path TEXT, form TEXT,
        status TEXT NOT NULL, rows INTEGER NOT NULL, errors INTEGER NOT NULL, cleaned INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX inputs_sha ON inputs (sha256);
    CREATE TABLE customers (
        customer_code TEXT PRIMARY KEY, customer_name TEXT, market TEXT, region TEXT,
        account_manager TEXT, unit_manager TEXT, credit_limit TEXT, payment_term_days TEXT,
        prepaid TEXT, credit_grade TEXT, payer_aliases TEXT, shipping_station TEXT, contact TEXT,
        phone TEXT, address TEXT, input_id INTEGER);
    CREATE TABLE products (
        product_code TEXT PRIMARY KEY, product_name TEXT, spec TEXT, unit TEXT, unit_price TEXT,
        status TEXT, product_group TEXT, input_id INTEGER);
    CREATE TABLE contract_prices (
        customer_code TEXT, product_code TEXT, valid_from TEXT, unit_price TEXT, valid_to TEXT,
        input_id INTEGER, PRIMARY KEY (customer_code, product_code, valid_from));
    CREATE TABLE quotas (
        month TEXT, level TEXT, market TEXT, region TEXT, customer_code TEXT, product_code TEXT,
        quota_qty TEXT, input_id INTEGER,
        PRIMARY KEY (month, level, market, region, customer_code, product_code));
    CREATE TABLE quota_transfers (
        transfer_no TEXT PRIMARY KEY, month TEXT, from_region TEXT, to_region TEXT,
        product_code TEXT, qty TEXT, from_um_consent TEXT, from_um TEXT, remark TEXT, input_id INTEGER);
    CREATE TABLE opening_balances (
        customer_code TEXT, doc_no TEXT, doc_date TEXT, due_date TEXT, amount TEXT, input_id INTEGER,
        PRIMARY KEY (customer_code, doc_no));
    CREATE TABLE changes (
        id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, input_id INTEGER, form TEXT NOT NULL,
        row_key TEXT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT);
    """,
    # 2: the order lifecycle, approvals, delivery notes, counters
    """
    CREATE TABLE orders (
        id INTEGER PRIMARY KEY, order_no TEXT NOT NULL, attempt INTEGER NOT NULL,
        order_date TEXT, customer_code TEXT, kam_verified TEXT, mm_approved TEXT,
        st_requested INTEGER NOT NULL DEFAULT 0, st_reason TEXT, st_note TEXT,
        over_quota_requested INTEGER NOT NULL DEFAULT 0, remark TEXT,
        accepted_on TEXT NOT NULL, accepted_run INTEGER NOT NULL, content TEXT NOT NULL,
        state TEXT NOT NULL, case_id TEXT, amount TEXT, requested_amount TEXT,
        reasons TEXT NOT NULL DEFAULT '[]', figures TEXT NOT NULL DEFAULT '{}', signer TEXT,
        note_no TEXT, input_id INTEGER, UNIQUE (order_no, attempt));
    CREATE TABLE order_lines (
        order_id INTEGER NOT NULL REFERENCES orders, line_no INTEGER NOT NULL, product_code TEXT,
        qty_requested TEXT, qty TEXT, unit_price TEXT, amount TEXT, cut_qty TEXT, over_quota_qty TEXT,
        PRIMARY KEY (order_id, line_no));
    CREATE TABLE order_events (
        id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders, run_id INTEGER NOT NULL,
        business_date TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, cause TEXT NOT NULL);
    CREATE TABLE approvals (
        id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders, order_no TEXT NOT NULL,
        approval_type TEXT NOT NULL, product_code TEXT, approver TEXT NOT NULL, decision TEXT NOT NULL,
        signed_at TEXT, on_behalf INTEGER NOT NULL DEFAULT 0, note TEXT, accepted INTEGER NOT NULL,
        reason TEXT, input_id INTEGER, run_id INTEGER NOT NULL);
    CREATE TABLE delivery_notes (
        note_no TEXT PRIMARY KEY, order_id INTEGER NOT NULL UNIQUE REFERENCES orders,
        issued_on TEXT NOT NULL, run_id INTEGER NOT NULL);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)
    """,
    # 3: the problem log, shipments, the receipts pool
    """
    CREATE TABLE problems (
        problem_no INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, opened_on TEXT NOT NULL,
        area TEXT NOT NULL, rule TEXT NOT NULL, order_no TEXT, note_no TEXT, responsible TEXT NOT NULL,
        what TEXT NOT NULL, status TEXT NOT NULL, explanation TEXT, resolved_by TEXT, resolved_at TEXT,
        run_id INTEGER NOT NULL);
    CREATE TABLE shipments (
        delivery_note_no TEXT PRIMARY KEY, order_no TEXT, note_received_at TEXT, shipped_at TEXT,
        station TEXT, correct INTEGER, remark TEXT, input_id INTEGER, run_id INTEGER NOT NULL);
    CREATE TABLE receipts (
        bank_ref TEXT PRIMARY KEY, receipt_date TEXT NOT NULL, payer_name TEXT, amount TEXT NOT NULL,
        bank_account TEXT, remark TEXT, customer_code TEXT, matched_by TEXT, input_id INTEGER,
        run_id INTEGER NOT NULL);
    CREATE TABLE claims (
        claim_no TEXT PRIMARY KEY, bank_ref TEXT NOT NULL, customer_code TEXT NOT NULL, amount TEXT NOT NULL,
        invoice_nos TEXT, claimed_by TEXT, input_id INTEGER, run_id INTEGER NOT NULL)
    """,
    # 4: indexes for the per-order look-ups of the daily run
    """
    CREATE INDEX orders_customer_state ON orders (customer_code, state);
    CREATE INDEX orders_state ON orders (state);
    CREATE INDEX approvals_order ON approvals (order_no, approval_type);
    CREATE INDEX receipts_customer ON receipts (customer_code, receipt_date);
    CREATE INDEX claims_ref ON claims (bank_ref)
    """,
    # 5: receivables (invoices, returns) and the half-year reconciliation's replies
    """
    CREATE TABLE invoices (
        invoice_no TEXT PRIMARY KEY, delivery_note_no TEXT, customer_code TEXT NOT NULL,
        invoice_date TEXT NOT NULL, amount TEXT NOT NULL, input_id INTEGER, run_id INTEGER NOT NULL);
    CREATE INDEX invoices_customer ON invoices (customer_code);
    CREATE INDEX invoices_note ON invoices (delivery_note_no);
    CREATE TABLE returns (
        return_no TEXT NOT NULL, product_code TEXT NOT NULL, original_doc_no TEXT, customer_code TEXT NOT NULL,
        qty TEXT, amount TEXT NOT NULL, return_date TEXT NOT NULL, approved_by TEXT, reason TEXT,
        input_id INTEGER, run_id INTEGER NOT NULL, PRIMARY KEY (return_no, product_code));
    CREATE TABLE confirmations (
        period TEXT NOT NULL, customer_code TEXT NOT NULL, balance TEXT NOT NULL, agreed INTEGER,
        signed_by TEXT, input_id INTEGER, run_id INTEGER NOT NULL, PRIMARY KEY (period, customer_code));
    CREATE TABLE confirmation_docs (
        period TEXT NOT NULL, customer_code TEXT NOT NULL, line INTEGER NOT NULL, doc_no TEXT, doc_date TEXT,
        amount TEXT NOT NULL, PRIMARY KEY (period, customer_code, line));
    CREATE TABLE finance_ar (
        as_of TEXT NOT NULL, customer_code TEXT NOT NULL, balance TEXT NOT NULL, input_id INTEGER,
        run_id INTEGER NOT NULL, PRIMARY KEY (as_of, customer_code));
    ALTER TABLE receipts ADD COLUMN matched_run INTEGER;
    ALTER TABLE receipts ADD COLUMN paid_docs TEXT
    """,
)


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
