"""The receipts pool (到款池): bank receipts, collection claims, and matching receipts to customers.

domain.md "Receivables and collections (BC)". Finance's daily ``bank_receipts`` rows go into
``receipts`` once per bank reference (a reference seen before is a duplicate: warned about,
never applied twice). Sales staff's ``collection_claims`` go into ``claims`` once per claim
number. :func:`match` loads the facts :mod:`osb_batch.rules.receipt_matching` needs to give
each unmatched receipt a customer (claim, then remark, then payer alias) and stores its decisions.

A matched receipt is not re-matched by a later run. What matched money pays (the claimed invoices,
then the oldest due) is worked out by :mod:`osb_batch.ledger.receivables` from the documents.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from osb_batch import catalogue as catalogue_mod
from osb_batch.findings import Finding, finding
from osb_batch.readers.workbook import ReadResult
from osb_batch.rules import receipt_matching as matching

from .database import Ledger, to_text

RECEIPT_FIELDS = ("bank_ref", "receipt_date", "payer_name", "amount", "bank_account", "remark")
CLAIM_FIELDS = ("claim_no", "bank_ref", "customer_code", "amount", "invoice_nos", "claimed_by")


def input_name(ledger: Ledger, input_id: int | None) -> str:
    if input_id is None:
        return ""
    row = ledger.conn.execute("SELECT name FROM inputs WHERE id = ?", (input_id,)).fetchone()
    return row[0] if row else ""


def _money(text: str | None) -> Decimal:
    return Decimal(text) if text not in (None, "") else Decimal(0)


# bank receipts -----------------------------------------------------------------------------------
def apply_bank_receipts(result: ReadResult, ledger: Ledger, *, run_id: int, input_id: int) -> list[Finding]:
    """Insert every error-free receipt row; a bank reference already stored is a duplicate."""
    findings: list[Finding] = []
    rows_here: dict[str, int] = {}        # bank_ref -> sheet row, for duplicates within this file
    for table, row in result.rows:
        if not row.ok:
            continue
        values = {k: to_text(row.values.get(k)) for k in RECEIPT_FIELDS}
        ref = values["bank_ref"]
        stored = ledger.get("receipts", ["bank_ref"], [ref])
        if stored is not None:
            findings.append(_duplicate(ledger, stored, values, rows_here.get(ref), input_id,
                                       result.where(table, row, "bank_ref")))
            continue
        ledger.conn.execute(
            "INSERT INTO receipts (bank_ref, receipt_date, payer_name, amount, bank_account, remark, "
            "input_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*(values[k] for k in RECEIPT_FIELDS), input_id, run_id))
        rows_here[ref] = row.number
    return findings


def _duplicate(ledger: Ledger, stored: dict, values: dict, row_here: int | None, input_id: int,
               where: dict) -> Finding:
    if row_here is not None and stored["input_id"] == input_id:
        first_zh, first_en = f"本文件第 {row_here} 行", f"row {row_here} of this file"
    else:
        name = input_name(ledger, stored["input_id"])
        first_zh, first_en = (f"文件 {name}", f"file {name}") if name else ("此前的文件", "an earlier file")
    differs = [k for k in RECEIPT_FIELDS[1:]
               if (_money(stored[k]) != _money(values[k]) if k == "amount" else stored[k] != values[k])]
    labels = catalogue_mod.load()["bank_receipts"]
    return finding(
        "receipt-duplicate", value=values["bank_ref"], first=first_zh, first_en=first_en,
        date=stored["receipt_date"], amount=stored["amount"],
        differs="；内容与首次不同：" + "、".join(labels.field(k).zh for k in differs) if differs else "",
        differs_en="; its content differs: " + ", ".join(labels.field(k).en for k in differs) if differs else "",
        **where)


# collection claims -------------------------------------------------------------------------------
def apply_claims(result: ReadResult, ledger: Ledger, *, run_id: int, input_id: int) -> list[Finding]:
    """Insert every error-free claim once per claim number; a claim may precede its receipt."""
    findings: list[Finding] = []
    for table, row in result.rows:
        if not row.ok:
            continue
        values = {k: to_text(row.values.get(k)) for k in CLAIM_FIELDS}
        stored = ledger.get("claims", ["claim_no"], [values["claim_no"]])
        if stored is not None:
            if not _same_claim(stored, values):
                findings.append(finding("claim-changed", value=values["claim_no"],
                                        **result.where(table, row, "claim_no")))
            continue
        ledger.conn.execute(
            "INSERT INTO claims (claim_no, bank_ref, customer_code, amount, invoice_nos, claimed_by, "
            "input_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*(values[k] for k in CLAIM_FIELDS), input_id, run_id))
        receipt = ledger.get("receipts", ["bank_ref"], [values["bank_ref"]])
        where = result.where(table, row, "bank_ref")
        if receipt is None:
            findings.append(finding("claim-receipt-unknown", value=values["bank_ref"],
                                    claim_no=values["claim_no"], **where))
        elif receipt["customer_code"] not in (None, values["customer_code"]):
            findings.append(finding("claim-receipt-matched", value=values["bank_ref"],
                                    claim_no=values["claim_no"], customer=values["customer_code"],
                                    matched=receipt["customer_code"], matched_by=receipt["matched_by"] or "",
                                    **where))
    return findings


def _same_claim(stored: dict, values: dict) -> bool:
    return all(_money(stored[k]) == _money(values[k]) if k == "amount" else stored[k] == values[k]
               for k in CLAIM_FIELDS)


# matching ----------------------------------------------------------------------------------------
def match(ledger: Ledger, *, run_id: int) -> list[Finding]:
    """Give every unmatched receipt a customer, as :func:`osb_batch.rules.receipt_matching.match` decides.

    The receipt records how (``matched_by``), in which run (``matched_run``) and the documents its
    remark named (``paid_docs``); every doubt met on the way becomes a finding.
    """
    rows = unmatched_rows(ledger)
    if not rows:
        return []
    about = {ref: {"form": "bank_receipts", "field": "bank_ref", "value": ref, "payer": payer or "", "amount": amount}
             for ref, _, payer, amount, _ in rows}
    decisions = matching.match([matching.UnmatchedReceipt(ref, payer, remark) for ref, _, payer, _, remark in rows],
                               _claims(ledger), payers(ledger), _documents(ledger))
    findings: list[Finding] = []
    for m in decisions:
        findings += [finding(d.rule, **about[m.bank_ref], **dict(d.params)) for d in m.doubts]
        if m.customer_code is not None:
            ledger.conn.execute("UPDATE receipts SET customer_code = ?, matched_by = ?, matched_run = ?, "
                                "paid_docs = ? WHERE bank_ref = ?",
                                (m.customer_code, m.how, run_id, ";".join(m.paid_docs) or None, m.bank_ref))
    return findings


def _claims(ledger: Ledger) -> list[matching.Claim]:
    return [matching.Claim(*row) for row in ledger.conn.execute(
        "SELECT claim_no, bank_ref, customer_code FROM claims ORDER BY claim_no")]


def payers(ledger: Ledger) -> list[matching.PayerNames]:
    """Every customer's name and payer aliases as stored."""
    return [matching.PayerNames(*row) for row in ledger.conn.execute(
        "SELECT customer_code, customer_name, payer_aliases FROM customers")]


def _documents(ledger: Ledger) -> list[tuple[str, str]]:
    """(number, customer) of every opening-balance document, invoice and delivery note."""
    return ledger.conn.execute(
        "SELECT doc_no, customer_code FROM opening_balances UNION ALL "
        "SELECT invoice_no, customer_code FROM invoices UNION ALL "
        "SELECT delivery_notes.note_no, orders.customer_code FROM delivery_notes "
        "JOIN orders ON orders.id = delivery_notes.order_id").fetchall()


# what the rest of the batch reads ---------------------------------------------------------------
def received_until(ledger: Ledger, as_of: dt.date) -> list[tuple]:
    """Every receipt dated up to ``as_of``, oldest first, as stored: (bank ref, date, payer, amount,
    bank account, remark, customer, matched by, matched run)."""
    return ledger.conn.execute(
        "SELECT bank_ref, receipt_date, payer_name, amount, bank_account, remark, customer_code, matched_by, "
        "matched_run FROM receipts WHERE receipt_date <= ? ORDER BY receipt_date, bank_ref",
        (as_of.isoformat(),)).fetchall()


def unmatched_rows(ledger: Ledger) -> list[tuple]:
    """(bank ref, receipt date, payer name, amount, remark) as stored, of the receipts without a
    customer, oldest first."""
    return ledger.conn.execute(
        "SELECT bank_ref, receipt_date, payer_name, amount, remark FROM receipts "
        "WHERE customer_code IS NULL ORDER BY receipt_date, bank_ref").fetchall()


def unmatched(ledger: Ledger) -> list[dict]:
    """The receipts still waiting for a customer, oldest first, for the receipts pool workbook."""
    return [{"bank_ref": ref, "date": dt.date.fromisoformat(day), "payer": payer or "",
             "amount": _money(amount), "remark": remark or ""}
            for ref, day, payer, amount, remark in unmatched_rows(ledger)]
