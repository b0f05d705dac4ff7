"""The ``due`` of a reporting duty as people write it in rules.toml: a day of the period and a time.

One grammar, in Chinese or English, a day then ``HH:MM``::

    周六 12:00          sat 12:00           a day of the week (周一…周日 / 星期一…星期日; mon…sun, monday…sunday)
    第3个工作日 18:00    workday 3 18:00     the n-th working day of the period (1–20)
    25日 18:00          day 25 18:00        the n-th day of the month (1–31; the last day in a shorter
                                            month; a quarter's: of its first month)

A day of the week is for weekly duties only, a day of the month for monthly and quarterly ones.
Which period the day lies in is the duty's ``covers``: the covered period itself (``this``), the
one after it (``previous``: the report of last week is due this Monday) or the one before it
(``next``: next week's plan is due this Saturday).

Pure: no files, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ACCEPTED", "Due", "parse_due"]

ACCEPTED = ('write a day and a time, e.g. "周六 12:00" or "sat 12:00" (a day of the week), '
            '"第1个工作日 18:00" or "workday 1 18:00" (the n-th working day, 1-20), '
            '"25日 18:00" or "day 25 18:00" (the n-th day of the month, 1-31)')

_WEEKDAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAYS_ZH = "一二三四五六日"
_FULL_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"(.*?)\s*(\d{1,2}):(\d{2})")
_FORMS = (
    ("workday", re.compile(r"(?:workday|working day)\s*(\d{1,2})|第\s*(\d{1,2})\s*个?工作日")),
    ("day", re.compile(r"day\s*(\d{1,2})|(\d{1,2})\s*[日号]")),
)
_LIMITS = {"workday": 20, "day": 31}
CYCLES = {"weekday": ("weekly",), "workday": ("weekly", "monthly", "quarterly"), "day": ("monthly", "quarterly")}
_KIND_NAME = {"weekday": "a day of the week", "workday": "a working day", "day": "a day of the month"}


@dataclass(frozen=True, slots=True)
class Due:
    """A parsed due: ``kind`` (weekday | workday | day), ``n`` (0 = Monday for a weekday, else from 1),
    and the time of day."""

    kind: str
    n: int
    hour: int
    minute: int

    def misfit(self, cycle: str) -> str | None:
        """What is wrong with this due for a duty of ``cycle``, or None."""
        if cycle in CYCLES[self.kind]:
            return None
        return f"{_KIND_NAME[self.kind]} does not fit a {cycle} duty (it fits {' or '.join(CYCLES[self.kind])})"


def parse_due(text: str) -> Due:
    """The :class:`Due` ``text`` writes; ValueError saying what is accepted when it writes none."""
    cleaned = re.sub(r"\s+", " ", str(text).replace("：", ":").strip()).casefold()
    time = _TIME.fullmatch(cleaned)
    if not time or int(time[2]) > 23 or int(time[3]) > 59:
        raise ValueError(f'"{text}" has no time of day as HH:MM (00:00-23:59); {ACCEPTED}')
    day = time[1].strip()
    found = _weekday(day)
    if found is not None:
        return Due("weekday", found, int(time[2]), int(time[3]))
    for kind, pattern in _FORMS:
        if match := pattern.fullmatch(day):
            n = int(match[1] or match[2])
            if not 1 <= n <= _LIMITS[kind]:
                raise ValueError(f'"{text}": {n} is out of range (1-{_LIMITS[kind]}); {ACCEPTED}')
            return Due(kind, n, int(time[2]), int(time[3]))
    raise ValueError(f'"{text}" names no day; {ACCEPTED}')


def _weekday(day: str) -> int | None:
    if day in _WEEKDAYS_EN:
        return _WEEKDAYS_EN.index(day)
    if day in _FULL_EN:
        return _FULL_EN.index(day)
    match = re.fullmatch(r"(?:周|星期|礼拜)([一二三四五六日天])", day)
    return _WEEKDAYS_ZH.index(match[1].replace("天", "日")) if match else None
