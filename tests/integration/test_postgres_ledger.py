"""The ledger on PostgreSQL: the schema, exact money, one run at a time, no SQLite file left.

Each test gets a fresh database on the session's PostgreSQL server (tests/support/pg.py); they
run on either ``--ledger`` setting, and are skipped where no PostgreSQL can be started.
"""

from __future__ import annotations

import subprocess
import sys
import time
from decimal import Decimal

import pytest

from osb_batch.ledger.database import Ledger, to_text
from osb_batch.ledger.migrations import MIGRATIONS

from ..conftest import CUSTOMER_HEADER, Osb, customer_rows, write_xlsx

pytestmark = pytest.mark.postgresql

HOLDER = """
import sys, time
from pathlib import Path
from osb_batch.ledger import session
from osb_batch.workspace import Home
with session.locked(Home(Path(sys.argv[1])), None, "pid 4711, started 2026-11-26T08:00:00+08:00"):
    print("holding", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def pg_osb(tmp_path, pg_server, monkeypatch) -> Osb:
    """A working folder whose ledger is a fresh PostgreSQL database (OSB_LEDGER_URL)."""
    monkeypatch.setenv("OSB_LEDGER_URL", pg_server.fresh())
    runner = Osb(tmp_path / "work")
    runner("init", str(runner.home))
    return runner


def test_a_new_database_gets_every_migration_once(pg_server):
    url = pg_server.fresh(empty=True)
    for _ in range(2):
        ledger = Ledger.open(url)
        assert (ledger.engine, ledger.schema_version) == ("postgresql", len(MIGRATIONS))
        assert ledger.conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)
        ledger.close()


@pytest.mark.parametrize("amount", ["0.01", "-1234567890123.45", "99999999999999999.99", "0.1", "100"])
def test_money_comes_back_exactly_as_stored(pg_server, amount):
    ledger = Ledger.open(pg_server.fresh())
    with ledger.transaction():
        run_id = ledger.add_run("2026-11-26", 1, "2026-11-26T08:00:00+08:00", "outbox/x", )
        ledger.conn.execute("INSERT INTO receipts (bank_ref, receipt_date, amount, run_id) VALUES (?, ?, ?, ?)",
                            ("B1", "2026-11-26", to_text(Decimal(amount)), run_id))
    assert Decimal(ledger.conn.execute("SELECT amount FROM receipts").fetchone()[0]) == Decimal(amount)
    ledger.close()


def test_counters_and_ids_count_up_on_postgresql_as_on_sqlite(pg_server, tmp_path):
    for target in (pg_server.fresh(), tmp_path / "l.sqlite"):
        ledger = Ledger.open(target)
        with ledger.transaction():
            first = ledger.add_run("2026-11-26", 1, "2026-11-26T08:00:00+08:00", "a")
            second = ledger.add_run("2026-11-26", 2, "2026-11-26T09:00:00+08:00", "b")
            numbers = [ledger.next_number("delivery_note") for _ in range(3)]
        assert (second - first, numbers) == (1, [1, 2, 3]), target
        ledger.close()


def test_a_run_on_postgresql_keeps_no_sqlite_file(pg_osb):
    write_xlsx(pg_osb.inbox / "客户.xlsx", [CUSTOMER_HEADER, *customer_rows(3)])
    manifest = pg_osb.run("2026-11-26")
    assert [i["status"] for i in manifest["inputs"]] == ["processed"]
    with pg_osb.ledger() as db:
        assert db.execute("SELECT COUNT(*) FROM customers").fetchone()[0] == 3
    assert not list((pg_osb.home / "state").glob("*.sqlite*"))
    assert not (pg_osb.home / "state" / "run.lock").exists()


def test_a_second_run_anywhere_exits_at_once_naming_the_running_one(pg_osb, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(pg_osb.home)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        other = Osb(tmp_path / "site-b")             # another working folder on the same database
        other("init", str(other.home))
        started = time.monotonic()
        busy = other.subprocess("run", "--date", "2026-11-26")
        assert busy.returncode == 1
        assert "pid 4711" in busy.stderr and str(pg_osb.home) in busy.stderr
        assert time.monotonic() - started < 10
    finally:
        holder.kill()                                  # a crash: the session, and its lock, end
        holder.wait()
    assert pg_osb.subprocess("run", "--date", "2026-11-26").returncode == 0


def test_status_and_validate_read_a_new_empty_database_as_no_ledger_yet(pg_server, tmp_path, monkeypatch):
    monkeypatch.setenv("OSB_LEDGER_URL", pg_server.fresh(empty=True))
    osb = Osb(tmp_path / "work")
    osb("init", str(osb.home))
    assert "osb-batch run" in osb("status").output
    path = write_xlsx(tmp_path / "客户.xlsx", [CUSTOMER_HEADER, *customer_rows(2)])
    osb("validate", str(path))
    with osb.ledger() as db:
        assert db.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
