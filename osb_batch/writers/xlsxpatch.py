"""The fast path of returned copies: mark an .xlsx/.xlsm by patching its XML, not by loading it.

Every part of the package is copied unchanged except the few that must change: styles (a red
clone of each marked cell's format), the marked sheets (streamed in chunks, only marked rows
edited), the workbook (the notes sheet first), relationships and content types. Comments (with
their VML drawing) and the notes sheet are added; macros are dropped. Anything this does not
handle raises :class:`Unsupported`, and :mod:`osb_batch.writers.returned` uses openpyxl instead.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from osb_batch.findings import Finding

from .common import atomic_path
from .returned import (
    AUTHOR,
    HEAD_FILL,
    MARK,
    MAX_COMMENT,
    NOTE_WIDTHS,
    NOTES_SHEET,
    RED,
    WARNING_COLOR,
    Box,
    _clean,
    _comment_size,
    _marks,
    _Notes,
    _notes,
)


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
# CT_Worksheet children that come after legacyDrawing (mc:AlternateContent wraps controls/oleObjects)
AFTER_LEGACY = {b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects", b"controls",
                b"webPublishItems", b"tableParts", b"extLst", b"AlternateContent"}

_TAG = rb"""((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>"""          # a tag's attributes, then / when empty
_ANY_TAG = re.compile(rb"<(/?)([A-Za-z_][\w.:-]*)" + _TAG)
_R_ATTR = re.compile(rb"""\sr=["'](\d+)["']""")
_CELL_REF = re.compile(rb"""\sr=["']([A-Z]{1,3})(\d+)["']""")
_S_ATTR = re.compile(rb"""\ss=["'](\d+)["']""")
_SPANS = re.compile(rb"""\sspans=["']([^"']*)["']""")
_TAB_SELECTED = re.compile(rb"""(<(?:[A-Za-z_][\w.-]*:)?sheetView\b[^>]*?)\s+tabSelected=["'](?:1|true)["']""")
_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding=["']([^"']+)["']""")


def patchable(source: Path) -> bool:
    """An Office Open XML package (content types, package relationships): worth trying to patch.
    ``_Package`` then insists on a transitional spreadsheet workbook part."""
    try:
        if not zipfile.is_zipfile(source):
            return False
        with zipfile.ZipFile(source) as zf:
            names = {n.lower() for n in zf.namelist()}
        return "[content_types].xml" in names and "_rels/.rels" in names
    except Exception:
        return False


def _esc(text: str, attr: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if attr:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _xstring(text: str) -> str:
    """Text of a cell or comment: escaped, and a literal ``_x000D_`` kept literal (Excel reads
    ``_xHHHH_`` as the character HHHH unless its underscore is written as ``_x005F_``)."""
    return _esc(re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", text))


def _col_index(letters: bytes | str) -> int:
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _target(base: str, target: str) -> str:
    """The zip name a relationship target of ``base`` points at (absolute ``/xl/..`` or relative)."""
    target = urllib.parse.unquote(target)
    name = target[1:] if target.startswith("/") else posixpath.join(posixpath.dirname(base), target)
    return posixpath.normpath(name)


def _check_xml(data: bytes, part: str) -> None:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Unsupported(f"{part} has a DTD")
    m = _ENCODING.match(data)
    if m and m.group(1).lower() not in (b"utf-8", b"utf8"):
        raise Unsupported(f"{part} is encoded in {m.group(1).decode(errors='replace')}")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise Unsupported(f"{part} is UTF-16")


def _prefix(xml: str, root: str, ns: str = NS_MAIN) -> str:
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
class _Rel:
    id: str
    type: str
    target: str              # the zip name it points at ("" for an external target)


class _Package:
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
        _check_xml(data, part)
        return data

    def text(self, part: str) -> str:
        return self.read(part).decode("utf-8-sig")

    def rels(self, part: str) -> list[_Rel]:
        name = _rels_name(part) if part else "_rels/.rels"
        if not self.has(name):
            return []
        root = ET.fromstring(self.read(name))
        rels = []
        for e in root.iter(f"{{{NS_PKG_REL}}}Relationship"):
            external = e.get("TargetMode", "") == "External"
            rels.append(_Rel(e.get("Id", ""), e.get("Type", ""),
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


# -- styles

class _Styles:
    """styles.xml with a red fill and clones of the marked cells' formats appended."""

    def __init__(self, xml: str):
        self.xml = xml
        p = self.p = _prefix(xml, "styleSheet")
        self.fonts = self._items("fonts", "font")
        self.fills = self._items("fills", "fill")
        self.xfs = self._items("cellXfs", "xf")
        if not self.fonts or not self.fills or not self.xfs:
            raise Unsupported("styles.xml without fonts, fills or cell formats")
        self.new = {"fonts": [], "fills": [], "cellXfs": []}
        self.clones: dict[int, int] = {}
        self.red_fill = self._add("fills", self._fill(RED))
        self.notes: dict[str, int] = {"": 0}
        plain = self.fonts[0]
        bold = self._font(plain, bold=True)
        head_fill = self._add("fills", self._fill(HEAD_FILL))
        top = f'<{p}alignment vertical="top"/>'
        self.notes["title"] = self._xf(font=self._font(plain, bold=True, size=14))
        self.notes["warning"] = self._xf(font=self._font(plain, bold=True, color=WARNING_COLOR))
        self.notes["head"] = self._xf(font=bold, fill=head_fill)
        self.notes["top"] = self._xf(alignment=top)
        self.notes["wrap"] = self._xf(alignment=f'<{p}alignment vertical="top" wrapText="1"/>')
        self.notes["error"] = self._xf(fill=self.red_fill, alignment=top)

    def _section(self, tag: str, xml: str = "") -> re.Match | None:
        p = re.escape(self.p)
        return re.search(rf"<{p}{tag}\b[^>]*?(?:/>|>(.*?)</{p}{tag}>)", xml or self.xml, re.S)

    def _items(self, tag: str, item: str) -> list[str]:
        m = self._section(tag)
        if not m:
            return []
        p = re.escape(self.p)
        return re.findall(rf"<{p}{item}\b[^>]*?/>|<{p}{item}\b[^>]*>.*?</{p}{item}>", m.group(1) or "", re.S)

    def _add(self, tag: str, xml: str) -> int:
        base = {"fonts": self.fonts, "fills": self.fills, "cellXfs": self.xfs}[tag]
        self.new[tag].append(xml)
        return len(base) + len(self.new[tag]) - 1

    def _fill(self, rgb: str) -> str:
        p = self.p
        return (f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="{rgb}"/>'
                f'<{p}bgColor rgb="{rgb}"/></{p}patternFill></{p}fill>')

    def _font(self, base: str, *, bold: bool = False, size: int = 0, color: str = "") -> int:
        """A copy of the workbook's default font (``base``), bold / resized / coloured."""
        p = re.escape(self.p)
        inner = re.sub(rf"^<{p}font\b[^>]*?/?>|</{p}font>$", "", base.strip())
        drop = ["b"] + (["sz"] if size else []) + (["color"] if color else [])
        for tag in drop:
            inner = re.sub(rf"<{p}{tag}\b[^>]*?(?:/>|>.*?</{p}{tag}>)", "", inner, flags=re.S)
        q = self.p
        inner = (f"<{q}b/>" if bold else "") + inner
        if size:
            inner += f'<{q}sz val="{size}"/>'
        if color:
            inner += f'<{q}color rgb="{color}"/>'
        return self._add("fonts", f"<{q}font>{inner}</{q}font>")

    def _xf(self, *, font: int = 0, fill: int = 0, alignment: str = "") -> int:
        p = self.p
        attrs = f'numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
        attrs += ' applyFont="1"' if font else ""
        attrs += ' applyFill="1"' if fill else ""
        if alignment:
            return self._add("cellXfs", f'<{p}xf {attrs} applyAlignment="1">{alignment}</{p}xf>')
        return self._add("cellXfs", f"<{p}xf {attrs}/>")

    def red(self, s: int) -> int:
        """The index of the cell format ``s`` with the red fill (appended on first use)."""
        if s not in self.clones:
            if not 0 <= s < len(self.xfs):
                raise Unsupported(f"a cell uses the undefined format {s}")
            m = re.match(rf"<{re.escape(self.p)}xf\b" + _TAG.decode(), self.xfs[s])
            attrs = re.sub(r"""\s(?:fillId|applyFill)=["'][^"']*["']""", "", m.group(1))
            rest = self.xfs[s][m.end():]
            self.clones[s] = self._add("cellXfs", f'<{self.p}xf{attrs} fillId="{self.red_fill}" '
                                                  f'applyFill="1"{m.group(2)}>{rest}')
        return self.clones[s]

    def render(self) -> bytes:
        xml = self.xml
        p = self.p
        for tag, base in (("fonts", self.fonts), ("fills", self.fills), ("cellXfs", self.xfs)):
            added = self.new[tag]
            if not added:
                continue
            m = self._section(tag, xml)
            count = len(base) + len(added)
            opening = re.match(rf"<{re.escape(p)}{tag}\b[^>]*?(?=/?>)", m.group(0)).group(0)
            opening = re.sub(r"""\scount=["']\d*["']""", "", opening) + f' count="{count}"'
            body = (m.group(1) or "") + "".join(added)
            xml = xml[:m.start()] + f"{opening}>{body}</{p}{tag}>" + xml[m.end():]
        return xml.encode("utf-8")


# -- marked sheets, streamed

@dataclass
class _SheetXml:
    """Where a worksheet part's rows are: everything around them is small and kept in memory."""

    part: str
    p: bytes                 # element prefix, b"" or b"x:"
    head: bytes              # up to and including the <sheetData> tag
    body_start: int          # byte offsets of the rows
    body_end: int
    tail: bytes              # from </sheetData> (empty <sheetData/>: what follows it)
    empty: bool              # <sheetData/>
    merged: list[Box]


def _scan_sheet(zf: zipfile.ZipFile, part: str) -> _SheetXml:
    """Read a worksheet once, keeping its head and tail (merged ranges live in the tail)."""
    with zf.open(part) as src:
        head = b""
        while True:
            chunk = src.read(CHUNK)
            head += chunk
            root = re.search(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet\b[^>]*>", head)
            if root or not chunk:
                break
        _check_xml(head[:CHUNK], part)
        if not root:
            raise Unsupported(f"{part} is not a worksheet")
        prefix = root.group(1) or b""
        declared = re.search(rb"\sxmlns" + (b":" + prefix if prefix else b"") + rb"""=["']([^"']*)["']""",
                             root.group(0))
        if not declared or declared.group(1) != NS_MAIN.encode():
            raise Unsupported(f"{part} is not in the transitional namespace")
        p = prefix + b":" if prefix else b""
        opening = re.compile(rb"<" + re.escape(p) + rb"sheetData\b[^>]*?(/?)>")
        while not (m := opening.search(head)):
            chunk = src.read(CHUNK)
            if not chunk:
                raise Unsupported(f"{part} has no sheetData")
            head += chunk
        rest, head = head[m.end():], head[:m.end()]
        body_start = len(head)
        empty = bool(m.group(1))
        if empty:
            body_end = body_start
            tail = rest + src.read()
        else:
            closing = b"</" + p + b"sheetData>"
            offset = body_start
            while (i := rest.find(closing)) < 0:
                if b"<!" in rest:
                    raise Unsupported(f"{part} has comments or CDATA among its rows")
                keep = rest[-len(closing):]
                offset += len(rest) - len(keep)
                chunk = src.read(CHUNK)
                if not chunk:
                    raise Unsupported(f"{part}: no </sheetData>")
                rest = keep + chunk
            if b"<!" in rest[:i]:
                raise Unsupported(f"{part} has comments or CDATA among its rows")
            body_end = offset + i
            tail = rest[i:] + src.read()
    if b"<!" in head or b"<!" in tail:
        raise Unsupported(f"{part} has XML comments or CDATA")
    merged = []
    for ref in re.findall(rb"<" + re.escape(p) + rb"""mergeCell\b[^>]*?\sref=["']([^"']+)["']""", tail):
        a, _, b = ref.decode().partition(":")
        (r1, c1), (r2, c2) = _ref(a), _ref(b or a)
        merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return _SheetXml(part, p, head, body_start, body_end, tail, empty, merged)


def _ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref.strip().upper())
    if not m:
        raise Unsupported(f"odd cell reference {ref!r}")
    return int(m.group(2)), _col_index(m.group(1))


class _SheetPatch:
    """Streams one worksheet, giving the marked cells the red formats and adding legacyDrawing."""

    def __init__(self, sheet: _SheetXml, cells: Sequence[tuple[int, int]], styles: _Styles, rel_id: str):
        self.sheet = sheet
        self.styles = styles
        self.rel_id = rel_id
        p = re.escape(sheet.p)
        self.row_open = b"<" + sheet.p + b"row"
        self.row_close = b"</" + sheet.p + b"row>"
        self.row_re = re.compile(rb"<" + p + rb"row\b([^>]*?)(/?)>")
        self.cell_re = re.compile(rb"<" + p + rb"c\b([^>]*?)(/?)>")
        self.cols: dict[int, list[int]] = {}
        for row, col in sorted(set(cells)):
            self.cols.setdefault(row, []).append(col)
        self.pending = sorted(self.cols)
        self.next = 0            # index in pending
        self.last = 0            # the last row number seen

    def write(self, zf: zipfile.ZipFile, out) -> None:
        sheet = self.sheet
        with zf.open(sheet.part) as src:
            _skip(src, sheet.body_start)
            out.write(self.head())
            remaining = sheet.body_end - sheet.body_start
            buf = b""
            while remaining:
                chunk = src.read(min(CHUNK, remaining))
                if not chunk:
                    raise Unsupported(f"{sheet.part} ended early")
                remaining -= len(chunk)
                buf += chunk
                cut = buf.rfind(self.row_open) if remaining else len(buf)
                if cut > 0:
                    out.write(self.rows(buf[:cut]))
                    buf = buf[cut:]
            if buf:
                out.write(self.rows(buf))
        out.write(b"".join(self.new_row(n) for n in self.pending[self.next:]))
        out.write(self.tail())

    # the parts around the rows

    def head(self) -> bytes:
        sheet, p = self.sheet, self.sheet.p
        head = _TAB_SELECTED.sub(rb"\1", sheet.head)
        if sheet.empty:
            head = head[:head.rindex(b"<")] + b"<" + p + b"sheetData>"
        rows = [r for r in self.cols]
        cols = [c for cs in self.cols.values() for c in cs]
        dim = re.compile(rb"(<" + re.escape(p) + rb"""dimension\b[^>]*?\sref=["'])([^"']*)(["'])""")
        m = dim.search(head)
        if m and rows:
            try:
                a, _, b = m.group(2).decode().partition(":")
                (r1, c1), (r2, c2) = _ref(a), _ref(b or a)
                r1, c1 = min(r1, min(rows)), min(c1, min(cols))
                r2, c2 = max(r2, max(rows)), max(c2, max(cols))
                ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}".encode()
                head = head[:m.start(2)] + ref + head[m.end(2):]
            except Unsupported:
                pass
        root = re.search(rb"<" + re.escape(p) + rb"worksheet\b" + _TAG, head)
        declared = re.search(rb"""\sxmlns:([A-Za-z_][\w.-]*)=["']""" + re.escape(NS_REL.encode()) + rb"""["']""",
                             root.group(1))
        if declared:
            self.r = declared.group(1)
        else:
            self.r = b"r"
            while re.search(rb"\sxmlns:" + self.r + rb"=", root.group(1)):
                self.r += b"r"
            end = root.end() - len(root.group(2)) - 1
            head = head[:end] + b" xmlns:" + self.r + b'="' + NS_REL.encode() + b'"' + head[end:]
        return head

    def tail(self) -> bytes:
        sheet, p = self.sheet, self.sheet.p
        tail = (b"</" + p + b"sheetData>" + sheet.tail) if sheet.empty else sheet.tail
        depth, at = 0, None
        start = len(b"</" + p + b"sheetData>")
        for m in _ANY_TAG.finditer(tail, start):
            closing, name, _, empty = m.groups()
            local = name.rsplit(b":", 1)[-1]
            if depth == 0 and (closing or local in AFTER_LEGACY):
                at = m.start()
                break
            if local == b"legacyDrawing" and depth == 0:
                raise Unsupported(f"{sheet.part} already has a legacyDrawing")
            if closing:
                depth -= 1
            elif not empty:
                depth += 1
        if at is None:
            raise Unsupported(f"{sheet.part}: no </worksheet>")
        element = b"<" + p + b"legacyDrawing " + self.r + b':id="' + self.rel_id.encode() + b'"/>'
        return tail[:at] + element + tail[at:]

    # the rows

    def rows(self, region: bytes) -> bytes:
        if self.next >= len(self.pending):
            return region
        out, pos = [], 0
        for m in self.row_re.finditer(region):
            r = _R_ATTR.search(m.group(1))
            n = int(r.group(1)) if r else self.last + 1
            if n <= self.last:
                raise Unsupported(f"{self.sheet.part}: rows out of order")
            self.last = n
            while self.pending[self.next] < n:
                out += [region[pos:m.start()], self.new_row(self.pending[self.next])]
                pos = m.start()
                self.next += 1
                if self.next >= len(self.pending):
                    break
            if self.next < len(self.pending) and self.pending[self.next] == n:
                end = m.end() if m.group(2) else region.index(self.row_close, m.end()) + len(self.row_close)
                out += [region[pos:m.start()], self.patch_row(region[m.start():end], m, n)]
                pos = end
                self.next += 1
            if self.next >= len(self.pending):
                break
        out.append(region[pos:])
        return b"".join(out)

    def new_cell(self, n: int, col: int, s: int = 0) -> bytes:
        return b'<%bc r="%b%d" s="%d"/>' % (self.sheet.p, get_column_letter(col).encode(), n,
                                             self.styles.red(s))

    def new_row(self, n: int) -> bytes:
        p = self.sheet.p
        cells = b"".join(self.new_cell(n, col) for col in self.cols[n])
        return b'<%brow r="%d">%b</%brow>' % (p, n, cells, p)

    def patch_row(self, row: bytes, m: re.Match, n: int) -> bytes:
        p = self.sheet.p
        attrs, empty = m.group(1), bool(m.group(2))
        content = b"" if empty else row[m.end() - m.start():-len(self.row_close)]
        want = list(self.cols[n])
        out, pos, col = [], 0, 0
        for c in self.cell_re.finditer(content):
            if not want:
                break
            # a cell without a reference follows the one before it (so a new cell, which has one,
            # is never put in front of such a cell: it would move it)
            ref = _CELL_REF.search(c.group(1))
            col = _col_index(ref.group(1)) if ref else col + 1
            while want and want[0] < col:
                out += [content[pos:c.start()], self.new_cell(n, want.pop(0))]
                pos = c.start()
            if want and want[0] == col:
                want.pop(0)
                cell_attrs = c.group(1)
                s = _S_ATTR.search(cell_attrs)
                new = b"%d" % self.styles.red(int(s.group(1)) if s else 0)
                cell_attrs = (cell_attrs[:s.start(1)] + new + cell_attrs[s.end(1):]) if s \
                    else cell_attrs + b' s="' + new + b'"'
                out += [content[pos:c.start()], b"<" + p + b"c" + cell_attrs + c.group(2) + b">"]
                pos = c.end()
        if want:                                          # after the last cell, before a row's extLst
            ext = content.find(b"<" + p + b"extLst", pos)
            at = ext if ext >= 0 else len(content)
            out += [content[pos:at], *(self.new_cell(n, col) for col in want)]
            pos = at
        out.append(content[pos:])
        spans = _SPANS.search(attrs)
        if spans:
            try:
                bounds = [int(x) for x in re.split(rb"[:\s]+", spans.group(1).strip()) if x]
                cols = self.cols[n]
                new = b"%d:%d" % (min(bounds + cols), max(bounds + cols))
                attrs = attrs[:spans.start(1)] + new + attrs[spans.end(1):]
            except ValueError:
                attrs = attrs[:spans.start()] + attrs[spans.end():]
        return b"<" + p + b"row" + attrs + b">" + b"".join(out) + self.row_close


def _skip(src, n: int) -> None:
    while n > 0:
        chunk = src.read(min(CHUNK, n))
        if not chunk:
            raise Unsupported("a part ended early")
        n -= len(chunk)


def _unselect(zf: zipfile.ZipFile, part: str, out) -> None:
    """Copy a sheet part with ``tabSelected`` removed from its sheet views (near its start)."""
    with zf.open(part) as src:
        head = b""
        while True:
            chunk = src.read(CHUNK)
            head += chunk
            if not chunk or re.search(rb"</(?:[A-Za-z_][\w.-]*:)?sheetViews>|<(?:[A-Za-z_][\w.-]*:)?sheetData\b",
                                      head):
                break
        out.write(_TAB_SELECTED.sub(rb"\1", head))
        shutil.copyfileobj(src, out, CHUNK)


# -- new parts

def _comments_xml(cells: Mapping[tuple[int, int], str]) -> bytes:
    items = []
    for (row, col), text in sorted(cells.items()):
        text = _clean(text, MAX_COMMENT)
        items.append(f'<comment ref="{get_column_letter(col)}{row}" authorId="0"><text>'
                     f'<t xml:space="preserve">{_xstring(text)}</t></text></comment>')
    xml = (f'<comments xmlns="{NS_MAIN}"><authors><author>{_esc(AUTHOR)}</author></authors>'
           f'<commentList>{"".join(items)}</commentList></comments>')
    return XML_DECL + xml.encode("utf-8")


def _vml_xml(cells: Mapping[tuple[int, int], str], blocks: Sequence[int]) -> bytes:
    """The classic VML drawing Excel needs to show the comments (hidden notes, 0-based rows)."""
    shapes = []
    for i, ((row, col), text) in enumerate(sorted(cells.items())):
        height, width = _comment_size(_clean(text, MAX_COMMENT))
        spid = blocks[i // 1023] * 1024 + i % 1023 + 1
        r0, c0 = row - 1, col - 1
        top = max(r0 - 1, 0)
        anchor = (f"{c0 + 1}, 15, {top}, 10, {c0 + 1 + width // 64}, {width % 64}, "
                  f"{top + height // 20}, {height % 20}")
        shapes.append(
            f'<v:shape id="_x0000_s{spid}" type="#_x0000_t202" style="position:absolute;'
            f'margin-left:59.25pt;margin-top:1.5pt;width:{width}px;height:{height}px;z-index:{i + 1};'
            f'visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
            f'<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            f'<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            f'<div style="text-align:left"></div></v:textbox>'
            f'<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f'<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>'
            f'<x:Row>{r0}</x:Row><x:Column>{c0}</x:Column></x:ClientData></v:shape>')
    xml = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel">'
           f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{",".join(map(str, blocks))}"/>'
           '</o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
           'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
           '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
           f'{"".join(shapes)}</xml>')
    return xml.encode("utf-8")


def _notes_xml(notes: _Notes, styles: Mapping[str, int]) -> bytes:
    """The notes sheet as a worksheet part: inline strings only, never formulas."""
    rows: dict[int, list[str]] = {}
    for r, c, value, style in notes.cells:
        ref = f"{get_column_letter(c)}{r}"
        s = f' s="{styles[style]}"' if styles[style] else ""
        if value is None:
            rows.setdefault(r, []).append(f'<c r="{ref}"{s}/>')
        else:
            rows.setdefault(r, []).append(f'<c r="{ref}"{s} t="inlineStr"><is>'
                                          f'<t xml:space="preserve">{_xstring(value)}</t></is></c>')
    data = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in sorted(rows.items()))
    last_col = get_column_letter(len(NOTE_WIDTHS))
    header, first = notes.header, notes.header + 1
    cols = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
                   for c, w in enumerate(NOTE_WIDTHS, start=1))
    xml = (f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
           '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
           f'<dimension ref="A1:{last_col}{max(notes.last, max(rows))}"/>'
           f'<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
           f'<pane ySplit="{header}" topLeftCell="A{first}" activePane="bottomLeft" state="frozen"/>'
           f'<selection pane="bottomLeft" activeCell="A{first}" sqref="A{first}"/></sheetView></sheetViews>'
           f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>{data}</sheetData>'
           f'<autoFilter ref="A{header}:{last_col}{notes.last}"/>'
           '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
           '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
           '</worksheet>')
    return XML_DECL + xml.encode("utf-8")


# -- edits of small parts

def _add_rels(xml: str | None, rels: Sequence[tuple[str, str, str]]) -> bytes:
    """A .rels part (``xml`` None: a new one) with relationships (id, type, target) added."""
    if xml is None:
        xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{NS_PKG_REL}"/>'
    added = "".join(f'<Relationship Id="{_esc(i, True)}" Type="{t}" Target="{_esc(target, True)}"/>'
                    for i, t, target in rels)
    if re.search(r"<Relationships\b[^>]*/>", xml):
        xml = re.sub(r"<Relationships\b([^>]*?)\s*/>", lambda m: f"<Relationships{m.group(1)}>{added}</Relationships>",
                     xml, count=1)
    elif "</Relationships>" in xml:
        i = xml.rindex("</Relationships>")
        xml = xml[:i] + added + xml[i:]
    else:
        raise Unsupported("odd relationships part")
    return xml.encode("utf-8")


def _drop_rels(xml: str, ids: set[str]) -> str:
    def keep(m: re.Match) -> str:
        rid = re.search(r"""\sId=["']([^"']*)["']""", m.group(0))
        return "" if rid and rid.group(1) in ids else m.group(0)
    return re.sub(r"<Relationship\b[^>]*?(?:/>|>.*?</Relationship>)", keep, xml, flags=re.S)


def _new_id(taken: set[str]) -> str:
    n = len(taken) + 1
    while f"rId{n}" in taken:
        n += 1
    taken.add(f"rId{n}")
    return f"rId{n}"


def _edit_workbook(xml: str, sheet_id: int, rel_id: str, notes: _Notes) -> bytes:
    """The notes sheet first and active; sheet-local names moved with their sheets."""
    p = _prefix(xml, "workbook")
    q = re.escape(p)
    root = re.search(rf"<{q}workbook\b[^>]*>", xml)
    declared = re.search(rf"""\sxmlns:([A-Za-z_][\w.-]*)=["']{re.escape(NS_REL)}["']""", root.group(0))
    if declared:
        r = declared.group(1)
    else:
        r = "r"
        while re.search(rf"\sxmlns:{r}=", root.group(0)):
            r += "r"
        end = root.end() - (2 if root.group(0).endswith("/>") else 1)
        xml = xml[:end] + f' xmlns:{r}="{NS_REL}"' + xml[end:]
    sheets = re.search(rf"<{q}sheets\b[^>]*>", xml)
    if not sheets or sheets.group(0).endswith("/>"):
        raise Unsupported("workbook without sheets")
    new_sheet = f'<{p}sheet name="{_esc(NOTES_SHEET, True)}" sheetId="{sheet_id}" {r}:id="{rel_id}"/>'
    xml = xml[:sheets.end()] + new_sheet + xml[sheets.end():]
    # every sheet moved one place right
    xml = re.sub(rf"""(<{q}definedName\b[^>]*?\slocalSheetId=["'])(\d+)(["'])""",
                 lambda m: f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}", xml)
    # open on the notes sheet
    def view(m: re.Match) -> str:
        return re.sub(r"""\s(?:activeTab|firstSheet)=["'][^"']*["']""", "", m.group(0))
    if re.search(rf"<{q}workbookView\b", xml):
        xml = re.sub(rf"<{q}workbookView\b[^>]*>", view, xml)
    else:
        at = re.search(rf"<{q}sheets\b", xml).start()
        xml = xml[:at] + f"<{p}bookViews><{p}workbookView/></{p}bookViews>" + xml[at:]
    # print titles and the filter's range of the notes sheet
    quoted = "'" + NOTES_SHEET.replace("'", "''") + "'"
    last_col = get_column_letter(len(NOTE_WIDTHS))
    names = (f'<{p}definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
             f'{_esc(quoted)}!$A${notes.header}:${last_col}${notes.last}</{p}definedName>'
             f'<{p}definedName name="_xlnm.Print_Titles" localSheetId="0">'
             f'{_esc(quoted)}!${notes.header}:${notes.header}</{p}definedName>')
    if m := re.search(rf"<{q}definedNames\b[^>]*?/>", xml):
        xml = xml[:m.start()] + f"<{p}definedNames>{names}</{p}definedNames>" + xml[m.end():]
    elif m := re.search(rf"<{q}definedNames\b[^>]*>", xml):
        xml = xml[:m.end()] + names + xml[m.end():]
    else:
        ends = [m.end() for tag in ("sheets", "functionGroups", "externalReferences")
                for m in re.finditer(rf"</{q}{tag}>|<{q}{tag}\b[^>]*?/>", xml)]
        at = max(ends)
        xml = xml[:at] + f"<{p}definedNames>{names}</{p}definedNames>" + xml[at:]
    return xml.encode("utf-8")


def _edit_content_types(pkg: _Package, dropped: set[str], added: Mapping[str, str]) -> bytes:
    xml = pkg.content_types

    def override(m: re.Match) -> str:
        part = re.search(r"""\sPartName=["']([^"']*)["']""", m.group(0))
        name = part.group(1).lstrip("/").lower() if part else ""
        if name in dropped:
            return ""
        if name == pkg.workbook.lower():
            return re.sub(r"""(\sContentType=["'])[^"']*(["'])""", rf"\g<1>{CT_SHEET_MAIN}\g<2>", m.group(0))
        return m.group(0)
    xml = re.sub(r"<Override\b[^>]*?(?:/>|>\s*</Override>)", override, xml)
    if pkg.workbook.lower() not in pkg.overrides:
        added = {pkg.workbook: CT_SHEET_MAIN, **added}
    # the vbaProject default goes when no .bin part is left to need it
    bins = [n for n in pkg.names if n.endswith(".bin") and n not in dropped and n not in pkg.overrides]
    if pkg.defaults.get("bin") == CT_VBA and not bins:
        xml = re.sub(r"""<Default\b[^>]*?\sExtension=["']bin["'][^>]*?/>""", "", xml, flags=re.I)
    new = ""
    if "vml" not in pkg.defaults and CT_COMMENTS in added.values():
        new += f'<Default Extension="vml" ContentType="{CT_VML}"/>'
    new += "".join(f'<Override PartName="/{_esc(part, True)}" ContentType="{ct}"/>' for part, ct in added.items())
    if "</Types>" not in xml:
        raise Unsupported("odd [Content_Types].xml")
    i = xml.rindex("</Types>")
    return (xml[:i] + new + xml[i:]).encode("utf-8")


# -- the whole copy

def patch_copy(source: Path, findings: Sequence[Finding], path: Path, lang: str) -> None:
    with zipfile.ZipFile(source) as zf:
        pkg = _Package(zf)
        pkg.refuse_previous_marks()
        parts = {name: part for name, part, _ in pkg.sheets if part}
        scanned: dict[str, _SheetXml] = {}
        titles = {name: name for name in parts}
        for f in findings:
            if f.sheet in parts and f.row > 0 and f.column > 0 and f.sheet not in scanned:
                scanned[f.sheet] = _scan_sheet(zf, parts[f.sheet])
        merged = {name: sheet.merged for name, sheet in scanned.items()}
        by_sheet: dict[str, dict[tuple[int, int], str]] = {}
        for (title, row, col), text in _marks(findings, titles, lang, merged).items():
            by_sheet.setdefault(title, {})[(row, col)] = text
        styles = _Styles(pkg.text(pkg.styles))
        notes = _notes(source.name, findings, lang, rebuilt_kind="")

        # macros: the VBA project, its signatures and their relationships go
        dropped: set[str] = set()
        vba = [r for r in pkg.workbook_rels if r.type == RT_VBA]
        for rel in vba:
            if rel.target:
                dropped |= {rel.target.lower(), _rels_name(rel.target).lower()}
                dropped |= {r.target.lower() for r in pkg.rels(rel.target) if r.target}
        dropped |= {n for n in pkg.names if posixpath.basename(n).startswith("vbaproject")}

        # new parts and their relationships
        taken: set[str] = set()
        workbook_ids = {r.id for r in pkg.workbook_rels}
        notes_part = pkg.free("xl/worksheets/sheet{}.xml", taken)
        notes_rel = _new_id(workbook_ids)
        added_types = {notes_part: CT_WORKSHEET}
        blocks_taken = set()
        for name in pkg.names:
            if name.endswith(".vml"):
                head = zf.read(pkg.names[name])[:4096]
                for data in re.findall(rb"""idmap\b[^>]*?\sdata=["']([^"']*)["']""", head):
                    blocks_taken |= {int(x) for x in re.findall(rb"\d+", data)}
        patches: dict[str, _SheetPatch] = {}
        sheet_rels: dict[str, tuple[str, bytes]] = {}
        new_parts: dict[str, bytes] = {}
        for title, cells in by_sheet.items():
            part = parts[title]
            rels = pkg.rels(part)
            if any(r.type in (RT_COMMENTS, RT_VML) for r in rels):
                raise Unsupported(f"sheet {title} already has comments or a VML drawing")
            ids = {r.id for r in rels}
            comments_part = pkg.free("xl/comments{}.xml", taken)
            vml_part = pkg.free("xl/drawings/vmlDrawing{}.vml", taken)
            vml_id, comments_id = _new_id(ids), _new_id(ids)
            folder = posixpath.dirname(part)
            rels_name = _rels_name(part)
            existing = pkg.name(rels_name) if pkg.has(rels_name) else rels_name
            sheet_rels[rels_name.lower()] = (existing, _add_rels(
                pkg.text(rels_name) if pkg.has(rels_name) else None,
                [(vml_id, RT_VML, posixpath.relpath(vml_part, folder)),
                 (comments_id, RT_COMMENTS, posixpath.relpath(comments_part, folder))]))
            blocks = []
            block = 1
            while len(blocks) * 1023 < len(cells):
                while block in blocks_taken:
                    block += 1
                blocks.append(block)
                blocks_taken.add(block)
            new_parts[comments_part] = _comments_xml(cells)
            new_parts[vml_part] = _vml_xml(cells, blocks)
            added_types[comments_part] = CT_COMMENTS
            patches[part.lower()] = _SheetPatch(scanned[title], list(cells), styles, vml_id)
        new_parts[notes_part] = _notes_xml(notes, styles.notes)

        workbook_rels = _drop_rels(pkg.text(_rels_name(pkg.workbook)), {r.id for r in vba})
        notes_target = posixpath.relpath(notes_part, posixpath.dirname(pkg.workbook))
        sheet_id = max([i for _, _, i in pkg.sheets] + [0]) + 1
        edited = {   # lower-case zip name -> (zip name, new content)
            "[content_types].xml": ("[Content_Types].xml", _edit_content_types(pkg, dropped, added_types)),
            pkg.workbook.lower(): (pkg.workbook, _edit_workbook(pkg.text(pkg.workbook), sheet_id, notes_rel, notes)),
            _rels_name(pkg.workbook).lower(): (_rels_name(pkg.workbook),
                                               _add_rels(workbook_rels, [(notes_rel, RT_WORKSHEET, notes_target)])),
            **sheet_rels,
        }
        sheet_parts = {part.lower() for part in parts.values()}
        sheet_parts |= {r.target.lower() for r in pkg.workbook_rels if r.type.endswith("/chartsheet") and r.target}
        now = dt.datetime.now().timetuple()[:6]

        def member(name: str, like: zipfile.ZipInfo | None = None) -> zipfile.ZipInfo:
            info = zipfile.ZipInfo(name, like.date_time if like else now)
            info.compress_type = zipfile.ZIP_DEFLATED
            return info

        with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                key = info.filename.lower()
                if key in dropped or info.is_dir() or key == pkg.styles.lower():
                    continue                       # styles: written once every marked sheet is
                big = info.file_size > (1 << 30)
                if key in edited:
                    out.writestr(member(info.filename, info), edited.pop(key)[1])
                elif key in patches:
                    with out.open(member(info.filename, info), "w", force_zip64=big) as dst:
                        patches[key].write(zf, dst)
                elif key in sheet_parts:
                    with out.open(member(info.filename, info), "w", force_zip64=big) as dst:
                        _unselect(zf, info.filename, dst)
                else:
                    with zf.open(info) as src, out.open(member(info.filename, info), "w", force_zip64=big) as dst:
                        shutil.copyfileobj(src, dst, CHUNK)
            for name, data in edited.values():          # new relationship parts of marked sheets
                out.writestr(member(name), data)
            for name, data in new_parts.items():
                out.writestr(member(name), data)
            out.writestr(member(pkg.styles, zf.getinfo(pkg.styles)), styles.render())
