"""The dealers' figures: 经销商进货情况统计表 and 每月经销商管理汇总表.

A dealer is a customer. Per dealer and product, the quantity and amount of the period and of
the period before; per dealer, the purchases of the period, the year to date and the same period
a year earlier (同比), the collection, and the balance, overdue amount and credit grade that the
receivables side gives as plain dicts. Each dealer is shown with the market, region and KAM of
its latest fact up to the period's end (its attribution then).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import pandas as pd

from .figure_frames import Window, add_up, cents_to_yuan, quantity_column, yuan_column
from .figure_numbers import growth


class DealerProductRow(NamedTuple):
    """One dealer × product of 经销商进货情况统计表 (``stock_qty`` is the region's to fill).

    A named tuple, not a dataclass: there is one per dealer and product, 175,000 in a large month.
    """

    customer_code: str
    market: str | None
    region: str | None
    kam: str | None
    product_code: str | None
    qty: Decimal
    amount: Decimal
    previous_qty: Decimal
    previous_amount: Decimal


@dataclass(frozen=True, slots=True)
class DealerRow:
    """One dealer of 每月经销商管理汇总表."""

    customer_code: str
    market: str | None
    region: str | None
    kam: str | None
    amount: Decimal
    year_to_date: Decimal
    year_ago: Decimal | None
    yoy: Decimal | None
    collection: Decimal
    balance: Decimal | None
    overdue: Decimal | None
    grade: str | None


@dataclass(frozen=True, slots=True)
class DealerBook:
    """What the receivables side knows of each dealer at the period's end, by customer code."""

    balance: Mapping[str, Decimal] | None = None
    overdue: Mapping[str, Decimal] | None = None
    grades: Mapping[str, str] | None = None


def attribution(facts: pd.DataFrame) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Each customer's (market, region, KAM) on its latest fact in ``facts``."""
    if facts.empty:
        return {}
    latest = facts.loc[facts.groupby("customer_code", sort=False, observed=True)["date"].idxmax()]
    return {code: tuple(value or None for value in values)
            for code, *values in latest[["customer_code", "market", "region", "kam"]].itertuples(index=False)}


def dealer_products(windows: Mapping[str, Window | None],
                    attributed: Mapping[str, tuple]) -> tuple[DealerProductRow, ...]:
    """Every dealer × product bought in the period or the period before, by dealer then product."""
    current = _by_dealer_product(windows["current"].sales)
    before = _by_dealer_product(None if windows["previous"] is None else windows["previous"].sales)
    both = current.index.union(before.index).sort_values()
    current, before = current.reindex(both, fill_value=0), before.reindex(both, fill_value=0)
    codes = both.get_level_values(0).tolist()
    products = [product or None for product in both.get_level_values(1).tolist()]
    unknown = (None, None, None)
    markets, regions, kams = zip(*(attributed.get(code, unknown) for code in codes), strict=True) \
        if codes else ((), (), ())
    columns = zip(codes, markets, regions, kams, products, quantity_column(current["qty"]),
                  yuan_column(current["cents"]), quantity_column(before["qty"]), yuan_column(before["cents"]),
                  strict=True)
    return tuple(map(_make_row, columns))


#: DealerProductRow from a tuple of its fields without a Python call per row (tuple.__new__ is C).
_make_row = functools.partial(tuple.__new__, DealerProductRow)


def _by_dealer_product(sales: pd.DataFrame | None) -> pd.DataFrame:
    """Quantity and cents (int64) per (customer, product), indexed by plain strings."""
    if sales is None or sales.empty:
        return pd.DataFrame({"qty": pd.Series(dtype="float64"), "cents": pd.Series(dtype="int64")},
                            index=pd.MultiIndex.from_tuples([], names=["customer_code", "product_code"]))
    sums = sales.groupby(["customer_code", "product_code"], observed=True)[["qty", "cents"]].sum()
    sums.index = pd.MultiIndex.from_arrays([sums.index.get_level_values(i).astype(str) for i in (0, 1)],
                                           names=sums.index.names)
    return sums


def dealer_summary(windows: Mapping[str, Window | None], attributed: Mapping[str, tuple],
                   book: DealerBook) -> tuple[DealerRow, ...]:
    """Every dealer with purchases or collection this period or this year, or a balance, by code."""
    keys = ("customer_code",)
    amounts, ytd = add_up(windows["current"].sales, keys), add_up(windows["ytd"].sales, keys)
    ago = None if windows["year_ago"] is None else add_up(windows["year_ago"].sales, keys)
    collection = add_up(windows["current"].collection, keys)
    balance, overdue, grades = book.balance or {}, book.overdue or {}, book.grades or {}
    codes = {key[0] for key in (*amounts, *ytd, *collection)} | set(balance) | set(overdue)
    rows = []
    for code in sorted(code for code in codes if code is not None):
        key = (code,)
        cents = amounts.get(key, 0)
        before = None if ago is None else ago.get(key, 0)
        rows.append(DealerRow(code, *attributed.get(code, (None, None, None)), cents_to_yuan(cents),
                              cents_to_yuan(ytd.get(key, 0)), None if before is None else cents_to_yuan(before),
                              growth(cents, before), cents_to_yuan(collection.get(key, 0)),
                              balance.get(code), overdue.get(code), grades.get(code)))
    return tuple(rows)

