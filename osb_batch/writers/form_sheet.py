"""A statistics sheet in a catalogue form's layout, written fast enough for hundreds of thousands of rows.

The catalogue's columns come first, in their order and with their labels (so the same template
serves the batch and the people who fill the form), then the extra figures (keys with a leading
``~``, which the reader of a returned copy ignores). Rows go top to bottom (the workbook may be
``constant_memory``): a title, a note, the header, the records, then total rows that open with
合计 / 小计 (``intake.footer_words``), so a copy that comes back reads only the records. Money
shows with two decimals, ratios in percentage points (0.7667 is written 76.67 and shows 76.67%, as in
writers/kpi.py, so every client reads the same number); widths follow the widest value of each column.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .common import MAX_CELL, clip_cell, display_width, print_list
from .list_sheet import form_headers
from .palette import HEADER, TITLE, TO_FILL

HEADER_ROW = 2
#: xlsxwriter number formats per kind of column
NUMBER_FORMATS = {"money": "#,##0.00", "ratio": '0.00"%"', "int": "#,##0", "qty": "#,##0", "qty_frac": "#,##0.######",
                  "date": "yyyy-mm-dd"}
TOTAL = {"bold": True, "top": 1}


@dataclass(frozen=True, slots=True)
class Col:
    key: str                 # catalogue field, or ~name for an extra figure
    header: str
    kind: str = "text"       # text | money | ratio | int | qty | date
    fill: bool = False       # the recipient fills it in


def form_columns(form_key: str, keys: Sequence[str], kinds: dict[str, str], lang: str,
                 extras: Sequence[tuple[str, str, str, str]] = (), fill: Sequence[str] = ()) -> list[Col]:
    """The catalogue columns ``keys`` of ``form_key`` with their labels, then ``extras``
    (key, zh, en, kind)."""
    headers = form_headers(form_key, keys, lang)
    cols = [Col(k, h, kinds.get(k, "text"), k in fill) for k, h in zip(keys, headers, strict=True)]
    return cols + [Col(f"~{k}", en if lang == "en" else zh, kind) for k, zh, en, kind in extras]


class FormSheet:
    """One sheet: :meth:`row` per record, :meth:`total` for the footer rows, then :meth:`finish`."""

    def __init__(self, wb, name: str, columns: Sequence[Col], title: str, note: str = ""):
        self.ws = wb.add_worksheet(name)
        self.columns = tuple(columns)
        self.formats = _formats(wb)
        self.widths = [display_width(c.header) for c in self.columns]
        self.highs = [0] * len(self.columns)            # the largest magnitude of each numeric column
        self.negative = [False] * len(self.columns)
        self.fractions = [False] * len(self.columns)
        self.ws.write_string(0, 0, clip_cell(title), self.formats["title"])
        if note:
            self.ws.write_string(1, 0, clip_cell(note), self.formats["note"])
        for c, col in enumerate(self.columns):
            self.ws.write_string(HEADER_ROW, c, col.header, self.formats["fill_header" if col.fill else "header"])
        self.last = HEADER_ROW
        self.records = 0
        self._cell = [self._writer(col) for col in self.columns]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def row(self, values: Sequence[object]) -> None:
        self.last += 1
        self.records += 1
        for c, value in enumerate(values):
            self._cell[c](self.last, c, value, None)

    def total(self, values: Sequence[object]) -> None:
        """A footer row: bold with a line above; its first cell says 合计 or 小计."""
        self.last += 1
        for c, value in enumerate(values):
            self._cell[c](self.last, c, value, "total")

    def _writer(self, col: Col):
        ws, formats, widths = self.ws, self.formats, self.widths
        highs, negative, fractions = self.highs, self.negative, self.fractions
        number = formats.get(col.kind)
        bold = formats[f"total_{col.kind}"] if col.kind in NUMBER_FORMATS else formats["total"]
        fill = formats["to_fill"] if col.fill else None
        seen: set[str] = set()

        def text(r: int, c: int, value: object, style: str | None) -> None:
            if value is None or value == "":
                if fill is not None:
                    ws.write_blank(r, c, None, fill)
                return
            if value.__class__ is not str:
                value = str(value)
            if value not in seen:                 # most texts repeat (labels, markets, codes): measure each once
                seen.add(value)
                width = display_width(clip_cell(value))
                if width > widths[c]:
                    widths[c] = width
            ws.write_string(r, c, value if len(value) <= MAX_CELL else clip_cell(value), bold if style else fill)

        def numeric(r: int, c: int, value: object, style: str | None) -> None:
            if value is None:
                if fill is not None:
                    ws.write_blank(r, c, None, fill)
                return
            if isinstance(value, str):
                text(r, c, value, style)
                return
            fmt = bold if style else number
            if col.kind == "qty" and value != int(value):
                fmt = formats["total_qty_frac" if style else "qty_frac"]
                fractions[c] = True
            ws.write_number(r, c, float(value * 100 if col.kind == "ratio" else value), fmt)
            if value < 0:
                negative[c] = True
                value = -value
            if value > highs[c]:
                highs[c] = value

        def date(r: int, c: int, value: object, style: str | None) -> None:
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, value, bold if style else number)
                widths[c] = max(widths[c], 10)
            else:
                text(r, c, value, style)

        return text if col.kind == "text" else date if col.kind == "date" else numeric

    def finish(self, *, cap: int = 40) -> None:
        """Column widths, the frozen and filtered header, the print setup."""
        for c, (col, width) in enumerate(zip(self.columns, self.widths, strict=True)):
            if col.kind in NUMBER_FORMATS and col.kind != "date":
                width = max(width, _shown(col.kind, self.highs[c]) + self.negative[c] + 7 * self.fractions[c])
            self.ws.set_column(c, c, min(max(width, 6), cap) + 2)
        self.ws.freeze_panes(HEADER_ROW + 1, 0)
        self.ws.autofilter(HEADER_ROW, 0, max(self.last, HEADER_ROW), len(self.columns) - 1)
        print_list(self.ws, header_row=HEADER_ROW)


def _shown(kind: str, value: Decimal | int | float) -> int:
    """How many characters a number shows in its format (money with thousands separators)."""
    if kind == "ratio":
        return len(f"{float(value) * 100:,.2f}%")       # written in percentage points
    if kind == "money":
        return len(f"{float(value):,.2f}")
    return len(f"{float(value):,.6f}".rstrip("0").rstrip("."))


_FORMATS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _formats(wb) -> dict:
    """The formats of the sheets of ``wb``, made once per workbook."""
    if wb in _FORMATS:
        return _FORMATS[wb]
    formats = {"title": wb.add_format(TITLE), "note": wb.add_format({"italic": True}),
               "header": wb.add_format(HEADER), "fill_header": wb.add_format({**HEADER, **TO_FILL}),
               "to_fill": wb.add_format(TO_FILL), "total": wb.add_format(TOTAL)}
    for kind, pattern in NUMBER_FORMATS.items():
        formats[kind] = wb.add_format({"num_format": pattern})
        formats[f"total_{kind}"] = wb.add_format({**TOTAL, "num_format": pattern})
    _FORMATS[wb] = formats
    return formats
