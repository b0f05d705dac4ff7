"""Every business decision of the batch, as pure functions, listed in one registry (:data:`RULES`).

Each module is a set of pure functions over typed values: no files, no ledger, no settings.
Every threshold arrives as a small frozen policy dataclass (or a keyword), money is Decimal and
dates are :class:`datetime.date`; the daily run and the reports load the facts from the ledger,
call the entry point and store or show what it decided.

Every entry point has the same shape::

    decide(subjects, *facts, policy) -> decisions

``subjects`` are what is being decided (an order, order lines, receipts, documents), ``facts``
are what the ledger knows that the decision depends on, ``policy`` the thresholds (last, where
the rule has any), and the result is a value (reasons, allocations, a decision, a list of
releases or matches, an account). No rule touches a file or the database; the one argument
changed in place is quota's ``taken`` tally, so a run's next order sees what the last one took.
"""

from collections.abc import Callable
from dataclasses import dataclass

from osb_batch.rules import (
    budget,
    budget_report,
    chain_checks,
    chain_links,
    chains,
    contracts,
    credit,
    credit_grades,
    credit_limits,
    duties,
    duty_calendar,
    duty_matrix,
    prepayment,
    qc,
    quota,
    ranking,
    receipt_matching,
    receivables,
    recipients,
    roster,
    signers,
    targets,
)
from osb_batch.rules.credit import (
    COMMITTED_STATES,
    CreditDecision,
    CreditFacts,
    CreditOrder,
    CreditPolicy,
    RunningExposure,
    Standing,
    decide,
    decide_in_order,
)
from osb_batch.rules.qc import (
    CustomerFact,
    LineIn,
    OrderIn,
    ProductFact,
    QcPolicy,
    Reason,
    check_order,
    verdict,
)
from osb_batch.rules.quota import LineAllocation, QuotaKey, QuotaLine, QuotaPolicy, Transfer, allocate, record


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: its module's name, the step of domain.md it decides, and its entry point."""

    key: str
    step: str
    decide: Callable[..., object]


RULES: tuple[Rule, ...] = (
    Rule("qc", "OP 3 QC: is the order complete and correct", qc.check_order),
    Rule("quota", "OP 4 AC: how much of each line the monthly quotas grant", quota.allocate),
    Rule("credit", "OP 5 CC: which case of the credit decision table", credit.decide),
    Rule("prepayment", "OP 5 CC: which orders waiting for payment the prepayment now covers", prepayment.release),
    Rule("receipt_matching", "BC: which customer paid an unmatched receipt", receipt_matching.match),
    Rule("receivables", "BC: what each receipt and return settles, and what is open", receivables.settle),
    Rule("credit_grades", "SSG monthly: each customer's credit grade from its payments", credit_grades.grade),
    Rule("credit_limits", "SLT quarterly: the proposed credit limits", credit_limits.propose),
    Rule("budget", "Marketing budget: requests and claims against the remaining budget", budget.apply),
    Rule("budget_report", "Marketing budget: the execution table, month and year to date", budget_report.execution),
    Rule("signers", "Management forms: which SLT member an approved_by cell names", signers.signer),
    Rule("contracts", "SSG monthly: the contract register numbers", contracts.number),
    Rule("roster", "staff: the market and region a roster row's role must name", roster.missing_scope),
    Rule("targets", "PAE: the target of a scope, an owner or a person for a period", targets.Targets),
    Rule("ranking", "PAE: achievement and the ranked lists (1, 2, 2, 4; the unranked after)", ranking.rank),
    Rule("duty_calendar", "IES 催报: when the report of a period falls due", duty_calendar.due_time),
    Rule("duties", "IES 催报: who owes which report, on time, late or missing", duties.reminders),
    Rule("duty_matrix", "IES 上报情况: the month's people × reports and on-time rates", duty_matrix.monthly_matrix),
    Rule("chains", "Workflows: which items of each document chain are open, overdue or closed", chains.follow),
    Rule("chain_checks", "Workflows: the default chains' extra checks (the first: invoice amount against the "
         "request; the module holds one function per check)", chain_checks.invoice_amounts),
    Rule("recipients", "Delivery: who receives each output file", recipients.recipients),
    Rule("chain_links", "Workflows: the items one trail opens in another chain (exchanges, won leads)",
         chain_links.linked),
)

__all__ = [
    "RULES", "Rule",
    "COMMITTED_STATES", "CreditDecision", "CreditFacts", "CreditOrder", "CreditPolicy", "RunningExposure",
    "Standing", "decide", "decide_in_order",
    "CustomerFact", "LineIn", "OrderIn", "ProductFact", "QcPolicy", "Reason", "check_order", "verdict",
    "LineAllocation", "QuotaKey", "QuotaLine", "QuotaPolicy", "Transfer", "allocate", "record",
]
