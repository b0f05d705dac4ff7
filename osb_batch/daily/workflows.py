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
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from osb_batch import catalogue as catalogue_mod
from osb_batch.findings import Finding, a1, finding
from osb_batch.ledger import workflow_items as store
from osb_batch.ledger.roster import roster_on
from osb_batch.reports.period import Period
from osb_batch.rules import chain_checks as checks
from osb_batch.rules.chains import Doc, follow
from osb_batch.rules.management_records import Person
from osb_batch.settings import Settings
from osb_batch.writers.workflow_items import write_todo

from .order_steps import DailyRun

TZ = ZoneInfo("Asia/Shanghai")
#: Closing documents whose "matches nothing" is not told: an extra check tells it more precisely
#: (a claim without a visit, a return without a reviewed requisition), or nothing is wrong (most
#: orders follow no quote).
NOT_TOLD_UNMATCHED = {"expense_claim": "claims_without_visit", "return": "return_reviews", "order": "no quote needed"}
ROLE_KEYS = {"SCR": "scr", "BCR": "bcr", "CSR": "csr"}
EVENT_NAMES = {"delivery_note": ("送货单", "delivery note"), "invoice": ("发票", "invoice"),
               "return": ("退货单", "return"), "order": ("订单", "order")}


class Directory:
    """Who a chain's ``responsible`` names, and to whom an overdue item escalates."""

    def __init__(self, settings: Settings, customers: Mapping[str, dict], roster: list[Person]):
        self.settings, self.customers = settings, customers
        self.roster = {p.name: p for p in roster if p.active}

    def market(self, values: Mapping[str, Any]) -> str | None:
        customer = self.customers.get(str(values.get("customer_code")), {})
        found = self.settings.market(customer.get("market") or _text(values.get("market")))
        return found.code if found else None

    def responsible(self, candidate: str, values: Mapping[str, Any]) -> str | None:
        if candidate.islower():
            return _text(values.get(candidate)) or None
        customer = self.customers.get(str(values.get("customer_code")), {})
        if candidate in ("KAM", "UM"):
            return customer.get(candidate)
        if candidate == "SSG":
            return self.settings.people.secretaries[0]
        market = self.market(values)
        if candidate == "MM":
            return self._holder("MM", market)
        roles = self.settings.roles_of(market) if market else None
        return getattr(roles, ROLE_KEYS[candidate]) if roles and candidate in ROLE_KEYS else None

    def _holder(self, role: str, market: str | None, region: str | None = None) -> str | None:
        return next((p.name for p in self.roster.values() if p.role == role and p.market == market
                     and (region is None or p.region == region)), None)

    def signer(self, market: str | None) -> str | None:
        found = self.settings.market(market) if market else None
        return getattr(self.settings.slt, found.signer) if found else None

    def manager_of(self, person: str, values: Mapping[str, Any]) -> str | None:
        """UM over a KAM or SR (the roster's, else the customer's), MM over a UM, the SLT signer over an MM;
        over anyone else (the market's clerks): the MM, else the signer."""
        market = self.market(values)
        who = self.roster.get(person)
        role = who.role if who else ("KAM" if person == self.responsible("KAM", values) else
                                     "UM" if person == self.responsible("UM", values) else "")
        if role in ("KAM", "SR"):
            um = self._holder("UM", who.market, who.region) if who else None
            return um or self.responsible("UM", values) or self._holder("MM", market) or self.signer(market)
        if role == "UM":
            return self._holder("MM", (who.market if who else None) or market) or self.signer(market)
        return (self._holder("MM", market) if role != "MM" else None) or self.signer(market)

    def reviewers(self, values: Mapping[str, Any]) -> set[str]:
        """Who may review a return or approve a quote: the customer's UM, the market's MM, the SLT."""
        slt = self.settings.slt
        named = {self.responsible("UM", values), self.responsible("MM", values), slt.gm, slt.director, slt.deputy}
        return {n for n in named if n} | {p.name for p in self.roster.values() if p.role == "SLT"}


def _text(value: object) -> str:
    return value.zh if hasattr(value, "zh") else ("" if value is None else str(value))


def follow_workflows(run: DailyRun) -> list[Finding]:
    """Evaluate every chain as of the end of the run's business date; save the items; the findings."""
    ledger, settings = run.book.ledger, run.settings
    chains = settings.workflows.chains
    names = {c.name for c in chains}
    forms = {c.opens for c in chains} | {s.form for c in chains for s in c.steps}
    forms |= {"sales_outbound", "invoice_request"} if "invoicing" in names else set()
    docs = store.chain_documents(ledger, forms, run_id=run.run_id)
    people = Directory(settings, store.customer_people(ledger), roster_on(ledger, run.day))
    opened, found = _checks(run, docs, people, names)
    as_of = dt.datetime.combine(run.day, dt.time(23, 59, 59), TZ)
    outcome = follow(chains, docs + opened, calendar=run.calendar, people=people, as_of=as_of,
                     escalate_after=settings.workflows.escalate_after_days)
    store.save_items(ledger, outcome.items, run_id=run.run_id, day=run.day)
    zh = {c.name: c.zh for c in chains}
    opens = {c.name: _form_names(c.opens) for c in chains}
    for stray in outcome.strays:
        if stray.kind == "unmatched" and stray.doc.form in NOT_TOLD_UNMATCHED:
            continue
        key = stray.key or _doc_number(stray.doc)
        found.append(_finding(f"workflow-{stray.kind}", stray.doc, "", people, value=_doc_number(stray.doc),
                              key=key, chain=zh[stray.chain], chain_en=stray.chain, opens=opens[stray.chain][0],
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


def _checks(run: DailyRun, docs: list[Doc], people: Directory, names: set[str]) -> tuple[list[Doc], list[Finding]]:
    ledger, settings = run.book.ledger, run.settings
    lines = {}

    def note_lines(note: str) -> dict[str, Decimal]:
        if note not in lines:
            lines[note] = store.note_lines(ledger, note)
        return lines[note]

    found: list[checks.Check] = []
    opened: list[Doc] = []
    if "invoicing" in names:
        found += checks.invoice_amounts(docs) + checks.notes_not_shipped(docs, store.shipped_notes(ledger))
    if "proof_of_delivery" in names:
        found += checks.outbound_quantities(docs, note_lines)
        opened, short = checks.short_receipts(docs)
        found += short
    if "service_tickets" in names:
        found += checks.complaints(docs, lambda v: people.responsible("MM", v))
    if "returns" in names:
        found += checks.return_quantities(docs, note_lines) + checks.return_reviews(docs, people.reviewers)
    if "quotations" in names:
        found += checks.quote_discounts(docs, store.list_prices(ledger).get, settings.workflows.quote_review_discount,
                                        people.reviewers)
    if "hospitality" in names:
        found += checks.claims_without_visit(docs)
    return opened, [_finding(c.rule, c.doc, c.field, people, **c.params) for c in found]


def _finding(rule: str, doc: Doc, field: str, people: Directory, **params: Any) -> Finding:
    ref = doc.ref or {}
    row, column = ref.get("row", 0), (ref.get("columns") or {}).get(field, 0)
    owner = people.responsible("UM", doc.values) or people.settings.people.secretaries[0]
    made = finding(rule, file=ref.get("file") or "", form=ref.get("form") or doc.form, sheet=ref.get("sheet") or "",
                   field=field or None, owner=owner, **params)
    return dataclasses.replace(made, row=row, column=column, cell=a1(row, column) if column else "")



def todo_items(run: DailyRun, period: Period, lang: str) -> tuple[list[dict], dict[str, str]]:
    """The to-do list of the run: every open item and those closed today, with each chain's name in
    ``lang`` (never None: the list is written on every run)."""
    names = {c.name: (c.name if lang == "en" else c.zh) for c in run.settings.workflows.chains}
    return store.listed_items(run.book.ledger, period.end), names


def write_todo_lists(records: tuple[list[dict], dict[str, str]], period: Period, folder: Path, lang: str,
                     version: str) -> list[tuple[Path, str]]:
    """SSG's 待办事项 and each person's own, for the manifest."""
    items, names = records
    return [(path, "workflow_items") for path in write_todo(folder, items, period.end, names, lang)]
