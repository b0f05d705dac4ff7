"""A table's data cells, read column by column into typed values.

Each column has one memoised reader (:func:`cell_reader`); a whole column is converted at once
(each distinct value once, then one lookup per cell in C). An unreadable cell becomes None in
its column and a :class:`Problem` on the side, for the row assembly to report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress, count, repeat
from operator import is_, itemgetter

from osb_batch.catalogue import Field
from osb_batch.findings import column_letter

from . import cell_values as convert


class Problem:
    """What a cell reader returns instead of a value when the cell cannot be read."""

    __slots__ = ("rule", "params", "raw")

    def __init__(self, rule: str, params: dict, raw: object = None):
        self.rule, self.params, self.raw = rule, params, raw   # raw None: the cell's own value


def cell_reader(f: Field, date1904: bool):
    """raw cell -> typed value, None when blank, or a :class:`Problem`.

    Memoised per column: codes, names, dates and prices repeat down a sheet, so most cells
    cost one dict lookup. Booleans are kept apart from the numbers they compare equal to.
    """
    conv = convert.converter(f, date1904=date1904)
    ranged = f.min is not None or f.max is not None
    memo: dict = {"": None, None: None}

    def compute(raw):
        if isinstance(raw, str) and convert.is_blank(raw):
            return None
        try:
            value = conv(raw)
        except convert.Invalid as bad:
            read_cell.problems += 1
            return Problem(bad.rule, bad.params)
        if ranged and (bad := convert.check_range(value, f)):
            read_cell.problems += 1
            return Problem("out-of-range", bad)
        return value

    def read_cell(raw):
        key = ("b", raw) if raw.__class__ is bool else raw
        try:
            return memo[key]
        except KeyError:
            out = compute(raw)
            if len(memo) < 200_000:
                memo[key] = out
            return out
        except TypeError:
            return compute(raw)

    read_cell.problems = 0     # how many distinct unreadable values this column has seen
    read_cell.column = _whole_column(read_cell, compute)
    return read_cell


def _whole_column(read_cell: Callable, compute: Callable) -> Callable[[list], list]:
    """``read_cell`` of every cell of a column, each distinct value converted once (``compute``),
    then looked up per cell in C."""

    def read_column(raws: list) -> list:
        try:
            distinct = set(raws)
        except TypeError:                       # calamine gives none, but a CSV or test might
            return list(map(read_cell, raws))
        if (0 in distinct or 1 in distinct) and bool in set(map(type, raws)):
            return list(map(read_cell, raws))   # True == 1 == 1.0: a set cannot keep them apart
        distinct.discard("")
        distinct.discard(None)
        table = dict(zip(distinct, map(compute, distinct), strict=True))
        table[""] = table[None] = None
        try:
            return list(map(table.__getitem__, raws))
        except KeyError:                        # NaN is not equal to itself
            return list(map(read_cell, raws))
    return read_column


@dataclass(slots=True)
class Columns:
    """The data rows of one table, read column by column into typed values."""

    plan: list[tuple[Field, int, Callable]]    # field, its 0-based column, its cell reader
    data: list[list]                           # the raw data rows
    start: int                                 # 0-based sheet row of data[0]
    values: list[list] = field(default_factory=list)   # per plan entry, a value per data row
    problems: dict[int, list[tuple[int, Problem]]] = field(default_factory=dict)   # data row -> (plan entry, problem)

    def read(self, width: int) -> None:
        """Read every column of the plan; an unreadable cell's value is None and its problem kept."""
        data, problems = self.data, self.problems
        rectangular = all(len(r) == width for r in data)
        for n, (_, col, read_cell) in enumerate(self.plan):
            raws = list(map(itemgetter(col), data)) if rectangular else \
                [r[col] if col < len(r) else "" for r in data]
            values = read_cell.column(raws)
            if read_cell.problems:
                for i in compress(count(), map(is_, map(type, values), repeat(Problem))):
                    problems.setdefault(i, []).append((n, values[i]))
                    values[i] = None
            self.values.append(values)

    def flag(self, ref: str, flag: str) -> None:
        """A blank cell that the XML scan found to be a formula without a value, or an error value."""
        letters = ref.rstrip("0123456789")
        row_index = int(ref[len(letters):]) - 1 - self.start
        if not 0 <= row_index < len(self.data):
            return
        for n, (_, col, _) in enumerate(self.plan):
            if column_letter(col + 1) == letters and self.values[n][row_index] is None:
                rule = "formula-error" if flag else "formula-no-cache"
                self.problems.setdefault(row_index, []).append((n, Problem(rule, {}, flag)))
