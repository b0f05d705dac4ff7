"""Owner files: what Excel, WPS and LibreOffice leave beside a workbook while it is open.

A workbook with an owner file beside it is being edited: taking it now would apply a version its
author is still changing and refuse the corrected one saved a minute later. The run leaves it in
the inbox and names who has it open, when the owner file says.

- Excel and WPS write ``~$`` + the workbook's name (Word, and LibreOffice imitating it, drop the
  first one or two characters of a long name). The file starts with a length byte and the user
  name in the Windows code page, padded with spaces; from byte 54 (Word) or 55 (Excel) a
  two-byte length and the name again in UTF-16-LE.
- LibreOffice writes ``.~lock.`` + the name + ``#``: one UTF-8 line
  ``name,system user,host,time,profile;`` with ``,`` ``;`` ``\\`` escaped by a backslash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MSO_PREFIX = "~$"
LO_PREFIX, LO_SUFFIX = ".~lock.", "#"
MSO_MAX_USER = 52


@dataclass(frozen=True, slots=True)
class OpenElsewhere:
    path: Path           # the workbook
    owner_file: Path
    user: str            # who has it open, as the owner file says ("" when it does not)


def is_owner_file(name: str) -> bool:
    return name.startswith(MSO_PREFIX) or (name.startswith(LO_PREFIX) and name.endswith(LO_SUFFIX))


def _owner_names(name: str) -> list[str]:
    """The owner-file names a program may give while ``name`` is open, the exact ones first."""
    names = [MSO_PREFIX + name, f"{LO_PREFIX}{name}{LO_SUFFIX}"]
    stem = len(Path(name).stem)
    if stem >= 8:
        names.append(MSO_PREFIX + name[2:])
    elif stem == 7:
        names.append(MSO_PREFIX + name[1:])
    return names


def holder(path: Path, owners: set[Path]) -> OpenElsewhere | None:
    """Who has ``path`` open, if one of ``owners`` (the owner files found) belongs to it.

    A shortened owner name belongs to ``path`` only when no workbook carries it exactly.
    """
    for n, name in enumerate(_owner_names(path.name)):
        owner = path.with_name(name)
        if owner in owners and (n < 2 or not path.with_name(name[len(MSO_PREFIX):]).is_file()):
            return OpenElsewhere(path, owner, owner_user(owner))
    return None


def owner_user(owner: Path) -> str:
    """The user named in an owner file, or "" when it cannot be read or names nobody."""
    try:
        with open(owner, "rb") as fh:
            data = fh.read(256)
    except OSError:
        return ""
    user = _lo_user(data) if owner.name.startswith(LO_PREFIX) else _mso_user(data)
    return " ".join("".join(ch for ch in user if ch.isprintable() and ch != "\ufffd").split())


def _mso_user(data: bytes) -> str:
    size = data[0] if data else 0
    if not 0 < size <= MSO_MAX_USER:
        return ""
    if len(data) >= 162:
        at = 54
        if data[at] == 0x20 and (data[at - 1] or data[at - 2]):     # Excel: the length sits one byte later
            at = 55
        wide = data[at]
        if 0 < wide <= MSO_MAX_USER and len(data) >= at + 2 + 2 * wide:
            return data[at + 2:at + 2 + 2 * wide].decode("utf-16-le", errors="replace")
    return data[1:1 + size].decode("gbk", errors="replace")


def _lo_user(data: bytes) -> str:
    fields = [re.sub(r"\\(.)", r"\1", f)
              for f in re.split(r"(?<!\\),", data.decode("utf-8", errors="replace"))]
    return fields[0] or (fields[1] if len(fields) > 1 else "")
