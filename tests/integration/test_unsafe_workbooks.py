"""Workbooks that would make the parser kill the process are refused with a reason first.

python-calamine lays each sheet out as one dense grid from its first to its last value and aborts
(no exception) when the allocation fails; its .xls reader trusts damaged record headers.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from openpyxl.styles import Font

from osb_batch import catalogue as catalogue_mod
from osb_batch.readers.workbook import read

from ..conftest import REALWORLD


def workbook(path, cells: dict[str, object], styled: tuple[str, ...] = ()):
    wb = openpyxl.Workbook()
    for ref, value in {"A1": "产品编码", "B1": "产品名称", **cells}.items():
        wb.active[ref] = value
    for ref in styled:
        wb.active[ref].font = Font(bold=True)      # formatted, never filled
    wb.save(path)
    return path


@pytest.mark.parametrize("cells, styled, rule", [
    ({"XFD1048576": "误填"}, (), "sheet-too-large"),
    ({"A1048576": "x", "ZZ1": "y"}, (), "sheet-too-large"),
    ({"AZ2000": "x"}, (), None),
    ({}, ("XFD1048576",), None),
    ({"XFD1": "x"}, (), None),
], ids=["far-corner", "tall-and-wide", "wide-but-small", "formatted-far-corner", "last-column"])
def test_a_sheet_is_read_unless_its_values_span_too_many_cells(tmp_path, cells, styled, rule):
    result = read(workbook(tmp_path / "w.xlsx", cells, styled), catalogue_mod.load())
    rules = [f.rule for f in result.findings if f.rule.startswith(("sheet-", "file-"))]
    assert rules == ([rule] if rule else [])
    assert result.kind == (rule or "xlsx")


def test_a_damaged_deflate_stream_is_a_corrupt_file(tmp_path):
    path = workbook(tmp_path / "w.xlsx", {"A2": "P1"})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("[Content_Types].xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    result = read(path, catalogue_mod.load())
    assert [f.rule for f in result.findings] == ["file-corrupt"]


@pytest.mark.skipif(not (REALWORLD / "easyexcel" / "extra_wps.xls").exists(), reason="shared/realworld not present")
def test_an_xls_whose_damaged_record_aborts_the_parser_is_a_corrupt_file(tmp_path):
    data = bytearray((REALWORLD / "easyexcel" / "extra_wps.xls").read_bytes())
    data[15260] = 23       # one flipped byte: calamine asks for 300 GB and aborts its process
    path = tmp_path / "旧表.xls"
    path.write_bytes(bytes(data))
    result = read(path, catalogue_mod.load())
    assert [f.rule for f in result.findings] == ["file-corrupt"]
    assert result.status == "quarantined"
