"""The fast path of returned copies: mark an .xlsx/.xlsm by patching its XML, not by loading it.

Every part of the package is copied unchanged except the few that must change: styles (a red
clone of each marked cell's format), the marked sheets (streamed in chunks, only marked rows
edited), the workbook (the notes sheet first), relationships and content types. Comments (with
their VML drawing) and the notes sheet are added; macros are dropped. Anything this does not
handle raises :class:`~.ooxml.Unsupported`, and the openpyxl fallback takes over.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from osb_batch.findings import Finding

from ..common import atomic_path
from .marks import Notes, cell_marks, notes_sheet
from .ooxml import (
    CHUNK,
    CT_COMMENTS,
    CT_WORKSHEET,
    RT_COMMENTS,
    RT_VBA,
    RT_VML,
    RT_WORKSHEET,
    Package,
    Unsupported,
    rels_name,
)
from .parts import (
    add_rels,
    comments_xml,
    drop_rels,
    edit_content_types,
    edit_workbook,
    new_id,
    notes_xml,
    vml_xml,
)
from .sheets import SheetPatch, SheetXml, scan_sheet, unselect
from .styles import Styles

SHAPES_PER_BLOCK = 1023         # comment shapes one VML id block numbers


def patch_copy(source: Path, findings: Sequence[Finding], path: Path, lang: str) -> None:
    """Write the marked copy of the .xlsx/.xlsm ``source`` to ``path`` by patching its XML.

    Raises :class:`~.ooxml.Unsupported` (or whatever a damaged part raises) for a workbook it
    does not handle; ``path`` is then left untouched.
    """
    with zipfile.ZipFile(source) as zf:
        pkg = Package(zf)
        pkg.refuse_previous_marks()
        parts = {name: part for name, part, _ in pkg.sheets if part}
        sheets: dict[str, SheetXml] = {}
        for f in findings:
            if f.sheet in parts and f.row > 0 and f.column > 0 and f.sheet not in sheets:
                sheets[f.sheet] = scan_sheet(zf, parts[f.sheet])
        copy = _Copy(zf, pkg, Styles(pkg.text(pkg.styles)))
        notes = notes_sheet(source.name, findings, lang, rebuilt_kind="")
        notes_part, notes_rel = copy.reserve_notes()
        for title, cells in _marks_by_sheet(findings, parts, sheets, lang).items():
            copy.add_comments(title, parts[title], sheets[title], cells)
        copy.new_parts[notes_part] = notes_xml(notes, copy.styles.notes)
        copy.edit_workbook(notes, notes_part, notes_rel)
        copy.write(path, sheet_parts=set(parts.values()))


def _marks_by_sheet(findings: Sequence[Finding], parts: Mapping[str, str], sheets: Mapping[str, SheetXml],
                    lang: str) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name -> (row, column) -> comment text of the cells to mark."""
    titles = {name: name for name in parts}
    merged = {name: sheet.merged for name, sheet in sheets.items()}
    by_sheet: dict[str, dict[tuple[int, int], str]] = {}
    for (title, row, col), text in cell_marks(findings, titles, lang, merged).items():
        by_sheet.setdefault(title, {})[(row, col)] = text
    return by_sheet


def _macros(pkg: Package) -> tuple[set[str], set[str]]:
    """The lower-case zip names of the VBA project, its signatures and their relationships, and
    the ids of the workbook's relationships to them: all dropped."""
    dropped: set[str] = set()
    vba = [r for r in pkg.workbook_rels if r.type == RT_VBA]
    for rel in vba:
        if rel.target:
            dropped |= {rel.target.lower(), rels_name(rel.target).lower()}
            dropped |= {r.target.lower() for r in pkg.rels(rel.target) if r.target}
    dropped |= {n for n in pkg.names if posixpath.basename(n).startswith("vbaproject")}
    return dropped, {r.id for r in vba}


def _vml_blocks(zf: zipfile.ZipFile, pkg: Package) -> set[int]:
    """The shape id blocks the package's VML drawings already use."""
    taken: set[int] = set()
    for name in pkg.names:
        if name.endswith(".vml"):
            head = zf.read(pkg.names[name])[:4096]
            for data in re.findall(rb"""idmap\b[^>]*?\sdata=["']([^"']*)["']""", head):
                taken |= {int(x) for x in re.findall(rb"\d+", data)}
    return taken


class _Copy:
    """The changes the copy makes to the package: parts dropped, edited, added and streamed."""

    def __init__(self, zf: zipfile.ZipFile, pkg: Package, styles: Styles):
        self.zf, self.pkg, self.styles = zf, pkg, styles
        self.dropped, self.vba_ids = _macros(pkg)
        self.taken: set[str] = set()                            # new zip names, lower case
        self.blocks_taken = _vml_blocks(zf, pkg)
        self.added_types: dict[str, str] = {}
        self.new_parts: dict[str, bytes] = {}
        self.sheet_rels: dict[str, tuple[str, bytes]] = {}      # lower-case zip name -> (zip name, content)
        self.edited: dict[str, tuple[str, bytes]] = {}
        self.patches: dict[str, SheetPatch] = {}

    def reserve_notes(self) -> tuple[str, str]:
        """The zip name of the notes sheet and the id of the workbook's relationship to it."""
        part = self.pkg.free("xl/worksheets/sheet{}.xml", self.taken)
        self.added_types[part] = CT_WORKSHEET
        return part, new_id({r.id for r in self.pkg.workbook_rels})

    def add_comments(self, title: str, part: str, sheet: SheetXml, cells: Mapping[tuple[int, int], str]) -> None:
        """Comments and their VML drawing for the marked sheet ``title``, related from it; its patch."""
        pkg = self.pkg
        rels = pkg.rels(part)
        if any(r.type in (RT_COMMENTS, RT_VML) for r in rels):
            raise Unsupported(f"sheet {title} already has comments or a VML drawing")
        ids = {r.id for r in rels}
        comments_part = pkg.free("xl/comments{}.xml", self.taken)
        vml_part = pkg.free("xl/drawings/vmlDrawing{}.vml", self.taken)
        vml_id, comments_id = new_id(ids), new_id(ids)
        folder = posixpath.dirname(part)
        name = rels_name(part)
        existing = pkg.name(name) if pkg.has(name) else name
        self.sheet_rels[name.lower()] = (existing, add_rels(
            pkg.text(name) if pkg.has(name) else None,
            [(vml_id, RT_VML, posixpath.relpath(vml_part, folder)),
             (comments_id, RT_COMMENTS, posixpath.relpath(comments_part, folder))]))
        self.new_parts[comments_part] = comments_xml(cells)
        self.new_parts[vml_part] = vml_xml(cells, self._blocks(len(cells)))
        self.added_types[comments_part] = CT_COMMENTS
        self.patches[part.lower()] = SheetPatch(sheet, list(cells), self.styles, vml_id)

    def _blocks(self, shapes: int) -> list[int]:
        blocks: list[int] = []
        block = 1
        while len(blocks) * SHAPES_PER_BLOCK < shapes:
            while block in self.blocks_taken:
                block += 1
            blocks.append(block)
            self.blocks_taken.add(block)
        return blocks

    def edit_workbook(self, notes: Notes, notes_part: str, notes_rel: str) -> None:
        """Content types, the workbook (the notes sheet first) and its relationships."""
        pkg = self.pkg
        workbook_rels = drop_rels(pkg.text(rels_name(pkg.workbook)), self.vba_ids)
        notes_target = posixpath.relpath(notes_part, posixpath.dirname(pkg.workbook))
        sheet_id = max([i for _, _, i in pkg.sheets] + [0]) + 1
        self.edited = {
            "[content_types].xml": ("[Content_Types].xml", edit_content_types(pkg, self.dropped, self.added_types)),
            pkg.workbook.lower(): (pkg.workbook, edit_workbook(pkg.text(pkg.workbook), sheet_id, notes_rel, notes)),
            rels_name(pkg.workbook).lower(): (rels_name(pkg.workbook),
                                              add_rels(workbook_rels, [(notes_rel, RT_WORKSHEET, notes_target)])),
            **self.sheet_rels,
        }

    def write(self, path: Path, sheet_parts: set[str]) -> None:
        """The new package: every part copied, edited, streamed or added; styles last."""
        zf, pkg, edited = self.zf, self.pkg, self.edited
        unselected = {part.lower() for part in sheet_parts}
        unselected |= {r.target.lower() for r in pkg.workbook_rels if r.type.endswith("/chartsheet") and r.target}
        with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                key = info.filename.lower()
                if key in self.dropped or info.is_dir() or key == pkg.styles.lower():
                    continue                       # styles: written once every marked sheet is
                if key in edited:
                    out.writestr(_member(info.filename, info), edited.pop(key)[1])
                    continue
                big = info.file_size > (1 << 30)
                with out.open(_member(info.filename, info), "w", force_zip64=big) as dst:
                    self._copy_part(info, key in unselected, dst)
            for name, data in edited.values():          # new relationship parts of marked sheets
                out.writestr(_member(name), data)
            for name, data in self.new_parts.items():
                out.writestr(_member(name), data)
            out.writestr(_member(pkg.styles, zf.getinfo(pkg.styles)), self.styles.render())

    def _copy_part(self, info: zipfile.ZipInfo, is_sheet: bool, dst) -> None:
        key = info.filename.lower()
        if key in self.patches:
            self.patches[key].write(self.zf, dst)
        elif is_sheet:
            unselect(self.zf, info.filename, dst)
        else:
            with self.zf.open(info) as src:
                shutil.copyfileobj(src, dst, CHUNK)


def _member(name: str, like: zipfile.ZipInfo | None = None) -> zipfile.ZipInfo:
    """A deflated zip entry named ``name``, dated like ``like`` (or now)."""
    info = zipfile.ZipInfo(name, like.date_time if like else dt.datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
