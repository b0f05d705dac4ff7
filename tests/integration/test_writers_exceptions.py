"""The exceptions workbook (异常清单) and returned copies (退回修改件)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter

from osb_batch.catalogue import load
from osb_batch.findings import ERROR, INFO, WARNING, Finding, finding
from osb_batch.writers.exceptions import KEYS, SEVERITY_LABEL, TEXT, unique_sheet_name, write_exceptions
from osb_batch.writers.returned import NOTES_SHEET, RED, read_grid, returned_copy_name, write_returned_copy

SHARED = Path(__file__).resolve().parents[3] / "shared"
REALWORLD = SHARED / "realworld"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
HEADER_ROW = 3          # title, totals, header


def _findings() -> list[Finding]:
    return [
        finding("invalid-number", file="订单-华东.xlsx", form="orders", sheet="订单", cell="G7", row=7,
                column=7, field="qty", value="=1+1", owner="张伟", label="数量", label_en="Quantity"),
        finding("unknown-customer", file="订单-华东.xlsx", form="orders", sheet="订单", cell="C5", row=5,
                column=3, field="customer_code", value="@SUM(A1)", owner="张伟", label="客户编码"),
        finding("column-unknown", file="订单-华东.xlsx", form="orders", sheet="订单", row=4,
                value="-备注2", owner="SSG"),
        finding("file-corrupt", file="坏文件.xlsx", detail="bad zip", owner="SSG"),
        finding("macros-ignored", file="宏.xlsm", owner="李娜/华南[2]"),
        finding("required-missing", file="订单-华南.xlsx", form="orders", sheet="订单", cell="B9", row=9,
                column=2, field="order_no", value="+86 123", owner="李娜/华南[2]", label="订单号"),
    ]


def _labels(lang: str) -> list[str]:
    """The exceptions form's column labels in the catalogue."""
    form = load()["exceptions"]
    return [form.field(k).en if lang == "en" else form.field(k).zh for k in KEYS]


def _rows(ws, first: int = HEADER_ROW + 1) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first, max_col=len(KEYS))]


# -- exceptions ------------------------------------------------------------------------------------

def test_exceptions_workbook(tmp_path):
    out = tmp_path / "异常清单-2026-11-26.xlsx"
    write_exceptions(_findings(), out, title_date="2026-11-26")
    assert out.exists() and not list(tmp_path.glob(".*.tmp"))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == TEXT["zh"]["all"]
    assert "SSG" in wb.sheetnames and "张伟" in wb.sheetnames
    odd = [n for n in wb.sheetnames if n.startswith("李娜")]
    assert len(odd) == 1 and not set(odd[0]) & set('[]:*?/\\') and len(odd[0]) <= 31

    ws = wb[TEXT["zh"]["all"]]
    assert [c.value for c in ws[HEADER_ROW]] == _labels("zh")
    rows = _rows(ws)
    assert len(rows) == 6
    # errors first, then by file, sheet, row, column
    severity = SEVERITY_LABEL["zh"]
    assert [r[0] for r in rows] == [severity[ERROR]] * 4 + [severity[WARNING], severity[INFO]]
    assert [(r[1], r[3]) for r in rows[:4]] == [("坏文件.xlsx", None), ("订单-华东.xlsx", "C5"),
                                                 ("订单-华东.xlsx", "G7"), ("订单-华南.xlsx", "B9")]
    assert rows[2][4] == "数量" and rows[2][6] == "不是数字" and "=1+1" in rows[2][7]
    assert rows[2][KEYS.index("rule")] == "invalid-number", "the slug, for machines"
    assert ws.column_dimensions[get_column_letter(KEYS.index("rule") + 1)].hidden
    assert rows[2][8] == "张伟" and rows[2][9]
    # text from input stays text: never a formula
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            if cell.value is not None:
                assert cell.data_type == "s", cell.coordinate
    values = {r[5] for r in rows}
    assert {"=1+1", "@SUM(A1)", "-备注2", "+86 123"} <= values
    # totals line
    totals = [c.value for c in ws[2]]
    # infos are not exceptions: the total counts errors and warnings, the infos stand after it
    assert totals[:8] == [severity[ERROR], 4, severity[WARNING], 1, TEXT["zh"]["total"], 5, severity[INFO], 1]
    # layout
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:{get_column_letter(len(KEYS))}{HEADER_ROW + 6}"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows.replace("$", "") == f"{HEADER_ROW}:{HEADER_ROW}"
    assert ws.conditional_formatting
    assert ws.column_dimensions["H"].width <= 62
    assert ws["H4"].alignment.wrap_text

    assert [r[1] for r in _rows(wb["张伟"])] == ["订单-华东.xlsx"] * 2
    assert len(_rows(wb["SSG"])) == 2
    assert len(_rows(wb[odd[0]])) == 2

    osb = wb["_osb"]
    assert osb.sheet_state == "hidden"
    assert osb["B1"].value == "exceptions" and osb["B2"].value == "2026.1"
    assert [osb.cell(r, 2).value for r in range(4, 4 + len(KEYS))] == list(KEYS)


def test_exceptions_english(tmp_path):
    out = tmp_path / "x.xlsx"
    write_exceptions(_findings(), out, lang="en", title_date="2026-11-26")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == TEXT["en"]["all"]
    ws = wb[TEXT["en"]["all"]]
    assert [c.value for c in ws[HEADER_ROW]] == _labels("en")
    rows = _rows(ws)
    assert rows[0][0] == "error" and rows[-1][0] == "info"
    assert rows[2][4] == "Quantity" and "must be a number" in rows[2][7]


def test_exceptions_empty(tmp_path):
    out = tmp_path / "x.xlsx"
    write_exceptions([], out, title_date="2026-11-26")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [TEXT["zh"]["all"], "_osb"]
    ws = wb[TEXT["zh"]["all"]]
    assert ws["A2"].value == TEXT["zh"]["none"]
    assert _rows(ws) == []


def test_sheet_names_are_sanitised():
    taken: set[str] = set()
    names = [unique_sheet_name(n, taken) for n in ("a/b", "A/B", "x" * 40, "x" * 40, "'q'", "", "History")]
    assert names[0] == "a_b" and names[1] == "A_B (2)"
    assert len(names[2]) == 31 and names[3].endswith("(2)") and len(names[3]) <= 31
    assert names[4] == "q" and names[5] == "_" and names[6] != "History"


# -- returned copies -------------------------------------------------------------------------------

SHEET = "订单"


def _fill_source(ws) -> None:
    ws["A1"] = "订单（华东）"
    ws.append([])
    for c, head in enumerate(["订单号", "订单日期", "客户编码", "数量", "金额"], start=1):
        ws.cell(3, c, head)
    ws.append(["SO-1", dt.date(2026, 11, 26), "C001", 10, 1200.5])
    ws.append(["SO-2", dt.date(2026, 11, 26), "C999", "十", 99])
    ws["E4"].number_format = "#,##0.00"
    ws["B4"].number_format = "yyyy-mm-dd"
    ws["B5"].number_format = "yyyy-mm-dd"
    ws.column_dimensions["B"].width = 12


def _returned_findings(file: str) -> list[Finding]:
    return [
        finding("unknown-customer", file=file, sheet=SHEET, cell="C5", row=5, column=3,
                field="customer_code", value="C999"),
        finding("invalid-number", file=file, sheet=SHEET, cell="D5", row=5, column=4, field="qty",
                value="十", label="数量"),
        finding("out-of-range", file=file, sheet=SHEET, cell="D5", row=5, column=4, field="qty",
                value="十", label="数量", range="1–9999"),
        finding("column-missing", file=file, sheet=SHEET, row=3, field="unit_price", label="单价"),
        finding("file-duplicate", file=file, first="订单-旧.xlsx", date="2026-11-25"),
    ]


MARKED = {"C5", "D5"}


def _check_returned(out: Path, source_values: dict[str, tuple], *, original: bool) -> openpyxl.Workbook:
    assert zipfile.is_zipfile(out)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert not any("vbaProject" in n for n in names)
        types = z.read("[Content_Types].xml").decode()
    assert XLSX_CT in types and "macroEnabled" not in types
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == NOTES_SHEET and SHEET in wb.sheetnames
    ws = wb[SHEET]
    for ref, (value, number_format) in source_values.items():
        cell = ws[ref]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            assert cell.value.date() == value, ref
        else:
            assert cell.value == value, ref
        if original or ref in {"B4", "B5"}:
            assert cell.number_format == number_format, ref
        red = cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == RED
        assert red == (ref in MARKED), ref
        assert (cell.comment is not None) == (ref in MARKED), ref
    d5 = ws["D5"].comment
    assert d5.author == "osb_batch"
    assert "应为数字" in d5.text and "超出允许范围" in d5.text and "重新提交" in d5.text
    assert "客户编码“C999”不存在" in ws["C5"].comment.text

    notes = wb[NOTES_SHEET]
    text = "\n".join(str(c.value) for row in notes.iter_rows() for c in row if c.value is not None)
    assert "已于 2026-11-25 处理过" in text          # file-level finding
    assert "缺少必填列“单价”" in text and "第 3 行" in text   # header finding without a column
    assert "C5" in text and "D5" in text
    assert notes.sheet_view.tabSelected and not ws.sheet_view.tabSelected
    return wb


def _source_values(ws) -> dict[str, tuple]:
    return {c.coordinate: (c.value, c.number_format)
            for row in ws.iter_rows(min_row=1, max_row=5, max_col=5) for c in row}


def test_returned_copy_xlsx(tmp_path):
    src = tmp_path / "订单-华东-1126.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    _fill_source(ws)
    ws["C5"].comment = Comment("submitter's own note", "王")
    wb.save(src)
    before = _source_values(openpyxl.load_workbook(src)[SHEET])
    source_bytes = src.read_bytes()

    out = tmp_path / returned_copy_name(src.name)
    assert out.name == "退回修改件-订单-华东-1126.xlsx"
    write_returned_copy(src, _returned_findings(src.name), out)
    back = _check_returned(out, before, original=True)
    assert back[SHEET]["E4"].number_format == "#,##0.00"
    assert "submitter's own note" in back[SHEET]["C5"].comment.text     # their comment is kept
    assert src.read_bytes() == source_bytes                                # the input is untouched


def test_returned_copy_is_cleaned_when_sent_back(tmp_path):
    src = tmp_path / "订单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = SHEET
    _fill_source(wb.active)
    wb.save(src)
    first = tmp_path / "first.xlsx"
    write_returned_copy(src, _returned_findings(src.name), first)
    # the submitter fixes D5 and sends the copy back; only C5 is still wrong
    again = tmp_path / "again.xlsx"
    write_returned_copy(first, _returned_findings(src.name)[:1], again)
    wb = openpyxl.load_workbook(again)
    assert wb.sheetnames.count(NOTES_SHEET) == 1
    ws = wb[SHEET]
    assert ws["C5"].fill.fgColor.rgb == RED and ws["C5"].comment.text.count("C999") == 1
    assert ws["D5"].comment is None and ws["D5"].fill.fill_type is None


def test_returned_copy_falls_back_to_values_when_marking_fails(tmp_path, monkeypatch):
    from osb_batch.writers.returned import fallback, patch

    src = tmp_path / "订单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = SHEET
    _fill_source(wb.active)
    wb.save(src)

    def broken(*_args, **_kwargs):
        raise RuntimeError("odd workbook")

    monkeypatch.setattr(patch, "patch_copy", broken)
    monkeypatch.setattr(fallback, "clean_previous_marks", broken)
    out = tmp_path / "out.xlsx"
    write_returned_copy(src, _returned_findings(src.name), out)
    wb = openpyxl.load_workbook(out)
    assert wb[SHEET]["C5"].value == "C999" and wb[SHEET]["C5"].fill.fgColor.rgb == RED
    notes = "\n".join(str(c.value) for row in wb[NOTES_SHEET].iter_rows() for c in row if c.value)
    assert "只保留了各单元格的值" in notes


def _make_xlsm(path: Path) -> None:
    """A macro-enabled workbook holding the test data: vba.xlsm from the real-world corpus."""
    vba = REALWORLD / "calamine" / "vba.xlsm"
    if not vba.exists():
        pytest.skip(f"{vba} not available")
    shutil.copyfile(vba, path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb.worksheets[0]
    ws.title = SHEET
    _fill_source(ws)
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert "xl/vbaProject.bin" in z.namelist()
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()


def test_returned_copy_xlsm_drops_macros(tmp_path):
    src = tmp_path / "订单-宏.xlsm"
    _make_xlsm(src)
    before = _source_values(openpyxl.load_workbook(src)[SHEET])
    out = tmp_path / returned_copy_name(src.name)
    assert out.suffix == ".xlsx"
    write_returned_copy(src, _returned_findings(src.name), out)
    _check_returned(out, before, original=True)


def test_returned_copy_csv_rebuilt(tmp_path):
    src = tmp_path / f"{SHEET}.csv"
    src.write_bytes("订单（华东）\n\n订单号,订单日期,客户编码,数量,金额\nSO-1,2026-11-26,C001,10,1200.5\n"
                    "SO-2,2026-11-26,C999,十,=1+1\n".encode("gb18030"))
    grid = read_grid(src)
    assert list(grid) == [SHEET] and grid[SHEET][4][2] == "C999"
    out = tmp_path / returned_copy_name(src.name)
    write_returned_copy(src, _returned_findings(src.name), out)
    expected = {f"{chr(64 + c)}{r}": (grid[SHEET][r - 1][c - 1] or None, "General")
                for r in range(1, 6) for c in range(1, 6) if c <= len(grid[SHEET][r - 1])}
    wb = _check_returned(out, expected, original=False)
    cell = wb[SHEET]["E5"]
    assert cell.value == "=1+1" and cell.data_type == "s"
    notes = "\n".join(str(c.value) for row in wb[NOTES_SHEET].iter_rows() for c in row if c.value)
    assert "只保留了各单元格的值" in notes


def test_returned_copy_xls_rebuilt(tmp_path):
    xls = REALWORLD / "easyexcel" / "t01_mac_excel_cn.xls"
    if not xls.exists():
        pytest.skip(f"{xls} not available")
    src = tmp_path / "产品-导入.xls"
    shutil.copyfile(xls, src)
    grid = read_grid(src)
    sheet = next(iter(grid))
    findings = [
        finding("required-missing", file=src.name, sheet=sheet, cell="B3", row=3, column=2, field="grade",
                label="等级"),
        finding("column-missing", file=src.name, sheet=sheet, row=2, field="x", label="单重"),
    ]
    out = tmp_path / returned_copy_name(src.name)
    write_returned_copy(src, findings, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [NOTES_SHEET, sheet]
    ws = wb[sheet]
    for r, row in enumerate(grid[sheet], start=1):
        for c, value in enumerate(row, start=1):
            assert ws.cell(r, c).value == (value if value != "" else None), (r, c)
            red = ws.cell(r, c).fill.fill_type == "solid"
            assert red == ((r, c) == (3, 2))
    assert ws["B3"].comment is not None
    notes = "\n".join(str(c.value) for row in wb[NOTES_SHEET].iter_rows() for c in row if c.value)
    assert "缺少必填列“单重”" in notes


def test_returned_copy_strict_or_corrupt_uses_grid(tmp_path):
    src = tmp_path / "坏.xlsx"
    src.write_bytes(b"PK\x03\x04 not really a zip")
    grid = {SHEET: [["订单号", "客户编码"], ["SO-1", "C999"], ["=2+2", "@x"]]}
    out = tmp_path / "out.xlsx"
    write_returned_copy(src, [finding("unknown-customer", file=src.name, sheet=SHEET, cell="B2", row=2,
                                      column=2, value="C999")], out, lang="en", grid=grid)
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET]
    assert ws["A3"].value == "=2+2" and ws["A3"].data_type == "s" and ws["B3"].value == "@x"
    assert ws["B2"].fill.fgColor.rgb == RED and "Unknown customer code" in ws["B2"].comment.text
    assert wb[NOTES_SHEET]["A1"].value.startswith("Returned for correction")


def test_returned_copy_name():
    assert returned_copy_name("订单-华东-1126.xlsx") == "退回修改件-订单-华东-1126.xlsx"
    assert returned_copy_name("inbox/华南/a..b:c.xlsm") == "退回修改件-a_b_c.xlsx"


# -- LibreOffice -----------------------------------------------------------------------------------

def _lo_check() -> Path:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    script = Path(os.environ.get("OSB_LO_CHECK") or SHARED / "tools" / "lo_check.py")
    if not script.exists():
        pytest.skip(f"{script} not available")
    return script


@pytest.mark.parametrize("kind", ["exceptions", "returned"])
def test_outputs_open_in_libreoffice(tmp_path, kind):
    script = _lo_check()
    if kind == "exceptions":
        out = tmp_path / "异常清单.xlsx"
        write_exceptions(_findings(), out, title_date="2026-11-26")
    else:
        src = tmp_path / "订单.xlsx"
        wb = openpyxl.Workbook()
        wb.active.title = SHEET
        _fill_source(wb.active)
        wb.save(src)
        out = tmp_path / returned_copy_name(src.name)
        write_returned_copy(src, _returned_findings(src.name), out)
    proc = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
