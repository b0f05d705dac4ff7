"""The sales facts: one row per document line of a period, on the configured basis, attributed.

``reports.sales_basis`` decides what a sale is (management.md): ``invoiced`` = invoices by
invoice date, split over their delivery note's order lines (the invoice amount apportioned to
the cent), less returns by return date; ``shipped`` = delivery notes by shipment date (the
order's accepted lines); ``ordered`` = accepted orders after cuts, not rejected or refused, by
acceptance date. Collection rows are the receipts matched to a customer, by receipt date. Each
row carries its customer's market, region, KAM and UM on its date (:mod:`.attribution`).
The frame has exactly :data:`~osb_batch.rules.management_records.FACT_COLUMNS`; money is int64 cents.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from osb_batch.rules.management_records import FACT_COLUMNS

from .attribution import attribute
from .database import Ledger

ENDED = ("REJECTED", "REFUSED")     # orders that are not sales
ACCEPTED_LINE = "CAST(l.qty AS REAL) > 0"
INVOICED = f"""
    SELECT i.invoice_no AS doc_no, i.invoice_date AS date, i.customer_code, i.amount AS invoice_amount,
           l.product_code, l.qty, l.amount, o.order_no
    FROM invoices i LEFT JOIN delivery_notes n ON n.note_no = i.delivery_note_no
    LEFT JOIN orders o ON o.id = n.order_id
    LEFT JOIN order_lines l ON l.order_id = o.id AND {ACCEPTED_LINE}
    WHERE i.invoice_date BETWEEN :start AND :end ORDER BY i.invoice_no, l.line_no"""
RETURNED = """
    SELECT return_no AS doc_no, return_date AS date, customer_code, product_code, qty, amount, NULL AS order_no
    FROM returns WHERE return_date BETWEEN :start AND :end ORDER BY return_no, product_code"""
SHIPPED = f"""
    SELECT s.delivery_note_no AS doc_no, substr(s.shipped_at, 1, 10) AS date, o.customer_code,
           l.product_code, l.qty, l.amount, o.order_no
    FROM shipments s JOIN delivery_notes n ON n.note_no = s.delivery_note_no
    JOIN orders o ON o.id = n.order_id JOIN order_lines l ON l.order_id = o.id AND {ACCEPTED_LINE}
    WHERE substr(s.shipped_at, 1, 10) BETWEEN :start AND :end ORDER BY s.delivery_note_no, l.line_no"""
ORDERED = f"""
    SELECT o.order_no AS doc_no, o.accepted_on AS date, o.customer_code, l.product_code, l.qty, l.amount, o.order_no
    FROM orders o JOIN order_lines l ON l.order_id = o.id AND {ACCEPTED_LINE}
    WHERE o.accepted_on BETWEEN :start AND :end AND o.state NOT IN {ENDED}
      AND o.attempt = (SELECT MAX(attempt) FROM orders p WHERE p.order_no = o.order_no)
    ORDER BY o.order_no, l.line_no"""
COLLECTED = """
    SELECT bank_ref AS doc_no, receipt_date AS date, customer_code, NULL AS product_code, '0' AS qty, amount,
           NULL AS order_no
    FROM receipts WHERE customer_code IS NOT NULL AND receipt_date BETWEEN :start AND :end ORDER BY bank_ref"""
BASES = ("invoiced", "shipped", "ordered")


def cents(values: pd.Series) -> pd.Series:
    """Money texts (canonical decimals) as exact int64 cents; a blank is 0."""
    return pd.Series([0 if v is None or v != v else int(Decimal(v).scaleb(2)) for v in values],
                     index=values.index, dtype="int64")


def apportion(amounts: pd.Series, weights: pd.Series, groups: pd.Series) -> pd.Series:
    """Split each group's amount (the same on every row of the group) over its rows in proportion
    to ``weights`` (equally when they sum to 0), in whole cents that sum exactly to the amount.

    Cumulative rounding: row i gets floor(A·W_i/W) − floor(A·W_{i−1}/W), W_i the running weight,
    so every share is within a cent of its exact proportion and the shares telescope to A.
    """
    weights = weights.astype("int64")
    total = weights.groupby(groups, sort=False).transform("sum")
    ones = pd.Series(1, index=weights.index, dtype="int64")
    weights = weights.where(total != 0, ones)
    total = weights.groupby(groups, sort=False).transform("sum")
    running = weights.groupby(groups, sort=False).cumsum()
    upto = (amounts.astype(object) * running.astype(object)) // total.astype(object)
    before = upto.groupby(groups, sort=False).shift(1).fillna(0)
    return (upto - before).astype("int64")


def _read(ledger: Ledger, query: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return pd.read_sql(query, ledger.conn, params={"start": start.isoformat(), "end": end.isoformat()},
                       dtype=object)


def _lines(frame: pd.DataFrame, kind: str = "sales", sign: int = 1) -> pd.DataFrame:
    """The fact columns of a frame of document lines (qty and amount texts)."""
    qty = pd.to_numeric(frame["qty"], errors="coerce").fillna(0.0).astype("float64")
    money = cents(frame["amount"])
    if sign < 0:
        qty, money = -qty.abs(), -money.abs()
    return pd.DataFrame({"kind": kind, "date": pd.to_datetime(frame["date"]).astype("datetime64[ns]"),
                         "doc_no": frame["doc_no"], "customer_code": frame["customer_code"],
                         "product_code": frame["product_code"], "qty": qty, "cents": money,
                         "order_no": frame["order_no"]})


def _invoiced(ledger: Ledger, start: dt.date, end: dt.date) -> pd.DataFrame:
    frame = _read(ledger, INVOICED, start, end)
    lines = _lines(frame)
    lines["cents"] = apportion(cents(frame["invoice_amount"]), lines["cents"], frame["doc_no"])
    returned = _lines(_read(ledger, RETURNED, start, end), sign=-1)
    return pd.concat([lines, returned], ignore_index=True)


def sales_facts(ledger: Ledger, start: dt.date, end: dt.date, basis: str) -> pd.DataFrame:
    """The sales (on ``basis``) and collection rows dated ``start``..``end`` (inclusive), attributed."""
    if basis not in BASES:
        raise ValueError(f"sales basis {basis!r} is not one of {BASES}")
    if basis == "invoiced":
        sales = _invoiced(ledger, start, end)
    else:
        sales = _lines(_read(ledger, SHIPPED if basis == "shipped" else ORDERED, start, end))
    collection = _lines(_read(ledger, COLLECTED, start, end), kind="collection")
    facts = attribute(pd.concat([sales, collection], ignore_index=True), ledger)
    for column in ("doc_no", "customer_code", "product_code", "order_no"):
        facts[column] = facts[column].astype(object).where(facts[column].notna(), None)
    return facts[list(FACT_COLUMNS)]


def first_order_dates(ledger: Ledger) -> dict[str, dt.date]:
    """customer code -> the date of its first order that was not rejected or refused (for new customers)."""
    rows = ledger.conn.execute(f"SELECT customer_code, MIN(order_date) FROM orders WHERE state NOT IN {ENDED} "
                               "AND customer_code IS NOT NULL AND order_date IS NOT NULL GROUP BY customer_code")
    return {code: dt.date.fromisoformat(day[:10]) for code, day in rows}
