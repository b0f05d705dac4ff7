"""What a file really is, decided from its first bytes, and whether it is safe to open.

A ``.xlsx`` name proves nothing: staff rename files, encrypted workbooks are OLE2 containers,
and many ``.xls`` files embed a zip. Zip archives are checked against the size and compression
limits of rules.toml before any parser sees them.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
ZIP_EMPTY = b"PK\x05\x06"


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str            # xlsx | xlsm | ods | xls | csv | encrypted | corrupt | too-large | not-a-workbook
    detail: str = ""

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
                if b"macroEnabled" in types:
                    return Sniffed("xlsm")
                if b"spreadsheetml" in types or any(n.startswith("xl/") for n in names):
                    return Sniffed("xlsx")
            return Sniffed("not-a-workbook", "压缩包中没有工作簿 / a zip archive without a workbook")
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as exc:
        return Sniffed("corrupt", f"{type(exc).__name__}: {exc}")


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
