"""What receivables, the receipts pool and the reconciliation hand to their writers.

Like :mod:`osb_batch.writers.records`: plain typed records, money Decimal (two decimals), dates dates.
Writers format these and compute nothing but column totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class CustomerRef:
    code: str
    name: str
    market: str                 # market Chinese name
    region: str
    account_manager: str        # KAM
    unit_manager: str


@dataclass(frozen=True, slots=True)
class AgeingRow:
    """One customer's (or KAM's, or market's) ageing on the as-of date."""

    label: str                  # customer code, KAM name or market name
    name: str                   # customer name; "" for KAM and market rows
    account_manager: str        # "" for market rows
    market: str
    credit_limit: Decimal | None      # None for KAM and market rows
    open_amount: Decimal        # open debits
    unapplied: Decimal          # credit held (prepayment, unused returns), positive
    balance: Decimal            # open_amount - unapplied
    buckets: tuple[Decimal, ...]      # one per AgeingReport.bucket_labels
    overdue: Decimal            # open debits past due


@dataclass(frozen=True, slots=True)
class OverdueItem:
    account_manager: str
    customer_code: str
    customer_name: str
    doc_no: str
    doc_date: dt.date
    due_date: dt.date
    days_overdue: int
    amount: Decimal             # the document's amount
    open_amount: Decimal        # what is still open
    bucket: str                 # the ageing bucket label


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One line of a customer's receivables record (应收款记录), running balance per customer."""

    customer_code: str
    customer_name: str
    date: dt.date
    kind: str                   # opening | invoice | return | receipt | brought_forward
    doc_no: str
    reference: str              # the delivery note of an invoice, the original document of a return
    due_date: dt.date | None
    debit: Decimal              # adds to what the customer owes (0 when a credit)
    credit: Decimal             # positive; 0 when a debit
    balance: Decimal
    open_amount: Decimal | None     # debits: what is still open on the as-of date


@dataclass(frozen=True, slots=True)
class Replenishment:
    """One delivery note of the replenishment record (补货记录)."""

    customer_code: str
    customer_name: str
    note_no: str
    issued_on: dt.date
    order_no: str
    amount: Decimal
    shipped_at: dt.datetime | None
    invoice_nos: str            # ";"-joined, "" when not invoiced
    invoiced: Decimal
    state: str                  # the order's state (interface.md)


@dataclass(frozen=True, slots=True)
class ReceivablesReport:
    as_of: dt.date
    since: dt.date              # the record sheets start here (start of the reconciliation period)
    bucket_labels: tuple[str, ...]
    customers: tuple[AgeingRow, ...]
    kams: tuple[AgeingRow, ...]
    markets: tuple[AgeingRow, ...]
    overdue: tuple[OverdueItem, ...]
    entries: tuple[LedgerEntry, ...]
    replenishments: tuple[Replenishment, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    customer_code: str
    customer_name: str
    reason: str                 # in the run's language, e.g. "付款户名相似：上海浦东贸易" / "金额等于发票 INV-1 的未收金额"


@dataclass(frozen=True, slots=True)
class PoolReceipt:
    """An unmatched receipt in the receipts pool (到款池), with who probably paid it."""

    bank_ref: str
    receipt_date: dt.date
    payer_name: str
    amount: Decimal
    bank_account: str
    remark: str
    days_waiting: int
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class AppliedReceipt:
    """A receipt matched to a customer: how, what it paid, what is held as prepayment."""

    bank_ref: str
    receipt_date: dt.date
    payer_name: str
    amount: Decimal
    customer_code: str
    customer_name: str
    matched_by: str             # claim | remark | alias (words in the run's language)
    applied_to: str             # "INV-1 1,000.00；INV-2 500.00"
    applied: Decimal
    prepayment: Decimal


@dataclass(frozen=True, slots=True)
class PoolReport:
    as_of: dt.date
    unmatched: tuple[PoolReceipt, ...]
    matched: tuple[AppliedReceipt, ...]       # receipts matched in this run
    # money is conserved: total received = applied + prepayment + unmatched
    total_received: Decimal
    total_applied: Decimal
    total_prepayment: Decimal
    total_unmatched: Decimal


@dataclass(frozen=True, slots=True)
class StatementLine:
    date: dt.date
    kind: str                   # opening | invoice | return | receipt
    doc_no: str
    reference: str
    debit: Decimal
    credit: Decimal             # positive
    balance: Decimal


@dataclass(frozen=True, slots=True)
class StatementView:
    """One customer's statement of account (对账单) for a period."""

    period: str                 # 2026H1
    start: dt.date
    end: dt.date
    customer: CustomerRef
    address: str
    contact: str
    phone: str
    opening: Decimal
    lines: tuple[StatementLine, ...]
    debits: Decimal
    credits: Decimal
    closing: Decimal
    company: str                # our company's name (rules.toml general.company)
    reply_by: dt.date           # ask for the confirmation by this date


@dataclass(frozen=True, slots=True)
class DiffItem:
    """A document one side lacks, or matched with another date or amount."""

    customer_code: str
    side: str                   # ours | theirs | shifted | amount
    doc_no: str
    date: dt.date | None
    amount: Decimal             # signed as on the statement
    note: str                   # in the run's language


@dataclass(frozen=True, slots=True)
class ReconciliationRow:
    customer: CustomerRef
    opening: Decimal
    debits: Decimal
    credits: Decimal
    closing: Decimal            # ours
    confirmed: Decimal | None   # theirs; None: no reply
    difference: Decimal | None
    explained: Decimal
    unexplained: Decimal | None
    status: str                 # agreed | differs | no_reply
    signed_by: str
    note: str


@dataclass(frozen=True, slots=True)
class FinanceRow:
    """Sales against finance's own receivables export (销售 vs 财务)."""

    customer_code: str
    customer_name: str
    as_of: dt.date
    ours: Decimal | None        # None: a customer finance has and we do not
    finance: Decimal | None     # None: a customer we have and finance does not
    difference: Decimal


@dataclass(frozen=True, slots=True)
class ReconciliationReport:
    period: str
    start: dt.date
    end: dt.date
    rows: tuple[ReconciliationRow, ...]
    differences: tuple[DiffItem, ...]
    finance: tuple[FinanceRow, ...]           # empty when finance sent no export
    ledger_total: Decimal
    statements_total: Decimal
