"""销售合同登记: the register numbers ``HT-YYYYMM-NNN`` of a month's contracts (management.md).

A month's contracts (sign date in the month) are numbered in sign-date order, ties by contract
number. A number once given never changes: :func:`number` takes the numbers the ledger already
holds and only adds. When the month already has numbers, a contract arriving afterwards takes the
next free number and is marked late. Numbering the same input again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Contract:
    """A submitted contract: its own number and sign date (the ``contract_register`` row)."""

    contract_no: str
    sign_date: dt.date


@dataclass(frozen=True, slots=True)
class Registered:
    """A register number given to a contract; what :func:`number` returns and the ledger keeps."""

    contract_no: str
    sign_date: dt.date
    register_no: str
    late: bool = False
    new: bool = False           # given by this call (the ledger stores these)


def register_no(month: str, serial: int) -> str:
    """``2026-11``, 5 -> ``HT-202611-005``."""
    return f"HT-{month.replace('-', '')}-{serial:03d}"


def _serial(number: str, month: str) -> int | None:
    m = re.fullmatch(rf"HT-{month.replace('-', '')}-(\d+)", number)
    return int(m[1]) if m else None


def number(contracts: Iterable[Contract], given: Iterable[Registered], month: str) -> list[Registered]:
    """The month's register: the numbers already given, then new ones; ordered by register number.

    Args:
        contracts: every submitted contract (any sign date; only ``month``'s are numbered).
        given: every number the ledger holds (from earlier calls); a contract listed here keeps it.
        month: ``YYYY-MM``.
    """
    given = list(given)
    numbered = {g.contract_no for g in given}
    mine = [Registered(g.contract_no, g.sign_date, g.register_no, g.late) for g in given
            if _serial(g.register_no, month) is not None]
    serials = [_serial(g.register_no, month) for g in mine]
    late = bool(mine)
    fresh = sorted({c.contract_no: c for c in contracts
                    if f"{c.sign_date:%Y-%m}" == month and c.contract_no not in numbered}.values(),
                   key=lambda c: (c.sign_date, c.contract_no))
    nxt = max(serials, default=0) + 1
    for i, c in enumerate(fresh):
        mine.append(Registered(c.contract_no, c.sign_date, register_no(month, nxt + i), late=late, new=True))
    return sorted(mine, key=lambda r: _serial(r.register_no, month))
