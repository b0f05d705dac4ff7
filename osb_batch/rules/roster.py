"""What a roster row must name for its role (management.md): a market for MM, UM, KAM and SR,
and a region for a UM. Pure: the ledger applies the staff form, this decides what is missing."""

from __future__ import annotations

from .management_records import MARKET_ROLES

#: role -> the fields a roster row of that role must fill
SCOPE_FIELDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(MARKET_ROLES, ("market",)),
    "UM": ("market", "region"),
}


def missing_scope(role: str, market: str | None, region: str | None) -> list[str]:
    """The scope fields (``market``, ``region``) a row of ``role`` leaves blank but must fill."""
    filled = {"market": market, "region": region}
    return [key for key in SCOPE_FIELDS.get(role, ()) if not filled[key]]
