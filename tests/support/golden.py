"""Golden files: a workbook as a normalised cell dump, compared as text.

A dump lists, sheet by sheet, every non-empty cell with its value (typed: dates ISO, numbers
as written, text quoted) and what a reader sees besides the value: number format, bold,
font and fill colours, comments; then merged ranges, frozen panes and the print area. Zip
bytes, timestamps inside the package and style indexes never appear, so a dump changes only
when what a person sees changes.

``pytest --update-golden`` rewrites the files under ``tests/golden/`` instead of comparing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _value(value) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _colour(colour) -> str | None:
    rgb = getattr(colour, "rgb", None)
    return rgb if isinstance(rgb, str) and rgb not in ("00000000", "FF000000") else None


def _looks(cell) -> str:
    parts = []
    if cell.number_format and cell.number_format != "General":
        parts.append(f"fmt={cell.number_format}")
    if cell.font is not None and cell.font.b:
        parts.append("bold")
    if cell.font is not None and (c := _colour(cell.font.color)):
        parts.append(f"font={c}")
    if cell.fill is not None and cell.fill.fill_type == "solid" and (c := _colour(cell.fill.fgColor)):
        parts.append(f"fill={c}")
    if cell.comment is not None:
        parts.append("comment=" + json.dumps(cell.comment.text, ensure_ascii=False))
    return (" " + " ".join(parts)) if parts else ""


def dump_workbook(path: Path) -> str:
    """The normalised cell dump of one workbook (see the module docstring)."""
    wb = openpyxl.load_workbook(path)
    lines: list[str] = []
    for ws in wb.worksheets:
        lines.append(f"## {ws.title} [{ws.sheet_state}]")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or cell.value == "":
                    continue
                value = _ARCHIVED.sub(r"\1<digest>-", _value(cell.value))
                lines.append(f"{cell.coordinate} {value}{_looks(cell)}")
        if ws.merged_cells.ranges:
            lines.append("merged " + " ".join(sorted(str(r) for r in ws.merged_cells.ranges)))
        if ws.freeze_panes:
            lines.append(f"frozen {ws.freeze_panes}")
        if ws.print_area:
            lines.append(f"print_area {ws.print_area}")
    wb.close()
    return "\n".join(lines) + "\n"


# an archived input's name starts with its digest, which changes with the zip's timestamps
_ARCHIVED = re.compile(r"(archive/\d{4}-\d\d-\d\d/)[0-9a-f]{16}-")
_DIGEST = re.compile(r'("sha256": )"[0-9a-f]{64}"')
_RUN_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d)?")


def dump_file(path: Path) -> str:
    """A dump of any output: workbooks by cell, JSON pretty-printed, text as it is; wall-clock
    times and file digests (which change with the zip's timestamps) are masked."""
    if path.suffix in (".xlsx", ".xlsm"):
        return dump_workbook(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        text = json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        text = _DIGEST.sub(r'\1"<sha256>"', text)
    return _RUN_TIME.sub("<time>", text)


def dump_tree(root: Path) -> dict[str, str]:
    """Every output file under ``root`` by its relative path -> its dump."""
    return {p.relative_to(root).as_posix(): dump_file(p)
            for p in sorted(root.rglob("*")) if p.is_file()}
