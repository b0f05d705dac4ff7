"""Read a workbook into typed rows of one catalogue form, every problem a located finding.

The pipeline: sniff the bytes -> load cell grids (python-calamine; the csv module for CSV) ->
identify the form (``_osb`` sheet, then sheet name, then header match) -> find the header row
-> map labels to field keys -> convert every cell by its field type. Nothing here knows a
business rule; references to customers or products are checked later by :mod:`validate`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc

from . import convert, xlsxscan
from .catalogue import Catalogue, Field, Form
from .findings import Finding, a1, column_letter, finding
from .identify import OSB, Identified, identify, map_columns, osb_form
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


@dataclass(frozen=True, slots=True)
class Limits:
    header_rows: int = 20
    max_rows: int = 1_000_000
    max_uncompressed_mb: int = 200
    max_compression_ratio: int = 200


SNIFF_RULES = {"encrypted": "file-encrypted", "corrupt": "file-corrupt",
               "too-large": "file-too-large", "not-a-workbook": "not-a-workbook"}


def read(path: Path, catalogue: Catalogue, *, display: str | None = None,
         limits: Limits = Limits()) -> ReadResult:
    """Read one file. Never raises for bad input: problems become findings and a status."""
    result = ReadResult(path, display or path.name, "")
    sniffed = sniff(path, max_uncompressed_mb=limits.max_uncompressed_mb,
                    max_ratio=limits.max_compression_ratio)
    result.kind = sniffed.kind
    if not sniffed.readable:
        return _quarantine(result, SNIFF_RULES[sniffed.kind], detail=sniffed.detail)
    try:
        grids, date1904 = _load(path, sniffed)
    except pc.PasswordError:
        return _quarantine(result, "file-encrypted")
    except Exception as exc:  # calamine raises a zoo of errors for damaged files
        return _quarantine(result, "file-corrupt", detail=f"{type(exc).__name__}: {exc}"[:300])
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
    flags = _flags(path, sniffed, found, result)
    for sheet, header_row in found.sheets:
        _read_table(result, form, sheet, grids[sheet], header_row, flags.get(sheet, {}),
                    date1904, limits.max_rows)
    for note in found.notes:
        result.findings.append(_at(note, result))
    if not result.tables:
        result.status = "rejected"
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
    wb = pc.CalamineWorkbook.from_path(str(path))
    grids = {}
    for meta in wb.sheets_metadata:
        if meta.name != OSB and (
                meta.typ != pc.SheetTypeEnum.WorkSheet or meta.name in SKIP_SHEETS
                or meta.visible != pc.SheetVisibleEnum.Visible
                or convert.normalize_label(meta.name) in INSTRUCTION_SHEETS):
            continue
        grids[meta.name] = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
    return grids, False


def _flags(path: Path, sniffed: Sniffed, found: Identified, result: ReadResult) -> dict:
    if sniffed.kind not in {"xlsx", "xlsm"}:
        return {}
    try:
        return xlsxscan.scan_cells(path, {s for s, _ in found.sheets})
    except Exception as exc:  # an odd package layout: the cells themselves were still read
        result.findings.append(finding("sheet-formula-scan", file=result.file, detail=str(exc)[:200]))
        return {}


def _params(f: Field) -> dict[str, str]:
    return {"label": f.zh, "label_en": f.en}


_BLANK = ("blank", {})


def _cell_reader(f: Field, date1904: bool):
    """raw cell -> (value, problem); problem is None, _BLANK or (rule, params).

    Memoised per column: codes, names, dates and prices repeat down a sheet, so most cells
    cost one dict lookup. Booleans are kept apart from the numbers they compare equal to.
    """
    conv = convert.converter(f, date1904=date1904)
    ranged = f.min is not None or f.max is not None
    memo: dict = {"": (None, _BLANK), None: (None, _BLANK)}

    def compute(raw):
        if isinstance(raw, str) and convert.is_blank(raw):
            return None, _BLANK
        try:
            value = conv(raw)
        except convert.Invalid as bad:
            return None, (bad.rule, bad.params)
        if ranged and (bad := convert.check_range(value, f)):
            return None, ("out-of-range", bad)
        return value, None

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

    return read_cell


def _read_table(result: ReadResult, form: Form, sheet: str, grid: list[list], header_row: int,
                flags: dict[str, str], date1904: bool, max_rows: int) -> None:
    header = grid[header_row] if header_row < len(grid) else []
    columns, extra, notes = map_columns(form, header)
    base = {"file": result.file, "form": form.key, "sheet": sheet}
    for note in notes:
        result.findings.append(finding(note.rule, row=header_row + 1, column=note.column,
                                       cell=a1(header_row + 1, note.column), value=note.value,
                                       **base, **note.params))
    missing = [f for f in form.required if f.key not in columns]
    for f in missing:
        result.findings.append(finding("column-missing", row=header_row + 1, field=f.key,
                                       form_zh=form.zh, form_en=form.en, **base, **_params(f)))
    if missing:
        return
    table = Table(sheet, header_row + 1, {k: c + 1 for k, c in columns.items()}, [])
    plan = [(form.field(k), c, column_letter(c + 1), _cell_reader(form.field(k), date1904))
            for k, c in columns.items()]
    absent = dict.fromkeys(f.key for f in form.fields if f.key not in columns)
    example = _example(form, columns, absent, plan)
    findings = result.findings
    rows = table.rows
    end = min(len(grid), header_row + 1 + max_rows)
    for index in range(header_row + 1, end):
        cells = grid[index]
        width = len(cells)
        number = index + 1
        values = dict(absent)
        row = Row(sheet, number, values)
        filled = False
        for f, col, letter, read_cell in plan:
            value, problem = read_cell(cells[col] if col < width else "")
            values[f.key] = value
            if problem is None:
                filled = True
                continue
            if problem is _BLANK:
                if not flags:
                    continue
                flag = flags.get(f"{letter}{number}")
                if flag is None:
                    continue
                problem = ("formula-error", {}) if flag else ("formula-no-cache", {})
                raw = flag
            else:
                raw = cells[col]
            rule, params = problem
            findings.append(finding(rule, row=number, column=col + 1, cell=f"{letter}{number}",
                                    field=f.key, value=convert.display(raw), **base,
                                    **_params(f), **params))
            row.mark_invalid(f.key)
        for header_text, col in extra.items():
            if col < width and cells[col] != "" and not convert.is_blank(cells[col]):
                row.extra[header_text] = cells[col]
        if values == example:
            findings.append(finding("example-row-skipped", row=number, **base))
        elif filled or row.errors or row.extra or not _blank_row(cells):
            rows.append(row)
    if not rows:
        findings.append(finding("no-rows", row=header_row + 1, **base))
    if len(grid) > end and end == header_row + 1 + max_rows:
        findings.append(finding("too-many-rows", row=end + 1, limit=max_rows, **base))
    result.tables.append(table)


def _example(form: Form, columns: dict, absent: dict, plan) -> dict | None:
    """The template's example row as read values, so a row left in by mistake is not data."""
    values = dict(absent)
    for f, _, _, read_cell in plan:
        raw = f.example
        if isinstance(raw, list):
            raw = ";".join(map(str, raw))
        value, problem = read_cell(raw if raw is not None else "")
        if problem not in (None, _BLANK):
            return None
        values[f.key] = value
    return values if len(columns) >= 3 else None


def _blank_row(cells: list) -> bool:
    return all(c == "" or c is None or (isinstance(c, str) and convert.is_blank(c)) for c in cells)
