"""The pure business rules of the daily order run: QC, AC (quotas) and CC (credit).

Each module is a set of pure functions over typed values: no files, no ledger, no settings.
Every threshold arrives as a small frozen policy dataclass, money is Decimal and dates are
:class:`datetime.date`; the run wires them to the ledger and rules.toml.
"""

from osb_batch.rules.credit import (
    COMMITTED_STATES,
    CreditDecision,
    CreditFacts,
    CreditOrder,
    CreditPolicy,
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

__all__ = [
    "COMMITTED_STATES", "CreditDecision", "CreditFacts", "CreditOrder", "CreditPolicy", "Standing",
    "decide", "decide_in_order",
    "CustomerFact", "LineIn", "OrderIn", "ProductFact", "QcPolicy", "Reason", "check_order", "verdict",
    "LineAllocation", "QuotaKey", "QuotaLine", "QuotaPolicy", "Transfer", "allocate", "record",
]
