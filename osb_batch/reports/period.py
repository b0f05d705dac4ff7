"""The period a report covers: a kind, the label people write, its first and last day.

Kinds: ``day`` (a business date, ``2026-11-26``: the outputs of every daily run) and
``half_year`` (``2026H1``: the reconciliation, with the first half ending where
``[reconciliation] period_ends`` says).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from osb_batch.settings import Settings


@dataclass(frozen=True, slots=True)
class Period:
    kind: str                   # day | half_year
    label: str                  # as in folder and file names: 2026-11-26, 2026H1
    start: dt.date
    end: dt.date


def day(date: dt.date) -> Period:
    """The one-day period of a business date."""
    return Period("day", date.isoformat(), date, date)


def half_year(label: str, settings: Settings) -> Period | None:
    """``2026H1`` or ``2026h2`` (spaces around it ignored); None when ``label`` is not a half year."""
    text = label.strip().upper()
    dates = settings.reconciliation.period(text)
    return None if dates is None else Period("half_year", text, *dates)


#: How a label given on the command line is read, per kind of period.
PARSERS: dict[str, Callable[[str, Settings], Period | None]] = {"half_year": half_year}


def parse(kind: str, label: str, settings: Settings) -> Period | None:
    """The period of ``kind`` that ``label`` names, or None when it names none."""
    return PARSERS[kind](label, settings)
