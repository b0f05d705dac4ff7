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

from .figure_numbers import quantity

#: The text columns facts are grouped by; None there is kept apart as "" while grouping.
KEY_COLUMNS = ("market", "region", "kam", "um", "customer_code", "product_code")


@dataclass(frozen=True, slots=True)
class Window:
    """The facts of some days: all of them, the sales rows and the collection rows."""

    all: pd.DataFrame
    sales: pd.DataFrame
    collection: pd.DataFrame


def prepare(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts with text keys as categories (missing: ""), dates as datetime64, cents as int64.

    Order numbers become integer codes (-1 where there is none): they are only counted.

    Grouping by categories is what makes the sums fast. A frame already prepared is returned as it
    is, so that the scoped copies of one report prepare the facts once.
    """
    if all(isinstance(facts[c].dtype, pd.CategoricalDtype) for c in KEY_COLUMNS):
        return facts
    frame = pd.DataFrame({column: facts[column] for column in FACT_COLUMNS})
    for column in KEY_COLUMNS:
        frame[column] = _category(frame[column])
    frame["kind"] = frame["kind"].astype("category")
    codes, _ = pd.factorize(frame["order_no"].where(frame["order_no"] != "", None))
    frame["order_no"] = codes                  # only ever counted: an int per order, -1 for none
    frame["date"] = pd.to_datetime(frame["date"])
    frame["cents"] = frame["cents"].astype("int64")
    frame["qty"] = frame["qty"].astype("float64")
    return frame


def _category(values: pd.Series) -> pd.Series:
    """``values`` as a category of strings, missing values as ""."""
    text = values.astype("category")
    if not all(isinstance(c, str) for c in text.cat.categories):
        text = text.cat.rename_categories([str(c) for c in text.cat.categories])
    if text.isna().any():
        if "" not in text.cat.categories:
            text = text.cat.add_categories([""])
        text = text.fillna("")
    return text


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
    sums = frame.groupby(list(keys), sort=False, observed=True)[column].sum()
    cast = int if column == "cents" else float
    return {_key(key, len(keys)): cast(value) for key, value in sums.items()}


def distinct(frame: pd.DataFrame, keys: Sequence[str], column: str) -> dict[tuple, int]:
    """How many distinct non-empty ``column`` values there are per distinct ``keys`` (order_no: codes ≥ 0)."""
    frame = frame[(frame[column] >= 0) if column == "order_no" else (frame[column] != "")]
    if frame.empty:
        return {}
    counts = frame.groupby(list(keys), sort=False, observed=True)[column].nunique()
    return {_key(key, len(keys)): int(value) for key, value in counts.items()}


def roll_up(totals: dict[tuple, int | float], depth: int) -> dict[tuple, int | float]:
    """``totals`` summed over the first ``depth`` parts of their keys."""
    rolled: dict[tuple, int | float] = {}
    for key, value in totals.items():
        rolled[key[:depth]] = rolled.get(key[:depth], 0) + value
    return rolled


CENT = Decimal("0.01")


def cents_to_yuan(cents: int) -> Decimal:
    """Integer cents as Decimal yuan with two places (``12345`` → ``123.45``, ``100`` → ``1.00``)."""
    return CENT * int(cents)


def yuan_column(cents: pd.Series) -> list[Decimal]:
    """:func:`cents_to_yuan` of a whole int64 column, at C speed."""
    return list(map(CENT.__mul__, cents.tolist()))


def quantity_column(qty: pd.Series) -> list[Decimal]:
    """A float quantity column as Decimals: whole numbers stay whole, fractions to six places at most."""
    values = qty.to_numpy()
    if np.all(values == np.floor(values)) and np.all(np.abs(values) < 2 ** 53):
        return list(map(Decimal, values.astype(np.int64).tolist()))
    return [quantity(value) for value in values.tolist()]


def _key(key, size: int) -> tuple:
    parts = (key,) if size == 1 else key
    return tuple(part if part != "" else None for part in parts)
