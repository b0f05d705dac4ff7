"""The extra checks of the default chains (workflows.md "also"), told once, on the new documents.

Each check reads the chains' documents (:class:`~osb_batch.rules.chains.Doc`) with a few ledger
facts given as plain values, and answers :class:`Check` values: a rule slug, the document and
field it is about, and the message's parameters. :func:`short_receipts` also answers the
after-sales requests that damaged or short receipts open (for every receipt, new or not, so
that the items they open are evaluated the same on every run).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .chains import Doc

__all__ = ["Check", "at_risk", "claims_without_visit", "complaints", "contract_risks", "invoice_amounts", "notes_not_shipped",
           "outbound_quantities", "quote_discounts", "return_quantities", "return_reviews", "short_receipts"]



@dataclass(frozen=True, slots=True)
class Check:
    rule: str
    doc: Doc
    field: str
    params: Mapping[str, Any]


def _label(value: Any) -> str:
    return value.zh if hasattr(value, "zh") else ("" if value is None else str(value))


def _of(docs: Iterable[Doc], form: str) -> list[Doc]:
    return [d for d in docs if d.form == form]


def invoice_amounts(docs: list[Doc]) -> list[Check]:
    """A new invoice whose amount differs from what was requested for its delivery note."""
    requested: dict[str, dict[str, Decimal]] = {}
    for r in _of(docs, "invoice_request"):
        if r.values.get("delivery_note_no") and r.values.get("amount") is not None:
            requested.setdefault(str(r.values["delivery_note_no"]), {})[str(r.values["request_no"])] = r.values["amount"]
    found = []
    for inv in _of(docs, "invoice"):
        asked = requested.get(str(inv.values.get("delivery_note_no")))
        if inv.new and asked and sum(asked.values()) != inv.values["amount"]:
            found.append(Check("workflow-invoice-amount", inv, "amount", {
                "value": inv.values["invoice_no"], "amount": inv.values["amount"],
                "requested": sum(asked.values()), "request_no": "、".join(sorted(asked))}))
    return found


def notes_not_shipped(docs: list[Doc], shipped: set[str]) -> list[Check]:
    """A new invoice request for a delivery note neither shipped (OSB) nor seen leaving the warehouse."""
    out = {str(d.values.get("delivery_note_no")) for d in _of(docs, "sales_outbound")} | shipped
    return [Check("workflow-note-not-shipped", r, "delivery_note_no", {"value": r.values["delivery_note_no"]})
            for r in _of(docs, "invoice_request")
            if r.new and r.values.get("delivery_note_no") and str(r.values["delivery_note_no"]) not in out]


def outbound_quantities(docs: list[Doc], note_lines: Callable[[str], Mapping[str, Decimal]]) -> list[Check]:
    """A new outbound line whose quantity differs from the delivery note's line (or is not on it)."""
    found = []
    for d in _of(docs, "sales_outbound"):
        note, product = d.values.get("delivery_note_no"), d.values.get("product_code")
        lines = note_lines(str(note)) if d.new and note else {}
        if lines and lines.get(str(product), Decimal(0)) != d.values.get("qty"):
            found.append(Check("workflow-outbound-qty", d, "qty", {
                "value": d.values.get("qty"), "note": note, "product": product,
                "expected": lines.get(str(product), Decimal(0))}))
    return found


def short_receipts(docs: list[Doc]) -> tuple[list[Doc], list[Check]]:
    """Receipts marked damaged or short, or for less than went out: the after-sales requests they
    open (request number = the confirmation number and product), and a check for each new one."""
    sent: dict[tuple[str, str], Decimal] = {}
    for d in _of(docs, "sales_outbound"):
        key = (str(d.values.get("delivery_note_no")), str(d.values.get("product_code")))
        sent[key] = sent.get(key, Decimal(0)) + (d.values.get("qty") or Decimal(0))
    opened, found = [], []
    for d in _of(docs, "receipt_confirmation"):
        v = d.values
        key = (str(v.get("delivery_note_no")), str(v.get("product_code")))
        bad = getattr(v.get("condition"), "key", None) in {"damaged", "short"}
        less = key in sent and v.get("received_qty") is not None and v["received_qty"] < sent[key]
        if not (bad or less):
            continue
        request_no = f"{v['confirmation_no']}-{v['product_code']}"
        opened.append(Doc("after_sales_request", {
            "request_no": request_no, "customer_code": v.get("customer_code"), "product_code": v.get("product_code"),
            "service_type": "换货", "request_date": d.at.date(), "expected_date": None}, d.at, ref=d.ref))
        if d.new:
            condition = v.get("condition")
            found.append(Check("workflow-receipt-short", d, "received_qty", {
                "value": v.get("received_qty"), "note": key[0], "product": key[1], "request_no": request_no,
                "condition": _label(condition) or "短少", "condition_en": getattr(condition, "en", "short")}))
    return opened, found


def complaints(docs: list[Doc], manager: Callable[[Mapping[str, Any]], str | None]) -> list[Check]:
    """A new complaint ticket (the first version of it that is a complaint): its market's MM informed."""
    seen: set[str] = set()
    found = []
    for d in _of(docs, "service_ticket"):
        no = str(d.values.get("ticket_no"))
        if getattr(d.values.get("category"), "key", None) != "complaint" or no in seen:
            continue
        seen.add(no)
        if d.new:
            found.append(Check("workflow-complaint", d, "category", {
                "value": no, "customer": d.values.get("customer_name") or d.values.get("customer_code") or "",
                "manager": manager(d.values) or "SSG"}))
    return found


def return_quantities(docs: list[Doc], note_lines: Callable[[str], Mapping[str, Decimal]]) -> list[Check]:
    """A new return requisition returning more than its original document shipped."""
    found = []
    for d in _of(docs, "return_detail"):
        v = d.values
        lines = note_lines(str(v.get("original_doc_no"))) if d.new else {}
        shipped = lines.get(str(v.get("product_code")), Decimal(0))
        if lines and v.get("qty") is not None and v["qty"] > shipped:
            found.append(Check("workflow-return-exceeds", d, "qty", {
                "value": v.get("red_request_no"), "product": v.get("product_code"), "qty": v["qty"],
                "original": v.get("original_doc_no"), "shipped": shipped}))
    return found


def return_reviews(docs: list[Doc], entitled: Callable[[Mapping[str, Any]], set[str]]) -> list[Check]:
    """A new requisition reviewed by someone not entitled; a new booked return without a reviewed one."""
    found, reviewed = [], set()
    for d in sorted((d for d in docs if d.form in {"return_detail", "return"}), key=lambda d: d.at):
        v = d.values
        key = (str(v.get("original_doc_no")), str(v.get("product_code")))
        if d.form == "return_detail" and v.get("reviewed_by"):
            reviewed.add(key)
            if d.new and str(v["reviewed_by"]) not in entitled(v):
                found.append(Check("workflow-reviewer-not-entitled", d, "reviewed_by",
                                   {"value": v["reviewed_by"], "red_request_no": v.get("red_request_no")}))
        elif d.form == "return" and d.new and key not in reviewed:
            found.append(Check("workflow-return-unreviewed", d, "product_code", {
                "value": v.get("return_no"), "original": key[0], "product": key[1]}))
    return found


def quote_discounts(docs: list[Doc], list_price: Callable[[str], Decimal | None], limit: Decimal,
                    approvers: Callable[[Mapping[str, Any]], set[str]]) -> list[Check]:
    """A new quote below the list price by more than ``limit`` without an entitled ``approved_by``."""
    found = []
    for d in _of(docs, "quotation"):
        v = d.values
        price, listed = v.get("unit_price"), list_price(str(v.get("product_code")))
        if not d.new or price is None or not listed or price >= listed * (1 - limit):
            continue
        if str(v.get("approved_by") or "") not in approvers(v):
            found.append(Check("workflow-quote-unapproved", d, "unit_price", {
                "value": price, "quote_no": v.get("quote_no"), "product": v.get("product_code"),
                "list_price": listed, "limit": f"{limit:.0%}"}))
    return found


def at_risk(overdue: Decimal, balance: Decimal, limit: Decimal | None) -> bool:
    """A customer overdue, or over its credit limit, on the day a contract is signed (合同风险)."""
    return overdue > 0 or (limit is not None and balance > limit)


def contract_risks(docs: list[Doc],
                   standing: Callable[[str, dt.date], tuple[Decimal, Decimal, Decimal | None]]) -> list[Check]:
    """A new contract whose customer, on the day it was signed, was overdue or over its credit limit (合同风险)."""
    seen: set[str] = set()
    found = []
    for d in _of(docs, "contract_register"):
        v, no = d.values, str(d.values.get("contract_no"))
        if no in seen:
            continue
        seen.add(no)
        if not d.new or not v.get("customer_code") or not v.get("sign_date"):
            continue
        overdue, balance, limit = standing(str(v["customer_code"]), v["sign_date"])
        if at_risk(overdue, balance, limit):
            found.append(Check("workflow-contract-risk", d, "customer_code", {
                "value": no, "customer": v["customer_code"], "overdue": overdue, "balance": balance,
                "limit": "" if limit is None else limit}))
    return found


def claims_without_visit(docs: list[Doc], window_days: int) -> list[Check]:
    """A new entertainment claim with no visit hosted by its applicant in the ``window_days`` before it."""
    visits = [(str(d.values.get("host")), d.values.get("visit_date")) for d in _of(docs, "visitor_register")]
    found = []
    for d in _of(docs, "expense_claim"):
        v = d.values
        if not d.new or getattr(v.get("expense_type"), "key", None) != "entertainment":
            continue
        day = v.get("claim_date") or d.at.date()
        start = day - dt.timedelta(days=window_days)
        if not any(host == str(v.get("applicant")) and when and start <= when <= day for host, when in visits):
            found.append(Check("workflow-claim-no-visit", d, "expense_type",
                               {"value": v.get("claim_no"), "applicant": v.get("applicant")}))
    return found

