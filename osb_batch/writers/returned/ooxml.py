"""The source workbook's Office Open XML package as the XML patch reads it.

Namespaces, relationship and content types, the parts and relationships of a package, and small
helpers for XML text. Anything the patch does not handle raises :class:`Unsupported`; the
openpyxl fallback then takes over.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .marks import MARK, NOTES_SHEET


class Unsupported(Exception):
    """The XML patch does not handle this workbook; the openpyxl path does."""


NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_OFFICE = NS_REL + "/officeDocument"
RT_WORKSHEET = NS_REL + "/worksheet"
RT_STYLES = NS_REL + "/styles"
RT_COMMENTS = NS_REL + "/comments"
RT_VML = NS_REL + "/vmlDrawing"
RT_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
CT_SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_WORKBOOKS = {
    CT_SHEET_MAIN,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_VBA = "application/vnd.ms-office.vbaProject"
XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CHUNK = 1 << 20
TAG = rb"""((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>"""          # a tag's attributes, then / when empty
_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding=["']([^"']+)["']""")


def patchable(source: Path) -> bool:
    """An Office Open XML package (content types, package relationships): worth trying to patch.
    ``Package`` then insists on a transitional spreadsheet workbook part."""
    try:
        if not zipfile.is_zipfile(source):
            return False
        with zipfile.ZipFile(source) as zf:
            names = {n.lower() for n in zf.namelist()}
        return "[content_types].xml" in names and "_rels/.rels" in names
    except Exception:
        return False


def esc(text: str, attr: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if attr:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def xstring(text: str) -> str:
    """Text of a cell or comment: escaped, and a literal ``_x000D_`` kept literal (Excel reads
    ``_xHHHH_`` as the character HHHH unless its underscore is written as ``_x005F_``)."""
    return esc(re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", text))


def col_index(letters: bytes | str) -> int:
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _target(base: str, target: str) -> str:
    """The zip name a relationship target of ``base`` points at (absolute ``/xl/..`` or relative)."""
    target = urllib.parse.unquote(target)
    name = target[1:] if target.startswith("/") else posixpath.join(posixpath.dirname(base), target)
    return posixpath.normpath(name)


def check_xml(data: bytes, part: str) -> None:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Unsupported(f"{part} has a DTD")
    m = _ENCODING.match(data)
    if m and m.group(1).lower() not in (b"utf-8", b"utf8"):
        raise Unsupported(f"{part} is encoded in {m.group(1).decode(errors='replace')}")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise Unsupported(f"{part} is UTF-16")


def element_prefix(xml: str, root: str, ns: str = NS_MAIN) -> str:
    """The element prefix ("" or "x:") of ``root``, checked to be in the namespace ``ns``."""
    m = re.search(rf"<(?:([A-Za-z_][\w.-]*):)?{root}\b[^>]*>", xml)
    if not m:
        raise Unsupported(f"no <{root}> element")
    prefix = m.group(1)
    declared = re.search(rf"""\sxmlns{':' + prefix if prefix else ''}=["']([^"']*)["']""", m.group(0))
    if not declared or declared.group(1) != ns:
        raise Unsupported(f"<{root}> is not in {ns} (strict OOXML?)")
    return prefix + ":" if prefix else ""


@dataclass
class Rel:
    id: str
    type: str
    target: str              # the zip name it points at ("" for an external target)


class Package:
    """The source workbook's zip: parts, relationships and content types, read on demand."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.names = {n.lower(): n for n in zf.namelist()}
        self.content_types = self.text("[Content_Types].xml")
        root = ET.fromstring(self.content_types)
        if root.tag != f"{{{NS_CT}}}Types":
            raise Unsupported("odd [Content_Types].xml")
        self.defaults = {e.get("Extension", "").lower(): e.get("ContentType", "")
                         for e in root.iter(f"{{{NS_CT}}}Default")}
        self.overrides = {e.get("PartName", "").lstrip("/").lower(): e.get("ContentType", "")
                          for e in root.iter(f"{{{NS_CT}}}Override")}
        office = [r for r in self.rels("") if r.type == RT_OFFICE]
        if len(office) != 1 or not self.has(office[0].target):
            raise Unsupported("no workbook part")
        self.workbook = self.name(office[0].target)
        if self.content_type(self.workbook) not in CT_WORKBOOKS:
            raise Unsupported(f"workbook part of type {self.content_type(self.workbook)}")
        self.workbook_rels = self.rels(self.workbook)
        by_id = {r.id: r for r in self.workbook_rels}
        if any(r.type.lower().endswith(("macrosheet", "dialogsheet")) for r in self.workbook_rels):
            raise Unsupported("macro or dialog sheets")
        wb = ET.fromstring(self.text(self.workbook))
        if wb.tag != f"{{{NS_MAIN}}}workbook":
            raise Unsupported("workbook not in the transitional namespace")
        self.sheets: list[tuple[str, str, int]] = []      # name, part ("" when not a worksheet), sheetId
        for e in wb.iter(f"{{{NS_MAIN}}}sheet"):
            rel = by_id.get(e.get(f"{{{NS_REL}}}id", ""))
            part = rel.target if rel is not None and rel.type == RT_WORKSHEET and self.has(rel.target) else ""
            self.sheets.append((e.get("name", ""), self.name(part) if part else "", int(e.get("sheetId", "0"))))
        styles = [r for r in self.workbook_rels if r.type == RT_STYLES and self.has(r.target)]
        if len(styles) != 1:
            raise Unsupported("no styles part")
        self.styles = self.name(styles[0].target)

    def has(self, part: str) -> bool:
        return part.lower() in self.names

    def name(self, part: str) -> str:
        return self.names[part.lower()]

    def read(self, part: str) -> bytes:
        data = self.zf.read(self.name(part))
        check_xml(data, part)
        return data

    def text(self, part: str) -> str:
        return self.read(part).decode("utf-8-sig")

    def rels(self, part: str) -> list[Rel]:
        name = rels_name(part) if part else "_rels/.rels"
        if not self.has(name):
            return []
        root = ET.fromstring(self.read(name))
        rels = []
        for e in root.iter(f"{{{NS_PKG_REL}}}Relationship"):
            external = e.get("TargetMode", "") == "External"
            rels.append(Rel(e.get("Id", ""), e.get("Type", ""),
                             "" if external else _target(part, e.get("Target", ""))))
        return rels

    def content_type(self, part: str) -> str:
        return self.overrides.get(part.lower()) or self.defaults.get(part.rsplit(".", 1)[-1].lower(), "")

    def refuse_previous_marks(self) -> None:
        """A returned copy sent back again (our notes sheet, or our comments anywhere)."""
        if any(name == NOTES_SHEET for name, _, _ in self.sheets):
            raise Unsupported(f"the workbook already has a sheet {NOTES_SHEET}")
        for _, part, _ in self.sheets:
            for rel in self.rels(part) if part else ():
                if rel.type == RT_COMMENTS and self.has(rel.target) and MARK in self.text(rel.target):
                    raise Unsupported("comments of an earlier returned copy")

    def free(self, pattern: str, taken: set[str]) -> str:
        """The first zip name ``pattern.format(n)`` (n = 1, 2, ...) not in the package nor ``taken``."""
        n = 1
        while self.has(pattern.format(n)) or pattern.format(n).lower() in taken:
            n += 1
        taken.add(pattern.format(n).lower())
        return pattern.format(n)


