"""Returned copies (退回修改件): the submitter's own workbook with the bad cells marked.

Every cell a finding points at is filled red and carries a comment saying what is wrong and what
to do; an added sheet 退回说明 lists every finding of the file, including those that have no cell
(a missing column, a file-level problem), so nothing is lost.

What to mark is the mark model (:mod:`.marks`), shared by two writers. An ``.xlsx``/``.xlsm`` is
first patched at the XML level (:mod:`.patch`): every part of the package is copied unchanged
except the few that must change, which takes seconds and little memory even for a sheet of
100,000 rows. A workbook the patch does not handle goes through openpyxl (:mod:`.fallback`),
which rebuilds what it cannot load from the cell values.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath

from osb_batch.findings import Finding

from ..common import safe_name
from . import ooxml, patch
from .grid import read_grid
from .marks import MARK, NOTES_SHEET, RED

log = logging.getLogger(__name__)


def returned_copy_name(source_name: str) -> str:
    """退回修改件-<stem>.xlsx: ``订单-华东-1126.xlsm`` -> ``退回修改件-订单-华东-1126.xlsx``."""
    stem = PurePath(str(source_name).replace("\\", "/")).stem
    return f"退回修改件-{safe_name(stem)}.xlsx"


def write_returned_copy(source: Path, findings: Sequence[Finding], path: Path, *, lang: str = "zh",
                        grid: Mapping[str, list[list]] | None = None) -> None:
    """Write the marked copy of ``source`` to ``path`` (always an .xlsx).

    An .xlsx/.xlsm is patched at the XML level (:mod:`.patch`); what the patch does not handle
    goes through openpyxl. Never raises for an odd workbook as long as its cell values can be read:
    when the original cannot be loaded or marked, a copy is rebuilt from ``grid`` (or from a fresh
    read of ``source``).
    """
    source = Path(source)
    lang = "en" if lang == "en" else "zh"
    if ooxml.patchable(source):
        try:
            patch.patch_copy(source, findings, path, lang)
            return
        except Exception as exc:  # the openpyxl path handles what the patch does not
            log.info("returned copy of %s: not patched in place (%s: %s), loading it with openpyxl",
                     source.name, type(exc).__name__, exc, exc_info=not isinstance(exc, ooxml.Unsupported))
    from . import fallback  # openpyxl is imported only when a copy needs it

    fallback.write_copy(source, findings, path, lang, grid)


__all__ = ["write_returned_copy", "returned_copy_name", "read_grid", "MARK", "NOTES_SHEET", "RED"]
