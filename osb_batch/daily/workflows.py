"""The run's step for the followed workflows (workflows.md): every chain evaluated, items saved.

Every run replays the chains of rules.toml ``[[workflows.chains]]`` over all stored documents and
events as of the end of the business date, inside the run's transaction (a killed run leaves
the items as the last committed run saw them; a second run the same day changes none), and
turns the closing documents that matched nothing or came twice, and the default chains' extra
checks, into findings at the document's cell. Findings are told once: only this run's documents
make them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from osb_batch import catalogue as catalogue_mod
from osb_batch.findings import Finding, a1, finding
from osb_batch.ledger import workflow_items as store
from osb_batch.ledger.workflow_people import Directory, directory
from osb_batch.reports.period import Period
from osb_batch.rules import chain_checks as checks
from osb_batch.rules.chain_links import linked
from osb_batch.rules.chains import Doc, follow, spoken
from osb_batch.settings import Settings

from .order_steps import DailyRun

TZ = ZoneInfo("Asia/Shanghai")
#: Closing documents whose "matches nothing" is not told: an extra check tells it more precisely
#: (a claim without a visit, a return without a reviewed requisition), or nothing is wrong (most
#: orders follow no quote).
NOT_TOLD_UNMATCHED = {"expense_claim": "claims_without_visit", "return": "return_reviews", "order": "no quote needed"}
EVENT_NAMES = {"delivery_note": ("送货单", "delivery note"), "invoice": ("发票", "invoice"),
               "return": ("退货单", "return"), "order": ("订单", "order")}


def follow_workflows(run: DailyRun) -> list[Finding]:
    """Evaluate every chain as of the end of the run's business date; save the items; the findings."""
    ledger, settings = run.book.ledger, run.settings
    chains = settings.workflows.chains
    names = {c.name for c in chains}
    forms = {c.opens for c in chains} | {s.form for c in chains for s in c.steps}
    forms |= {"sales_outbound", "invoice_request"} if "invoicing" in names else set()
    docs = store.chain_documents(ledger, forms, run_id=run.run_id)
    people = directory(ledger, settings, run.day)
    told = _checks(run, docs, people, names)
    _shipping_misses(run, told, docs)
    found = [_finding(c.rule, c.doc, c.field, people, **c.params) for c in told]
    as_of = dt.datetime.combine(run.day, dt.time(23, 59, 59), TZ)
    outcome = follow(chains, linked(docs, store.customer_arrivals(run.book.ledger)), calendar=run.calendar, people=people, as_of=as_of,
                     escalate_after=settings.workflows.escalate_after_days)
    store.save_items(ledger, outcome.items, run_id=run.run_id, day=run.day)
    zh = {c.name: c.zh for c in chains}
    opens = {c.name: _form_names(c.opens) for c in chains}
    for stray in outcome.strays:
        if stray.kind == "unmatched" and stray.doc.form in NOT_TOLD_UNMATCHED:
            continue
        key = stray.key or _doc_number(stray.doc)
        found.append(_finding(f"workflow-{stray.kind}", stray.doc, "", people, value=_doc_number(stray.doc),
                              key=key, chain=zh[stray.chain], chain_en=spoken(stray.chain), opens=opens[stray.chain][0],
                              opens_en=opens[stray.chain][1]))
    return found


def _form_names(form: str) -> tuple[str, str]:
    """A form's (or an event's) Chinese and English names."""
    if form in EVENT_NAMES:
        return EVENT_NAMES[form]
    declared = catalogue_mod.load()[form]
    return declared.zh, declared.en


def _doc_number(doc: Doc) -> str:
    ref = doc.ref or {}
    if ref.get("key"):
        return str(ref["key"])
    return next((str(v) for k, v in doc.values.items() if k.endswith("_no") and v), "")


def _checks(run: DailyRun, docs: list[Doc], people: Directory, names: set[str]) -> list[checks.Check]:
    ledger, settings = run.book.ledger, run.settings
    lines = {}

    def note_lines(note: str) -> dict[str, Decimal]:
        if note not in lines:
            lines[note] = store.note_lines(ledger, note)
        return lines[note]

    found: list[checks.Check] = []
    if "invoicing" in names:
        found += checks.invoice_amounts(docs) + checks.notes_not_shipped(docs, store.shipped_notes(ledger))
    if "proof_of_delivery" in names:
        found += checks.outbound_quantities(docs, note_lines)
        found += checks.short_receipts(docs)[1]
    if "service_tickets" in names:
        found += checks.complaints(docs, lambda v: people.responsible("MM", v))
    if "returns" in names:
        found += checks.return_quantities(docs, note_lines) + checks.return_reviews(docs, people.reviewers)
    if "quotations" in names:
        found += checks.quote_discounts(docs, store.list_prices(ledger).get, settings.workflows.quote_review_discount,
                                        people.reviewers)
    if "contracts" in names:
        found += checks.contract_risks(docs, lambda code, day: store.standing(ledger, code, day))
    if "hospitality" in names:
        found += checks.claims_without_visit(docs, settings.workflows.claim_visit_days)
    return found


#: The extra checks that are SP accuracy misses (domain.md's problem log): the rule of the entry each opens.
SHIPPING_MISSES = {"workflow-outbound-qty": "sp-outbound-qty", "workflow-receipt-short": "sp-short-receipt"}


def _shipping_misses(run: DailyRun, told: list[checks.Check], docs: list[Doc]) -> None:
    """A short outbound or a damaged or short receipt opens an OSB problem (area SP) against its note."""
    orders = {str(d.values.get("note_no")): str(d.values.get("order_no") or "") for d in docs
              if d.form == "delivery_note"}
    for c in told:
        if c.rule in SHIPPING_MISSES:
            p = c.params
            params = {"note_no": str(p["note"]), "product": str(p["product"]), "qty": "" if p["value"] is None else str(p["value"]),
                      "expected": str(p.get("expected", "")), "request_no": str(p.get("request_no", "")),
                      "condition": str(p.get("condition", "")), "condition_en": str(p.get("condition_en", ""))}
            run.problems.open_shipping_miss(SHIPPING_MISSES[c.rule], params["note_no"], params["product"],
                                            {k: v for k, v in params.items() if v}, order_no=orders.get(params["note_no"], ""))


def _finding(rule: str, doc: Doc, field: str, people: Directory, **params: Any) -> Finding:
    ref = doc.ref or {}
    row, column = ref.get("row", 0), (ref.get("columns") or {}).get(field, 0)
    owner = people.responsible("UM", doc.values) or people.settings.people.secretaries[0]
    made = finding(rule, file=ref.get("file") or "", form=ref.get("form") or doc.form, sheet=ref.get("sheet") or "",
                   field=field or None, owner=owner, **params)
    return dataclasses.replace(made, row=row, column=column, cell=a1(row, column) if column else "")


def step_names(settings: Settings, lang: str) -> dict[str, str]:
    """Each chain's name, and each ``chain.step``'s, in ``lang`` (English: the names of rules.toml)."""
    names = {}
    for c in settings.workflows.chains:
        names[c.name] = spoken(c.name) if lang == "en" else c.zh
        names.update({f"{c.name}.{s.name}": spoken(s.name) if lang == "en" or not s.zh else s.zh for s in c.steps})
    return names


def todo_items(run: DailyRun, period: Period, lang: str) -> tuple[list[dict], dict[str, str]]:
    """The to-do list of the run: every open item and those closed today, with the chains' and steps'
    names in ``lang`` (never None: the list is written on every run)."""
    return store.listed_items(run.book.ledger, period.end), step_names(run.settings, lang)
