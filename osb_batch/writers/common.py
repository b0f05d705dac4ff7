"""What every workbook writer shares: safe xlsxwriter options, the hidden ``_osb`` sheet, writing
under a temporary name that is renamed into place only when the file is complete, legal and
unique sheet names, cell text and column widths, and the print setup of a list."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import xlsxwriter

from osb_batch.findings import column_letter

OSB_SHEET = "_osb"
SHEET_ROW, SHOWN = "sheet", "shown"     # an `_osb` row naming a sheet the reader skips
FIXED_CREATED = dt.datetime(2026, 1, 1, 0, 0, 0)
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
MAX_CELL = 32767                # Excel's limit on the text of one cell
SHEET_FORBIDDEN = set('[]:*?/\\')


def new_workbook(path: str | os.PathLike, *, constant_memory: bool = False) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook that never turns input text into formulas, URLs or numbers."""
    wb = xlsxwriter.Workbook(str(path), {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "constant_memory": constant_memory,
        "in_memory": not constant_memory,      # no temporary files unless rows are streamed
    })
    wb.set_properties({"created": FIXED_CREATED, "author": "osb_batch"})
    wb.set_calc_mode("auto")
    return wb


def write_osb_sheet(wb: xlsxwriter.Workbook, form_key: str, version: str,
                    keys: Sequence[str], first_column: int = 0, fill: Collection[str] = (),
                    shown: Sequence[str] = ()) -> None:
    """The hidden sheet that lets the reader identify a workbook written from the catalogue.

    Layout: A1 ``form`` / B1 form key; A2 ``version`` / B2 catalogue version;
    A3 ``column`` / B3 ``key``; then one row per column: letter, field key, and ``fill`` in C for
    a column the recipient fills in (a row whose fill columns are all blank is skipped on return);
    then one row ``sheet`` / sheet name / ``shown`` per sheet of ``shown``: a sheet the batch wrote
    for reading only (an order's lines beside the form), which the reader skips without a word
    when the workbook comes back.
    """
    ws = wb.add_worksheet(OSB_SHEET)
    rows = [("form", form_key, ""), ("version", version, ""), ("column", "key", "")]
    rows += [(column_letter(first_column + i + 1), key, "fill" if key in fill else "") for i, key in enumerate(keys)]
    rows += [(SHEET_ROW, name, SHOWN) for name in shown]
    for r, (a, b, c) in enumerate(rows):
        ws.write_string(r, 0, a)
        ws.write_string(r, 1, b)
        if c:
            ws.write_string(r, 2, c)
    ws.hide()


def lang_key(lang: str) -> str:
    """"en" for English, else "zh": the two languages every writer knows."""
    return "en" if lang == "en" else "zh"


def safe_name(text: str, limit: int = 60) -> str:
    """A file-name part built from data: no separators, no `..`, nothing Windows forbids."""
    cleaned = _FORBIDDEN.sub("_", str(text)).replace("..", "_").strip(" .")
    return cleaned[:limit] or "_"


def day_file_name(prefix: str, day, person: str | None = None) -> str:
    """``PREFIX-2026-11-28.xlsx`` for everyone's list; ``PREFIX-2026-11-28-王敏.xlsx`` for one person's."""
    stem = f"{prefix}-{day:%Y-%m-%d}"
    return f"{stem}-{safe_name(person)}.xlsx" if person else f"{stem}.xlsx"


def per_person_files(folder: Path, name: Callable[[str | None], str], everyone: Sequence,
                     by_person: Mapping[str, Sequence],
                     write: Callable[[Path, Sequence, str | None], None]) -> list[tuple[Path, str | None]]:
    """Everyone's list (for SSG, person None), then one file per person holding their own rows.

    ``name(person)`` is the file name, ``write(path, rows, person)`` writes one file; returns
    (path, person) per file, SSG's first, so that delivery knows whom each file is for.
    """
    written = []
    for person, rows in [(None, everyone), *by_person.items()]:
        path = folder / name(person)
        write(path, rows, person)
        written.append((path, person))
    return written


@contextlib.contextmanager
def output_workbook(path: str | os.PathLike, form_key: str, version: str,
                    keys: Sequence[str], fill: Collection[str] = (),
                    constant_memory: bool = False, shown: Sequence[str] = ()) -> Iterator[xlsxwriter.Workbook]:
    """A workbook written under a temporary name: the caller adds its sheets, then the hidden
    ``_osb`` sheet is appended, the first sheet made active, and the file renamed into place.

    With ``constant_memory`` each sheet's rows must be written top to bottom (xlsxwriter flushes
    a row once a later one is written); memory then stays flat however long the sheet."""
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp, constant_memory=constant_memory)
        try:
            yield wb
            write_osb_sheet(wb, form_key, version, keys, fill=fill, shown=shown)
            wb.worksheets()[0].activate()
        finally:
            wb.close()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only on success."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def clip_cell(value: object) -> str:
    """Text for one cell: ``None`` as empty, cut to what Excel allows in a cell."""
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def display_width(text: str) -> int:
    """Characters on screen: East Asian wide and full-width characters count double."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(header: str, values: Iterable[str], cap: int) -> float:
    """A column width that shows the header and the widest line of ``values``, at most ``cap``.

    Each distinct line is measured at most once, longest first, stopping when no shorter line
    can be wider (a character is at most two columns wide).
    """
    widest = display_width(header)
    lines: set[str] = set()
    for value in values:
        if value:
            lines.update(value.splitlines())
    for line in sorted(lines, key=len, reverse=True):
        if 2 * len(line) <= widest:
            break
        widest = max(widest, display_width(line))
        if widest >= cap:
            return cap + 2
    return max(6, min(widest, cap)) + 2


def print_list(ws, *, header_row: int, landscape: bool = True) -> None:
    """Print setup of a list sheet: A4, one page wide, the header repeated, page numbers."""
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)                     # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C&P / &N")


def unique_sheet_name(text: str, taken: set[str], limit: int = 31) -> str:
    """An Excel-legal sheet name built from data: no []:*?/\\, at most 31 characters, no leading or
    trailing apostrophe, not "History", unique (case-insensitively) among ``taken``, which is updated."""
    cleaned = "".join("_" if ch in SHEET_FORBIDDEN or ord(ch) < 32 else ch for ch in str(text))
    cleaned = cleaned.strip().strip("'").strip() or "_"
    if cleaned.casefold() == "history":
        cleaned = "History_"
    base = cleaned[:limit].rstrip("'") or "_"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[:limit - len(suffix)].rstrip("'") + suffix
    taken.add(name.casefold())
    return name
