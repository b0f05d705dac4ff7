"""The marketing budget's ledger side: its budget rows, the expense rows not decided yet, and
every decision on an expense request or claim, kept once taken.

A decision is kept with the row it decided (``document_id``, the row in ``documents``), in the
order :func:`osb_batch.rules.budget.apply` took it; :func:`kept` gives them back in that order for
:func:`osb_batch.rules.budget.resume`, so that a re-run, or a report asked again, sees the same
figures and a claim number once applied is a duplicate whenever it comes again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from decimal import Decimal

from osb_batch.rules.budget import Cell, Claim, ClaimDecision, Request, RequestDecision

from .database import Ledger, to_text
from .documents import _typed, documents

REQUESTS, CLAIMS = "expense_request", "expense_claim"
Decision = RequestDecision | ClaimDecision


@dataclass(frozen=True, slots=True)
class Sent:
    """A stored row of an expense form: its ``documents`` id, its input and its typed values."""

    document_id: int
    input_id: int | None
    values: dict


def budget_rows(ledger: Ledger) -> dict[Cell, Decimal]:
    """The current ``marketing_budget`` rows: (month, market, expense type) -> budget amount."""
    return {(r["_period"], r["market"], r["expense_type"]): r["budget_amount"]
            for r in documents(ledger, "marketing_budget")}


def undecided(ledger: Ledger, catalogue, form: str, *, current_only: bool) -> list[Sent]:
    """Rows of ``form`` no decision was kept for, in the order stored (``current_only``: not
    replaced by a later row with the same key)."""
    query = ("SELECT d.id, d.input_id, d.content FROM documents d WHERE d.form = ? "
             "AND NOT EXISTS (SELECT 1 FROM budget_decisions b WHERE b.document_id = d.id)")
    if current_only:
        query += " AND d.replaced_by IS NULL"
    rows = ledger.conn.execute(query + " ORDER BY d.id", (form,)).fetchall()
    return [Sent(doc_id, input_id, _typed(catalogue[form], content)) for doc_id, input_id, content in rows]


def _item_text(item: Request | Claim) -> str:
    return json.dumps({f.name: to_text(getattr(item, f.name)) for f in fields(item)}, ensure_ascii=False)


def _item(kind: str, text: str) -> Request | Claim:
    raw = json.loads(text)
    cls = Request if kind == "request" else Claim
    values = {}
    for f in fields(cls):
        value = raw.get(f.name)
        if value is not None and f.name.endswith("_date"):
            value = dt.date.fromisoformat(value)
        elif value is not None and f.name == "amount":
            value = Decimal(value)
        values[f.name] = value
    return cls(**values)


def keep(ledger: Ledger, taken: list[tuple[int, Decision]], *, run_id: int) -> None:
    """Keep each (document id, decision), in the order given (the order taken)."""
    for document_id, d in taken:
        if isinstance(d, RequestDecision):
            row = (document_id, "request", d.request.request_no, d.request.request_date.isoformat(), d.status, d.rule,
                   _item_text(d.request), None, None, None, to_text(d.remaining_before), int(d.by_slt), run_id)
        else:
            row = (document_id, "claim", d.claim.claim_no, d.claim.claim_date.isoformat(), d.status, d.rule,
                   _item_text(d.claim), "|".join(d.cell) if d.cell else None, to_text(d.accepted),
                   to_text(d.refused), None, 0, run_id)
        ledger.conn.execute(
            "INSERT INTO budget_decisions (document_id, kind, number, day, status, rule, item, cell, accepted, "
            "refused, remaining_before, by_slt, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)


def kept(ledger: Ledger) -> list[Decision]:
    """Every decision kept, in the order taken."""
    out: list[Decision] = []
    for kind, status, rule, item, cell, accepted, refused, remaining, by_slt in ledger.conn.execute(
            "SELECT kind, status, rule, item, cell, accepted, refused, remaining_before, by_slt "
            "FROM budget_decisions ORDER BY id"):
        thing = _item(kind, item)
        if kind == "request":
            out.append(RequestDecision(thing, status, rule, None if remaining is None else Decimal(remaining),
                                       bool(by_slt)))
        else:
            where = tuple(cell.split("|", 2)) if cell else None
            out.append(ClaimDecision(thing, status, rule, where, Decimal(accepted), Decimal(refused)))
    return out
