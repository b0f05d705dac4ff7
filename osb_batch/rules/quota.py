"""AC, the quota check (配额检查): OP step 4 in domain.md, as a pure function.

Quotas are monthly quantities per product or per product group, at customer level and at
region level. For each line, in acceptance order::

    allowed = min(customer remaining, region remaining)
    remaining = quota + transfers in - transfers out - taken by earlier orders this month

A line within ``allowed`` passes; a larger one is CUT to ``max(allowed, 0)`` unless an SLT
over-quota approval exists for it, in which case it passes whole and the excess is recorded.
Either way what is granted is added to ``taken``, so the next line (of this order or a later
one) sees it.

Which quota row governs a line, at each level: the row for its product, else the row for its
product group. A level without such a row does not constrain the line as long as the other
level has one; only a line with no row at either level falls under ``QuotaPolicy.when_missing``
("unlimited", or "zero": the region gets a quota of 0 for the product, plus any transfers).
Quota transfers (配额调拨单) move region-level quota between regions; the caller passes only
transfers that were accepted (with the giving UM's consent).

An order whose every line is cut to nothing (:func:`fully_cut`) has nothing left to ship: it
ends at AC, rejected, and never reaches the credit check (README "Orders").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .qc import Reason, reason

CUSTOMER, REGION = "customer", "region"
WHEN_MISSING = ("unlimited", "zero")
PASS, CUT, OVER_QUOTA = "pass", "cut", "over_quota"
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class QuotaPolicy:
    when_missing: str

    def __post_init__(self) -> None:
        if self.when_missing not in WHEN_MISSING:
            raise ValueError(f"when_missing must be one of {WHEN_MISSING}, not {self.when_missing!r}")


@dataclass(frozen=True, slots=True)
class QuotaKey:
    """One quota row's key, as in the quotas form; ``customer_code`` is "" at region level."""

    month: str            # "YYYY-MM"
    level: str            # "customer" | "region"
    market: str
    region: str
    customer_code: str
    product_or_group: str


@dataclass(frozen=True, slots=True)
class Transfer:
    """An accepted region-to-region quota transfer of one product (the caller adds its group).

    It moves the region quota that governs the product in each region: the product's own row
    there, else its group's row.
    """

    month: str
    from_region: str
    to_region: str
    product_code: str
    product_group: str | None
    qty: Decimal


@dataclass(frozen=True, slots=True)
class QuotaLine:
    """One order line to allocate; ``month`` is the quota month the order counts against."""

    order_no: str
    line: int             # 0-based index in the order
    month: str
    market: str
    region: str
    customer_code: str
    product_code: str
    product_group: str | None
    qty: Decimal
    over_quota_approved: bool = False


@dataclass(frozen=True, slots=True)
class LineAllocation:
    """What AC decided for one line; ``allowed`` is None when nothing limits it."""

    order_no: str
    line: int
    status: str                 # "pass" | "cut" | "over_quota"
    requested: Decimal
    allowed: Decimal | None
    granted: Decimal            # what passes on to CC (and was added to ``taken``)
    cut: Decimal                # requested - granted
    over_quota: Decimal         # approved quantity beyond ``allowed``
    customer_key: QuotaKey | None
    region_key: QuotaKey | None
    quota_missing: bool = False  # no row at either level: ``when_missing`` decided

    def reason(self) -> Reason | None:
        """The finding to report for this line: a cut or an approved over-quota, else None."""
        if self.status == CUT:
            return reason("quota-cut", self.line, value=self.requested, allowed=max(self.allowed, ZERO),
                          cut=self.cut)
        if self.status == OVER_QUOTA:
            return reason("quota-over-approved", self.line, value=self.requested,
                          allowed=max(self.allowed, ZERO), over=self.over_quota)
        return None


Quotas = Mapping[QuotaKey, Decimal]
Taken = MutableMapping[QuotaKey, Decimal]


def allocate(lines: Iterable[QuotaLine], quotas: Quotas, transfers: Iterable[Transfer], taken: Taken,
             policy: QuotaPolicy) -> list[LineAllocation]:
    """Allocate ``lines`` (in acceptance order), adding what each is granted to ``taken``.

    ``taken`` maps a quota key to the quantity earlier orders of the month already took
    (rebuild it from the ledger with :func:`record`); it is updated in place, so a second
    order of the same customer in one run sees the first one's consumption.
    """
    transfers = tuple(transfers)
    return [_allocate_line(line, quotas, transfers, taken, policy) for line in lines]


def fully_cut(allocations: Sequence[LineAllocation]) -> Reason | None:
    """Why an order ends at AC: every one of its lines was cut to 0 (``quota-fully-cut``), else None.

    Such an order has nothing left to ship or to check credit for; it is rejected at once and its
    UM told, with the cut of each line (the lines' own ``quota-cut`` reasons).
    """
    if allocations and all(a.status == CUT and a.granted <= 0 for a in allocations):
        return reason("quota-fully-cut", None, lines=len(allocations),
                      cut=sum((a.cut for a in allocations), ZERO))
    return None


def keys_for(line: QuotaLine, quotas: Quotas, policy: QuotaPolicy) -> tuple[QuotaKey | None, QuotaKey | None]:
    """The (customer, region) quota keys that govern ``line``; None for a level that does not limit it."""
    return _keys(line, quotas, policy)[:2]


def _keys(line: QuotaLine, quotas: Quotas, policy: QuotaPolicy) -> tuple[QuotaKey | None, QuotaKey | None, bool]:
    """:func:`keys_for` plus whether neither level has a row (``when_missing`` decides)."""
    customer = _governing(line, CUSTOMER, line.region, quotas)
    region = _governing(line, REGION, line.region, quotas)
    missing = customer is None and region is None
    if missing and policy.when_missing == "zero":
        return None, _key(line, REGION, line.region, line.product_code), True
    return customer, region, missing


def record(taken: Taken, line: QuotaLine, granted: Decimal, quotas: Quotas, policy: QuotaPolicy) -> None:
    """Add ``granted`` of ``line`` to ``taken`` under the keys that govern it."""
    for key in keys_for(line, quotas, policy):
        if key is not None:
            taken[key] = taken.get(key, ZERO) + granted


def _allocate_line(line: QuotaLine, quotas: Quotas, transfers: tuple[Transfer, ...], taken: Taken,
                   policy: QuotaPolicy) -> LineAllocation:
    customer_key, region_key, missing = _keys(line, quotas, policy)
    remaining = [_remaining(key, quotas, transfers, taken) for key in (customer_key, region_key) if key]
    allowed = min(remaining) if remaining else None
    status, granted = PASS, line.qty
    if allowed is not None and line.qty > allowed:
        status = OVER_QUOTA if line.over_quota_approved else CUT
        granted = line.qty if line.over_quota_approved else max(allowed, ZERO)
    for key in (customer_key, region_key):
        if key is not None:
            taken[key] = taken.get(key, ZERO) + granted
    over = line.qty - max(allowed, ZERO) if status == OVER_QUOTA else ZERO
    return LineAllocation(line.order_no, line.line, status, line.qty, allowed, granted, line.qty - granted,
                          over, customer_key, region_key, missing)


def _key(line: QuotaLine, level: str, region: str, product_or_group: str) -> QuotaKey:
    customer = line.customer_code if level == CUSTOMER else ""
    return QuotaKey(line.month, level, line.market, region, customer, product_or_group)


def _governing(line: QuotaLine, level: str, region: str, quotas: Quotas) -> QuotaKey | None:
    """The product's own row at ``level``, else its group's row, else None."""
    for code in (line.product_code, line.product_group):
        if code:
            key = _key(line, level, region, code)
            if key in quotas:
                return key
    return None


def _remaining(key: QuotaKey, quotas: Quotas, transfers: tuple[Transfer, ...], taken: Taken) -> Decimal:
    moved = ZERO
    if key.level == REGION:
        for transfer in transfers:
            if _transfer_key(transfer, key, quotas) == key:
                moved += transfer.qty if transfer.to_region == key.region else -transfer.qty
    return quotas.get(key, ZERO) + moved - taken.get(key, ZERO)


def _transfer_key(transfer: Transfer, key: QuotaKey, quotas: Quotas) -> QuotaKey | None:
    """The region key the transfer moves quota in or out of, seen from ``key``'s region."""
    if transfer.month != key.month or key.region not in (transfer.from_region, transfer.to_region):
        return None
    probe = QuotaLine("", 0, key.month, key.market, key.region, "", transfer.product_code,
                      transfer.product_group, ZERO)
    return _governing(probe, REGION, key.region, quotas) or _key(probe, REGION, key.region,
                                                                  transfer.product_code)
