"""The parts of a returned copy the XML patch writes whole: comments, their VML drawing and the
notes sheet; and the small parts it edits (relationships, the workbook, content types)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from osb_batch.findings import column_letter

from ..palette import COMMENT_FILL
from .marks import AUTHOR, MAX_COMMENT, NOTE_WIDTHS, NOTES_SHEET, Notes, clean_text, comment_size
from .ooxml import (
    CT_COMMENTS,
    CT_SHEET_MAIN,
    CT_VBA,
    CT_VML,
    NS_MAIN,
    NS_PKG_REL,
    NS_REL,
    XML_DECL,
    Package,
    Unsupported,
    element_prefix,
    esc,
    xstring,
)


def comments_xml(cells: Mapping[tuple[int, int], str]) -> bytes:
    items = []
    for (row, col), text in sorted(cells.items()):
        text = clean_text(text, MAX_COMMENT)
        items.append(f'<comment ref="{column_letter(col)}{row}" authorId="0"><text>'
                     f'<t xml:space="preserve">{xstring(text)}</t></text></comment>')
    xml = (f'<comments xmlns="{NS_MAIN}"><authors><author>{esc(AUTHOR)}</author></authors>'
           f'<commentList>{"".join(items)}</commentList></comments>')
    return XML_DECL + xml.encode("utf-8")


def vml_xml(cells: Mapping[tuple[int, int], str], blocks: Sequence[int]) -> bytes:
    """The classic VML drawing Excel needs to show the comments (hidden notes, 0-based rows)."""
    shapes = []
    for i, ((row, col), text) in enumerate(sorted(cells.items())):
        height, width = comment_size(clean_text(text, MAX_COMMENT))
        spid = blocks[i // 1023] * 1024 + i % 1023 + 1
        r0, c0 = row - 1, col - 1
        top = max(r0 - 1, 0)
        anchor = (f"{c0 + 1}, 15, {top}, 10, {c0 + 1 + width // 64}, {width % 64}, "
                  f"{top + height // 20}, {height % 20}")
        shapes.append(
            f'<v:shape id="_x0000_s{spid}" type="#_x0000_t202" style="position:absolute;'
            f'margin-left:59.25pt;margin-top:1.5pt;width:{width}px;height:{height}px;z-index:{i + 1};'
            f'visibility:hidden" fillcolor="{COMMENT_FILL}" o:insetmode="auto">'
            f'<v:fill color2="{COMMENT_FILL}"/><v:shadow on="t" color="black" obscured="t"/>'
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


def notes_xml(notes: Notes, styles: Mapping[str, int]) -> bytes:
    """The notes sheet as a worksheet part: inline strings only, never formulas."""
    rows: dict[int, list[str]] = {}
    for r, c, value, style in notes.cells:
        ref = f"{column_letter(c)}{r}"
        s = f' s="{styles[style]}"' if styles[style] else ""
        if value is None:
            rows.setdefault(r, []).append(f'<c r="{ref}"{s}/>')
        else:
            rows.setdefault(r, []).append(f'<c r="{ref}"{s} t="inlineStr"><is>'
                                          f'<t xml:space="preserve">{xstring(value)}</t></is></c>')
    data = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in sorted(rows.items()))
    last_col = column_letter(len(NOTE_WIDTHS))
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


def add_rels(xml: str | None, rels: Sequence[tuple[str, str, str]]) -> bytes:
    """A .rels part (``xml`` None: a new one) with relationships (id, type, target) added."""
    if xml is None:
        xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{NS_PKG_REL}"/>'
    added = "".join(f'<Relationship Id="{esc(i, True)}" Type="{t}" Target="{esc(target, True)}"/>'
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


def drop_rels(xml: str, ids: set[str]) -> str:
    def keep(m: re.Match) -> str:
        rid = re.search(r"""\sId=["']([^"']*)["']""", m.group(0))
        return "" if rid and rid.group(1) in ids else m.group(0)
    return re.sub(r"<Relationship\b[^>]*?(?:/>|>.*?</Relationship>)", keep, xml, flags=re.S)


def new_id(taken: set[str]) -> str:
    n = len(taken) + 1
    while f"rId{n}" in taken:
        n += 1
    taken.add(f"rId{n}")
    return f"rId{n}"


def edit_workbook(xml: str, sheet_id: int, rel_id: str, notes: Notes) -> bytes:
    """The notes sheet first and active; sheet-local names moved with their sheets."""
    p = element_prefix(xml, "workbook")
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
    new_sheet = f'<{p}sheet name="{esc(NOTES_SHEET, True)}" sheetId="{sheet_id}" {r}:id="{rel_id}"/>'
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
    last_col = column_letter(len(NOTE_WIDTHS))
    names = (f'<{p}definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
             f'{esc(quoted)}!$A${notes.header}:${last_col}${notes.last}</{p}definedName>'
             f'<{p}definedName name="_xlnm.Print_Titles" localSheetId="0">'
             f'{esc(quoted)}!${notes.header}:${notes.header}</{p}definedName>')
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


def edit_content_types(pkg: Package, dropped: set[str], added: Mapping[str, str]) -> bytes:
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
    new += "".join(f'<Override PartName="/{esc(part, True)}" ContentType="{ct}"/>' for part, ct in added.items())
    if "</Types>" not in xml:
        raise Unsupported("odd [Content_Types].xml")
    i = xml.rindex("</Types>")
    return (xml[:i] + new + xml[i:]).encode("utf-8")


