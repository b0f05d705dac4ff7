"""The plain records the sales workbooks are written from (the report builds them, the writers only format).

``View.figures`` is a :class:`osb_batch.reports.sales_figures.SalesFigures` (its lines, markets,
regions, people, dealer products and dealers); ``View.trend`` the sales amount of each period
of ``Context.trend_labels``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: What a sale is, per ``[reports] sales_basis``, as the workbooks say it.
BASIS_TEXT = {"invoiced": ("开票", "invoiced"), "shipped": ("发货", "shipped"), "ordered": ("订单", "ordered")}


@dataclass(frozen=True, slots=True)
class Card:
    """A dealer as the workbooks show it beside its figures."""

    name: str
    grade: str | None
    credit_limit: Decimal | None


@dataclass(frozen=True, slots=True)
class Context:
    """What every sales workbook of one period shares."""

    kind: str                                        # week | month | quarter
    label: str                                       # 2026-W48, 2026-11, 2026Q4
    start: Any                                       # dt.date
    end: Any
    lang: str
    basis: str
    markets: Mapping[str, tuple[str, str]]           # market code -> (zh, en)
    cards: Mapping[str, Card]
    stock: Mapping[str, Decimal]                     # dealer -> closing stock sent back for the period
    derived: bool                                    # the people came from the customers master
    trend_labels: tuple[str, ...]

    def market(self, code: str | None) -> str:
        names = self.markets.get(code or "")
        return "" if not code else names[self.lang == "en"] if names else code


@dataclass(frozen=True, slots=True)
class View:
    figures: Any                                     # reports.sales_figures.SalesFigures
    trend: tuple[Decimal | None, ...]                # None: before the ledger's history


@dataclass(frozen=True, slots=True)
class Copy:
    """One person's scoped workbook: who, the scope's name for the file, the figures as the scope sees them."""

    person: str
    role: str
    label: str
    view: View
