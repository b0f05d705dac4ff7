"""The cell values of a workbook, as the reader sees them: what a returned copy is rebuilt from
when its original cannot be loaded (kept apart from :mod:`.fallback`, so that importing it does
not import openpyxl)."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def read_grid(source: Path) -> dict[str, list[list]]:
    """Sheet name -> rows of cell values, as the reader sees them (csv module for .csv)."""
    source = Path(source)
    if source.suffix.lower() in {".csv", ".txt", ".tsv"}:
        raw = source.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            text = raw.decode("utf-8", errors="replace")
        dialect = "excel-tab" if text.count("\t") > text.count(",") else "excel"
        return {source.stem[:31] or "csv": [list(r) for r in csv.reader(io.StringIO(text), dialect)]}
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(source))
    grids: dict[str, list[list]] = {}
    for meta in wb.sheets_metadata:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue
        grids[meta.name] = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
    return grids
