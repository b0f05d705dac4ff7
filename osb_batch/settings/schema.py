"""The whole of rules.toml: :class:`Settings`, one field per top-level table, in file order.

A field with a section class as its factory is a one-table section; a tuple field holds the
per-market tables. :data:`SECTIONS` and :data:`TOP_LEVEL` are derived from these fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from zoneinfo import ZoneInfo

from osb_batch.catalogue import Choice

from . import sections
from .checks import norm
from .markets import Market, Roles


@dataclass(frozen=True, slots=True)
class Settings:
    general: sections.General = field(default_factory=sections.General)
    intake: sections.Intake = field(default_factory=sections.Intake)
    markets: tuple[Market, ...] = ()
    slt: sections.Slt = field(default_factory=sections.Slt)
    qc: sections.Qc = field(default_factory=sections.Qc)
    quota: sections.Quota = field(default_factory=sections.Quota)
    credit: sections.Credit = field(default_factory=sections.Credit)
    ma: sections.Ma = field(default_factory=sections.Ma)
    deadlines: sections.Deadlines = field(default_factory=sections.Deadlines)
    receivables: sections.Receivables = field(default_factory=sections.Receivables)
    reconciliation: sections.Reconciliation = field(default_factory=sections.Reconciliation)
    calendar: sections.Calendar = field(default_factory=sections.Calendar)
    roles: tuple[Roles, ...] = ()           # one per market, in the order of ``markets``
    people: sections.People = field(default_factory=sections.People)
    credit_grade: sections.CreditGrade = field(default_factory=sections.CreditGrade)
    credit_limits: sections.CreditLimits = field(default_factory=sections.CreditLimits)
    budget: sections.Budget = field(default_factory=sections.Budget)
    reports: sections.Reports = field(default_factory=sections.Reports)
    reporting: sections.Reporting = field(default_factory=sections.Reporting)
    workflows: sections.Workflows = field(default_factory=sections.Workflows)
    delivery: sections.Delivery = field(default_factory=sections.Delivery)
    mail: sections.Mail = field(default_factory=sections.Mail)
    ledger: sections.Ledger = field(default_factory=sections.Ledger)

    def market(self, label: object) -> Market | None:
        """The market named by its code, Chinese (simplified or traditional) or English name."""
        if not isinstance(label, str) or not label.strip():
            return None
        key = norm(label)
        return next((m for m in self.markets if key in (norm(m.code), norm(m.zh), norm(m.en))), None)

    def roles_of(self, market: object) -> Roles | None:
        """CSR, SCR and BCR of the market named by ``market`` (any label), or None if it is unknown."""
        found = self.market(market)
        return next((r for r in self.roles if found and r.code == found.code), None)

    def market_choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(key=m.code, zh=m.zh, en=m.en) for m in self.markets)

    def region_known(self, market: str | None, region: str) -> bool:
        """Whether ``region`` belongs to ``market`` (any label); to any market if that is unknown."""
        return self.region_named(market, region) is not None

    def region_named(self, market: str | None, region: str) -> str | None:
        """The configured spelling of ``region`` in ``market`` (any label; any market if that is
        unknown): ``河南省`` -> ``河南``; None when it does not belong."""
        found = self.market(market)
        markets = (found,) if found else sorted(self.markets, key=lambda m: not m.regions)   # any-region last
        return next((n for m in markets if (n := m.region_named(region))), None)

    def today(self) -> dt.date:
        return dt.datetime.now(ZoneInfo(self.general.timezone)).date()


SECTIONS: Mapping[str, type] = {f.name: f.default_factory for f in fields(Settings)
                                if f.default_factory is not MISSING}
TOP_LEVEL: tuple[str, ...] = tuple(f.name for f in fields(Settings))
