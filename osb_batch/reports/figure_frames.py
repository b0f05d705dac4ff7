"""The pandas side of the figures: the facts frame prepared once, cut into windows, summed to dicts.

Sums are of the int64 ``cents`` column (exact) or of ``qty``; group keys come back as tuples with
None where the fact had none. Money leaves as Decimal yuan (:func:`cents_to_yuan`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from osb_batch.rules.management_records import FACT_COLUMNS

#: The text columns facts are grouped by; None there is kept apart as "" while grouping.
KEY_COLUMNS = ("market", "region", "kam", "um", "customer_code", "product_code", "order_no")


@dataclass(frozen=True, slots=True)
class Window:
    """The facts of some days: all of them, the sales rows and the collection rows."""

    all: pd.DataFrame
    sales: pd.DataFrame
    collection: pd.DataFrame


def prepare(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts with missing keys as "", dates as datetime64 and cents as int64."""
    frame = pd.DataFrame({column: facts[column] for column in FACT_COLUMNS})
    for column in KEY_COLUMNS:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["cents"] = frame["cents"].astype("int64")
    frame["qty"] = frame["qty"].astype("float64")
    return frame


def window(facts: pd.DataFrame, start: dt.date, end: dt.date) -> Window:
    """The facts dated ``start`` to ``end``, both included."""
    dates = facts["date"].to_numpy()
    inside = facts[(dates >= np.datetime64(start, "ns")) & (dates <= np.datetime64(end, "ns"))]
    is_sales = (inside["kind"] == "sales").to_numpy()
    return Window(inside, inside[is_sales], inside[~is_sales & (inside["kind"] == "collection").to_numpy()])


def add_up(frame: pd.DataFrame, keys: Sequence[str], column: str = "cents") -> dict[tuple, int | float]:
    """``column`` summed per distinct ``keys`` (int cents stay int)."""
    if frame.empty:
        return {}
    sums = frame.groupby(list(keys), sort=False)[column].sum()
    cast = int if column == "cents" else float
    return {_key(key, len(keys)): cast(value) for key, value in sums.items()}


def distinct(frame: pd.DataFrame, keys: Sequence[str], column: str) -> dict[tuple, int]:
    """How many distinct non-empty ``column`` values there are per distinct ``keys``."""
    frame = frame[frame[column] != ""]
    if frame.empty:
        return {}
    counts = frame.groupby(list(keys), sort=False)[column].nunique()
    return {_key(key, len(keys)): int(value) for key, value in counts.items()}


def roll_up(totals: dict[tuple, int | float], depth: int) -> dict[tuple, int | float]:
    """``totals`` summed over the first ``depth`` parts of their keys."""
    rolled: dict[tuple, int | float] = {}
    for key, value in totals.items():
        rolled[key[:depth]] = rolled.get(key[:depth], 0) + value
    return rolled


def cents_to_yuan(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def _key(key, size: int) -> tuple:
    parts = (key,) if size == 1 else key
    return tuple(part if part != "" else None for part in parts)
