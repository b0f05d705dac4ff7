"""The due notation of rules.toml: what people may write, and what they are told when it is wrong."""

from __future__ import annotations

import pytest

from osb_batch.due_notation import Due, parse_due


@pytest.mark.parametrize("text, due", [
    ("周六 12:00", Due("weekday", 5, 12, 0)),
    ("sat 12:00", Due("weekday", 5, 12, 0)),
    ("Saturday 12:00", Due("weekday", 5, 12, 0)),
    ("星期一 10:00", Due("weekday", 0, 10, 0)),
    ("周日 9:30", Due("weekday", 6, 9, 30)),
    ("周天 9:30", Due("weekday", 6, 9, 30)),
    (" MON  10:00 ", Due("weekday", 0, 10, 0)),
    ("周一 10：00", Due("weekday", 0, 10, 0)),            # a full-width colon
    ("第1个工作日 18:00", Due("workday", 1, 18, 0)),
    ("第3工作日 18:00", Due("workday", 3, 18, 0)),
    ("workday 5 18:00", Due("workday", 5, 18, 0)),
    ("working day 2 08:15", Due("workday", 2, 8, 15)),
    ("25日 18:00", Due("day", 25, 18, 0)),
    ("25号 18:00", Due("day", 25, 18, 0)),
    ("day 25 18:00", Due("day", 25, 18, 0)),
    ("day 31 23:59", Due("day", 31, 23, 59)),
])
def test_a_due_written_in_either_language_is_read(text, due):
    assert parse_due(text) == due


@pytest.mark.parametrize("text, words", [
    ("周六", "no time of day"),
    ("sat 24:00", "no time of day"),
    ("sat 12:60", "no time of day"),
    ("someday 12:00", "names no day"),
    ("周八 12:00", "names no day"),
    ("workday 0 18:00", "out of range (1-20)"),
    ("第21个工作日 18:00", "out of range (1-20)"),
    ("day 32 18:00", "out of range (1-31)"),
    ("0日 18:00", "out of range (1-31)"),
])
def test_a_due_that_cannot_be_read_says_what_is_accepted(text, words):
    with pytest.raises(ValueError) as caught:
        parse_due(text)
    message = str(caught.value)
    assert words in message and text in message
    assert '"sat 12:00"' in message and '"workday 1 18:00"' in message and '"day 25 18:00"' in message


@pytest.mark.parametrize("text, cycle, fits", [
    ("sat 12:00", "weekly", True),
    ("sat 12:00", "monthly", False),
    ("workday 1 18:00", "weekly", True),
    ("workday 1 18:00", "quarterly", True),
    ("day 25 18:00", "monthly", True),
    ("day 25 18:00", "quarterly", True),
    ("day 25 18:00", "weekly", False),
])
def test_a_due_fits_the_cycles_it_can_name_a_day_of(text, cycle, fits):
    assert (parse_due(text).misfit(cycle) is None) is fits
