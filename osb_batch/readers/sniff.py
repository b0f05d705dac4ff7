"""What a file really is, decided from its first bytes, and whether it is safe to open.

A ``.xlsx`` name proves nothing: staff rename files, encrypted workbooks are OLE2 containers,
and many ``.xls`` files embed a zip. Zip archives are checked against the size and compression
limits of rules.toml before any parser sees them, and so is the area each worksheet spans:
python-calamine lays a sheet out as one dense grid from its first to its last cell, so a single
value typed at XFD1048576 would make it ask for hundreds of gigabytes and abort the process.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from osb_batch.findings import column_letter

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
ZIP_EMPTY = b"PK\x05\x06"
CELLS_PER_MB = 100_000       # a sheet may span as many cells as a dense sheet of the unpacked limit holds
FULL_SCAN_BYTES = 2_000_000  # larger sheets are vouched for by their <dimension> unless it is wide
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*(?<!/)>')   # <c .../> holds no value
# no \b before r=: it would cost the literal-prefix search (30x slower); sqref= and the like only
# make the bound larger, never smaller
_WIDE = (re.compile(rb'r="[A-Z]{3}'), re.compile(rb'r="[A-Z]{2}'))
_TALL = (re.compile(rb'r="[A-Z]+\d{7}'), re.compile(rb'r="[A-Z]+\d{6}'))


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str            # xlsx | xlsm | ods | xls | csv | encrypted | corrupt | too-large | sheet-too-large
    #                      | not-a-workbook
    detail: str = ""

    @property
    def details(self) -> dict[str, str]:
        """The detail as finding parameters: Chinese (``detail``) and English (``detail_en``)."""
        zh, _, en = self.detail.partition(" / ")
        return {"detail": zh, "detail_en": en or zh}

    @property
    def readable(self) -> bool:
        return self.kind in {"xlsx", "xlsm", "ods", "xls", "csv"}


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _ole2(data: bytes) -> Sniffed:
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return Sniffed("encrypted", "加密的 OLE2 容器 / encrypted OLE2 container")
    if _utf16("Workbook") in data or _utf16("Book\x00") in data:
        return Sniffed("xls")
    return Sniffed("not-a-workbook", "Office 文档但不含工作簿（如 Word、Publisher）/ an Office document without a workbook")


def _zip(path: Path, max_bytes: int, max_ratio: int) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > max_bytes:
                return Sniffed("too-large", f"解压后 {total // 1_000_000} MB / {total // 1_000_000} MB unpacked")
            if total > 1_000_000 and total / packed > max_ratio:
                return Sniffed("too-large", f"压缩比 / compression ratio {total // packed}:1")
            if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype"):
                return Sniffed("ods")
            if "[Content_Types].xml" in names:
                types = zf.read("[Content_Types].xml")
                kind = "xlsm" if b"macroEnabled" in types else "xlsx"
                if kind == "xlsm" or b"spreadsheetml" in types or any(n.startswith("xl/") for n in names):
                    return _too_wide(zf, infos, max_bytes // 1_000_000 * CELLS_PER_MB) or Sniffed(kind)
            return Sniffed("not-a-workbook", "压缩包中没有工作簿 / a zip archive without a workbook")
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, zlib.error, NotImplementedError, RuntimeError,
            ValueError) as exc:     # damaged members, unknown compression, encrypted members
        return Sniffed("corrupt", f"{type(exc).__name__}: {exc}")


def _too_wide(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], max_cells: int) -> Sniffed | None:
    """A "sheet-too-large" verdict when a worksheet's cells span more than ``max_cells``."""
    for info in infos:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        if info.file_size > FULL_SCAN_BYTES:
            with zf.open(info) as part:
                head = part.read(65536)
            if (area := _dimension_area(head)) is not None and area <= max_cells:
                continue
        data = zf.read(info)
        if _bound(data) > max_cells and (span := _span(data)) and span[0] > max_cells:
            return Sniffed("sheet-too-large", f"{span[1]}，{span[0]:,} 个单元格 / {span[0]:,} cells")
    return None


def _dimension_area(head: bytes) -> int | None:
    """The area a sheet's <dimension> declares, or None when it declares none."""
    found = _DIMENSION.search(head)
    if not found:
        return None
    first_col, first_row, last_col, last_row = found.groups()
    return (_column(last_col or first_col) - _column(first_col) + 1) * (int(last_row or first_row) - int(first_row) + 1)


def _bound(data: bytes) -> int:
    """An upper bound on a sheet's area from the widest column and the tallest row named (cheap searches)."""
    if _WIDE[0].search(data) or _TALL[0].search(data):
        return 2 ** 64          # three letters, or seven digits and more: look closely
    wide = 702 if _WIDE[1].search(data) else 26
    tall = 999_999 if _TALL[1].search(data) else 99_999
    return wide * tall


def _span(data: bytes) -> tuple[int, str] | None:
    """(cells, "A1:XFD1048576") of the box around the cells that may hold a value, as calamine lays it out."""
    refs = _REF.findall(data)
    if not refs:
        return None
    rows = [int(r) for _, r in refs]
    cols = [_column(c) for c, _ in refs]
    top, bottom, left, right = min(rows), max(rows), min(cols), max(cols)
    name = f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"
    return (bottom - top + 1) * (right - left + 1), name


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _text(data: bytes) -> Sniffed:
    if b"\x00" in data:
        return Sniffed("not-a-workbook", "二进制数据 / binary data")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(sep in text for sep in (",", "\t")):
            return Sniffed("csv", encoding)
    return Sniffed("not-a-workbook", "既不是工作簿也不是 CSV 文本 / neither a workbook nor CSV text")


def sniff(path: Path, *, max_uncompressed_mb: int = 200, max_ratio: int = 200) -> Sniffed:
    """Classify ``path`` by content; never trusts the extension."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        return Sniffed("not-a-workbook", "空文件（0 字节）/ empty file (0 bytes)")
    if head.startswith(ZIP) or head.startswith(ZIP_EMPTY):
        return _zip(path, max_uncompressed_mb * 1_000_000, max_ratio)
    if head.startswith(OLE2):
        with open(path, "rb") as fh:
            data = fh.read(4_000_000)
        return _ole2(data)
    with open(path, "rb") as fh:
        sample = fh.read(65536)
    return _text(sample)
