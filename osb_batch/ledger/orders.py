"""The ledger's view of orders: load the facts the rules need, store what they decided.

Only SQL and row shaping live here; every decision is made in :mod:`osb_batch.rules`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from osb_batch.rules.credit import COMMITTED_STATES
from osb_batch.rules.qc import ProductFact
from osb_batch.rules.quota import QuotaKey, Transfer

from .database import Ledger

CLOSED = ("REJECTED", "REFUSED", "PAID")
HOLDS_QUOTA = ("AWAITING_SIGNATURE", "NEEDS_MANAGER_APPROVAL", "ST_PENDING", "PREPAY_REQUIRED",
               "AWAITING_PAYMENT", "APPROVED", "NOTE_ISSUED", "SHIPPED", "INVOICED", "PAID")


def D(text: str | None) -> Decimal:
    return Decimal(text) if text not in (None, "") else Decimal(0)


@dataclass(slots=True)
class Customer:
    code: str
    name: str
    market: str
    region: str
    account_manager: str
    unit_manager: str
    credit_limit: Decimal
    payment_term_days: int
    prepaid: bool
    address: str
    contact: str
    phone: str
    station: str


@dataclass(slots=True)
class Product:
    code: str
    name: str
    spec: str
    unit: str
    unit_price: Decimal
    discontinued: bool
    group: str | None

    def fact(self) -> ProductFact:
        return ProductFact(self.unit_price, self.discontinued, self.unit)


class OrderBook:
    def __init__(self, ledger: Ledger):
        self.db = ledger.conn
        self.ledger = ledger
        self._prices: dict[tuple[str, str], list[tuple]] | None = None

    # master data ------------------------------------------------------------------------
    def customers(self) -> dict[str, Customer]:
        rows = self.db.execute(
            "SELECT customer_code, customer_name, market, region, account_manager, unit_manager, "
            "credit_limit, payment_term_days, prepaid, address, contact, phone, shipping_station FROM customers")
        return {r[0]: Customer(r[0], r[1] or "", r[2] or "", r[3] or "", r[4] or "", r[5] or "", D(r[6]),
                               int(r[7] or 0), r[8] == "1", r[9] or "", r[10] or "", r[11] or "", r[12] or "")
                for r in rows}

    def products(self) -> dict[str, Product]:
        rows = self.db.execute("SELECT product_code, product_name, spec, unit, unit_price, status, product_group "
                               "FROM products")
        return {r[0]: Product(r[0], r[1] or "", r[2] or "", r[3] or "", D(r[4]), r[5] == "discontinued", r[6])
                for r in rows}

    def forget_master(self) -> None:
        """Master data changed (a file of this run was applied): reload what is cached."""
        self._prices = None

    def contract_price(self, customer: str, product: str, day: dt.date) -> Decimal | None:
        """The customer's price of the product valid on ``day`` (the latest start wins), or None."""
        if self._prices is None:       # loaded once: an order run asks for every line
            self._prices = {}
            for c, p, start, end, price in self.db.execute(
                    "SELECT customer_code, product_code, valid_from, valid_to, unit_price FROM contract_prices "
                    "ORDER BY valid_from DESC"):
                self._prices.setdefault((c, p), []).append((start, end, price))
        when = day.isoformat()
        for start, end, price in self._prices.get((customer, product), ()):
            if start <= when and (end is None or end >= when):
                return D(price)
        return None

    def quotas(self, month: str) -> dict[QuotaKey, Decimal]:
        rows = self.db.execute("SELECT month, level, market, region, customer_code, product_code, quota_qty "
                               "FROM quotas WHERE month = ?", (month,))
        return {QuotaKey(r[0], r[1], r[2], r[3], r[4] or "", r[5]): D(r[6]) for r in rows}

    def transfers(self, month: str, products: dict[str, Product]) -> list[Transfer]:
        rows = self.db.execute("SELECT month, from_region, to_region, product_code, qty FROM quota_transfers "
                               "WHERE month = ?", (month,))
        return [Transfer(r[0], r[1], r[2], r[3], products[r[3]].group if r[3] in products else r[3], D(r[4]))
                for r in rows]

    # orders ---------------------------------------------------------------------------------
    def latest(self, order_no: str) -> tuple | None:
        return self.db.execute("SELECT id, attempt, state, content FROM orders WHERE order_no = ? "
                               "ORDER BY attempt DESC LIMIT 1", (order_no,)).fetchone()

    def insert_order(self, values: dict) -> int:
        cols = ", ".join(values)
        cur = self.db.execute(f"INSERT INTO orders ({cols}) VALUES ({', '.join('?' for _ in values)}) RETURNING id",
                              tuple(values.values()))
        return cur.fetchone()[0]

    def insert_lines(self, order_id: int, lines: list[dict]) -> None:
        self.db.executemany(
            "INSERT INTO order_lines (order_id, line_no, product_code, qty_requested, qty, unit_price, amount, "
            "cut_qty, over_quota_qty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(order_id, n, ln["product_code"], ln["qty_requested"], ln["qty"], ln["unit_price"], ln["amount"],
              ln["cut_qty"], ln["over_quota_qty"]) for n, ln in enumerate(lines)])

    def set_state(self, order_id: int, state: str, *, run_id: int, day: dt.date, cause: str, **fields) -> None:
        old = self.db.execute("SELECT state FROM orders WHERE id = ?", (order_id,)).fetchone()
        sets = ", ".join(f"{k} = ?" for k in ("state", *fields))
        self.db.execute(f"UPDATE orders SET {sets} WHERE id = ?", (state, *fields.values(), order_id))
        self.db.execute("INSERT INTO order_events (order_id, run_id, business_date, from_state, to_state, cause) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (order_id, run_id, day.isoformat(), old[0] if old else None,
                                                       state, cause))

    def add_reasons(self, order_id: int, reasons: list[str]) -> None:
        current = json.loads(self.db.execute("SELECT reasons FROM orders WHERE id = ?", (order_id,)).fetchone()[0])
        self.db.execute("UPDATE orders SET reasons = ? WHERE id = ?",
                        (json.dumps(current + reasons, ensure_ascii=False), order_id))

    def order(self, order_id: int) -> dict:
        cur = self.db.execute("SELECT * FROM orders WHERE id = ?", (order_id,))
        return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))

    def orders(self, ids: Iterable[int]) -> dict[int, dict]:
        """Many orders at once (what :meth:`order` gives one by one), by id."""
        return {r["id"]: r for r in self._by_ids("SELECT * FROM orders WHERE id IN ({})", ids)}

    def lines_of(self, ids: Iterable[int]) -> dict[int, list[dict]]:
        """Many orders' lines at once (what :meth:`lines` gives one by one), by order id."""
        out: dict[int, list[dict]] = {}
        for r in self._by_ids("SELECT * FROM order_lines WHERE order_id IN ({}) ORDER BY order_id, line_no", ids):
            out.setdefault(r["order_id"], []).append(r)
        return out

    def _by_ids(self, query: str, ids: Iterable[int]) -> Iterator[dict]:
        ids = list(ids)
        for i in range(0, len(ids), 900):                 # under SQLite's limit of bound variables
            chunk = ids[i:i + 900]
            cur = self.db.execute(query.format(", ".join("?" * len(chunk))), chunk)
            names = [d[0] for d in cur.description]
            for row in cur.fetchall():
                yield dict(zip(names, row, strict=True))

    def lines(self, order_id: int) -> list[dict]:
        cur = self.db.execute("SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no", (order_id,))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def ids_in_states(self, states: tuple[str, ...]) -> list[int]:
        marks = ", ".join("?" for _ in states)
        return [r[0] for r in self.db.execute(
            f"SELECT id FROM orders WHERE state IN ({marks}) ORDER BY id", states)]

    def open_ids(self) -> list[int]:
        marks = ", ".join("?" for _ in CLOSED)
        return [r[0] for r in self.db.execute(f"SELECT id FROM orders WHERE state NOT IN ({marks})", CLOSED)]

    def committed(self, customer: str, prepaid_only: bool = False) -> Decimal:
        """Amount of the customer's committed orders (credit exposure; prepayment already spoken for)."""
        marks = ", ".join("?" for _ in COMMITTED_STATES)
        rows = self.db.execute(f"SELECT amount FROM orders WHERE customer_code = ? AND state IN ({marks})",
                               (customer, *COMMITTED_STATES))
        return sum((D(r[0]) for r in rows), Decimal(0))

    def quota_lines_this_month(self, month: str) -> list[tuple]:
        """(customer, product, granted qty) of every order line that holds quota this month."""
        marks = ", ".join("?" for _ in HOLDS_QUOTA)
        return self.db.execute(
            f"SELECT o.customer_code, l.product_code, l.qty FROM order_lines l JOIN orders o ON o.id = l.order_id "
            f"WHERE substr(o.accepted_on, 1, 7) = ? AND o.state IN ({marks})", (month, *HOLDS_QUOTA)).fetchall()

    def order_of_note(self, note_no: str) -> tuple[int, str] | None:
        """(id, state) of the order a delivery note was issued for, or None for an unknown note."""
        return self.db.execute("SELECT o.id, o.state FROM delivery_notes n JOIN orders o ON o.id = n.order_id "
                               "WHERE n.note_no = ?", (note_no,)).fetchone()

    def invoices_of(self, order_id: int, up_to: dt.date) -> list[tuple[str, str]]:
        """(customer, invoice no) of the invoices of the order's delivery note dated up to ``up_to``."""
        return self.db.execute(
            "SELECT i.customer_code, i.invoice_no FROM invoices i JOIN delivery_notes n "
            "ON n.note_no = i.delivery_note_no WHERE n.order_id = ? AND i.invoice_date <= ?",
            (order_id, up_to.isoformat())).fetchall()

    # approvals and notes ------------------------------------------------------------------
    def add_approval(self, **values) -> None:
        cols = ", ".join(values)
        self.db.execute(f"INSERT INTO approvals ({cols}) VALUES ({', '.join('?' for _ in values)})",
                        tuple(values.values()))

    def approvals_of(self, order_no: str, approval_type: str) -> list[tuple]:
        return self.db.execute("SELECT approver, decision, product_code FROM approvals WHERE order_no = ? "
                               "AND approval_type = ? AND accepted = 1 ORDER BY id", (order_no, approval_type)).fetchall()

    def issue_note(self, order_id: int, day: dt.date, run_id: int) -> str:
        number = self.ledger.next_number("delivery_note")
        note_no = f"SH{day:%Y%m%d}-{number:05d}"
        self.db.execute("INSERT INTO delivery_notes (note_no, order_id, issued_on, run_id) VALUES (?, ?, ?, ?)",
                        (note_no, order_id, day.isoformat(), run_id))
        return note_no


def awaiting_payment(ledger: Ledger) -> list[tuple]:
    """(order no, customer, amount) of the orders waiting for the customer's payment, in the ledger's order."""
    return ledger.conn.execute("SELECT order_no, customer_code, amount FROM orders "
                               "WHERE state IN ('PREPAY_REQUIRED', 'AWAITING_PAYMENT')").fetchall()
