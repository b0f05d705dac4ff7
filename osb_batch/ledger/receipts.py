"""The receipts pool (到款池): bank receipts, collection claims, and matching receipts to customers.

domain.md "Receivables and collections (BC)". Finance's daily ``bank_receipts`` rows go into
``receipts`` once per bank reference (a reference seen before is a duplicate: warned about,
never applied twice). Sales staff's ``collection_claims`` go into ``claims`` once per claim
number. :func:`match` then gives each unmatched receipt a customer, in this order:

1. ``claim``: collection claims naming the receipt's bank reference, if they agree on one customer;
2. ``remark``: an invoice number, an opening-balance document number or a delivery note number
   found in the bank remark, if the numbers found belong to one customer (they are paid first);
3. ``alias``: the payer name equal to exactly one customer's name or payer alias, compared after
   removing spaces, NFKC (full-width -> half-width), Traditional -> Simplified and case folding.

A matched receipt is not re-matched by a later run. What matched money pays (the claimed invoices,
then the oldest due) is worked out by :mod:`osb_batch.ledger.receivables` from the documents.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from decimal import Decimal

from osb_batch import catalogue as catalogue_mod
from osb_batch.findings import Finding, finding
from osb_batch.hanzi import simplified
from osb_batch.readers.workbook import ReadResult, Row, Table

from .database import Ledger, to_text

RECEIPT_FIELDS = ("bank_ref", "receipt_date", "payer_name", "amount", "bank_account", "remark")
CLAIM_FIELDS = ("claim_no", "bank_ref", "customer_code", "amount", "invoice_nos", "claimed_by")
_ALNUM = re.compile(r"[0-9A-Za-z]")
_SPACE = re.compile(r"\s+")


def cell_where(result: ReadResult, form_key: str, table: Table, row: Row, key: str) -> dict:
    f = catalogue_mod.load()[form_key].field(key)
    return {"file": result.file, "form": form_key, "sheet": table.sheet, "row": row.number,
            "column": table.columns.get(key, 0), "cell": table.cell(row, key),
            "field": key, "label": f.zh, "label_en": f.en}


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
                                       cell_where(result, "bank_receipts", table, row, "bank_ref")))
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
                                        **cell_where(result, "collection_claims", table, row, "claim_no")))
            continue
        ledger.conn.execute(
            "INSERT INTO claims (claim_no, bank_ref, customer_code, amount, invoice_nos, claimed_by, "
            "input_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*(values[k] for k in CLAIM_FIELDS), input_id, run_id))
        receipt = ledger.get("receipts", ["bank_ref"], [values["bank_ref"]])
        where = cell_where(result, "collection_claims", table, row, "bank_ref")
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
def normalize_name(text: str | None) -> str:
    """A payer name as compared: NFKC (full-width -> half-width), no spaces, Simplified, case-folded."""
    if not text:
        return ""
    return simplified(_SPACE.sub("", unicodedata.normalize("NFKC", text))).casefold()


def _names(ledger: Ledger) -> dict[str, set[str]]:
    """Normalized customer name or payer alias -> customer codes."""
    names: dict[str, set[str]] = defaultdict(set)
    for code, name, aliases in ledger.conn.execute(
            "SELECT customer_code, customer_name, payer_aliases FROM customers"):
        for alias in [name, *re.split(r"[;；]", aliases or "")]:
            if key := normalize_name(alias):
                names[key].add(code)
    return names


def _doc_numbers(ledger: Ledger) -> dict[str, set[str]]:
    """Normalized opening-balance document number or delivery note number -> customer codes."""
    docs: dict[str, set[str]] = defaultdict(set)
    rows = ledger.conn.execute(
        "SELECT doc_no, customer_code FROM opening_balances UNION ALL "
        "SELECT invoice_no, customer_code FROM invoices UNION ALL "
        "SELECT delivery_notes.note_no, orders.customer_code FROM delivery_notes "
        "JOIN orders ON orders.id = delivery_notes.order_id")
    for doc, code in rows:
        if (key := _doc_key(doc)) and code:
            docs[key].add(code)
    return docs


def _doc_key(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


def _in_remark(doc: str, remark: str) -> bool:
    """``doc`` occurs in ``remark`` not glued to further letters or digits (FP-1 is not in FP-10)."""
    start = remark.find(doc)
    while start >= 0:
        end = start + len(doc)
        before = remark[start - 1] if start else ""
        after = remark[end] if end < len(remark) else ""
        if not (before and _ALNUM.match(before) and _ALNUM.match(doc[0])) \
                and not (after and _ALNUM.match(after) and _ALNUM.match(doc[-1])):
            return True
        start = remark.find(doc, start + 1)
    return False


def match(ledger: Ledger, *, run_id: int) -> list[Finding]:
    """Give every unmatched receipt a customer (claim, then remark, then payer alias).

    The receipt records how (``matched_by``) and in which run (``matched_run``).
    """
    findings: list[Finding] = []
    receipts = ledger.conn.execute(
        "SELECT bank_ref, payer_name, amount, remark FROM receipts WHERE customer_code IS NULL "
        "ORDER BY receipt_date, bank_ref").fetchall()
    if not receipts:
        return findings
    claims: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for claim_no, ref, code in ledger.conn.execute(
            "SELECT claim_no, bank_ref, customer_code FROM claims ORDER BY claim_no"):
        claims[ref].append((claim_no, code))
    docs = _doc_numbers(ledger)
    names = _names(ledger)
    for ref, payer, amount, remark in receipts:
        about = {"form": "bank_receipts", "field": "bank_ref", "value": ref, "payer": payer or "",
                 "amount": amount}
        customer, how, paid = None, None, ""
        if ref in claims:
            codes = sorted({code for _, code in claims[ref]})
            if len(codes) > 1:
                findings.append(finding("claim-conflict", **about, claims="；".join(
                    f"{no} → {code}" for no, code in claims[ref])))
                continue
            customer, how = codes[0], "claim"
        if customer is None and remark:
            text = _doc_key(remark)
            found = sorted(doc for doc in docs if _in_remark(doc, text))
            codes = sorted({code for doc in found for code in docs[doc]})
            if len(codes) == 1:
                customer, how, paid = codes[0], "remark", ";".join(found)
            elif codes:
                findings.append(finding("receipt-remark-ambiguous", **about, docs="、".join(found),
                                        customers="、".join(codes)))
        if customer is None:
            codes = sorted(names.get(normalize_name(payer), ()))
            if len(codes) == 1:
                customer, how = codes[0], "alias"
            elif codes:
                findings.append(finding("receipt-alias-ambiguous", **about, customers="、".join(codes)))
        if customer is not None:
            ledger.conn.execute("UPDATE receipts SET customer_code = ?, matched_by = ?, matched_run = ?, "
                                "paid_docs = ? WHERE bank_ref = ?", (customer, how, run_id, paid or None, ref))
    return findings


# what the rest of the batch reads ---------------------------------------------------------------
def unmatched(ledger: Ledger) -> list[dict]:
    """The receipts still waiting for a customer, oldest first, for the receipts pool workbook."""
    rows = ledger.conn.execute(
        "SELECT bank_ref, receipt_date, payer_name, amount, remark FROM receipts "
        "WHERE customer_code IS NULL ORDER BY receipt_date, bank_ref")
    return [{"bank_ref": ref, "date": dt.date.fromisoformat(day), "payer": payer or "",
             "amount": _money(amount), "remark": remark or ""}
            for ref, day, payer, amount, remark in rows]
