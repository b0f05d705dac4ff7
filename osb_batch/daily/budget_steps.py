"""The marketing budget loop in the daily run (management.md "The marketing budget loop").

Once the run's files are stored, the expense requests and claims no decision was kept for are
decided by :func:`osb_batch.rules.budget.apply`, going on from the state the kept decisions leave
(:func:`osb_batch.rules.budget.resume`) against the budget rows as they now stand; each decision
is kept (:mod:`osb_batch.ledger.budget_decisions`), so a re-run decides nothing again and a claim
number applied once is a duplicate whenever it comes back. A request that was refused or not
approved may be sent again under its number (approved this time) and is decided anew; one that
stands keeps its decision. Each refusal becomes a finding at the cell of its row in this run's
file, owned by the applicant, so that it reaches the exceptions list and the returned copy.

Approvers: a market's MMs from the roster of the business date, the SLT by its roster names and
the ``[slt]`` titles, the secretaries (``[people]`` and the roster's SSG) on a member's behalf.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import asdict

from osb_batch.catalogue import Catalogue
from osb_batch.findings import Finding, finding
from osb_batch.ledger import budget_decisions as kept_decisions
from osb_batch.ledger.budget_decisions import CLAIMS, REQUESTS, Sent
from osb_batch.ledger.roster import roster_on
from osb_batch.readers.workbook import ReadResult
from osb_batch.rules import budget
from osb_batch.rules.budget import Approvers, BudgetPolicy, Claim, ClaimDecision, Request, RequestDecision
from osb_batch.settings import SIGNER_TITLE, SIGNERS, Settings

from .order_steps import DailyRun

#: the cell each refusal is told at
CELL_OF = {"budget-no-row": "expense_type", "budget-request-unapproved": "approved_by",
           "budget-over-refused": "amount", "budget-over-approved": "amount", "budget-claim-no-request": "amount",
           "budget-claim-request-not-standing": "request_no", "budget-claim-over-request": "amount",
           "budget-claim-duplicate": "claim_no"}
Where = Callable[[str], dict]


def approvers(run: DailyRun) -> Approvers:
    """Who approves on the business date: MMs by market, the SLT, each person's market, the secretaries."""
    people = [p for p in roster_on(run.book.ledger, run.day) if p.active]
    slt = {getattr(run.settings.slt, key): key for key in SIGNERS}
    slt.update({key: key for key in SIGNERS} | {title: key for key, title in SIGNER_TITLE.items()})
    slt.update({p.name: p.name for p in people if p.role == "SLT"})
    mm: dict[str, list[str]] = {}
    for p in people:
        if p.role == "MM" and p.market:
            mm.setdefault(p.market, []).append(p.name)
    secretaries = (*run.settings.people.secretaries, *(p.name for p in people if p.role == "SSG"))
    return Approvers(mm, slt, {p.name: p.market for p in people if p.market}, tuple(dict.fromkeys(secretaries)))


def _request(values: dict, market_of: dict[str, str]) -> Request:
    applicant = values["applicant"] or ""
    return Request(values["request_no"], values["request_date"], applicant,
                   values["market"] or market_of.get(applicant, ""), values["expense_type"], values["amount"],
                   values["planned_date"], values["approved_by"], values["customer_code"])


def _claim(values: dict) -> Claim:
    return Claim(values["claim_no"], values["claim_date"], values["applicant"] or "", values["expense_type"],
                 values["amount"], values["request_no"])


def _places(parts: list[tuple[int, ReadResult]]) -> dict[tuple[int, str, str], deque[Where]]:
    """Where each stored row of this run's expense files sits: (input, form, number) -> its rows in order."""
    places: dict[tuple[int, str, str], deque[Where]] = {}
    for input_id, part in parts:
        if part.form not in (REQUESTS, CLAIMS):
            continue
        number = "request_no" if part.form == REQUESTS else "claim_no"
        for table, row in part.rows:
            if row.ok:
                places.setdefault((input_id, part.form, str(row.values.get(number))), deque()).append(
                    lambda key, t=table, r=row, p=part: p.where(t, r, key))
    return places


def decide(run: DailyRun, catalogue: Catalogue, parts: list[tuple[int, ReadResult]]) -> list[Finding]:
    """Decide every expense request and claim not decided yet, keep the decisions, return the refusals.

    Args:
        run: the day's order steps (ledger, settings, business date, run id).
        catalogue: the forms.
        parts: (input id, read result) of every form this run applied.
    """
    ledger = run.book.ledger
    sent = {REQUESTS: kept_decisions.undecided(ledger, catalogue, REQUESTS, current_only=True),
            CLAIMS: kept_decisions.undecided(ledger, catalogue, CLAIMS, current_only=False)}
    if not any(sent.values()):
        return []
    places = _places(parts)
    where = {s.document_id: _pop(places, s, form) for form, rows in sent.items() for s in rows}
    who = approvers(run)
    rows = kept_decisions.budget_rows(ledger)
    state = budget.resume(rows, kept_decisions.kept(ledger))
    before = len(state.requests), len(state.claims)
    requests = [(_request(s.values, dict(who.market_of)), s) for s in sent[REQUESTS]]
    claims = [(_claim(s.values), s) for s in sent[CLAIMS]]
    row_of = {id(item): s for item, s in (*requests, *claims)}
    state = budget.apply([r for r, _ in requests], [c for c, _ in claims], rows, who,
                         policy=policy(run.settings), earlier=state)
    taken = [(row_of[id(_item(d))], d)
             for d in budget.in_order(state.requests[before[0]:], state.claims[before[1]:])]
    kept_decisions.keep(ledger, [(s.document_id, d) for s, d in taken], run_id=run.run_id)
    labels = {c.key: (c.zh, c.en) for c in catalogue[REQUESTS].field("expense_type").choices}
    return [_finding(d, where[s.document_id], run.settings, who, labels) for s, d in taken
            if d.rule and where.get(s.document_id) is not None]


def _item(d: RequestDecision | ClaimDecision) -> Request | Claim:
    return d.request if isinstance(d, RequestDecision) else d.claim


def _money(amount) -> str:
    return f"{amount:,.2f}"


def _finding(d: RequestDecision | ClaimDecision, at: Where, settings: Settings, who: Approvers,
             labels: dict[str, tuple[str, str]]) -> Finding:
    """The refusal (or the over-budget approval) at the cell of its row, owned by the applicant."""
    item = _item(d)
    params: dict = {"value": item.request_no if isinstance(d, RequestDecision) else item.claim_no,
                    "amount": _money(item.amount), "owner": item.applicant or None}
    if isinstance(d, RequestDecision):
        cell = (item.month, item.market, item.expense_type)
        params |= {"remaining": _money(d.remaining_before or 0), "approver": item.approved_by or "未填",
                   "approver_en": item.approved_by or "blank"}
    else:
        cell = d.cell or (f"{item.claim_date:%Y-%m}", who.market_of.get(item.applicant, ""), item.expense_type)
        limit = settings.budget.claim_without_request_max
        params |= {"request_no": item.request_no or "", "max": _money(limit), "accepted": _money(d.accepted),
                   "refused": _money(d.refused), "allowance": f"{1 + settings.budget.claim_tolerance:.2f}"}
    market = settings.market(cell[1])
    params |= {"month": cell[0], "market_zh": market.zh if market else cell[1] or "未知市场",
               "market_en": market.en if market else cell[1] or "an unknown market",
               "type_zh": labels.get(cell[2], (cell[2], cell[2]))[0],
               "type_en": labels.get(cell[2], (cell[2], cell[2]))[1]}
    return finding(d.rule, **{**at(CELL_OF[d.rule]), **params})


def _pop(places: dict[tuple[int, str, str], deque[Where]], sent: Sent, form: str) -> Where | None:
    number = sent.values["request_no" if form == REQUESTS else "claim_no"]
    queue = places.get((sent.input_id or 0, form, str(number)))
    return queue.popleft() if queue else None


def policy(settings: Settings) -> BudgetPolicy:
    """rules.toml [budget] as the rules take it."""
    return BudgetPolicy(**asdict(settings.budget))
