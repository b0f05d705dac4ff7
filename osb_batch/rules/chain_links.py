"""The documents one trail makes for another chain (workflows.md "also"), made the same on every run.

A damaged or short receipt opens an after-sales item (:func:`~osb_batch.rules.chain_checks.short_receipts`);
an exchange (换货) request opens a returns item, which the red requisition that follows it for the
same customer and product moves on; a lead becomes a customer when its name appears in the
customers master. :func:`linked` answers the chains' documents with these added, so that the daily
run and the month's figures replay the same trails.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from osb_batch.chain_terms import parse_condition

from .chain_checks import short_receipts
from .chains import Doc

__all__ = ["conversions", "exchanges", "linked"]

EXCHANGE = "replace"              # the service type 换货
WON = "已成交"
DECIDED = parse_condition("stage=已成交,已放弃")      # a lead's stages that close it


def linked(docs: list[Doc], customers: Mapping[str, dt.datetime]) -> list[Doc]:
    """``docs`` with the requisitions of exchanges keyed by their request, and the documents
    receipts, exchanges and the customers master (``customers``: name -> when it arrived) make."""
    opened, _ = short_receipts(docs)
    return exchanges(docs) + opened + conversions(docs, customers)


def _key(value: object) -> object:
    return getattr(value, "key", value)


def exchanges(docs: list[Doc]) -> list[Doc]:
    """``docs`` plus an opening red requisition (form ``return_detail``) for every exchange request,
    numbered as the request; the first later requisition of that customer and product that no
    earlier exchange claimed is renumbered as the request, so it moves that item on instead of
    opening its own."""
    requisitions = [d for d in docs if d.form == "return_detail"]
    claimed: dict[tuple[str, str], str] = {}
    opened, seen = [], set()
    for r in (d for d in docs if d.form == "after_sales_request"):
        v = r.values
        no, product = str(v.get("request_no")), v.get("product_code")
        if _key(v.get("service_type")) != EXCHANGE or not product or no in seen:
            continue
        seen.add(no)
        found = next((q for q in requisitions if q.at.date() >= r.at.date()
                      and (str(q.values.get("red_request_no")), str(product)) not in claimed
                      and str(q.values.get("customer_code")) == str(v.get("customer_code"))
                      and str(q.values.get("product_code")) == str(product)), None)
        if found is not None:
            claimed[(str(found.values.get("red_request_no")), str(product))] = no
        opened.append(Doc("return_detail", {
            "red_request_no": no, "product_code": product, "customer_code": v.get("customer_code"),
            "original_doc_no": found.values.get("original_doc_no") if found else None,
            "request_date": v.get("request_date"), "applicant": v.get("applicant"), "reviewed_by": None},
            min(r.at, found.at) if found else r.at, ref=r.ref))
    renumbered = [_renumbered(d, claimed) for d in docs]
    return renumbered + opened


def _renumbered(doc: Doc, claimed: Mapping[tuple[str, str], str]) -> Doc:
    if doc.form != "return_detail":
        return doc
    request = claimed.get((str(doc.values.get("red_request_no")), str(doc.values.get("product_code"))))
    return doc if request is None else dataclasses.replace(doc, values={**doc.values, "red_request_no": request})


def conversions(docs: list[Doc], customers: Mapping[str, dt.datetime]) -> list[Doc]:
    """A won row for every lead whose name is in the customers master and that no row of its own
    marks won or lost: at the later of the lead's first row and the master's."""
    first: dict[str, Doc] = {}
    decided: set[str] = set()
    for d in (d for d in docs if d.form == "target_customers"):
        name = str(d.values.get("customer_name"))
        first.setdefault(name, d)
        if DECIDED.holds(d.values):
            decided.add(name)
    return [Doc("target_customers", {**d.values, "stage": WON}, max(d.at, customers[name]), ref=d.ref)
            for name, d in first.items() if name in customers and name not in decided]
