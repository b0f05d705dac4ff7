"""The secretary group's monthly and quarterly lists: one workbook of list sheets each.

Every sheet is a title, a line under it (a count, or what the list says when it is empty), the
header and one row per record, on the :func:`.receivables.write_list` skeleton (house look,
widths to the widest value, frozen and filtered header, A4 landscape). A workbook that comes
back as an input form (信用额度建议 → ``credit_limit_decisions``) names that form in its ``_osb``
sheet and lists the columns it shows for reading with a leading ``~``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from .common import clip_cell, output_workbook
from .receivables import PLAIN, Column, ListStyles, write_list

HEADER_ROW = 2
HINT_HEADER_ROW = 3             # a sheet with a hint line between the count and the header


@dataclass(frozen=True, slots=True)
class ListPart:
    """One sheet: its name, title, the line under the title, columns, rows and (for a form to
    fill) a hint line and the columns' least widths."""

    name: str
    title: str
    note: str
    columns: Sequence[Column]
    rows: Sequence[Sequence]
    hint: str = ""
    min_widths: Sequence[int] = field(default_factory=tuple)
    marked: frozenset[int] = frozenset()         # 0-based indexes of rows shown amber (changed, late)


def write_lists(path: str | os.PathLike, form_key: str, version: str, keys: Sequence[str],
                parts: Sequence[ListPart], *, lang: str, fill: Sequence[str] = ()) -> None:
    """Write ``parts`` as the sheets of one workbook at ``path`` (renamed into place when complete).

    Args:
        keys: the ``_osb`` column keys of the first sheet (``~`` for a column shown, not read).
        fill: the keys of the columns the recipient fills (told to the reader in ``_osb``).
    """
    with output_workbook(path, form_key, version, keys, fill=fill) as wb:
        styles = ListStyles(wb)
        for part in parts:
            ws = wb.add_worksheet(part.name)
            ws.write_string(0, 0, clip_cell(part.title), styles.title)
            ws.write_string(1, 0, clip_cell(part.note), styles.label)
            header_row = HINT_HEADER_ROW if part.hint else HEADER_ROW
            if part.hint:
                ws.write_string(2, 0, clip_cell(part.hint), styles.note)
            rows = ((values, PLAIN) for values in part.rows)
            write_list(ws, styles, part.columns, rows, lang, header_row=header_row,
                   min_widths=part.min_widths)
            for index in part.marked:
                ws.conditional_format(header_row + 1 + index, 0, header_row + 1 + index, len(part.columns) - 1,
                                      {"type": "no_errors", "format": styles.amber})
