"""How the figures write numbers: growth ratios, quantities, and the JSON's money and ratio strings."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from osb_batch.rules.ranking import RATIO

CENT = Decimal("0.01")


def growth(cents: int, before: int | None) -> Decimal | None:
    """amount ÷ before − 1 to four places (同比, 环比); None where there is nothing to compare with."""
    if not before:
        return None
    return (Decimal(cents) / Decimal(before) - 1).quantize(RATIO, ROUND_HALF_UP)


def quantity(value: float) -> Decimal:
    """A summed float quantity as a Decimal: whole numbers stay whole, fractions to six places at most."""
    whole = int(value)
    if whole == value:
        return Decimal(whole)
    return Decimal(repr(round(float(value), 6)))


def money(value: Decimal | None) -> str | None:
    """Two decimals, or None."""
    return None if value is None else str(value.quantize(CENT, ROUND_HALF_UP))


def ratio(value: Decimal | None) -> str | None:
    """Four decimals, or None."""
    return None if value is None else str(value.quantize(RATIO, ROUND_HALF_UP))
