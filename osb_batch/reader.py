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
from .findings import Finding, a1, finding
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
    found = identify(grids, catalogue, limits.header_rows, osb_form(grids))
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
                                       **base, **_params(f)))
    if missing:
        return
    table = Table(sheet, header_row + 1, {k: c + 1 for k, c in columns.items()}, [])
    plan = [(form.field(k), c, convert.converter(form.field(k), date1904=date1904))
            for k, c in columns.items()]
    absent = [f.key for f in form.fields if f.key not in columns]
    findings = result.findings
    for index in range(header_row + 1, min(len(grid), header_row + 1 + max_rows)):
        cells = grid[index]
        if all(c == "" or c is None or (isinstance(c, str) and convert.is_blank(c)) for c in cells):
            if not flags or not any(a1(index + 1, c + 1) in flags for c in range(len(cells))):
                continue
        row = Row(sheet, index + 1, dict.fromkeys(absent))
        for f, col, conv in plan:
            raw = cells[col] if col < len(cells) else ""
            if raw == "" or raw is None or (isinstance(raw, str) and convert.is_blank(raw)):
                row.values[f.key] = None
                ref = a1(index + 1, col + 1)
                flag = flags.get(ref) if flags else None
                if flag is not None:
                    rule, value = ("formula-error", flag) if flag else ("formula-no-cache", "")
                    findings.append(finding(rule, row=index + 1, column=col + 1, cell=ref,
                                            field=f.key, value=value, **base, **_params(f)))
                    row.mark_invalid(f.key)
                continue
            try:
                value = conv(raw)
            except convert.Invalid as bad:
                findings.append(finding(bad.rule, row=index + 1, column=col + 1, cell=a1(index + 1, col + 1),
                                        field=f.key, value=convert.display(raw), **base,
                                        **_params(f), **bad.params))
                row.mark_invalid(f.key)
                value = None
            else:
                if (f.min is not None or f.max is not None) and (bad := convert.check_range(value, f)):
                    findings.append(finding("out-of-range", row=index + 1, column=col + 1,
                                            cell=a1(index + 1, col + 1), field=f.key,
                                            value=convert.display(raw), **base, **_params(f), **bad))
                    row.mark_invalid(f.key)
            row.values[f.key] = value
        for header_text, col in extra.items():
            if col < len(cells) and cells[col] != "":
                row.extra[header_text] = cells[col]
        table.rows.append(row)
    result.tables.append(table)
