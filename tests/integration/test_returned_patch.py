"""Returned copies of .xlsx/.xlsm made by patching the package's XML (the fast path).

The result must be what the openpyxl path promises: the submitter's own workbook, unchanged except
the marked cells filled red with a comment, an added first sheet 退回说明, and no macros.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
import xlsxwriter
from openpyxl.styles import Font
from openpyxl.worksheet.table import Table

from osb_batch.findings import Finding, finding
from osb_batch.writers.returned import MARK, NOTES_SHEET, RED, fallback, ooxml, write_returned_copy

from ..conftest import LO_CHECK, lo_check_failures

ORDERS, OTHER = "订单", "备注"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
HEADER = ["订单号", "订单日期", "客户编码", "数量", "金额", "备注"]
DATA = [
    ["SO-1", dt.datetime(2026, 11, 26), "C001", 10, 1200.5, "加急"],
    ["SO-2", dt.datetime(2026, 11, 27), "C999", "十", 99, None],
    ["SO-3", dt.datetime(2026, 11, 28), "C002", 3, 12.25, "=1+1 as text"],
]


# -- sources ---------------------------------------------------------------------------------------

def _openpyxl_source(path: Path) -> Path:
    """Title merged over A1:F1, row 2 missing, header in row 3, data rows 4-6; a second sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ORDERS
    ws["A1"] = "订单（华东）"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    for c, head in enumerate(HEADER, start=1):
        ws.cell(3, c, head).font = Font(bold=True)
    for r, row in enumerate(DATA, start=4):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
        ws.cell(r, 2).number_format = "yyyy-mm-dd"
        ws.cell(r, 5).number_format = "#,##0.00"
    ws["C5"].font = Font(italic=True, color="FF0000FF")
    ws.freeze_panes = "A4"
    ws.column_dimensions["B"].width = 12
    ws.add_table(Table(displayName="Orders", ref="A3:F6"))
    ws.print_area = "A1:F6"                                    # a name local to 订单
    other = wb.create_sheet(OTHER)
    other["A1"] = "说明"
    other["B2"] = 42
    other.print_area = "A1:B2"                                 # a name local to 备注
    wb.defined_names["客户列表"] = openpyxl.workbook.defined_name.DefinedName(
        "客户列表", attr_text=f"'{ORDERS}'!$C$4:$C$6")
    wb.save(path)
    return path


def _xlsxwriter_source(path: Path, *, vba: Path | None = None, signature: Path | None = None) -> Path:
    """The same content as xlsxwriter writes it (shared strings, its own style and name layout)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    title = wb.add_format({"bold": True, "font_size": 14})
    bold = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "#,##0.00"})
    italic = wb.add_format({"italic": True, "font_color": "#0000FF"})
    ws = wb.add_worksheet(ORDERS)
    ws.merge_range("A1:F1", "订单（华东）", title)
    ws.write_row(2, 0, HEADER, bold)
    for r, row in enumerate(DATA, start=3):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, date)
            elif c == 4:
                ws.write_number(r, c, value, money)
            elif (r, c) == (4, 2):
                ws.write_string(r, c, value, italic)
            else:
                ws.write(r, c, value)
    ws.freeze_panes(3, 0)
    ws.set_column("B:B", 12)
    ws.print_area("A1:F6")
    ws.data_validation("D4:D6", {"validate": "integer", "criteria": ">", "value": 0})
    ws.ignore_errors({"number_stored_as_text": "A4:A6"})
    other = wb.add_worksheet(OTHER)
    other.write("A1", "说明")
    other.write("B2", 42)
    other.print_area("A1:B2")
    other.activate()                                           # tabSelected on the second sheet
    wb.define_name("客户列表", f"='{ORDERS}'!$C$4:$C$6")
    if vba is not None:
        if signature is not None:
            wb.add_signed_vba_project(str(vba), str(signature))
        else:
            wb.add_vba_project(str(vba))
    wb.close()
    return path


SOURCES = {"openpyxl": _openpyxl_source, "xlsxwriter": _xlsxwriter_source}


def _findings(file: str) -> list[Finding]:
    return [
        finding("unknown-customer", file=file, sheet=ORDERS, cell="C5", row=5, column=3,
                field="customer_code", value="C999"),                        # an existing cell
        finding("invalid-number", file=file, sheet=ORDERS, cell="D5", row=5, column=4, field="qty",
                value="十", label="数量"),
        finding("out-of-range", file=file, sheet=ORDERS, cell="D5", row=5, column=4, field="qty",
                value="十", label="数量", range="1–9999"),                   # two on one cell
        finding("required-missing", file=file, sheet=ORDERS, cell="B5", row=5, column=2,
                field="order_date", label="订单日期"),                        # a date cell
        finding("required-missing", file=file, sheet=ORDERS, cell="F5", row=5, column=6,
                field="note", label="备注"),                                  # blank, row exists
        finding("required-missing", file=file, sheet=ORDERS, cell="E2", row=2, column=5,
                field="amount", label="金额"),                                # row 2 does not exist
        finding("required-missing", file=file, sheet=ORDERS, cell="C9", row=9, column=3,
                field="customer_code", label="客户编码"),                     # after the last row
        finding("required-missing", file=file, sheet=ORDERS, cell="D1", row=1, column=4,
                field="title", label="标题"),                                 # inside A1:F1 -> A1
        finding("required-missing", file=file, sheet=OTHER, cell="B2", row=2, column=2,
                field="x", label="数值"),                                     # the other sheet
        finding("column-missing", file=file, form="orders", sheet=ORDERS, row=3, field="unit_price",
                label="单价"),                                                # no cell
        finding("file-duplicate", file=file, first="订单-旧.xlsx", date="2026-11-25"),
    ]


MARKED = {ORDERS: {"C5", "D5", "B5", "F5", "E2", "C9", "A1"}, OTHER: {"B2"}}


# -- helpers ---------------------------------------------------------------------------------------

def _patch_only(monkeypatch) -> None:
    """Fail the test if the openpyxl path (which starts by loading the original) is taken."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the openpyxl path was used")
    monkeypatch.setattr(fallback, "load_original", refuse)


def _openpyxl_only(monkeypatch) -> None:
    monkeypatch.setattr(ooxml, "patchable", lambda _source: False)


def _load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def _red(cell) -> bool:
    return cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == RED


def _comment(cell) -> str:
    return cell.comment.text if cell.comment is not None else ""


def _calamine(path: Path) -> dict[str, list[list]]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in wb.sheet_names}


def _trimmed(rows: list[list]) -> list[list]:
    """A grid without trailing empty cells and rows (blank marked cells may widen the range)."""
    out = [list(r) for r in rows]
    for r in out:
        while r and r[-1] in ("", None):
            r.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _check_copy(src: Path, out: Path) -> openpyxl.Workbook:
    """Everything the returned copy promises, compared cell by cell with the source."""
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
    assert not any("vbaproject" in n.lower() for n in names)
    assert XLSX_CT in types and "macroEnabled" not in types and "vbaProject" not in types
    before, after = _load(src), _load(out)
    assert after.sheetnames == [NOTES_SHEET, *before.sheetnames]
    assert after.active.title == NOTES_SHEET
    assert after[NOTES_SHEET].sheet_view.tabSelected
    for ws in before.worksheets:
        ws2 = after[ws.title]
        assert not ws2.sheet_view.tabSelected, ws.title
        assert ws2.freeze_panes == ws.freeze_panes
        assert sorted(map(str, ws2.merged_cells.ranges)) == sorted(map(str, ws.merged_cells.ranges))
        assert {k: v.value for k, v in ws2.defined_names.items()} == \
               {k: v.value for k, v in ws.defined_names.items()}
        assert ws2.print_area == ws.print_area
        assert ws2.column_dimensions["B"].width == ws.column_dimensions["B"].width
        marked = MARKED.get(ws.title, set())
        # values: nothing added, nothing lost, nothing moved
        assert {k: c.value for k, c in ws2._cells.items() if c.value is not None} == \
               {k: c.value for k, c in ws._cells.items() if c.value is not None}, ws.title
        for (r, c), cell in ws2._cells.items():
            orig = ws._cells.get((r, c))
            ref = cell.coordinate
            assert _red(cell) == (ref in marked), (ws.title, ref)
            assert (MARK in _comment(cell)) == (ref in marked), (ws.title, ref)
            if orig is None:
                continue
            assert cell.number_format == orig.number_format, (ws.title, ref)
            assert copy.copy(cell.font) == copy.copy(orig.font), (ws.title, ref)
            assert copy.copy(cell.alignment) == copy.copy(orig.alignment), (ws.title, ref)
            if ref not in marked:
                assert copy.copy(cell.fill) == copy.copy(orig.fill), (ws.title, ref)
        for ref in marked:
            assert ref in {c.coordinate for c in ws2._cells.values()}, (ws.title, ref)
    assert {k: v.value for k, v in after.defined_names.items()} == \
           {k: v.value for k, v in before.defined_names.items()}
    # calamine (what the reader uses) sees the same values
    cal_before, cal_after = _calamine(src), _calamine(out)
    assert list(cal_after) == [NOTES_SHEET, *cal_before]
    for name, rows in cal_before.items():
        assert _trimmed(cal_after[name]) == _trimmed(rows), name
    return after


def _notes_sheet(ws) -> dict:
    """What matters of the notes sheet, to compare the two paths."""
    cells = {c.coordinate: (c.value, c.data_type, bool(c.font.b), c.font.sz == 14,
                            c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None,
                            c.alignment.vertical, bool(c.alignment.wrap_text))
             for row in ws.iter_rows() for c in row if c.value is not None or c.has_style}
    return {
        "cells": {k: v for k, v in cells.items() if v[0] is not None or any(v[2:5]) or v[5]},
        "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.width},
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "print_titles": ws.print_title_rows,
        "page": (ws.page_setup.orientation, str(ws.page_setup.paperSize), ws.page_setup.fitToWidth,
                 ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage),
    }


# -- tests -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_patched_copy_matches_the_source(tmp_path, monkeypatch, kind):
    src = SOURCES[kind](tmp_path / f"订单-{kind}.xlsx")
    source_bytes = src.read_bytes()
    findings = _findings(src.name)
    out = tmp_path / "patched.xlsx"
    with monkeypatch.context() as m:
        _patch_only(m)
        write_returned_copy(src, findings, out)
    assert src.read_bytes() == source_bytes
    wb = _check_copy(src, out)

    ws = wb[ORDERS]
    c5, d5 = _comment(ws["C5"]), _comment(ws["D5"])
    assert c5.startswith(MARK) and "客户编码“C999”不存在" in c5
    assert "应为数字" in d5 and "超出允许范围" in d5 and d5.count("\n") == 2
    assert "“标题”" in _comment(ws["A1"])                       # D1 is inside the merged title
    assert ws["C5"].font.i and ws["C5"].font.color.rgb == "FF0000FF"
    assert ws["B5"].number_format == "yyyy-mm-dd" and ws["E4"].number_format == "#,##0.00"
    assert ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["A1"].comment.author == "osb_batch"
    assert ws["E2"].value is None and ws["C9"].value is None
    assert wb[OTHER]["B2"].value == 42 and "“数值”" in _comment(wb[OTHER]["B2"])
    if kind == "openpyxl":
        assert ws.tables["Orders"].ref == "A3:F6"

    # the same as the openpyxl path: notes sheet and marks
    reference = tmp_path / "reference.xlsx"
    with monkeypatch.context() as m:
        _openpyxl_only(m)
        write_returned_copy(src, findings, reference)
    ref = _load(reference)
    assert _notes_sheet(wb[NOTES_SHEET]) == _notes_sheet(ref[NOTES_SHEET])
    def marks(ws) -> dict[str, str]:
        return {c.coordinate: _comment(c) for c in ws._cells.values() if _red(c)}
    for title in (ORDERS, OTHER):
        assert marks(wb[title]) == marks(ref[title]), title
    notes = "\n".join(str(c.value) for row in wb[NOTES_SHEET].iter_rows() for c in row if c.value)
    assert "缺少必填列“单价”" in notes and "已于 2026-11-25 处理过" in notes
    assert "只保留了各单元格的值" not in notes


def test_patched_copy_english_and_no_cells(tmp_path, monkeypatch):
    src = _xlsxwriter_source(tmp_path / "orders.xlsx")
    out = tmp_path / "out.xlsx"
    _patch_only(monkeypatch)
    write_returned_copy(src, [finding("file-duplicate", file=src.name, first="a.xlsx", date="2026-11-25")],
                        out, lang="en")
    wb = _load(out)
    assert wb.sheetnames == [NOTES_SHEET, ORDERS, OTHER]
    assert wb[NOTES_SHEET]["A1"].value == "Returned for correction: orders.xlsx"
    # 备注 was the selected sheet and is not marked: it is unselected all the same
    assert wb.active.title == NOTES_SHEET
    assert [bool(ws.sheet_view.tabSelected) for ws in wb.worksheets] == [True, False, False]
    assert not any(_red(c) or c.comment for ws in wb.worksheets[1:] for c in ws._cells.values())
    with zipfile.ZipFile(out) as z:
        assert not any("comments" in n or n.endswith(".vml") for n in z.namelist())


def test_patched_copy_of_xlsm_drops_macros(tmp_path, monkeypatch):
    vba, signature = tmp_path / "vbaProject.bin", tmp_path / "vbaProjectSignature.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0 not really a VBA project")
    signature.write_bytes(b"not really a signature")
    src = _xlsxwriter_source(tmp_path / "订单-宏.xlsm", vba=vba, signature=signature)
    with zipfile.ZipFile(src) as z:
        assert {"xl/vbaProject.bin", "xl/vbaProjectSignature.bin"} <= set(z.namelist())
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()
    out = tmp_path / "out.xlsx"
    _patch_only(monkeypatch)
    write_returned_copy(src, _findings(src.name), out)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    assert not any("vba" in n.lower() for n in names)
    assert "vbaProject" not in rels and "vbaProject" not in types
    assert f'PartName="/xl/workbook.xml" ContentType="{XLSX_CT}"' in types
    wb = openpyxl.load_workbook(out)                   # plain .xlsx: no keep_vba, no complaints
    assert wb.vba_archive is None and not wb.template
    _check_copy(src, out)


def test_patch_path_does_not_load_the_workbook(tmp_path, monkeypatch):
    """openpyxl cannot load it here, yet the copy is the marked original, not a rebuilt one."""
    src = _openpyxl_source(tmp_path / "订单.xlsx")

    def broken(*_args, **_kwargs):
        raise RuntimeError("openpyxl must not be needed")
    monkeypatch.setattr(fallback.openpyxl, "load_workbook", broken)
    out = tmp_path / "out.xlsx"
    write_returned_copy(src, _findings(src.name), out)
    monkeypatch.undo()
    wb = _load(out)
    notes = "\n".join(str(c.value) for row in wb[NOTES_SHEET].iter_rows() for c in row if c.value)
    assert "只保留了各单元格的值" not in notes
    assert wb[ORDERS]["B5"].number_format == "yyyy-mm-dd" and _red(wb[ORDERS]["B5"])
    assert wb[ORDERS].tables and wb[ORDERS].freeze_panes == "A4"


def test_marked_sheet_with_comments_falls_back_to_openpyxl(tmp_path, monkeypatch, caplog):
    src = tmp_path / "订单.xlsx"
    wb = openpyxl.load_workbook(_openpyxl_source(src))
    wb[ORDERS]["C5"].comment = openpyxl.comments.Comment("submitter's own note", "王")
    wb.save(src)
    out = tmp_path / "out.xlsx"
    with caplog.at_level(logging.INFO, logger="osb_batch.writers.returned"):
        write_returned_copy(src, _findings(src.name), out)
    assert any("already has comments" in r.getMessage() and r.levelno == logging.INFO
               for r in caplog.records)
    back = _load(out)
    assert "submitter's own note" in back[ORDERS]["C5"].comment.text and MARK in back[ORDERS]["C5"].comment.text
    # a copy sent back again is cleaned by the openpyxl path, never patched twice
    again = tmp_path / "again.xlsx"
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="osb_batch.writers.returned"):
        write_returned_copy(out, _findings(src.name)[:1], again)
    assert any(NOTES_SHEET in r.getMessage() for r in caplog.records)
    wb = _load(again)
    assert wb.sheetnames.count(NOTES_SHEET) == 1
    assert _comment(wb[ORDERS]["C5"]).count(MARK) == 1 and not _red(wb[ORDERS]["D5"])


def test_sent_back_patched_copy_is_cleaned(tmp_path, monkeypatch):
    """A patched copy sent back: comments only on another sheet still mean 'fall back and clean'."""
    src = _xlsxwriter_source(tmp_path / "订单.xlsx")
    first = tmp_path / "first.xlsx"
    write_returned_copy(src, _findings(src.name), first)
    # the submitter deletes the notes sheet but keeps our comments
    wb = _load(first)
    del wb[NOTES_SHEET]
    wb.save(first)
    again = tmp_path / "again.xlsx"
    write_returned_copy(first, _findings(src.name)[:1], again)
    wb = _load(again)
    assert wb.sheetnames == [NOTES_SHEET, ORDERS, OTHER]
    assert _red(wb[ORDERS]["C5"]) and not _red(wb[ORDERS]["D5"]) and wb[ORDERS]["D5"].comment is None
    assert wb[OTHER]["B2"].comment is None and not _red(wb[OTHER]["B2"])


def _prefixed(xml: bytes) -> bytes:
    """The sheet as some generators write it: spreadsheetml with an x: prefix, no r attributes."""
    xml = re.sub(rb"<(/?)(?![?!])([A-Za-z]+)\b", rb"<\1x:\2", xml)
    xml = xml.replace(b' xmlns="http://schemas', b' xmlns:x="http://schemas', 1)
    xml = re.sub(rb'(<x:row\b[^>]*?) r="\d+"', rb"\1", xml)
    xml = re.sub(rb'(<x:c\b[^>]*?) r="[A-Z]+\d+"', rb"\1", xml)
    return xml


def test_prefixed_sheet_without_references(tmp_path, monkeypatch):
    plain = tmp_path / "plain.xlsx"
    xw = xlsxwriter.Workbook(str(plain))
    ws = xw.add_worksheet(ORDERS)
    for r in range(6):
        ws.write_row(r, 0, [f"R{r + 1}C{c + 1}" for c in range(4)])
    xw.close()
    src = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = _prefixed(data)
                assert b"<x:sheetData>" in data and b' r="' not in data
            zout.writestr(info, data)
    findings = [finding("required-missing", file=src.name, sheet=ORDERS, cell=ref, row=r, column=c,
                        field="x", label="X")
                for ref, r, c in (("B2", 2, 2), ("D6", 6, 4), ("F3", 3, 6), ("A9", 9, 1))]
    out = tmp_path / "out.xlsx"
    with monkeypatch.context() as m:
        _patch_only(m)
        write_returned_copy(src, findings, out)
    wb = _load(out)
    ws = wb[ORDERS]
    assert [[ws.cell(r, c).value for c in range(1, 5)] for r in range(1, 7)] == \
           [[f"R{r}C{c}" for c in range(1, 5)] for r in range(1, 7)]
    assert {c.coordinate for c in ws._cells.values() if _red(c)} == {"B2", "D6", "F3", "A9"}
    assert all(MARK in _comment(ws[ref]) for ref in ("B2", "D6", "F3", "A9"))
    assert _trimmed(_calamine(out)[ORDERS]) == _trimmed(_calamine(src)[ORDERS])


def test_legacy_drawing_in_schema_order(tmp_path, monkeypatch):
    src = _openpyxl_source(tmp_path / "订单.xlsx")          # has tableParts after pageMargins
    out = tmp_path / "out.xlsx"
    _patch_only(monkeypatch)
    write_returned_copy(src, _findings(src.name), out)
    with zipfile.ZipFile(out) as z:
        sheets = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
        vml = [z.read(n).decode() for n in z.namelist() if n.endswith(".vml")]
        comments = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"xl/comments\d+\.xml", n)]
    orders = next(x for x in sheets.values() if "tableParts" in x)
    order = [m.group(1) for m in re.finditer(r"<(\w+)\b", orders.split("</sheetData>")[1])]
    assert order.index("legacyDrawing") == order.index("tableParts") - 1
    assert order.index("pageMargins") < order.index("legacyDrawing")
    assert len(vml) == 2 and len(comments) == 2
    assert sum(x.count('ObjectType="Note"') for x in vml) == sum(x.count("<comment ") for x in comments) == 8
    assert "<x:Row>4</x:Row><x:Column>2</x:Column>" in "".join(vml)     # C5, 0-based


def test_patched_copy_opens_in_libreoffice(tmp_path, monkeypatch):
    if not shutil.which("soffice") or not LO_CHECK.exists():
        pytest.skip("LibreOffice or lo_check.py absent")
    src = _xlsxwriter_source(tmp_path / "订单.xlsx")
    out = tmp_path / "退回修改件-订单.xlsx"
    with monkeypatch.context() as m:
        _patch_only(m)
        write_returned_copy(src, _findings(src.name), out)
    assert lo_check_failures([out]) == []


def test_large_sheet_is_streamed(tmp_path, monkeypatch):
    """50,000 rows, 500 marks: patched (openpyxl never loads it) and correct where checked."""
    rows, cols = 50_000, 6
    src = tmp_path / "big.xlsx"
    xw = xlsxwriter.Workbook(str(src), {"constant_memory": True})
    money = xw.add_format({"num_format": "#,##0.00"})
    ws = xw.add_worksheet(ORDERS)
    ws.write_row(0, 0, ["订单号", "客户", "数量", "金额", "仓库", "备注"])
    for r in range(1, rows + 1):
        ws.write_string(r, 0, f"SO-{r:06d}")
        ws.write_string(r, 1, f"C{r % 997:03d}")
        ws.write_number(r, 2, r % 500)
        ws.write_number(r, 3, r / 100, money)
        ws.write_string(r, 4, "上海仓")
    xw.close()
    marks = {(2 + i * 97, 1 + i % cols) for i in range(499)} | {(rows + 5, 2)}     # one past the end
    findings = [finding("required-missing", file=src.name, sheet=ORDERS, row=r, column=c,
                        cell=f"{'ABCDEF'[c - 1]}{r}", field="x", label="X") for r, c in sorted(marks)]
    out = tmp_path / "out.xlsx"
    _patch_only(monkeypatch)
    write_returned_copy(src, findings, out)

    with zipfile.ZipFile(out) as z:
        sheet = next(z.read(n).decode() for n in z.namelist()
                     if n.startswith("xl/worksheets/sheet") and "SO-000001" in z.read(n).decode())
        styles = z.read("xl/styles.xml").decode()
        comments = "".join(z.read(n).decode() for n in z.namelist() if re.fullmatch(r"xl/comments\d+\.xml", n))
    assert comments.count("<comment ") == len(marks)
    xfs = re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", styles.split("<cellXfs")[1].split("</cellXfs>")[0], re.S)
    fills = re.findall(r"<fill>.*?</fill>", styles, re.S)

    def style(ref: str) -> str:
        tag = re.search(rf'<c r="{ref}"[^>]*>', sheet)
        assert tag, ref
        s = re.search(r' s="(\d+)"', tag.group(0))
        return xfs[int(s.group(1)) if s else 0]

    def red(ref: str) -> bool:
        xf = style(ref)
        fill = re.search(r'fillId="(\d+)"', xf)
        return bool(fill) and RED in fills[int(fill.group(1))] and 'applyFill="1"' in xf

    for r, c in [(2, 1), (99, 2), (2 + 250 * 97, 1 + 250 % cols), (2 + 498 * 97, 1 + 498 % cols), (rows + 5, 2)]:
        ref = f"{'ABCDEF'[c - 1]}{r}"
        assert red(ref), ref
        assert f'ref="{ref}"' in comments
    assert not red("A3") and not red("D2") and not red(f"A{rows + 1}")
    money_id = re.search(r'numFmtId="(\d+)"', style("D3")).group(1)
    assert re.search(rf'<numFmt numFmtId="{money_id}" formatCode="#,##0.00"', styles)   # the source's format
    d_marked = next(f"D{r}" for r, c in sorted(marks) if c == 4)
    assert re.search(r'numFmtId="(\d+)"', style(d_marked)).group(1) == money_id          # the money format kept

    cal = pc.CalamineWorkbook.from_path(str(out))
    assert cal.sheet_names == [NOTES_SHEET, ORDERS]
    grid = cal.get_sheet_by_name(ORDERS).to_python(skip_empty_area=False)
    assert grid[0][:2] == ["订单号", "客户"] and grid[rows][0] == f"SO-{rows:06d}"
    for r in (1, 2, 99, 12_345, rows):
        assert grid[r][0] == f"SO-{r:06d}" and grid[r][2] == r % 500 and grid[r][3] == pytest.approx(r / 100)
