"""The receivables ledger: invoices, returns, the reconciliation replies, and every account as of a date.

Inbox rows go into the ledger once (an invoice number or a return line seen before is a
duplicate, warned about and not applied again); :func:`documents` turns the ledger into each
customer's :class:`~osb_batch.rules.receivables.Doc` list, and :func:`accounts` settles them
with the pure rules of :mod:`osb_batch.rules.receivables`. Nothing settled is stored: every run
and every report recomputes from the documents, by document dates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from osb_batch import catalogue as catalogue_mod
from osb_batch.findings import Finding, finding
from osb_batch.readers.workbook import ReadResult
from osb_batch.rules.receivables import INVOICE, OPENING, RECEIPT, RETURN, Account, Doc, TheirDoc, settle

from .database import Ledger, replacing, to_text
from .receipts import input_name

INVOICE_FIELDS = ("invoice_no", "delivery_note_no", "customer_code", "invoice_date", "amount")
RETURN_FIELDS = ("return_no", "product_code", "original_doc_no", "customer_code", "qty", "amount",
                 "return_date", "approved_by", "reason")
ZERO = Decimal(0)


def _money(text: str | None) -> Decimal:
    return Decimal(text) if text not in (None, "") else ZERO


def _differs(form_key: str, stored: dict, values: dict, keys: tuple[str, ...]) -> dict:
    form = catalogue_mod.load()[form_key]
    changed = [k for k in keys if (_money(stored[k]) != _money(values[k]) if k in ("amount", "qty")
                                   else (stored[k] or None) != (values[k] or None))]
    if not changed:
        return {"differs": "", "differs_en": ""}
    return {"differs": "；内容与首次不同：" + "、".join(form.field(k).zh for k in changed),
            "differs_en": "; its content differs: " + ", ".join(form.field(k).en for k in changed)}


def _first(ledger: Ledger, stored: dict, input_id: int) -> dict:
    if stored["input_id"] == input_id:
        return {"first": "本文件", "first_en": "this file"}
    name = input_name(ledger, stored["input_id"])
    return ({"first": f"文件 {name}", "first_en": f"file {name}"} if name
            else {"first": "此前的文件", "first_en": "an earlier file"})


# invoices and returns ----------------------------------------------------------------------------
def apply_invoices(result: ReadResult, ledger: Ledger, *, run_id: int, input_id: int) -> tuple[list[Finding], list[str]]:
    """Record every error-free invoice row once; returns the findings and the invoiced note numbers."""
    findings: list[Finding] = []
    notes: list[str] = []
    for table, row in result.rows:
        if not row.ok:
            continue
        values = {k: to_text(row.values.get(k)) for k in INVOICE_FIELDS}
        stored = ledger.get("invoices", ["invoice_no"], [values["invoice_no"]])
        where = result.where(table, row, "invoice_no")
        if stored is not None:
            findings.append(finding("invoice-duplicate", **where, date=stored["invoice_date"], amount=stored["amount"],
                                    **_first(ledger, stored, input_id),
                                    **_differs("invoices", stored, values, INVOICE_FIELDS[1:])))
            continue
        ledger.conn.execute(
            "INSERT INTO invoices (invoice_no, delivery_note_no, customer_code, invoice_date, amount, input_id, "
            "run_id) VALUES (?, ?, ?, ?, ?, ?, ?)", (*(values[k] for k in INVOICE_FIELDS), input_id, run_id))
        note = values["delivery_note_no"]
        known = ledger.conn.execute(
            "SELECT o.customer_code FROM delivery_notes n JOIN orders o ON o.id = n.order_id WHERE n.note_no = ?",
            (note,)).fetchone()
        note_where = {**result.where(table, row, "delivery_note_no"), "value": note}
        if known is None:
            findings.append(finding("invoice-note-unknown", **note_where, invoice_no=values["invoice_no"]))
        else:
            if known[0] != values["customer_code"]:
                findings.append(finding("invoice-customer-differs", **note_where, invoice_no=values["invoice_no"],
                                        customer=values["customer_code"], note_customer=known[0]))
            notes.append(note)
    return findings, notes


def apply_returns(result: ReadResult, ledger: Ledger, *, run_id: int, input_id: int) -> list[Finding]:
    """Record every error-free return line once (a return is one document per return number)."""
    findings: list[Finding] = []
    for table, row in result.rows:
        if not row.ok:
            continue
        values = {k: to_text(row.values.get(k)) for k in RETURN_FIELDS}
        stored = ledger.get("returns", ["return_no", "product_code"], [values["return_no"], values["product_code"]])
        if stored is not None:
            findings.append(finding("return-duplicate", **result.where(table, row, "return_no"),
                                    product=values["product_code"], **_first(ledger, stored, input_id),
                                    **_differs("returns", stored, values, RETURN_FIELDS[2:])))
            continue
        ledger.conn.execute(
            f"INSERT INTO returns ({', '.join(RETURN_FIELDS)}, input_id, run_id) "
            f"VALUES ({', '.join('?' for _ in RETURN_FIELDS)}, ?, ?)",
            (*(values[k] for k in RETURN_FIELDS), input_id, run_id))
    return findings


# the reconciliation's replies ---------------------------------------------------------------------
def apply_confirmations(result: ReadResult, ledger: Ledger, *, run_id: int, input_id: int) -> list[Finding]:
    """A customer's reply for a period replaces any earlier reply of that customer for that period."""
    findings: list[Finding] = []
    replies: dict[tuple[str, str], list] = {}
    for table, row in result.rows:
        if row.ok:
            replies.setdefault((row.values["period"], row.values["customer_code"]), []).append((table, row))
    for (period, code), rows in replies.items():
        table, first_row = rows[0]
        v = first_row.values
        where = result.where(table, first_row, "customer_code")
        balances = []
        for _, r in rows:
            if r.values["customer_balance"] not in balances:
                balances.append(r.values["customer_balance"])
        if len(balances) > 1:
            findings.append(finding("confirmation-balance-varies", **where,
                                    balances="、".join(f"{b:,.2f}" for b in balances), balance=f"{balances[0]:,.2f}"))
        stored = ledger.get("confirmations", ["period", "customer_code"], [period, code])
        if stored is not None:
            findings.append(finding("confirmation-replaced", **where, period=period, **_first(ledger, stored, input_id)))
            ledger.conn.execute("DELETE FROM confirmation_docs WHERE period = ? AND customer_code = ?", (period, code))
            ledger.conn.execute("DELETE FROM confirmations WHERE period = ? AND customer_code = ?", (period, code))
        ledger.conn.execute(
            "INSERT INTO confirmations (period, customer_code, balance, agreed, signed_by, input_id, run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (period, code, to_text(balances[0]), to_text(v.get("agreed")), to_text(v.get("signed_by")), input_id, run_id))
        docs = [(to_text(r.values.get("doc_no")), to_text(r.values.get("doc_date")), to_text(r.values.get("doc_amount")))
                for _, r in rows if r.values.get("doc_amount") is not None]
        ledger.conn.executemany(
            "INSERT INTO confirmation_docs (period, customer_code, line, doc_no, doc_date, amount) VALUES (?, ?, ?, ?, ?, ?)",
            [(period, code, n, *doc) for n, doc in enumerate(docs, start=1)])
    return findings


def apply_finance_ar(result: ReadResult, ledger: Ledger, *, run_id: int, input_id: int) -> list[Finding]:
    """Finance's export for a date replaces any earlier export for that date."""
    findings: list[Finding] = []
    rows = [(t, r) for t, r in result.rows if r.ok]
    for as_of in sorted({to_text(r.values["as_of"]) for _, r in rows}):
        mine = [(t, r) for t, r in rows if to_text(r.values["as_of"]) == as_of]
        gone = ledger.conn.execute("DELETE FROM finance_ar WHERE as_of = ?", (as_of,)).rowcount
        if gone:
            findings.append(finding("finance-ar-replaced", file=result.file, form="finance_ar", value=as_of,
                                    as_of=as_of, rows=len(mine)))
        ledger.conn.executemany(
            "INSERT INTO finance_ar (as_of, customer_code, balance, input_id, run_id) VALUES (?, ?, ?, ?, ?)"
            + replacing(("as_of", "customer_code"), ("balance", "input_id", "run_id")),
            [(as_of, r.values["customer_code"], to_text(r.values["balance"]), input_id, run_id) for _, r in mine])
    return findings


# accounts ---------------------------------------------------------------------------------------
def documents(ledger: Ledger, customer: str | None = None) -> dict[str, list[Doc]]:
    """Every customer's documents (all dates); receipts only once matched to the customer."""
    one = " WHERE {col} = ?" if customer else ""
    args = (customer,) if customer else ()
    db = ledger.conn
    terms = {code: int(term or 0) for code, term in db.execute(
        "SELECT customer_code, payment_term_days FROM customers" + one.format(col="customer_code"), args)}
    docs: dict[str, list[Doc]] = defaultdict(list)
    for code, no, day, due, amount in db.execute(
            "SELECT customer_code, doc_no, doc_date, due_date, amount FROM opening_balances"
            + one.format(col="customer_code"), args):
        docs[code].append(Doc(OPENING, no, _day(day), _money(amount), due=_day(due) if due else None))
    invoices_of_note: dict[str, list[str]] = defaultdict(list)
    for code, no, note, day, amount in db.execute(
            "SELECT customer_code, invoice_no, delivery_note_no, invoice_date, amount FROM invoices"
            + one.format(col="customer_code"), args):
        when = _day(day)
        docs[code].append(Doc(INVOICE, no, when, _money(amount), due=when + dt.timedelta(days=terms.get(code, 0)),
                              ref=note or ""))
        if note:
            invoices_of_note[note].append(no)
    returns: dict[tuple[str, str], list] = {}
    for code, no, original, day, amount in db.execute(
            "SELECT customer_code, return_no, original_doc_no, return_date, amount FROM returns"
            + one.format(col="customer_code") + " ORDER BY return_no, product_code", args):
        entry = returns.setdefault((code, no), [original or "", _day(day), ZERO])
        entry[2] += _money(amount)
    for (code, no), (original, day, amount) in returns.items():
        names = (original, *invoices_of_note.get(original, ())) if original else ()
        docs[code].append(Doc(RETURN, no, day, -abs(amount), names=names, ref=original))
    claimed: dict[tuple[str, str], tuple[str, ...]] = {}
    for ref, code, invoice_nos in db.execute("SELECT bank_ref, customer_code, invoice_nos FROM claims ORDER BY claim_no"):
        names = tuple(n.strip() for n in (invoice_nos or "").replace("；", ";").split(";") if n.strip())
        claimed[(ref, code)] = claimed.get((ref, code), ()) + names
    for code, ref, day, amount, payer, paid in db.execute(
            "SELECT customer_code, bank_ref, receipt_date, amount, payer_name, paid_docs FROM receipts "
            "WHERE customer_code IS NOT NULL" + (" AND customer_code = ?" if customer else ""), args):
        names = claimed.get((ref, code), ()) + tuple(n for n in (paid or "").split(";") if n)
        docs[code].append(Doc(RECEIPT, ref, _day(day), -_money(amount), names=names, ref=payer or ""))
    return docs


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def accounts(ledger: Ledger, as_of: dt.date) -> dict[str, Account]:
    """Every customer's account settled by document dates up to ``as_of``."""
    return {code: settle(docs, as_of) for code, docs in documents(ledger).items()}


def account(ledger: Ledger, customer: str, as_of: dt.date) -> Account:
    return settle(documents(ledger, customer).get(customer, ()), as_of)


def ledger_total(ledger: Ledger, as_of: dt.date) -> Decimal:
    """Receivables of all customers on ``as_of`` summed straight from the tables (the control total)."""
    day = as_of.isoformat()
    db = ledger.conn
    total = ZERO
    for query in ("SELECT amount FROM opening_balances WHERE doc_date <= ?",
                  "SELECT amount FROM invoices WHERE invoice_date <= ?"):
        total += sum((_money(a) for (a,) in db.execute(query, (day,))), ZERO)
    total -= sum((abs(_money(a)) for (a,) in db.execute("SELECT amount FROM returns WHERE return_date <= ?", (day,))), ZERO)
    total -= sum((_money(a) for (a,) in db.execute(
        "SELECT amount FROM receipts WHERE customer_code IS NOT NULL AND receipt_date <= ?", (day,))), ZERO)
    return total


def replies(ledger: Ledger, period: str) -> dict[str, tuple[Decimal, bool | None, str, list[TheirDoc]]]:
    """customer -> (confirmed balance, agreed, signed by, their documents) for ``period``."""
    docs: dict[str, list[TheirDoc]] = defaultdict(list)
    for code, no, day, amount in db_rows(ledger, "SELECT customer_code, doc_no, doc_date, amount FROM confirmation_docs "
                                                 "WHERE period = ? ORDER BY customer_code, line", (period,)):
        docs[code].append(TheirDoc(no or "", _day(day) if day else None, _money(amount)))
    return {code: (_money(balance), None if agreed is None else str(agreed) == "1", signed or "", docs.get(code, []))
            for code, balance, agreed, signed in db_rows(
                ledger, "SELECT customer_code, balance, agreed, signed_by FROM confirmations WHERE period = ?", (period,))}


def finance_balances(ledger: Ledger, start: dt.date, end: dt.date) -> tuple[dt.date | None, dict[str, Decimal]]:
    """Finance's latest export dated within the period: its date and customer -> balance."""
    row = ledger.conn.execute("SELECT max(as_of) FROM finance_ar WHERE as_of BETWEEN ? AND ?",
                              (start.isoformat(), end.isoformat())).fetchone()
    if not row or row[0] is None:
        return None, {}
    return _day(row[0]), {code: _money(b) for code, b in db_rows(
        ledger, "SELECT customer_code, balance FROM finance_ar WHERE as_of = ?", (row[0],))}


def replenishments(ledger: Ledger, since: dt.date, as_of: dt.date) -> list[tuple]:
    """Every delivery note issued from ``since`` to ``as_of``, by customer, date and number: (customer,
    note no, issued on, order no, order amount, shipped at, order state, its invoice numbers and
    their amounts, each joined by ``;``)."""
    return ledger.conn.execute(
        "SELECT o.customer_code, n.note_no, n.issued_on, o.order_no, o.amount, s.shipped_at, o.state, "
        "group_concat(i.invoice_no, ';'), group_concat(i.amount, ';') FROM delivery_notes n "
        "JOIN orders o ON o.id = n.order_id LEFT JOIN shipments s ON s.delivery_note_no = n.note_no "
        "LEFT JOIN invoices i ON i.delivery_note_no = n.note_no "
        "WHERE n.issued_on BETWEEN ? AND ? GROUP BY n.note_no, o.id, s.delivery_note_no ORDER BY o.customer_code, n.issued_on, n.note_no",
        (since.isoformat(), as_of.isoformat())).fetchall()


def db_rows(ledger: Ledger, query: str, args: tuple = ()) -> list[tuple]:
    return ledger.conn.execute(query, args).fetchall()
