"""What python-calamine does not tell: formula cells without a cached value, and error cells.

Both read back as empty from calamine. For OOXML workbooks this module scans each sheet's XML
(bytes only, no XML tree) for ``<f>`` cells with an empty ``<v>`` and for ``t="e"`` cells, so
the reader can say "open and save the file in Excel/WPS" or "#N/A" at the exact cell.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_STRING_TYPE = re.compile(rb'\bt="str"')
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member path of its XML part."""
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    parts = {}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet"):
            target = targets.get(sheet.get(_REL_NS), "")
            if not target:
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            parts[sheet.get("name")] = path
    return parts


def scan_cells(path: Path, sheets: set[str] | None = None) -> dict[str, dict[str, str]]:
    """For each named sheet (all when None): A1 ref -> "" (formula without cached value) or the error text.

    Cells without an ``r`` attribute cannot be located and are skipped; a workbook this scan
    cannot parse yields no flags (the caller reports a warning).
    """
    flags: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(path) as zf:
        parts = _sheet_parts(zf)
        for name in parts if sheets is None else sheets:
            member = parts.get(name)
            if not member:
                continue
            data = zf.read(member)
            if b"<f" not in data and b't="e"' not in data:
                continue
            found: dict[str, str] = {}
            for attrs, body in _CELL.findall(data):
                body = body or b""
                is_error = _ERROR_TYPE.search(attrs)
                has_formula = _FORMULA.search(body)
                if not (is_error or has_formula):
                    continue
                ref = _REF.search(attrs)
                if not ref:
                    continue
                value = _VALUE.search(body)
                if is_error:
                    found[ref.group(1).decode()] = value.group(1).decode() if value else "#ERROR"
                elif value is None or not (value.group(1) or _STRING_TYPE.search(attrs)):
                    found[ref.group(1).decode()] = ""
            if found:
                flags[name] = found
    return flags
