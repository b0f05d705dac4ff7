"""``osb-batch ledger copy --to URL``: a SQLite ledger moved into an empty PostgreSQL database,
proved equal (rows and money per table), refused into a database that is not empty, and left
behind entirely when the proof fails."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

import pytest

from osb_batch.ledger import copy as copy_mod
from osb_batch.ledger.postgres import PgConnection

from ..conftest import Osb

pytestmark = pytest.mark.postgresql
MONEY = {"orders": "amount", "order_lines": "amount", "receipts": "amount", "customers": "credit_limit"}


@pytest.fixture(scope="module")
def sqlite_folder(tmp_path_factory) -> Osb:
    """A working folder whose SQLite ledger holds the demo's first day."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("OSB_LEDGER_URL", raising=False)
        osb = Osb(tmp_path_factory.mktemp("copy") / "work")
        osb.url = None                                    # its own SQLite file, whatever the engine
        osb("init", str(osb.home))
        osb("demo")
        osb.run("2026-11-26")
    return osb


@pytest.fixture
def on_sqlite(monkeypatch):
    monkeypatch.delenv("OSB_LEDGER_URL", raising=False)


def counts_and_money(execute) -> dict:
    tables = ["runs", "inputs", "customers", "orders", "order_lines", "receipts", "problems", "documents"]
    counts = {t: execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    money = {f"{t}.{c}": sum((Decimal(v) for (v,) in execute(f"SELECT {c} FROM {t} WHERE {c} IS NOT NULL").fetchall()),
                    Decimal(0)) for t, c in MONEY.items()}
    return {**counts, **money}


def test_the_copy_has_every_row_and_every_yuan_and_the_folder_runs_on_it(sqlite_folder, pg_server, on_sqlite):
    url = pg_server.fresh(empty=True)
    result = sqlite_folder("ledger", "copy", "--to", url, "--json")
    proofs = {p["table"]: p for p in json.loads(result.output)}
    with sqlite3.connect(sqlite_folder.home / "state" / "ledger.sqlite") as db:
        expected = counts_and_money(db.execute)
        assert proofs["orders"]["rows"] == expected["orders"] > 0
    copied = PgConnection(url)
    assert counts_and_money(copied.execute) == expected
    sqlite_folder.url = url                               # the folder now runs on the copy
    again = sqlite_folder.run("2026-11-27")
    assert again["run"] == 1 and copied.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == expected["runs"] + 1


def test_a_target_that_is_not_empty_is_refused_and_left_as_it_was(sqlite_folder, pg_server, on_sqlite):
    url = pg_server.fresh()                               # a migrated ledger: not empty
    refused = sqlite_folder("ledger", "copy", "--to", url, expect=1)
    assert "approvals" in refused.output
    assert PgConnection(url).execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0


def test_a_copy_that_does_not_prove_equal_leaves_nothing_behind(sqlite_folder, pg_server, on_sqlite, monkeypatch):
    proof = copy_mod._proof

    def short_of_a_cent(ledger, table, columns):
        found = proof(ledger, table, columns)
        if ledger.engine == "postgresql" and table == "receipts":
            return copy_mod.TableProof(table, found.rows, {**found.totals, "amount": found.totals["amount"] - 1})
        return found
    monkeypatch.setattr(copy_mod, "_proof", short_of_a_cent)
    url = pg_server.fresh(empty=True)
    refused = sqlite_folder("ledger", "copy", "--to", url, expect=1)
    assert "receipts" in refused.output
    assert PgConnection(url).execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
