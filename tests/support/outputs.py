"""Read a run's outputs back as people see them: the exceptions list and the returned copies."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from osb_batch.writers.returned import returned_copy_name
from osb_batch.writers.returned.marks import NOTES_SHEET

RED = "C7CE"     # the fill of a bad cell in a returned copy (writers/palette)


def run_folder(home: Path, manifest: dict) -> Path:
    return home / "outbox" / manifest["business_date"] / f"run-{manifest['run']:02d}"


def exception_rows(home: Path, manifest: dict) -> list[dict]:
    """Every row of the exceptions workbook's first sheet, as {header: value}; 规则 is the rule's
    slug (the hidden 规则代码 column), 规则名称 what people read."""
    path = run_folder(home, manifest) / f"异常清单-{manifest['business_date']}.xlsx"
    rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    at = next(n for n, r in enumerate(rows) if r and "规则代码" in r)
    header = tuple({"规则": "规则名称", "规则代码": "规则"}.get(h, h) for h in rows[at])
    return [dict(zip(header, r, strict=False)) for r in rows[at + 1:] if r and r[header.index("规则")]]


def red_cells(home: Path, manifest: dict, name: str) -> dict[str, str]:
    """{sheet!cell: comment} of the cells filled red in the returned copy of inbox file ``name``."""
    copy = openpyxl.load_workbook(run_folder(home, manifest) / returned_copy_name(name))
    return {f"{ws.title}!{c.coordinate}": c.comment.text if c.comment else ""
            for ws in copy.worksheets if ws.title != NOTES_SHEET for row in ws.iter_rows() for c in row
            if c.fill is not None and c.fill.fill_type == "solid" and str(c.fill.fgColor.rgb).upper().endswith(RED)}
