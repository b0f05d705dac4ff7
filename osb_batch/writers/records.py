"""What the daily run hands to its writers: plain, typed records of what people read.

Writers only format these; they never query the ledger or apply a rule. Money is Decimal,
dates are dates, and every text is already in the language of the run where it is prose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Roles:
    csr: str
    scr: str
    bcr: str


@dataclass(frozen=True, slots=True)
class OrderLineView:
    product_code: str
    product_name: str
    spec: str
    unit: str
    qty: Decimal                 # after quota cuts
    unit_price: Decimal
    amount: Decimal
    cut_qty: Decimal = Decimal(0)   # what AC cut from the requested quantity


@dataclass(frozen=True, slots=True)
class OrderView:
    """One order as the order register (订单备忘录) shows it."""

    order_no: str
    order_date: dt.date
    accepted_on: dt.date
    customer_code: str
    customer_name: str
    market: str                  # market Chinese name
    region: str
    unit_manager: str
    account_manager: str
    amount: Decimal              # after cuts
    state: str                   # interface.md state
    case: str                    # credit case id, "" when CC did not run
    reasons: tuple[str, ...]     # every reason/decision in words, in order
    roles: Roles
    signer: str                  # SLT title who must sign (总经理/销售总监/销售副总监)
    lines: tuple[OrderLineView, ...] = ()
    source_file: str = ""


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    """One row of an SLT member's approval workbook (a pre-filled `approvals` form)."""

    order_no: str
    approval_type: str           # approvals.approval_type key: MA | over_limit | shortfall | ST | over_quota
    product_code: str            # for over_quota, else ""
    approver: str                # approvals.approver key: gm | director | deputy
    customer_code: str
    customer_name: str
    amount: Decimal
    credit_limit: Decimal | None     # None for a prepaid customer: it buys against prepayment
    exposure: Decimal | None
    over_pct: str                # e.g. "12.5%", "" when not over
    overdue: Decimal
    case: str
    deadline: dt.datetime
    prepayment: Decimal | None = None   # a prepaid customer's available prepayment
    shortfall: Decimal | None = None    # what the prepayment lacks for this order (0 when it covers it)
    lines: tuple[OrderLineView, ...] = ()   # what the order is: shown on the 订单明细 sheet


@dataclass(frozen=True, slots=True)
class DeliveryNote:
    """One delivery note (送货单): printed one per A4 page for finance."""

    note_no: str
    issued_on: dt.date
    order_no: str
    order_date: dt.date
    customer_code: str
    customer_name: str
    address: str
    contact: str
    phone: str
    station: str                 # shipping station (托运站)
    market: str
    roles: Roles
    lines: tuple[OrderLineView, ...]
    total_qty: Decimal
    total_amount: Decimal


@dataclass(frozen=True, slots=True)
class Notice:
    """One line of a UM's notice (区域通知): what happened to an order and what to do."""

    unit_manager: str
    order_no: str
    customer_code: str
    customer_name: str
    state: str
    what: str                    # what happened, in words
    todo: str                    # what the UM should do
    amount: Decimal              # the order's amount (after cuts)
    product_code: str = ""       # a quota cut: one notice per product cut
    ordered_qty: Decimal | None = None
    allowed_qty: Decimal | None = None
    cut_qty: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ProblemView:
    """One entry of the OSB problem log (OSB问题记录表)."""

    problem_no: int
    opened_on: dt.date
    area: str                    # OP | SP | BC
    order_no: str
    note_no: str
    responsible: str             # SSG | SLT | warehouse | finance, or a signer's title
    what: str
    status: str                  # open | resolved
    explanation: str = ""
    resolved_by: str = ""
    resolved_at: dt.datetime | None = None
    rule: str = ""                               # its deadline rule (op-same-day, st-deadline, sp-48h)
    params: tuple[tuple[str, str], ...] = ()     # what ``what`` says, to say it in another language


@dataclass(frozen=True, slots=True)
class KpiFigure:
    """One KPI for one month: value against target (ratios as Decimal 0..1)."""

    month: str                   # "2026-11"
    key: str                     # op_same_day | sp_24h | sp_accuracy | bc_5day
    name: str                    # Chinese name
    numerator: Decimal
    denominator: Decimal
    target: Decimal

    @property
    def value(self) -> Decimal | None:
        return None if not self.denominator else self.numerator / self.denominator

    @property
    def met(self) -> bool | None:
        v = self.value
        return None if v is None else v >= self.target


STATE_COUNT = "state:"      # RunSummary.counts: the key of the count of orders in a state


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What the HTML summary of a run shows: counts by key (``STATE_COUNT`` + an order state for the
    orders in that state), outputs as (form key, relative path); the writer words them."""

    business_date: dt.date
    run: int
    counts: dict[str, int]
    waiting_by_signer: dict[str, int]
    open_problems: int
    outputs: list[tuple[str, str]] = field(default_factory=list)   # (form key or label, relative path)
    notes: list[str] = field(default_factory=list)
