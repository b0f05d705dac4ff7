"""The records the management cycle's rules read: people, plan rows, submissions and sales facts.

The ledger turns what it holds into these values; the rules (targets, rankings, the reporting
calendar, credit grades and limits, the budget) decide from them; the reports show the result.
One definition here, so that the ledger side and the rules side agree without importing each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

#: The roles of the roster (staff form 岗位), in the order reports list them.
ROLES: tuple[str, ...] = ("SLT", "SSG", "MM", "UM", "KAM", "SR")

#: Roles that belong to a market; a UM also to a region.
MARKET_ROLES: frozenset[str] = frozenset({"MM", "UM", "KAM", "SR"})


@dataclass(frozen=True, slots=True)
class Person:
    """One person of the sales force as the roster stood on some date."""

    name: str
    role: str                   # one of ROLES
    market: str | None          # market code (E, N, ...) for MM, UM, KAM, SR
    region: str | None          # for UM (and whoever the roster gives one)
    email: str | None
    phone: str | None
    active: bool
    since: dt.date              # effective from; the first full period after it is expected
    derived: bool = False       # True when there is no roster and it came from the customers master


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One row of a monthly, quarterly or annual plan: the target of the scope it names.

    ``period`` is the label of the plan's own period (``2026-11``, ``2026Q4``, ``2026``).
    A market row has region and product None; a region row has product None.
    """

    kind: str                   # month | quarter | year
    period: str
    market: str
    region: str | None
    product_code: str | None
    sales_target: Decimal
    qty_target: Decimal | None
    collection_target: Decimal | None
    new_customers: int | None
    owner: str


@dataclass(frozen=True, slots=True)
class Submission:
    """A report a person sent: the form, whose it is, which period it covers, when it arrived."""

    form: str
    person: str
    period: str                 # the label of the period its period column names (2026-W48, 2026-11)
    arrived_at: dt.datetime     # the file's arrival in the inbox (aware, Asia/Shanghai)
    input_id: int | None = None


#: The columns of the sales-facts frame (a pandas DataFrame, one row per document line) that the
#: ledger produces and the report figures aggregate. Money is integer cents (int64), never float.
#:
#: - ``kind``: ``sales`` (the basis: invoice lines less returns, or shipments, or accepted orders;
#:   a return is a sales row with negative qty and cents) or ``collection`` (a matched receipt)
#: - ``date``: the document's date (datetime64[ns], midnight)
#: - ``doc_no``, ``customer_code``, ``product_code`` (None for collection)
#: - ``market``, ``region``, ``kam``, ``um``: the customer's attribution on ``date``
#: - ``qty``: float64 quantity (0 for collection), ``cents``: int64
#: - ``order_no``: the order the line belongs to, where known (for counting orders)
FACT_COLUMNS: tuple[str, ...] = (
    "kind", "date", "doc_no", "customer_code", "product_code",
    "market", "region", "kam", "um", "qty", "cents", "order_no",
)
