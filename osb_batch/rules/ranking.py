"""Achievement and ranking: actual ÷ target, and competition ranks with the unranked after.

Achievement is none where the target is missing or 0. Ranks go by achievement, highest first;
equal achievements share a rank and the ranks they took are skipped (1, 2, 2, 4). Those without
an achievement are not ranked: they follow the ranked, by amount, largest first. Lists are ranked
as a whole (nationally) or within groups (the people of a role within their market).
Pure: values in, values out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Standing", "achievement", "rank", "rank_within"]

RATIO = Decimal("0.0001")


def achievement(actual: Decimal, target: Decimal | None) -> Decimal | None:
    """``actual`` ÷ ``target`` to four places (half up); None where the target is missing or 0."""
    if target is None or target == 0:
        return None
    return (Decimal(actual) / Decimal(target)).quantize(RATIO, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Standing:
    """One entry of a ranked list: what it is, its amount and target, achievement and rank."""

    key: Hashable
    amount: Decimal
    target: Decimal | None
    achievement: Decimal | None
    rank: int | None


def rank(entries: Iterable[tuple[Hashable, Decimal, Decimal | None]]) -> tuple[Standing, ...]:
    """``(key, amount, target)`` entries in ranked order, each with its achievement and rank.

    Equal achievements share a rank (1, 2, 2, 4) and are listed by amount, then key; the entries
    without achievement follow unranked, by amount descending, then key.
    """
    scored = [(key, amount, target, achievement(amount, target)) for key, amount, target in entries]
    ranked = sorted((e for e in scored if e[3] is not None), key=lambda e: (-e[3], -e[1], str(e[0])))
    unranked = sorted((e for e in scored if e[3] is None), key=lambda e: (-e[1], str(e[0])))
    standings: list[Standing] = []
    for position, (key, amount, target, ratio) in enumerate(ranked, start=1):
        shared = standings and standings[-1].achievement == ratio
        standings.append(Standing(key, amount, target, ratio, standings[-1].rank if shared else position))
    standings += [Standing(key, amount, target, None, None) for key, amount, target, _ in unranked]
    return tuple(standings)


def rank_within(entries: Iterable[tuple[Hashable, Decimal, Decimal | None]],
                group: Callable[[Hashable], Hashable]) -> dict[Hashable, Standing]:
    """Each entry's standing within its ``group(key)`` (the people of a role in one market, say)."""
    groups: dict[Hashable, list[tuple[Hashable, Decimal, Decimal | None]]] = defaultdict(list)
    for entry in entries:
        groups[group(entry[0])].append(entry)
    return {standing.key: standing for members in groups.values() for standing in rank(members)}
