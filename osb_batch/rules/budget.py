"""营销费用: the marketing budget loop (management.md "The marketing budget loop").

:func:`apply` takes expense requests and claims in date order (request date, claim date; on one
day requests first, then by number), each seeing the budget as the earlier ones left it. A budget
cell is (month, market, expense type)::

    remaining = budget - committed - claimed

where committed is what approved requests have not claimed yet and claimed is every accepted
claim of the cell. :mod:`.budget_report` turns the result into the execution table, the stale
requests and the evaluation.

Requests: refused without a budget row for their cell; not approved (so not counted) unless
``approved_by`` names the market's MM or an SLT member; beyond the remaining budget they are
``over-budget`` and stand only with an SLT approval. A request's month is its planned date's,
else its request date's.

Claims: a claim number seen before is a duplicate, applied once. A claim naming a standing request
goes to the request's cell; what it brings above request × (1 + ``claim_tolerance``), less what
earlier claims of the request took, is refused. A claim without one (or naming a request that does
not stand) goes to its applicant's market, the claim date's month and its own type, and is refused
unless its amount is at most ``claim_without_request_max``.

The daily run decides what arrives and keeps each decision: :func:`resume` rebuilds the state the
kept decisions leave (without deciding them again), and :func:`apply` continues from it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .signers import name_key, signer

ZERO = Decimal(0)
Cell = tuple[str, str, str]             # (month YYYY-MM, market, expense type)

#: statuses of a request and of a claim
APPROVED, OVER_BUDGET, UNAPPROVED, REFUSED = "approved", "over_budget", "unapproved", "refused"
ACCEPTED, PARTLY, DUPLICATE = "accepted", "partly_refused", "duplicate"


@dataclass(frozen=True, slots=True)
class BudgetPolicy:
    """rules.toml [budget]."""

    claim_tolerance: Decimal
    claim_without_request_max: Decimal
    stale_days: int
    evaluation_days: int


@dataclass(frozen=True, slots=True)
class Request:
    """An ``expense_request`` row (market and expense type as their keys)."""

    request_no: str
    request_date: dt.date
    applicant: str
    market: str
    expense_type: str
    amount: Decimal
    planned_date: dt.date | None = None
    approved_by: str | None = None
    customer_code: str | None = None

    @property
    def month(self) -> str:
        return f"{self.planned_date or self.request_date:%Y-%m}"


@dataclass(frozen=True, slots=True)
class Claim:
    """An ``expense_claim`` row."""

    claim_no: str
    claim_date: dt.date
    applicant: str
    expense_type: str
    amount: Decimal
    request_no: str | None = None


@dataclass(frozen=True, slots=True)
class Approvers:
    """Who may approve: each market's MMs (names), the SLT (every name -> member, as for
    :func:`.signers.signer`), each person's market (for a claim without a request), and the
    secretaries who may sign on an SLT member's behalf."""

    mm: Mapping[str, Iterable[str]]
    slt: Mapping[str, str]
    market_of: Mapping[str, str] = field(default_factory=dict)
    secretaries: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestDecision:
    request: Request
    status: str                 # approved | over_budget | unapproved | refused
    rule: str                   # message slug; "" when approved within the budget
    remaining_before: Decimal | None
    by_slt: bool = False

    @property
    def stands(self) -> bool:
        return self.status in (APPROVED, OVER_BUDGET)


@dataclass(frozen=True, slots=True)
class ClaimDecision:
    claim: Claim
    status: str                 # accepted | partly_refused | refused | duplicate
    rule: str
    cell: Cell | None
    accepted: Decimal
    refused: Decimal


@dataclass(slots=True)
class Budget:
    """The state after :func:`apply`: per cell what is budgeted, committed, claimed; every decision."""

    budget: Mapping[Cell, Decimal]
    committed: dict[Cell, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    claimed: dict[Cell, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    requests: list[RequestDecision] = field(default_factory=list)
    claims: list[ClaimDecision] = field(default_factory=list)
    claimed_of: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))   # by request_no

    def remaining(self, cell: Cell) -> Decimal:
        return self.budget.get(cell, ZERO) - self.committed[cell] - self.claimed[cell]


def approval(request: Request, approvers: Approvers) -> str | None:
    """``slt`` or ``mm`` when ``approved_by`` names an SLT member or the market's MM, else None."""
    if signer(request.approved_by, approvers.slt, approvers.secretaries) is not None:
        return "slt"
    written = name_key(request.approved_by)
    if written and any(name_key(n) == written for n in approvers.mm.get(request.market, ())):
        return "mm"
    return None


def _take_request(state: Budget, r: Request, approvers: Approvers) -> RequestDecision:
    cell = (r.month, r.market, r.expense_type)
    if cell not in state.budget:
        return RequestDecision(r, REFUSED, "budget-no-row", None)
    who = approval(r, approvers)
    remaining = state.remaining(cell)
    if who is None:
        return RequestDecision(r, UNAPPROVED, "budget-request-unapproved", remaining)
    if r.amount > remaining and who != "slt":
        return RequestDecision(r, REFUSED, "budget-over-refused", remaining)
    state.committed[cell] += r.amount
    if r.amount > remaining:
        return RequestDecision(r, OVER_BUDGET, "budget-over-approved", remaining, by_slt=True)
    return RequestDecision(r, APPROVED, "", remaining, by_slt=who == "slt")


def _take_claim(state: Budget, c: Claim, standing: Mapping[str, RequestDecision], approvers: Approvers,
                policy: BudgetPolicy) -> ClaimDecision:
    found = standing.get(c.request_no or "")
    if found is None:
        market = approvers.market_of.get(c.applicant)
        cell = (f"{c.claim_date:%Y-%m}", market or "", c.expense_type)
        if market is None or cell not in state.budget:
            return ClaimDecision(c, REFUSED, "budget-no-row", None, ZERO, c.amount)
        if c.amount > policy.claim_without_request_max:
            rule = "budget-claim-no-request" if not c.request_no else "budget-claim-request-not-standing"
            return ClaimDecision(c, REFUSED, rule, cell, ZERO, c.amount)
        state.claimed[cell] += c.amount
        return ClaimDecision(c, ACCEPTED, "", cell, c.amount, ZERO)
    r = found.request
    cell = (r.month, r.market, r.expense_type)
    cap = r.amount * (1 + policy.claim_tolerance) - state.claimed_of[r.request_no]
    accepted = max(min(c.amount, cap), ZERO)
    open_before = max(r.amount - state.claimed_of[r.request_no], ZERO)
    state.claimed_of[r.request_no] += accepted
    state.committed[cell] -= min(open_before, accepted)
    state.claimed[cell] += accepted
    if accepted < c.amount:
        return ClaimDecision(c, PARTLY if accepted else REFUSED, "budget-claim-over-request", cell,
                             accepted, c.amount - accepted)
    return ClaimDecision(c, ACCEPTED, "", cell, accepted, ZERO)


def apply(requests: Iterable[Request], claims: Iterable[Claim], budget: Mapping[Cell, Decimal],
          approvers: Approvers, *, as_of: dt.date | None = None, policy: BudgetPolicy,
          earlier: Budget | None = None) -> Budget:
    """Take every request and claim dated up to ``as_of`` in date order against ``budget``.

    Args:
        requests: the ``expense_request`` rows (market and expense type as keys).
        claims: the ``expense_claim`` rows, as submitted (a number twice is a duplicate).
        budget: the ``marketing_budget`` rows: (month, market, expense type) -> budget amount.
        approvers: the MMs of each market, the SLT, each person's market.
        as_of: leave out what is dated later (a report of a past month stays as it was).
        policy: the tolerances.
        earlier: the state decisions taken before left (:func:`resume`); it goes on from there
            (``budget`` is then its own): its standing requests may be claimed, its claim
            numbers are seen, and the new decisions are appended to its lists.
    """
    events: list[tuple] = [(r.request_date, 0, r.request_no, i, r) for i, r in enumerate(requests)]
    events += [(c.claim_date, 1, c.claim_no, i, c) for i, c in enumerate(claims)]
    state = earlier if earlier is not None else Budget(budget)
    standing = {d.request.request_no: d for d in state.requests if d.stands}
    seen = {(0, number) for number in standing} | {(1, d.claim.claim_no) for d in state.claims}
    for day, kind, number, _, item in sorted(events, key=lambda e: e[:4]):
        if as_of is not None and day > as_of:
            continue
        if (kind, number) in seen:
            if kind == 1:
                state.claims.append(ClaimDecision(item, DUPLICATE, "budget-claim-duplicate", None, ZERO, ZERO))
            continue
        seen.add((kind, number))
        if kind == 0:
            decision = _take_request(state, item, approvers)
            state.requests.append(decision)
            if decision.stands:
                standing[item.request_no] = decision
        else:
            state.claims.append(_take_claim(state, item, standing, approvers, policy))
    return state


def in_order(requests: Iterable[RequestDecision], claims: Iterable[ClaimDecision]) -> list[RequestDecision | ClaimDecision]:
    """The decisions of one :func:`apply` in the order it took them (date, requests first, number)."""
    marked = [((d.request.request_date, 0, d.request.request_no), d) for d in requests]
    marked += [((d.claim.claim_date, 1, d.claim.claim_no), d) for d in claims]
    return [d for _, d in sorted(marked, key=lambda pair: pair[0])]


def resume(budget: Mapping[Cell, Decimal], decisions: Iterable[RequestDecision | ClaimDecision], *,
           as_of: dt.date | None = None) -> Budget:
    """The state that decisions taken before leave against ``budget`` (the budget rows as they are
    now), without deciding anything again: a standing request commits its amount, an accepted
    claim of a request standing when it was taken moves what it takes from committed to claimed.

    Args:
        budget: (month, market, expense type) -> budget amount.
        decisions: the decisions :func:`apply` took, in the order it took them.
        as_of: leave out the decisions on what is dated later.
    """
    state = Budget(budget)
    standing: dict[str, Request] = {}
    for d in decisions:
        if isinstance(d, RequestDecision):
            if as_of is None or d.request.request_date <= as_of:
                state.requests.append(d)
                if d.stands:
                    standing[d.request.request_no] = d.request
                    state.committed[(d.request.month, d.request.market, d.request.expense_type)] += d.request.amount
        elif as_of is None or d.claim.claim_date <= as_of:
            state.claims.append(d)
            _resume_claim(state, d, standing.get(d.claim.request_no or ""))
    return state


def _resume_claim(state: Budget, d: ClaimDecision, request: Request | None) -> None:
    if d.cell is None or d.accepted <= 0:
        return
    if request is not None and d.cell == (request.month, request.market, request.expense_type):
        open_before = max(request.amount - state.claimed_of[request.request_no], ZERO)
        state.claimed_of[request.request_no] += d.accepted
        state.committed[d.cell] -= min(open_before, d.accepted)
    state.claimed[d.cell] += d.accepted
