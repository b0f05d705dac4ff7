"""Read a workbook into typed rows of one catalogue form, every problem a located finding.

The pipeline: sniff the bytes -> load cell grids (python-calamine; the csv module for CSV) ->
identify the form (``_osb`` sheet, then sheet name, then header match) -> find the header row
-> map labels to field keys -> convert every cell by its field type. Nothing here knows a
business rule; references to customers or products are checked later by
:func:`.row_checks.validate`.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc

from osb_batch import catalogue as catalogue_mod
from osb_batch.catalogue import Catalogue, Field, Form
from osb_batch.findings import Finding, a1, column_letter, finding

from . import cell_scan as xlsxscan
from . import cell_values as convert
from .columns import Columns, Problem, cell_reader
from .form_detection import OSB, header_rows, identify, map_columns, osb_fill, osb_form, osb_informational
from .isolation import ParserFailed, in_child
from .sniff import Sniffed, sniff

SKIP_SHEETS = {"_lists"}
INSTRUCTION_SHEETS = {convert.normalize_label(n) for n in ("填写说明", "说明", "instructions", "退回说明")}


@dataclass(slots=True)
class Row:
    sheet: str
    number: int                      # 1-based row in the sheet
    values: dict[str, object]        # field key -> typed value (None when blank)
    extra: dict[str, object] = field(default_factory=dict)   # unknown columns, by header text
    errors: int = 0                  # error findings on this row
    invalid: set[str] | None = None  # fields whose cell could not be read

    def mark_invalid(self, key: str) -> None:
        self.errors += 1
        if self.invalid is None:
            self.invalid = set()
        self.invalid.add(key)

    def is_invalid(self, key: str) -> bool:
        return self.invalid is not None and key in self.invalid

    @property
    def ok(self) -> bool:
        return self.errors == 0


@dataclass(slots=True)
class Table:
    sheet: str
    header_row: int
    columns: dict[str, int]          # field key -> 1-based column
    rows: list[Row]

    def cell(self, row: Row, key: str) -> str:
        return a1(row.number, self.columns.get(key, 0))


@dataclass(slots=True)
class ReadResult:
    path: Path
    file: str                        # how the file is named to people
    kind: str                        # what sniff found
    form: str | None = None
    tables: list[Table] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    status: str = "read"             # read | rejected | quarantined
    more: list[ReadResult] = field(default_factory=list)   # the file's sheets of other forms, one result each

    @property
    def parts(self) -> list[ReadResult]:
        """This result and those of the file's other forms."""
        return [self, *self.more]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def rows(self) -> Iterator[tuple[Table, Row]]:
        for table in self.tables:
            for row in table.rows:
                yield table, row

    @property
    def row_count(self) -> int:
        return sum(len(t.rows) for t in self.tables)

    def where(self, table: Table, row: Row, key: str) -> dict:
        """Where ``key`` of ``row`` sits, as :func:`~osb_batch.findings.finding` keywords."""
        f = catalogue_mod.load()[self.form].field(key)
        return {"file": self.file, "form": self.form, "sheet": table.sheet, "row": row.number,
                "column": table.columns.get(key, 0), "cell": table.cell(row, key),
                "field": key, "label": f.zh, "label_en": f.en}


@dataclass(frozen=True, slots=True)
class Limits:
    header_rows: int = 20
    max_rows: int = 1_000_000
    max_uncompressed_mb: int = 200
    max_compression_ratio: int = 200
    footer_words: tuple[str, ...] = ()   # normalised labels that open a total or signature row


SNIFF_RULES = {"encrypted": "file-encrypted", "corrupt": "file-corrupt", "too-large": "file-too-large",
               "sheet-too-large": "sheet-too-large", "not-a-workbook": "not-a-workbook"}


def read(path: Path, catalogue: Catalogue, *, display: str | None = None,
         limits: Limits = Limits()) -> ReadResult:
    """Read one file. Never raises for bad input: problems become findings and a status."""
    with paused_gc():
        return _read(path, catalogue, display, limits)


@contextmanager
def paused_gc():
    """Cell grids are millions of acyclic objects: the cycle collector would rescan them for
    nothing on every allocation burst (a third of the read time at 100k rows)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(path: Path, catalogue: Catalogue, display: str | None, limits: Limits) -> ReadResult:
    result = ReadResult(path, display or path.name, "")
    sniffed = sniff(path, max_uncompressed_mb=limits.max_uncompressed_mb,
                    max_ratio=limits.max_compression_ratio)
    result.kind = sniffed.kind
    if not sniffed.readable:
        return _quarantine(result, SNIFF_RULES[sniffed.kind], **sniffed.details)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # calamine releases the GIL while parsing, so the formula scan runs alongside it
        scan = pool.submit(xlsxscan.scan_cells, path) if sniffed.kind in {"xlsx", "xlsm"} else None
        try:
            grids, date1904 = _load(path, sniffed)
        except pc.PasswordError:
            return _quarantine(result, "file-encrypted")
        except ParserFailed as exc:
            return _quarantine(result, "file-encrypted" if exc.kind == "PasswordError" else "file-corrupt",
                               detail=str(exc)[:300])
        except BaseException as exc:  # calamine raises a zoo of errors for damaged files, and panics
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                raise                  # pyo3's PanicException is a BaseException; Ctrl+C is not a damaged file
            return _quarantine(result, "file-corrupt", detail=f"{type(exc).__name__}: {exc}"[:300])
        flags = _flags(scan, result)
    if sniffed.kind == "xlsm":
        result.findings.append(finding("macros-ignored", file=result.file))
    if not any(any(not convert.is_blank(c) for c in r) for g in grids.values() for r in g):
        return _quarantine(result, "file-empty")
    found = identify(grids, catalogue, limits.header_rows, osb_form(grids), path.stem)
    if isinstance(found, Finding):
        result.findings.append(_at(found, result))
        result.status = "quarantined"
        return result
    form = catalogue[found.form]
    result.form = form.key
    informational = osb_informational(grids)
    fill = osb_fill(grids)
    for sheet, header_row in found.sheets:
        _read_table(result, form, sheet, grids[sheet], header_row, flags.get(sheet, {}),
                    date1904, limits, informational, fill)
    for note in found.notes:
        result.findings.append(_at(note, result))
    for key, sheets in found.others.items():
        part = ReadResult(path, result.file, result.kind, key)
        for sheet, header_row in sheets:
            _read_table(part, catalogue[key], sheet, grids[sheet], header_row, flags.get(sheet, {}),
                        date1904, limits, informational, fill)
        part.status = "read" if part.tables else "rejected"
        result.more.append(part)
    if not result.tables:
        result.status = "read" if any(p.tables for p in result.more) else "rejected"
    return result


def _at(f: Finding, result: ReadResult) -> Finding:
    return finding(f.rule, file=result.file, form=result.form or f.form, sheet=f.sheet, cell=f.cell,
                   field=f.field, value=f.value, row=f.row, column=f.column, **dict(f.params))


def _quarantine(result: ReadResult, rule: str, **params) -> ReadResult:
    result.findings.append(finding(rule, file=result.file, **params))
    result.status = "quarantined"
    return result


def _load(path: Path, sniffed: Sniffed) -> tuple[dict[str, list[list]], bool]:
    """Sheet name -> grid of raw cell values, visible worksheets only, in workbook order."""
    if sniffed.kind == "csv":
        text = path.read_bytes().decode(sniffed.detail or "utf-8-sig")
        dialect = "excel-tab" if text.count("\t") > text.count(",") else "excel"
        return {path.stem[:31] or "csv": [list(r) for r in csv.reader(io.StringIO(text), dialect)]}, False
    if sniffed.kind == "xls":
        return in_child(_calamine_grids, path), False
    return _calamine_grids(path), False


def _calamine_grids(path: Path) -> dict[str, list[list]]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    grids = {}
    for meta in wb.sheets_metadata:
        if meta.name != OSB and (
                meta.typ != pc.SheetTypeEnum.WorkSheet or meta.name in SKIP_SHEETS
                or meta.visible != pc.SheetVisibleEnum.Visible
                or convert.normalize_label(meta.name) in INSTRUCTION_SHEETS):
            continue
        grids[meta.name] = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
    return grids


def _flags(scan: Future | None, result: ReadResult) -> dict:
    if scan is None:
        return {}
    try:
        return scan.result()
    except Exception as exc:  # an odd package layout: the cells themselves were still read
        result.findings.append(finding("sheet-formula-scan", file=result.file, detail=str(exc)[:200]))
        return {}


def _params(f: Field) -> dict[str, str]:
    return {"label": f.zh, "label_en": f.en}


def _header_findings(result: ReadResult, form: Form, header: list, header_row: int, base: dict,
                     informational: set[str]):
    """Map the header; report unknown, duplicate and missing columns. None when unusable."""
    columns, extra, notes = map_columns(form, header)
    for note in notes:
        if note.rule == "column-unknown" and column_letter(note.column) in informational:
            continue
        result.findings.append(finding(note.rule, row=header_row + 1, column=note.column,
                                       cell=a1(header_row + 1, note.column), value=note.value,
                                       **base, **note.params))
    missing = [f for f in form.required if f.key not in columns]
    for f in missing:
        result.findings.append(finding("column-missing", row=header_row + 1, field=f.key,
                                       form_zh=form.zh, form_en=form.en, **base, **_params(f)))
    return None if missing else (columns, extra)


def _read_table(result: ReadResult, form: Form, sheet: str, grid: list[list], header_row: int,
                flags: dict[str, str], date1904: bool, limits: Limits, informational: set[str],
                fill: set[str] = frozenset()) -> None:
    """Convert a sheet column by column (fast), then assemble rows and their findings.

    In an output of ours sent back (``fill`` names the columns its recipient fills), a row whose
    fill columns are all blank was left alone on purpose: it is skipped, with one info line.
    Total, subtotal and signature rows (``limits.footer_words``) are skipped with one info line.
    """
    max_rows = limits.max_rows
    header, start = header_rows(form, grid, header_row)
    base = {"file": result.file, "form": form.key, "sheet": sheet}
    mapped = _header_findings(result, form, header, header_row, base, informational)
    if mapped is None:
        return
    columns, extra = mapped
    table = Table(sheet, header_row + 1, {k: c + 1 for k, c in columns.items()}, [])
    end = min(len(grid), start + max_rows)
    cells = Columns([(form.field(k), c, cell_reader(form.field(k), date1904)) for k, c in columns.items()],
                    grid[start:end], start)
    cells.read(len(header))
    for ref, flag in flags.items():
        cells.flag(ref, flag)
    absent = dict.fromkeys(f.key for f in form.fields if f.key not in columns)
    unfilled, footers = _assemble_rows(result.findings, table, cells, absent, extra, fill, base,
                                       limits.footer_words)
    findings = result.findings
    for rule, skipped in (("unfilled-rows-skipped", unfilled), ("footer-rows-skipped", footers)):
        if skipped:
            shown = "、".join(map(str, skipped[:20])) + ("…" if len(skipped) > 20 else "")
            findings.append(finding(rule, row=skipped[0], count=len(skipped), rows=shown, **base))
    if not table.rows and not unfilled and not footers:
        findings.append(finding("no-rows", row=header_row + 1, **base))
    if len(grid) > end and end == start + max_rows:
        findings.append(finding("too-many-rows", row=end + 1, limit=max_rows, **base))
    result.tables.append(table)


def _assemble_rows(findings: list[Finding], table: Table, cells: Columns, absent: dict, extra: dict[str, int],
                   fill: set[str], base: dict, footer_words: tuple[str, ...] = ()) -> tuple[list[int], list[int]]:
    """Add the table's rows and their cell findings; the numbers of the rows left unfilled and
    of the total or signature rows.

    Skipped: the template's example row, rows whose fill columns are all blank and total,
    subtotal or signature rows (counted, not added) and rows with nothing in them.
    """
    plan, data, problems = cells.plan, cells.data, cells.problems
    keys = [f.key for f, _, _ in plan]
    to_fill = [n for n, (_, col, _) in enumerate(plan) if column_letter(col + 1) in fill]
    unfilled: list[int] = []
    footers: list[int] = []
    example = _example(plan, absent)
    first_example = example[keys[0]] if example else object()
    blank = dict.fromkeys(keys)         # every field, those absent last: copied per row, then filled
    blank.update(absent)
    sheet, start, rows = table.sheet, cells.start + 1, table.rows
    for i, row_values in enumerate(zip(*cells.values, strict=True)):
        values = blank.copy()
        values.update(zip(keys, row_values, strict=True))
        row = Row(sheet, start + i, values)
        if footer_words and _footer(data[i], footer_words):
            footers.append(row.number)
            continue
        if i in problems:
            _cell_findings(findings, row, problems[i], plan, data[i], base)
        if extra:
            raw = data[i]
            row.extra = {h: raw[c] for h, c in extra.items() if c < len(raw) and not convert.is_blank(raw[c])}
        if row_values[0] == first_example and values == example:
            findings.append(finding("example-row-skipped", row=row.number, **base))
        elif to_fill and not row.errors and all(row_values[n] is None for n in to_fill):
            unfilled.append(row.number)
        elif any(row_values) or row.errors or row.extra or not _blank_row(data[i]):
            rows.append(row)
    return unfilled, footers


def _footer(cells: list, words: tuple[str, ...]) -> bool:
    """Whether the row's first non-blank cell opens a total, subtotal or signature line."""
    first = cells[0] if cells else None
    if first is None or first == "" or (first.__class__ is str and convert.is_blank(first)):
        first = next((c for c in cells if not (c is None or c == "" or (isinstance(c, str) and convert.is_blank(c)))),
                     None)
    if not isinstance(first, str):
        return False
    if first.isascii():           # order and customer codes: no need for the full normalisation
        return first.lstrip().lower().startswith(words)
    return convert.normalize_label(first).startswith(words)


def _cell_findings(findings: list[Finding], row: Row, problems: list[tuple[int, Problem]], plan, raw_row: list,
                   base: dict) -> None:
    """One finding per unreadable cell of ``row``, which marks its field invalid."""
    for n, problem in problems:
        f, col, _ = plan[n]
        raw = raw_row[col] if problem.raw is None else problem.raw
        findings.append(finding(problem.rule, row=row.number, column=col + 1, cell=a1(row.number, col + 1),
                                field=f.key, value=convert.display(raw), **base, **_params(f), **problem.params))
        row.mark_invalid(f.key)


def _example(plan, absent: dict) -> dict | None:
    """The template's example row as read values, so a row left in by mistake is not data."""
    values = dict(absent)
    for f, _, read_cell in plan:
        raw = ";".join(map(str, f.example)) if isinstance(f.example, list) else f.example
        value = read_cell("" if raw is None else raw)
        if value.__class__ is Problem:
            return None
        values[f.key] = value
    return values if len(plan) >= 3 else None


def _blank_row(cells: list) -> bool:
    return all(c == "" or c is None or (isinstance(c, str) and convert.is_blank(c)) for c in cells)
