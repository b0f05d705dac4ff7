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

import numpy as np
import pandas as pd

from osb_batch.rules.management_records import FACT_COLUMNS

from .attribution import attribute
from .database import Ledger


def cents_sql(column: str) -> str:
    """SQL for the exact integer cents of a money text column (a canonical decimal with at most
    two places, as the ledger stores money): integer part × 100 plus the signed fraction, in
    integer arithmetic only; NULL is 0."""
    sign = f"(CASE WHEN {column} LIKE '-%' THEN -1 ELSE 1 END)"
    fraction = f"CAST(substr(substr({column}, instr({column}, '.') + 1) || '00', 1, 2) AS BIGINT)"
    whole = f"CAST(substr({column}, 1, instr({column}, '.') - 1) AS BIGINT)"
    return (f"(CASE WHEN {column} IS NULL THEN 0 WHEN instr({column}, '.') = 0 THEN CAST({column} AS BIGINT) * 100 "
            f"ELSE {whole} * 100 + {sign} * {fraction} END)")


def day_sql(column: str) -> str:
    """SQL for the day number (days since 1970-01-01) of an ISO date (or date-time) text column."""
    return f"CAST(julianday(substr({column}, 1, 10)) - 2440587.5 AS BIGINT)"


ENDED = ("REJECTED", "REFUSED")     # orders that are not sales
ACCEPTED_LINE = "CAST(l.qty AS DOUBLE PRECISION) > 0"
INVOICED = f"""
    SELECT i.invoice_no AS doc_no, {day_sql("i.invoice_date")} AS date, i.customer_code,
           {cents_sql("i.amount")} AS invoice_cents, l.product_code, COALESCE(CAST(l.qty AS DOUBLE PRECISION), 0.0) AS qty,
           {cents_sql("l.amount")} AS cents, o.order_no
    FROM invoices i LEFT JOIN delivery_notes n ON n.note_no = i.delivery_note_no
    LEFT JOIN orders o ON o.id = n.order_id
    LEFT JOIN order_lines l ON l.order_id = o.id AND {ACCEPTED_LINE}
    WHERE i.invoice_date BETWEEN :start AND :end ORDER BY i.invoice_no, l.line_no"""
RETURNED = f"""
    SELECT return_no AS doc_no, {day_sql("return_date")} AS date, customer_code, product_code, COALESCE(CAST(qty AS DOUBLE PRECISION), 0.0) AS qty,
           {cents_sql("amount")} AS cents, NULL AS order_no
    FROM returns WHERE return_date BETWEEN :start AND :end ORDER BY return_no, product_code"""
SHIPPED = f"""
    SELECT s.delivery_note_no AS doc_no, {day_sql("s.shipped_at")} AS date, o.customer_code,
           l.product_code, COALESCE(CAST(l.qty AS DOUBLE PRECISION), 0.0) AS qty, {cents_sql("l.amount")} AS cents, o.order_no
    FROM shipments s JOIN delivery_notes n ON n.note_no = s.delivery_note_no
    JOIN orders o ON o.id = n.order_id JOIN order_lines l ON l.order_id = o.id AND {ACCEPTED_LINE}
    WHERE substr(s.shipped_at, 1, 10) BETWEEN :start AND :end ORDER BY s.delivery_note_no, l.line_no"""
ORDERED = f"""
    SELECT o.order_no AS doc_no, {day_sql("o.accepted_on")} AS date, o.customer_code, l.product_code,
           COALESCE(CAST(l.qty AS DOUBLE PRECISION), 0.0) AS qty, {cents_sql("l.amount")} AS cents, o.order_no
    FROM orders o JOIN order_lines l ON l.order_id = o.id AND {ACCEPTED_LINE}
    WHERE o.accepted_on BETWEEN :start AND :end AND o.state NOT IN {ENDED}
      AND o.attempt = (SELECT MAX(attempt) FROM orders p WHERE p.order_no = o.order_no)
    ORDER BY o.order_no, l.line_no"""
COLLECTED = f"""
    SELECT bank_ref AS doc_no, {day_sql("receipt_date")} AS date, customer_code, NULL AS product_code, 0.0 AS qty,
           {cents_sql("amount")} AS cents,
           NULL AS order_no
    FROM receipts WHERE customer_code IS NOT NULL AND receipt_date BETWEEN :start AND :end ORDER BY bank_ref"""
BASES = ("invoiced", "shipped", "ordered")


def apportion(amounts: pd.Series, weights: pd.Series, groups: pd.Series) -> pd.Series:
    """Split each group's amount (the same on every row of the group) over its rows in proportion
    to ``weights`` (equally when they sum to 0), in whole cents that sum exactly to the amount.

    Cumulative rounding: row i gets floor(A·W_i/W) − floor(A·W_{i−1}/W), W_i the running weight,
    so every share is within a cent of its exact proportion and the shares telescope to A.
    """
    ids = pd.factorize(groups.to_numpy(object))[0]
    order = np.argsort(ids, kind="stable")
    starts = np.r_[True, ids[order][1:] != ids[order][:-1]] if len(ids) else np.zeros(0, bool)
    group = np.cumsum(starts) - 1
    weight = weights.to_numpy("int64")[order]
    running, total = _running(weight, starts, group)
    if (total == 0).any():
        weight = np.where(total == 0, 1, weight)
        running, total = _running(weight, starts, group)
    amount = amounts.to_numpy("int64")[order]
    if np.abs(amount).max(initial=0) * running.max(initial=0) >= 2 ** 62:      # beyond int64: Python ints
        amount, running, total = (a.astype(object) for a in (amount, running, total))
    upto = amount * running // total
    shares = upto - np.where(starts, 0, np.roll(upto, 1))
    out = np.empty(len(ids), dtype="int64")
    out[order] = shares
    return pd.Series(out, index=amounts.index)


def _running(weight: np.ndarray, starts: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's running weight within its (contiguous) group, and its group's total."""
    total_so_far = np.cumsum(weight)
    before = (total_so_far - weight)[starts]
    running = total_so_far - before[group]
    ends = np.r_[np.flatnonzero(starts)[1:] - 1, len(weight) - 1] if len(weight) else np.zeros(0, int)
    return running, running[ends][group]


NUMBERS = {"date": "int64", "qty": "float64", "cents": "int64", "invoice_cents": "int64"}


def _read(ledger: Ledger, query: str, start: dt.date, end: dt.date) -> dict[str, np.ndarray]:
    """The query's columns as arrays: the numbers typed, the texts as objects (None where NULL)."""
    cur = ledger.conn.execute(query, {"start": start.isoformat(), "end": end.isoformat()})
    names = [d[0] for d in cur.description]
    table = np.array(cur.fetchall(), dtype=object).reshape(-1, len(names))
    return {n: table[:, k].astype(NUMBERS.get(n, object)) for k, n in enumerate(names)}


def _lines(frame: dict[str, np.ndarray], kind: str = "sales", sign: int = 1) -> pd.DataFrame:
    """The fact columns of the document lines read by :func:`_read`."""
    qty, money = frame["qty"], frame["cents"]
    if sign < 0:
        qty, money = -np.abs(qty), -np.abs(money)
    return pd.DataFrame({"kind": np.full(len(qty), kind, dtype=object),
                         "date": frame["date"].astype("datetime64[D]").astype("datetime64[ns]"),
                         "doc_no": frame["doc_no"], "customer_code": frame["customer_code"],
                         "product_code": frame["product_code"], "qty": qty, "cents": money,
                         "order_no": frame["order_no"]})


def _invoiced(ledger: Ledger, start: dt.date, end: dt.date) -> pd.DataFrame:
    frame = _read(ledger, INVOICED, start, end)
    lines = _lines(frame)
    lines["cents"] = apportion(pd.Series(frame["invoice_cents"]), lines["cents"], lines["doc_no"])
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
