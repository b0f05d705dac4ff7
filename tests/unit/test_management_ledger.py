"""The ledger side of the management cycle: period labels, scope checks, apportioning to the
cent, attribution across a mid-month KAM change, the roster derived from the customers, and the
sales facts on each basis."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import pytest

from osb_batch.ledger.attribution import attribute, record_customer_versions
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.documents import period_label
from osb_batch.ledger.migrations import MIGRATIONS
from osb_batch.ledger.roster import roster_history, roster_on
from osb_batch.ledger.sales_facts import apportion, cents_sql, first_order_dates, sales_facts
from osb_batch.rules.management_records import FACT_COLUMNS
from osb_batch.rules.roster import missing_scope


@pytest.mark.parametrize("value, kind, label", [
    (dt.date(2026, 11, 23), "week", "2026-W48"),
    (dt.date(2026, 11, 29), "week", "2026-W48"),          # Sunday ends the ISO week
    (dt.date(2027, 1, 1), "week", "2026-W53"),            # early January in the last ISO week
    (dt.date(2026, 11, 23), "month", "2026-11"),
    (dt.datetime(2026, 12, 31, 23, 59), "quarter", "2026Q4"),
    (dt.date(2026, 2, 1), "year", "2026"),
    ("2026-11", "month", "2026-11"),
    ("2026Q4", "quarter", "2026Q4"),
    (2026, "year", "2026"),
    (None, "week", None),
])
def test_a_period_column_names_its_period_label(value, kind, label):
    assert period_label(value, kind) == label


@pytest.mark.parametrize("role, market, region, missing", [
    ("MM", None, None, ["market"]),
    ("UM", "E", None, ["region"]),
    ("UM", None, None, ["market", "region"]),
    ("KAM", None, "上海", ["market"]),
    ("SR", "E", None, []),
    ("SSG", None, None, []),
    ("SLT", None, None, []),
])
def test_a_roster_row_names_the_scope_its_role_needs(role, market, region, missing):
    assert missing_scope(role, market, region) == missing


@pytest.mark.parametrize("amount, weights, shares", [
    (100_00, [1, 1, 1], [33_33, 33_33, 33_34]),
    (10_00, [300_00, 700_00], [3_00, 7_00]),
    (1, [1, 1, 1], [0, 0, 1]),
    (-100_00, [1, 2], [-33_34, -66_66]),
    (99_99, [0, 0], [49_99, 50_00]),                      # no weights: equal shares
    (5_00, [7], [5_00]),
])
def test_an_invoice_is_apportioned_over_its_lines_to_the_cent(amount, weights, shares):
    n = len(weights)
    got = apportion(pd.Series([amount] * n), pd.Series(weights), pd.Series(["I1"] * n))
    assert got.tolist() == shares and sum(got) == amount


def test_apportioning_keeps_invoices_apart():
    got = apportion(pd.Series([10, 10, 7]), pd.Series([1, 1, 5]), pd.Series(["A", "A", "B"]))
    assert got.tolist() == [5, 5, 7]


@pytest.fixture
def ledger(tmp_path):
    book = Ledger.open(tmp_path / "ledger.sqlite")
    yield book
    book.close()


def _run(ledger: Ledger, day: str) -> int:
    return ledger.add_run(day, ledger.next_run_no(day), f"{day}T09:00:00", "outbox")


def _customer(ledger: Ledger, code: str, kam: str, *, market="E", region="上海", um="李强") -> None:
    ledger.conn.execute("INSERT OR REPLACE INTO customers (customer_code, market, region, account_manager, "
                        "unit_manager) VALUES (?, ?, ?, ?, ?)", (code, market, region, kam, um))


def _handed_over(ledger: Ledger) -> None:
    """C1 with 王敏 from 2026-11-01, handed to 王磊 by the run of the 15th; C2 unchanged."""
    _customer(ledger, "C1", "王敏")
    _customer(ledger, "C2", "赵刚", region="江苏", um="孙伟")
    record_customer_versions(ledger, run_id=_run(ledger, "2026-11-01"))
    _customer(ledger, "C1", "王磊")
    record_customer_versions(ledger, run_id=_run(ledger, "2026-11-15"))


@pytest.mark.parametrize("code, day, kam", [
    ("C1", "2026-11-01", "王敏"),
    ("C1", "2026-11-14", "王敏"),
    ("C1", "2026-11-15", "王磊"),
    ("C1", "2026-11-30", "王磊"),
    ("C1", "2026-10-20", "王敏"),       # before the first record: the first record
    ("C2", "2026-11-20", "赵刚"),
    ("C9", "2026-11-20", None),         # not in the master
])
def test_a_document_is_attributed_to_the_kam_of_its_date(ledger, code, day, kam):
    _handed_over(ledger)
    facts = pd.DataFrame({"customer_code": [code], "date": pd.to_datetime([day])})
    assert attribute(facts, ledger)["kam"].tolist() == [kam]


def test_a_run_that_changes_nothing_adds_no_version(ledger):
    _handed_over(ledger)
    assert record_customer_versions(ledger, run_id=_run(ledger, "2026-11-20")) == 0
    assert ledger.count("customer_versions") == 3


def test_without_a_roster_the_people_come_from_the_customers(ledger):
    _handed_over(ledger)
    on = {(p.name, p.role, p.market, p.region, p.derived) for p in roster_on(ledger, dt.date(2026, 11, 10))}
    assert on == {("王敏", "KAM", "E", "上海", True), ("李强", "UM", "E", "上海", True),
                  ("赵刚", "KAM", "E", "江苏", True), ("孙伟", "UM", "E", "江苏", True)}
    assert {p.name for p in roster_on(ledger, dt.date(2026, 11, 20))} == {"王磊", "李强", "赵刚", "孙伟"}
    assert {p.name: p.since for p in roster_history(ledger)}["王磊"] == dt.date(2026, 11, 15)


def _order(ledger: Ledger, no: str, code: str, day: str, lines, *, state="SHIPPED", attempt=1) -> int:
    oid = ledger.conn.execute(
        "INSERT INTO orders (order_no, attempt, order_date, customer_code, accepted_on, accepted_run, content, "
        "state) VALUES (?, ?, ?, ?, ?, 1, '{}', ?)", (no, attempt, day, code, day, state)).lastrowid
    ledger.conn.executemany("INSERT INTO order_lines (order_id, line_no, product_code, qty, amount) "
                            "VALUES (?, ?, ?, ?, ?)", [(oid, n, p, q, a) for n, (p, q, a) in enumerate(lines)])
    return oid


def _documents(ledger: Ledger) -> None:
    _handed_over(ledger)
    oid = _order(ledger, "SO-1", "C1", "2026-11-10", [("P1", "1", "100.00"), ("P2", "2", "200.00"),
                                                      ("P3", "0", "0")])
    _order(ledger, "SO-2", "C2", "2026-11-16", [("P1", "3", "300.00")], state="REJECTED")
    ledger.conn.execute("INSERT INTO delivery_notes VALUES ('DN-1', ?, '2026-11-11', 1)", (oid,))
    ledger.conn.execute("INSERT INTO shipments (delivery_note_no, order_no, shipped_at, run_id) "
                        "VALUES ('DN-1', 'SO-1', '2026-11-12 09:30:00', 1)")
    ledger.conn.executemany("INSERT INTO invoices VALUES (?, ?, ?, ?, ?, NULL, 1)", [
        ("INV-1", "DN-1", "C1", "2026-11-16", "300.01"), ("INV-2", None, "C2", "2026-11-20", "50.00")])
    ledger.conn.execute("INSERT INTO returns (return_no, product_code, customer_code, qty, amount, return_date, "
                        "run_id) VALUES ('R1', 'P1', 'C1', '1', '100.00', '2026-11-20', 1)")
    ledger.conn.executemany("INSERT INTO receipts (bank_ref, receipt_date, amount, customer_code, run_id) "
                            "VALUES (?, ?, ?, ?, 1)", [("B1", "2026-11-05", "80.00", "C1"),
                                                       ("B2", "2026-11-06", "70.00", None)])


@pytest.mark.parametrize("basis, sales", [
    # (doc_no, date, product, qty, cents, kam)
    ("invoiced", [("INV-1", "2026-11-16", "P1", 1.0, 100_00, "王磊"), ("INV-1", "2026-11-16", "P2", 2.0, 200_01, "王磊"),
                  ("INV-2", "2026-11-20", None, 0.0, 50_00, "赵刚"), ("R1", "2026-11-20", "P1", -1.0, -100_00, "王磊")]),
    ("shipped", [("DN-1", "2026-11-12", "P1", 1.0, 100_00, "王敏"), ("DN-1", "2026-11-12", "P2", 2.0, 200_00, "王敏")]),
    ("ordered", [("SO-1", "2026-11-10", "P1", 1.0, 100_00, "王敏"), ("SO-1", "2026-11-10", "P2", 2.0, 200_00, "王敏")]),
])
def test_sales_facts_on_each_basis_with_the_collection(ledger, basis, sales):
    _documents(ledger)
    facts = sales_facts(ledger, dt.date(2026, 11, 1), dt.date(2026, 11, 30), basis)
    assert tuple(facts.columns) == FACT_COLUMNS and facts["cents"].dtype == "int64"
    got = [(r.doc_no, r.date.date().isoformat(), r.product_code, r.qty, r.cents, r.kam)
           for r in facts[facts["kind"] == "sales"].itertuples()]
    assert got == sales
    collection = facts[facts["kind"] == "collection"]
    assert collection[["doc_no", "cents", "kam", "market"]].values.tolist() == [["B1", 80_00, "王敏", "E"]]


def test_sales_facts_of_a_period_without_documents_are_empty(ledger):
    _documents(ledger)
    facts = sales_facts(ledger, dt.date(2026, 12, 1), dt.date(2026, 12, 31), "invoiced")
    assert facts.empty and tuple(facts.columns) == FACT_COLUMNS


def test_a_customer_is_new_in_the_month_of_its_first_order_not_rejected(ledger):
    _documents(ledger)
    assert first_order_dates(ledger) == {"C1": dt.date(2026, 11, 10)}


@pytest.mark.parametrize("text, expected", [
    ("0", 0), ("12", 12_00), ("12.3", 12_30), ("12.34", 12_34), ("-0.50", -50), ("-12.34", -12_34),
    ("1234567890123.45", 1234567890123_45), ("0.07", 7), (None, 0),
])
def test_money_text_becomes_exact_cents_in_sql(text, expected):
    assert sqlite3.connect(":memory:").execute(f"SELECT {cents_sql('?1')}", (text,)).fetchone()[0] == expected


def test_an_existing_ledger_gets_each_customer_as_its_first_version(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.sqlite", isolation_level=None)
    old = Ledger(conn)
    for script in MIGRATIONS[:5]:
        for statement in filter(str.strip, script.split(";")):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 5")
    run_id = _run(old, "2026-10-08")
    input_id = old.add_input(run_id, sha256="x", name="客户.xlsx", inbox_path="inbox/客户.xlsx", status="processed",
                             rows=1, errors=0)
    _customer(old, "C1", "王敏")
    conn.execute("UPDATE customers SET input_id = ?", (input_id,))
    old.migrate()
    assert conn.execute("SELECT customer_code, effective, account_manager, run_id FROM customer_versions").fetchall() == [
        ("C1", "2026-10-08", "王敏", run_id)]
    assert old.schema_version == len(MIGRATIONS)


def test_a_customer_without_versions_stands_as_the_master_has_it(ledger):
    _customer(ledger, "C7", "钱七")
    facts = pd.DataFrame({"customer_code": ["C7"], "date": pd.to_datetime(["2026-11-03"])})
    assert attribute(facts, ledger)[["market", "kam"]].values.tolist() == [["E", "钱七"]]
