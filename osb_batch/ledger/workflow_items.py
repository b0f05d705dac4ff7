"""The followed workflows in the ledger: the documents the chains read, and their items.

The chains (:mod:`osb_batch.rules.chains`) read every version of the rows people sent (a
re-sent row that changes nothing is not a new document), and the events the ledger records:
``delivery_note`` (a note issued), ``invoice``, ``return`` and ``order`` (one per order line).
A document counts from its arrival in the inbox when that was on the business date of the run
that read it, else from noon of that date.
Items are saved as each run sees them, one row per chain and key, changed only when something
about them changed, so a second run on the same day changes no item.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

from osb_batch import catalogue as catalogue_mod
from osb_batch.catalogue import Catalogue
from osb_batch.rules.chains import Doc, Item

from . import receivables
from .database import Ledger, replacing
from .documents import typed

__all__ = ["chain_documents", "customer_arrivals", "customer_people", "list_prices", "listed_items", "note_lines", "open_items", "save_items",
           "shipped_notes", "standing"]

TZ = ZoneInfo("Asia/Shanghai")
ITEM_COLUMNS = ("step", "responsible", "opened", "due", "status", "overdue_days", "closed", "late",
                "escalate_to", "outcome", "customer_code")


def _moment(text: str | None, day: str) -> dt.datetime:
    """When a document read by the run of business date ``day`` counts: its arrival (ISO text) when
    that was on ``day``, else noon of ``day`` (a file left in the inbox over a weekend, or copied in
    for an earlier date, counts on the day its run reads it)."""
    noon = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), TZ)
    if not text:
        return noon
    at = dt.datetime.fromisoformat(text)
    at = at.replace(tzinfo=TZ) if at.tzinfo is None else at.astimezone(TZ)
    return at if at.date() == noon.date() else noon


def _aware(values: dict, catalogue_form) -> dict:
    """Enum values as their catalogue choices, naive datetimes in Shanghai time."""
    out = {}
    for key, value in values.items():
        f = catalogue_form.field(key)
        if f.type == "enum" and value is not None:
            value = next((c for c in f.choices if c.key == value), value)
        elif isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=TZ)
        out[key] = value
    return out


def chain_documents(ledger: Ledger, forms: Iterable[str], *, run_id: int,
                    catalogue: Catalogue | None = None) -> list[Doc]:
    """Every document of ``forms`` (catalogue forms and events), in the order they came."""
    catalogue = catalogue or catalogue_mod.load()
    forms = set(forms)
    docs = _stored(ledger, sorted(f for f in forms if f in catalogue), run_id, catalogue)
    for event, read in EVENTS.items():
        if event in forms:
            docs += read(ledger, run_id)
    return sorted(docs, key=lambda d: d.at)


def _stored(ledger: Ledger, forms: list[str], run_id: int, catalogue: Catalogue) -> list[Doc]:
    if not forms:
        return []
    marks = ", ".join("?" for _ in forms)
    rows = ledger.conn.execute(
        "SELECT d.form, d.row_key, d.content, d.arrived_at, d.run_id, d.place, d.input_id, r.business_date "
        f"FROM documents d JOIN runs r ON r.id = d.run_id WHERE d.form IN ({marks}) ORDER BY d.id",
        tuple(forms)).fetchall()
    last: dict[tuple[str, str], str] = {}
    docs = []
    for form, row_key, content, arrived, doc_run, place, input_id, day in rows:
        if last.get((form, row_key)) == content:
            continue                                    # the same row sent again
        last[(form, row_key)] = content
        values = _aware(typed(catalogue[form], content), catalogue[form])
        where = json.loads(place) if place else {}
        docs.append(Doc(form, values, _moment(arrived, day), ref={**where, "form": form, "input_id": input_id},
                        new=doc_run == run_id, source=input_id, record=(form, row_key)))
    return docs


def _notes(ledger: Ledger, run_id: int) -> list[Doc]:
    rows = ledger.conn.execute(
        "SELECT d.note_no, d.issued_on, d.run_id, o.order_no, o.customer_code FROM delivery_notes d "
        "JOIN orders o ON o.id = d.order_id ORDER BY d.note_no").fetchall()
    return [Doc("delivery_note", {"note_no": no, "order_no": order_no, "customer_code": code,
                                  "issued_on": dt.date.fromisoformat(day)},
                dt.datetime.combine(dt.date.fromisoformat(day), dt.time(0), TZ),     # before anything of its day
                ref={"form": "delivery_note", "key": no}, new=note_run == run_id)
            for no, day, note_run, order_no, code in rows]


def _booked(ledger: Ledger, run_id: int, event: str, table: str, columns: tuple[str, ...]) -> list[Doc]:
    """The rows of a finance table (invoices, returns) as ``event`` documents, named by file and number."""
    rows = ledger.conn.execute(
        f"SELECT {', '.join('t.' + c for c in columns)}, t.run_id, i.arrived_at, i.name, r.business_date "
        f"FROM {table} t JOIN runs r ON r.id = t.run_id LEFT JOIN inputs i ON i.id = t.input_id "
        f"ORDER BY {', '.join('t.' + c for c in columns[:2])}").fetchall()
    docs = []
    for *values, doc_run, arrived, name, run_day in rows:
        typed = {c: _event_value(c, v) for c, v in zip(columns, values, strict=True)}
        docs.append(Doc(event, typed, _moment(arrived, run_day), ref={"form": table, "file": name, "key": values[0]},
                        new=doc_run == run_id, source=name))
    return docs


def _event_value(column: str, value: str | None) -> object:
    if value is None or value == "":
        return None
    if column in ("amount", "qty"):
        return Decimal(value)
    return dt.date.fromisoformat(value) if column.endswith("_date") else value


def _invoices(ledger: Ledger, run_id: int) -> list[Doc]:
    return _booked(ledger, run_id, "invoice", "invoices",
                   ("invoice_no", "delivery_note_no", "customer_code", "invoice_date", "amount"))


def _returns(ledger: Ledger, run_id: int) -> list[Doc]:
    return _booked(ledger, run_id, "return", "returns",
                   ("return_no", "product_code", "original_doc_no", "customer_code", "qty", "amount", "return_date"))


def _orders(ledger: Ledger, run_id: int) -> list[Doc]:
    rows = ledger.conn.execute(
        "SELECT o.order_no, o.customer_code, l.product_code, l.unit_price, l.qty, o.accepted_on, o.accepted_run "
        "FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.attempt = "
        "(SELECT MAX(attempt) FROM orders p WHERE p.order_no = o.order_no) ORDER BY o.id, l.line_no").fetchall()
    return [Doc("order", {"order_no": no, "customer_code": code, "product_code": product,
                          "unit_price": Decimal(price) if price else None, "qty": Decimal(qty) if qty else None},
                dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), TZ),
                ref={"form": "orders", "key": no}, new=accepted == run_id)
            for no, code, product, price, qty, day, accepted in rows]


EVENTS = {"delivery_note": _notes, "invoice": _invoices, "return": _returns, "order": _orders}


def note_lines(ledger: Ledger, note_no: str) -> dict[str, Decimal]:
    """The quantity of each product on delivery note ``note_no`` (its order's confirmed lines)."""
    rows = ledger.conn.execute(
        "SELECT l.product_code, l.qty FROM delivery_notes d JOIN order_lines l ON l.order_id = d.order_id "
        "WHERE d.note_no = ?", (note_no,)).fetchall()
    return {product: Decimal(qty) for product, qty in rows if qty is not None}


def shipped_notes(ledger: Ledger) -> set[str]:
    """The delivery notes the shipping department recorded as shipped."""
    rows = ledger.conn.execute("SELECT delivery_note_no FROM shipments WHERE shipped_at IS NOT NULL").fetchall()
    return {r[0] for r in rows}


def list_prices(ledger: Ledger) -> dict[str, Decimal]:
    """Each product's list price (the products master's unit price)."""
    rows = ledger.conn.execute("SELECT product_code, unit_price FROM products WHERE unit_price IS NOT NULL").fetchall()
    return {code: Decimal(price) for code, price in rows if price}


def standing(ledger: Ledger, customer: str, day: dt.date) -> tuple[Decimal, Decimal, Decimal | None]:
    """``customer``'s overdue amount and balance on ``day``, and its credit limit (None when unknown)."""
    account = receivables.account(ledger, customer, day)
    row = ledger.conn.execute("SELECT credit_limit FROM customers WHERE customer_code = ?", (customer,)).fetchone()
    return account.overdue(day), account.balance, Decimal(row[0]) if row and row[0] else None


def customer_arrivals(ledger: Ledger) -> dict[str, dt.datetime]:
    """Each name in the customers master, and when the file that last set its row arrived."""
    rows = ledger.conn.execute(
        "SELECT c.customer_name, i.arrived_at, r.business_date FROM customers c JOIN inputs i ON i.id = c.input_id "
        "JOIN runs r ON r.id = i.run_id WHERE c.customer_name IS NOT NULL").fetchall()
    return {name: _moment(arrived, day) for name, arrived, day in rows}


def customer_people(ledger: Ledger) -> dict[str, dict[str, str | None]]:
    """Each customer's market, region, account manager (KAM) and unit manager (UM)."""
    rows = ledger.conn.execute(
        "SELECT customer_code, market, region, account_manager, unit_manager FROM customers").fetchall()
    return {code: {"market": market, "region": region, "KAM": kam, "UM": um}
            for code, market, region, kam, um in rows}


def _row(item: Item) -> tuple:
    code = item.opening.values.get("customer_code") if item.opening else None
    return (item.step, item.responsible, item.opened.isoformat(timespec="seconds"),
            item.due.isoformat(timespec="seconds") if item.due else None, item.status, item.overdue_days,
            item.closed.isoformat(timespec="seconds") if item.closed else None, int(item.late), item.escalate_to,
            item.outcome, None if code is None else str(code))


def save_items(ledger: Ledger, items: Iterable[Item], *, run_id: int, day: dt.date) -> int:
    """Store ``items`` as of ``day``; those unchanged are left as they are. Returns how many changed."""
    stored = {(c, k): tuple(rest) for c, k, *rest in ledger.conn.execute(
        f"SELECT chain, key, {', '.join(ITEM_COLUMNS)} FROM workflow_items")}
    changed = 0
    for item in items:
        row = _row(item)
        before = stored.get((item.chain, item.key))
        if before == row:
            continue
        changed += 1
        closed_on = day.isoformat() if item.status == "closed" else None
        if before is not None and before[4] == "closed" and item.status == "closed":
            closed_on = ledger.conn.execute("SELECT closed_on FROM workflow_items WHERE chain = ? AND key = ?",
                                            (item.chain, item.key)).fetchone()[0]
        ledger.conn.execute(
            f"INSERT INTO workflow_items (chain, key, {', '.join(ITEM_COLUMNS)}, closed_on, changed_run) "
            f"VALUES (?, ?, {', '.join('?' for _ in ITEM_COLUMNS)}, ?, ?)"
            + replacing(("chain", "key"), (*ITEM_COLUMNS, "closed_on", "changed_run")),
            (item.chain, item.key, *row, closed_on, run_id))
    return changed


def listed_items(ledger: Ledger, day: dt.date) -> list[dict]:
    """Every open item, and those closed on ``day``: overdue first (most overdue first), then by due."""
    rows = ledger.conn.execute(
        f"SELECT chain, key, {', '.join(ITEM_COLUMNS)} FROM workflow_items WHERE status <> 'closed' "
        "OR closed_on = ? ORDER BY status <> 'overdue', overdue_days DESC, due IS NULL, due, chain, key",
        (day.isoformat(),)).fetchall()
    return [dict(zip(("chain", "key", *ITEM_COLUMNS), r, strict=True)) for r in rows]


def open_items(ledger: Ledger, day: dt.date) -> list[dict]:
    """The manifest's ``open_items``: every open item and those closed on ``day``, dates as dates."""
    return [{"chain": r["chain"], "key": r["key"], "responsible": r["responsible"], "opened": r["opened"][:10],
             "due": r["due"][:10] if r["due"] else None, "status": r["status"], "overdue_days": r["overdue_days"]}
            for r in listed_items(ledger, day)]
