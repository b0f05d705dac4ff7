"""The list sheet most workbooks are made of: a title, a line of totals, a header, one row per record.

A writer declares its columns (:class:`Column`: key, header, widest and narrowest width, the
whole column's format) and hands over each record as a row of :class:`Cell` values; the
:class:`ListSheet` writes them, sizes every column to the header and the widest text it shows,
freezes and filters the header and sets up printing (A4, one page wide, the header repeated on
every page). Headers of a catalogued output form come from the catalogue (:func:`form_headers`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from osb_batch import catalogue

from .common import clip_cell, column_width, display_width, print_list
from .palette import HEADER, TITLE

HEADER_ROW = 2                  # 0-based: title, totals, header
LINE_HEIGHT = 15                # points per line of a wrapped cell (11-point text, CJK included)
MAX_LINES = 15                  # taller rows are cut: the cell holds the rest, shown on selecting it
BASE_FORMATS = {
    "title": TITLE,
    "header": HEADER,
    "count": {"bold": True, "align": "left"},
    "text": {"valign": "top"},
    "wrap": {"valign": "top", "text_wrap": True},
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its key (the catalogue field, where it is one), header text, widest and narrowest width (characters, CJK
    counted double), room added to the width (``pad``), the name of the format the whole column
    gets ("" for none) and of its header's format."""

    key: str
    header: str
    cap: int = 30
    floor: float = 0
    style: str = ""
    pad: int = 0
    header_style: str = "header"


class Cell(NamedTuple):
    """One cell: text (written as text, never a formula), an int or float, or a date; ``None`` writes a
    blank cell that still carries ``style``, ``""`` writes nothing. ``shown`` is what the cell
    shows for the column's width (the text itself when not given)."""

    value: object
    style: str = "text"
    shown: str | None = None


SKIP = Cell("", "", "")


def may_be_widest(values: list[str]) -> list[str]:
    """The values that may show widest, so a long column is measured in one quick pass: an ASCII
    one-liner shows as wide as it is long, any other text at most twice its length."""
    plain = max((v for v in values if v.isascii() and "\n" not in v), key=len, default="")
    floor = len(plain)
    return [plain, *dict.fromkeys(v for v in values if 2 * len(v) > floor
                                  and not (v.isascii() and "\n" not in v))]


def form_headers(form_key: str, keys: Sequence[str], lang: str) -> tuple[str, ...]:
    """The catalogue's labels of the fields ``keys`` of the output form ``form_key``."""
    form = _catalogue()[form_key]
    return tuple(form.field(k).en if lang == "en" else form.field(k).zh for k in keys)


@functools.cache
def _catalogue() -> catalogue.Catalogue:
    """The shipped catalogue, read once per process when a writer first needs its labels."""
    return catalogue.load()


def columns_of(keys: Sequence[str], headers: Sequence[str], caps: Mapping[str, int],
               floors: Mapping[str, float] | None = None,
               styles: Mapping[str, str] | None = None) -> tuple[Column, ...]:
    """Columns declared as tables keyed by field: widest (default 30), narrowest, column format."""
    floors, styles = floors or {}, styles or {}
    return tuple(Column(k, h, caps.get(k, 30), floors.get(k, 0), styles.get(k, ""))
                 for k, h in zip(keys, headers, strict=True))


def list_formats(wb, extra: Mapping[str, Mapping] | None = None) -> dict:
    """The formats of a list sheet by name (title, header, count, text, wrap) and ``extra`` ones."""
    return {name: wb.add_format(dict(props)) for name, props in {**BASE_FORMATS, **(extra or {})}.items()}


class ListSheet:
    """A worksheet written as a list: :meth:`header`, :meth:`add_row` per record, :meth:`finish`."""

    def __init__(self, ws, formats: Mapping, columns: Sequence[Column], header_row: int = HEADER_ROW):
        self.ws, self.formats, self.columns, self.header_row = ws, formats, tuple(columns), header_row
        self.shown: list[list[str]] = [[] for _ in self.columns]
        self.last = header_row           # 0-based row of the last record written

    @property
    def last_col(self) -> int:
        return len(self.columns) - 1

    @property
    def rows(self) -> int:
        return self.last - self.header_row

    def index(self, key: str) -> int:
        """The 0-based column of ``key``."""
        return next(c for c, col in enumerate(self.columns) if col.key == key)

    def title(self, text: str) -> None:
        self.ws.write_string(0, 0, clip_cell(text), self.formats["title"])

    def tally(self, pairs: Iterable[tuple[str, str, int]], first_col: int = 0) -> int:
        """Row 2: ``(label, the label's format, count)`` side by side from ``first_col``; returns the
        column after the last count."""
        col = first_col
        for label, style, count in pairs:
            self.ws.write_string(1, col, label, self.formats[style])
            self.ws.write_number(1, col + 1, count, self.formats["count"])
            col += 2
        return col

    def note(self, text: str, col: int = 0, style: str = "count") -> None:
        """A text on row 2 (what the tally would say when there is nothing to count, a hint)."""
        self.ws.write_string(1, col, text, self.formats[style])

    def header(self) -> None:
        for c, col in enumerate(self.columns):
            self.ws.write_string(self.header_row, c, col.header, self.formats[col.header_style])

    def add_row(self, cells: Iterable[Cell]) -> int:
        """Write one record below the last, as tall as its longest wrapped text; returns its 0-based row."""
        self.last += 1
        cells = list(cells)
        lines = max((self.lines(self.columns[c].cap, cell) for c, cell in enumerate(cells)), default=1)
        if lines > 1:           # Excel and LibreOffice do not grow a row written by xlsxwriter
            self.ws.set_row(self.last, LINE_HEIGHT * min(lines, MAX_LINES))
        for c, cell in enumerate(cells):
            self.shown[c].append(self._write(self.last, c, cell))
        return self.last

    @staticmethod
    def lines(width: int, cell: Cell) -> int:
        """How many lines a wrapped ``cell`` takes in a column at most ``width`` characters wide
        (one for a cell that does not wrap): each paragraph over the width less a word's slack."""
        if cell.style != "wrap" or not isinstance(cell.value, str) or not cell.value:
            return 1
        room = max(width - 2, 4)
        return sum(max(1, -(-display_width(part) // room)) for part in cell.value.split("\n"))

    def _write(self, r: int, c: int, cell: Cell) -> str:
        value, style, shown = cell
        fmt = self.formats.get(style)
        if value is None:
            self.ws.write_blank(r, c, None, fmt)
        elif isinstance(value, dt.date):
            self.ws.write_datetime(r, c, value, fmt)
        elif isinstance(value, int | float):
            self.ws.write_number(r, c, value, fmt)
        elif value != "":
            value = clip_cell(value)
            self.ws.write_string(r, c, value, fmt)
            return value if shown is None else shown
        return "" if shown is None else shown

    def finish(self, *, extra_shown: Mapping[int, Sequence[str]] | None = None, landscape: bool = True,
               frozen_columns: int = 0) -> None:
        """Column widths, the frozen and filtered header (and ``frozen_columns``), the print setup."""
        for c, (col, width) in enumerate(zip(self.columns, self.widths(extra_shown), strict=True)):
            self.ws.set_column(c, c, width, self.formats[col.style] if col.style else None)
        self.ws.freeze_panes(self.header_row + 1, frozen_columns)
        self.ws.autofilter(self.header_row, 0, self.last, self.last_col)
        print_list(self.ws, header_row=self.header_row, landscape=landscape)

    def widths(self, extra_shown: Mapping[int, Sequence[str]] | None = None) -> list[float]:
        """Each column's width: its header and the widest of what it shows (and ``extra_shown``,
        e.g. a total or the rows above the header), within its cap and floor, plus its pad."""
        extra_shown = extra_shown or {}
        return [max(column_width(col.header, may_be_widest([*self.shown[c], *extra_shown.get(c, ())]), col.cap)
                    + col.pad, col.floor) for c, col in enumerate(self.columns)]

    def highlight(self, first_col: int, last_col: int, rule: Mapping) -> None:
        """A conditional format over the records' rows (nothing when there are none)."""
        if self.rows:
            self.ws.conditional_format(self.header_row + 1, first_col, self.last, last_col, dict(rule))


__all__ = ["Column", "Cell", "SKIP", "ListSheet", "form_headers", "columns_of", "list_formats", "may_be_widest",
           "HEADER_ROW"]
