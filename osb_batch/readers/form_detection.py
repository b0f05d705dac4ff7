"""Which form a workbook holds and where its header is.

Order of evidence: the hidden ``_osb`` sheet written into every template; then a sheet named
after a form (key, Chinese or English name); then the header row that matches a form's labels
best within the first rows. An unknown or ambiguous workbook yields a finding that names the
closest forms, so staff learn which template they should have used.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from osb_batch.catalogue import Catalogue, Form
from osb_batch.findings import Finding, column_letter, finding

from .cell_values import is_blank, normalize_label

OSB = "_osb"
SHEET_ROW, SHOWN = "sheet", "shown"     # an `_osb` row naming a sheet the batch wrote for reading only


@dataclass(slots=True)
class Identified:
    form: str
    sheets: list[tuple[str, int]] = field(default_factory=list)   # (sheet, 0-based header row)
    notes: list[Finding] = field(default_factory=list)
    others: dict[str, list[tuple[str, int]]] = field(default_factory=dict)   # other forms' sheets, by form


@dataclass(frozen=True, slots=True)
class ColumnNote:
    rule: str
    column: int          # 1-based
    value: str
    params: dict


_LABELS: dict[tuple, dict[str, str]] = {}


def labels(form: Form) -> dict[str, str]:
    """Normalised label (Chinese, Traditional, English, key) -> field key."""
    signature = (form.key, tuple(f.labels for f in form.fields))
    index = _LABELS.get(signature)
    if index is None:
        index = {}
        for f in form.fields:
            for text in f.labels:
                index.setdefault(normalize_label(text), f.key)
        _LABELS[signature] = index
    return index


def osb_form(grids: dict[str, list[list]]) -> str | None:
    grid = grids.get(OSB)
    if grid and grid[0] and len(grid[0]) > 1 and str(grid[0][0]).strip() == "form":
        return str(grid[0][1]).strip() or None
    return None


def _osb_rows(grids: dict[str, list[list]], kind: str) -> list[list]:
    """The ``_osb`` rows below its header: ``column`` rows (a column letter in A) or ``sheet`` rows."""
    rows = (grids.get(OSB) or [])[3:]
    return [r for r in rows if r and (str(r[0]).strip() == SHEET_ROW) == (kind == SHEET_ROW)]


def osb_informational(grids: dict[str, list[list]]) -> set[str]:
    """Column letters the ``_osb`` sheet marks ``~key``: figures shown for reading, not form fields."""
    return {str(r[0]).strip() for r in _osb_rows(grids, "column")
            if len(r) > 1 and isinstance(r[1], str) and r[1].startswith("~")}


def osb_fill(grids: dict[str, list[list]]) -> set[str]:
    """Column letters the ``_osb`` sheet marks ``fill``: what the recipient of an output fills in."""
    return {str(r[0]).strip() for r in _osb_rows(grids, "column") if len(r) > 2 and str(r[2]).strip() == "fill"}


def osb_shown(grids: dict[str, list[list]]) -> set[str]:
    """Sheets the ``_osb`` sheet names ``shown``: written by the batch for reading beside the form
    (an approval workbook's order lines), skipped without a word when the workbook comes back."""
    return {str(r[1]) for r in _osb_rows(grids, SHEET_ROW) if len(r) > 2 and str(r[2]).strip() == SHOWN}


def _data_sheets(grids):
    """The sheets that may hold a form: not ``_osb``, not those it names ``shown``."""
    shown = osb_shown(grids)
    return [name for name in grids if name != OSB and name not in shown]


def _header_score(form: Form, row: list) -> int:
    index = labels(form)
    hits = {index.get(normalize_label(c)) for c in row if isinstance(c, str) and c.strip()}
    hits.discard(None)
    return len(hits)


def best_header(form: Form, grid: list[list], rows: int) -> tuple[int, int]:
    """(0-based row, score) of the row within the first ``rows`` that best matches the form."""
    best = (-1, 0)
    for i, row in enumerate(grid[:rows]):
        score = _header_score(form, row)
        if score > best[1]:
            best = (i, score)
    return best


def _acceptable(form: Form, score: int) -> bool:
    return score >= min(2, len(form.fields))


def _candidates(catalogue: Catalogue) -> list[Form]:
    return [f for f in catalogue if f.kind in ("input", "other")]


def _by_sheet_name(catalogue: Catalogue, sheet: str) -> Form | None:
    wanted = normalize_label(sheet)
    for form in _candidates(catalogue):
        if wanted in {normalize_label(n) for n in form.names}:
            return form
    return None


def _strength(candidate: tuple[float, int, Form, int]) -> tuple:
    """Complete forms first, then the most labels matched, then forms the batch acts on."""
    coverage, score, form, _ = candidate
    return (coverage >= 1.0, score, form.kind == "input", coverage)


def _plausible(candidate: tuple[float, int, Form, int]) -> bool:
    coverage, score, form, _ = candidate
    return _acceptable(form, score) and (coverage >= 0.5 or score >= 3)


def _rank(catalogue: Catalogue, grid: list[list], rows: int) -> list[tuple[float, int, Form, int]]:
    ranked = []
    for form in _candidates(catalogue):
        row, score = best_header(form, grid, rows)
        if score:
            if form.required:
                coverage = sum(1 for f in form.required if _in_row(form, f.key, grid[row])) / len(form.required)
            else:
                coverage = score / len(form.fields)
            ranked.append((coverage, score, form, row))
    ranked.sort(key=_strength, reverse=True)
    return ranked


def _in_row(form: Form, key: str, row: list) -> bool:
    index = labels(form)
    return any(index.get(normalize_label(c)) == key for c in row if isinstance(c, str))


def _closest(catalogue: Catalogue, grids, rows: int, file_stem: str) -> dict[str, str]:
    """The three forms the sheet comes closest to, named in Chinese (closest) and English (closest_en)."""
    scores: dict[str, float] = {}
    names = {normalize_label(n): f.key for f in _candidates(catalogue) for n in f.names}
    for name in _name_parts(file_stem):
        for match in difflib.get_close_matches(name, names, n=3, cutoff=0.6):
            scores[names[match]] = max(scores.get(names[match], 0), 0.9)
    for sheet in _data_sheets(grids):
        for coverage, score, form, _ in _rank(catalogue, grids[sheet], rows):
            scores[form.key] = max(scores.get(form.key, 0), coverage + score / 100)
        for match in difflib.get_close_matches(normalize_label(sheet), names, n=3, cutoff=0.5):
            scores[names[match]] = max(scores.get(names[match], 0), 0.5)
    return _named([catalogue[k] for k in sorted(scores, key=scores.get, reverse=True)[:3]])


def _named(forms: list[Form]) -> dict[str, str]:
    return {"closest": "、".join(f"{f.zh}（{f.key}）" for f in forms) or "无",
            "closest_en": ", ".join(f"{f.en} ({f.key})" for f in forms) or "none"}


def _name_parts(stem: str) -> list[str]:
    """'客户主数据-华东-1126' -> the normalised file name and each part of it."""
    parts = [stem, *stem.replace("_", "-").replace(" ", "-").split("-")]
    return [normalize_label(p) for p in parts if p.strip()]


def identify(grids: dict[str, list[list]], catalogue: Catalogue, rows: int,
             osb: str | None, file_stem: str = "") -> Identified | Finding:
    """Decide the form and its header row per sheet; a Finding when the workbook is unknown."""
    sheets = _data_sheets(grids)
    form = catalogue[osb] if osb in catalogue and catalogue[osb].kind != "output" else None
    if form is None:
        for sheet in sheets:
            form = _by_sheet_name(catalogue, sheet)
            if form:
                break
    if form is None:
        form, problem = _by_header(catalogue, grids, rows, file_stem)
        if problem:
            return problem
    found = Identified(form.key)
    for sheet in sheets:
        other = None if osb else _sheet_form(catalogue, grids[sheet], sheet, rows, form)
        row, score = best_header(form, grids[sheet], rows)
        if other is not None:
            found.others.setdefault(other.key, []).append((sheet, best_header(other, grids[sheet], rows)[0]))
        elif _acceptable(form, score) or (score and _by_sheet_name(catalogue, sheet) is form):
            found.sheets.append((sheet, row))
        elif any(not is_blank(c) for r in grids[sheet][:rows] for c in r):
            found.notes.append(finding("header-not-found", sheet=sheet, form=form.key, rows=rows)
                               if len(sheets) == 1 else finding("sheet-ignored", sheet=sheet, form=form.key))
    if not found.sheets and not found.notes:
        found.notes.append(finding("header-not-found", sheet=sheets[0] if sheets else "",
                                   form=form.key, rows=rows))
    return found


def _sheet_form(catalogue: Catalogue, grid: list[list], sheet: str, rows: int, form: Form) -> Form | None:
    """The form a sheet holds when it is another than the workbook's ``form``: named after one,
    or headed by one (unambiguously and not as well as by ``form``); None otherwise."""
    named = _by_sheet_name(catalogue, sheet)
    if named is not None:
        return None if named is form else named
    ranked = [r for r in _rank(catalogue, grid, rows) if _plausible(r)]
    if not ranked or ranked[0][2] is form:
        return None
    top = ranked[0]
    if any(_strength(r) == _strength(top) for r in ranked[1:]):
        return None
    return top[2]


def _by_header(catalogue: Catalogue, grids, rows: int, file_stem: str) -> tuple[Form | None, Finding | None]:
    best: list[tuple[float, int, Form, int]] = []
    for sheet in _data_sheets(grids):
        best += [r for r in _rank(catalogue, grids[sheet], rows) if _plausible(r)]
    best.sort(key=_strength, reverse=True)
    if not best:
        return None, finding("form-unknown", **_closest(catalogue, grids, rows, file_stem))
    top = best[0]
    rivals = [b for b in best[1:] if _strength(b) == _strength(top) and b[2] is not top[2]]
    if rivals:
        return None, finding("form-ambiguous", **_named([b[2] for b in [top, *rivals][:3]]))
    return top[2], None


def header_rows(form: Form, grid: list[list], row: int) -> tuple[list, int]:
    """The header of the table whose best header row is ``row`` (0-based), and its first data row.

    A two-row header (数量/单价/金额 under a merged 数量金额, 订单号 merged down both rows) is read
    as one: where the row below holds only labels of ``form``, its labels fill in (and replace the
    group title above them); where the row above holds labels in the columns left blank here,
    they fill those blanks.
    """
    header = list(grid[row]) if row < len(grid) else []
    index = labels(form)
    below = grid[row + 1] if row + 1 < len(grid) else []
    if _only_labels(index, below):
        width = max(len(header), len(below))
        header += [None] * (width - len(header))
        for col, cell in enumerate(below):
            if not _blank(cell):
                header[col] = cell
        return header, row + 2
    above = grid[row - 1] if row > 0 else []
    fills = {col: cell for col, cell in enumerate(above)
             if not _blank(cell) and (col >= len(header) or _blank(header[col]))}
    if fills and all(isinstance(c, str) and normalize_label(c) in index for c in fills.values()):
        header += [None] * (max(fills) + 1 - len(header))
        for col, cell in fills.items():
            header[col] = cell
    return header, row + 1


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and is_blank(cell))


def _only_labels(index: dict[str, str], row: list) -> bool:
    cells = [c for c in row if not _blank(c)]
    return bool(cells) and all(isinstance(c, str) and normalize_label(c) in index for c in cells)


def map_columns(form: Form, header: list) -> tuple[dict[str, int], dict[str, int], list[ColumnNote]]:
    """Header cells -> (field key -> 0-based column, unknown header text -> column, notes)."""
    index = labels(form)
    columns: dict[str, int] = {}
    extra: dict[str, int] = {}
    notes: list[ColumnNote] = []
    for col, cell in enumerate(header):
        if cell is None or (isinstance(cell, str) and is_blank(cell)):
            continue
        key = index.get(normalize_label(cell))
        if key is None:
            extra[str(cell).strip()] = col
            notes.append(ColumnNote("column-unknown", col + 1, str(cell).strip(), {}))
        elif key in columns:
            f = form.field(key)
            notes.append(ColumnNote("column-duplicate", col + 1, str(cell).strip(),
                                    {"label": f.zh, "label_en": f.en, "other": column_letter(columns[key] + 1)}))
        else:
            columns[key] = col
    return columns, extra, notes

