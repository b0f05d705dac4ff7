"""The marked worksheets of a returned copy, streamed: only the marked rows are edited.

A worksheet is scanned once for where its rows are (:class:`SheetXml`); :class:`SheetPatch` then
copies it chunk by chunk, giving the marked cells the red formats and adding the legacyDrawing
that shows their comments. A sheet that is not marked is copied with its tab unselected.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from osb_batch.findings import column_letter

from .marks import Box
from .ooxml import CHUNK, NS_MAIN, NS_REL, TAG, Unsupported, check_xml, col_index
from .styles import Styles

# CT_Worksheet children that come after legacyDrawing (mc:AlternateContent wraps controls/oleObjects)
AFTER_LEGACY = {b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects", b"controls",
                b"webPublishItems", b"tableParts", b"extLst", b"AlternateContent"}

_ANY_TAG = re.compile(rb"<(/?)([A-Za-z_][\w.:-]*)" + TAG)
_R_ATTR = re.compile(rb"""\sr=["'](\d+)["']""")
_CELL_REF = re.compile(rb"""\sr=["']([A-Z]{1,3})(\d+)["']""")
_S_ATTR = re.compile(rb"""\ss=["'](\d+)["']""")
_SPANS = re.compile(rb"""\sspans=["']([^"']*)["']""")
_TAB_SELECTED = re.compile(rb"""(<(?:[A-Za-z_][\w.-]*:)?sheetView\b[^>]*?)\s+tabSelected=["'](?:1|true)["']""")


@dataclass
class SheetXml:
    """Where a worksheet part's rows are: everything around them is small and kept in memory."""

    part: str
    p: bytes                 # element prefix, b"" or b"x:"
    head: bytes              # up to and including the <sheetData> tag
    body_start: int          # byte offsets of the rows
    body_end: int
    tail: bytes              # from </sheetData> (empty <sheetData/>: what follows it)
    empty: bool              # <sheetData/>
    merged: list[Box]


def scan_sheet(zf: zipfile.ZipFile, part: str) -> SheetXml:
    """Read a worksheet once, keeping its head and tail (merged ranges live in the tail)."""
    with zf.open(part) as src:
        p, head = _read_head(src, part)
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
            body_end, tail = body_start, rest + src.read()
        else:
            body_end, tail = _read_rows(src, part, b"</" + p + b"sheetData>", rest, body_start)
    if b"<!" in head or b"<!" in tail:
        raise Unsupported(f"{part} has XML comments or CDATA")
    merged = []
    for ref in re.findall(rb"<" + re.escape(p) + rb"""mergeCell\b[^>]*?\sref=["']([^"']+)["']""", tail):
        a, _, b = ref.decode().partition(":")
        (r1, c1), (r2, c2) = _ref(a), _ref(b or a)
        merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return SheetXml(part, p, head, body_start, body_end, tail, empty, merged)


def _read_head(src, part: str) -> tuple[bytes, bytes]:
    """The element prefix of a worksheet in the transitional namespace, and what was read of it."""
    head = b""
    while True:
        chunk = src.read(CHUNK)
        head += chunk
        root = re.search(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet\b[^>]*>", head)
        if root or not chunk:
            break
    check_xml(head[:CHUNK], part)
    if not root:
        raise Unsupported(f"{part} is not a worksheet")
    prefix = root.group(1) or b""
    declared = re.search(rb"\sxmlns" + (b":" + prefix if prefix else b"") + rb"""=["']([^"']*)["']""",
                         root.group(0))
    if not declared or declared.group(1) != NS_MAIN.encode():
        raise Unsupported(f"{part} is not in the transitional namespace")
    return (prefix + b":" if prefix else b""), head


def _read_rows(src, part: str, closing: bytes, rest: bytes, offset: int) -> tuple[int, bytes]:
    """Read past the rows (``rest`` was read after the ``<sheetData>`` tag at byte ``offset``):
    the byte offset where they end, and everything from ``closing`` on."""
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
    return offset + i, rest[i:] + src.read()


def _ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref.strip().upper())
    if not m:
        raise Unsupported(f"odd cell reference {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


class SheetPatch:
    """Streams one worksheet, giving the marked cells the red formats and adding legacyDrawing."""

    def __init__(self, sheet: SheetXml, cells: Sequence[tuple[int, int]], styles: Styles, rel_id: str):
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
                ref = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}".encode()
                head = head[:m.start(2)] + ref + head[m.end(2):]
            except Unsupported:
                pass
        root = re.search(rb"<" + re.escape(p) + rb"worksheet\b" + TAG, head)
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
        return b'<%bc r="%b%d" s="%d"/>' % (self.sheet.p, column_letter(col).encode(), n,
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
            col = col_index(ref.group(1)) if ref else col + 1
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


def unselect(zf: zipfile.ZipFile, part: str, out) -> None:
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


