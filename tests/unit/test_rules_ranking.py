"""Achievement (actual ÷ target) and competition ranking with the unranked after."""

from __future__ import annotations

from decimal import Decimal

import pytest

from osb_batch.rules.ranking import achievement, rank, rank_within

D = Decimal


@pytest.mark.parametrize("actual, target, expected", [
    ("95", "100", "0.9500"),
    ("1", "3", "0.3333"),
    ("2", "3", "0.6667"),
    ("0", "100", "0.0000"),
    ("-5", "100", "-0.0500"),
    ("100", "0", None),
    ("100", None, None),
])
def test_achievement_is_actual_over_target_to_four_places_and_none_without_a_target(actual, target, expected):
    result = achievement(D(actual), None if target is None else D(target))
    assert result == (None if expected is None else D(expected))
    if result is not None:
        assert result.as_tuple().exponent == -4


@pytest.mark.parametrize("entries, expected", [
    ([("a", "90", "100"), ("b", "80", "100"), ("c", "80", "100"), ("d", "70", "100")],
     [("a", 1), ("b", 2), ("c", 2), ("d", 4)]),
    ([("a", "50", "100"), ("b", "100", "200"), ("c", "300", "100")],        # a and b tie at 0.5
     [("c", 1), ("b", 2), ("a", 2)]),
    ([("x", "500", None), ("a", "10", "100"), ("y", "900", "0"), ("z", "100", None)],
     [("a", 1), ("y", None), ("x", None), ("z", None)]),                  # unranked by amount
    ([("a", "1", "3"), ("b", "1.00001", "3")], [("b", 1), ("a", 1)]),     # equal to four places
    ([], []),
])
def test_ranks_are_shared_by_equal_achievements_and_skip_the_next(entries, expected):
    standings = rank((key, D(amount), None if target is None else D(target))
                     for key, amount, target in entries)
    assert [(s.key, s.rank) for s in standings] == expected


def test_ranks_within_a_group_start_again_at_one():
    entries = [(("E", "a"), D(90), D(100)), (("E", "b"), D(95), D(100)), (("N", "c"), D(10), D(100))]
    within = rank_within(entries, group=lambda key: key[0])
    assert {key: s.rank for key, s in within.items()} == {("E", "a"): 2, ("E", "b"): 1, ("N", "c"): 1}
