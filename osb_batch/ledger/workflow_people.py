"""The people of the followed workflows: who a chain's ``responsible`` names, and to whom an
overdue item escalates (UM -> MM -> the market's SLT signer), from the roster as it stood on a
day, the customers' KAM and UM, and the market's clerks and signer in rules.toml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from osb_batch.rules.management_records import Person
from osb_batch.settings import Settings

from .database import Ledger
from .roster import roster_on
from .workflow_items import customer_people

__all__ = ["Directory", "directory"]

ROLE_KEYS = {"SCR": "scr", "BCR": "bcr", "CSR": "csr"}


def directory(ledger: Ledger, settings: Settings, day: dt.date) -> Directory:
    """The workflows' people as of ``day``."""
    return Directory(settings, customer_people(ledger), roster_on(ledger, day))


class Directory:
    """Who a chain's ``responsible`` names, and to whom an overdue item escalates."""

    def __init__(self, settings: Settings, customers: Mapping[str, dict], roster: list[Person]):
        self.settings, self.customers = settings, customers
        self.roster = {p.name: p for p in roster if p.active}

    def market(self, values: Mapping[str, Any]) -> str | None:
        customer = self.customers.get(str(values.get("customer_code")), {})
        found = self.settings.market(customer.get("market") or _text(values.get("market")))
        return found.code if found else None

    def responsible(self, candidate: str, values: Mapping[str, Any]) -> str | None:
        if candidate.islower():
            return _text(values.get(candidate)) or None
        customer = self.customers.get(str(values.get("customer_code")), {})
        if candidate in ("KAM", "UM"):
            return customer.get(candidate)
        if candidate == "SSG":
            return self.settings.people.secretaries[0]
        market = self.market(values)
        if candidate == "MM":
            return self._holder("MM", market)
        roles = self.settings.roles_of(market) if market else None
        return getattr(roles, ROLE_KEYS[candidate]) if roles and candidate in ROLE_KEYS else None

    def _holder(self, role: str, market: str | None, region: str | None = None) -> str | None:
        return next((p.name for p in self.roster.values() if p.role == role and p.market == market
                     and (region is None or p.region == region)), None)

    def signer(self, market: str | None) -> str | None:
        found = self.settings.market(market) if market else None
        return getattr(self.settings.slt, found.signer) if found else None

    def manager_of(self, person: str, values: Mapping[str, Any]) -> str | None:
        """UM over a KAM or SR (the roster's, else the customer's), MM over a UM, the SLT signer over an MM;
        over anyone else (the market's clerks): the MM, else the signer."""
        market = self.market(values)
        who = self.roster.get(person)
        role = who.role if who else ("KAM" if person == self.responsible("KAM", values) else
                                     "UM" if person == self.responsible("UM", values) else "")
        if role in ("KAM", "SR"):
            um = self._holder("UM", who.market, who.region) if who else None
            return um or self.responsible("UM", values) or self._holder("MM", market) or self.signer(market)
        if role == "UM":
            return self._holder("MM", (who.market if who else None) or market) or self.signer(market)
        return (self._holder("MM", market) if role != "MM" else None) or self.signer(market)

    def reviewers(self, values: Mapping[str, Any]) -> set[str]:
        """Who may review a return or approve a quote: the customer's UM, the market's MM, the SLT."""
        slt = self.settings.slt
        named = {self.responsible("UM", values), self.responsible("MM", values), slt.gm, slt.director, slt.deputy}
        return {n for n in named if n} | {p.name for p in self.roster.values() if p.role == "SLT"}


def _text(value: object) -> str:
    return value.zh if hasattr(value, "zh") else ("" if value is None else str(value))


def _text(value: object) -> str:
    return value.zh if hasattr(value, "zh") else ("" if value is None else str(value))
