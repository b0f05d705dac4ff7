"""Blank templates: layout, validations, instructions, identification, determinism, --check."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc

from osb_batch import catalogue as catalogue_mod
from osb_batch.catalogue import Choice
from osb_batch.readers import workbook as reader
from osb_batch.writers.templates import (
    INSTRUCTIONS,
    LISTS_SHEET,
    check_templates,
    sheet_name,
    template_name,
    write_template,
    write_templates,
)

MARKETS = (Choice("NE", "东北", "Northeast"), Choice("N", "华北", "North"),
           Choice("NW", "西北", "Northwest"), Choice("C", "华中", "Central"),
           Choice("SD", "山东", "Shandong"), Choice("E", "华东", "East"), Choice("S", "华南", "South"))
CHOICES = {"markets": MARKETS}
CAT = catalogue_mod.load().with_choices(CHOICES)
INPUT_FORMS = [f.key for f in CAT.of_kind("input")]
TEMPLATE_FORMS = [f.key for f in CAT if f.kind in ("input", "other")]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    outdir = tmp_path_factory.mktemp("templates")
    paths = write_templates(catalogue_mod.load(), CAT.version, outdir, choices=CHOICES)
    return {p.name: p for p in paths}


def _path(written, key: str) -> Path:
    return written[template_name(CAT[key])]


def _col(index: int) -> str:
    return openpyxl.utils.get_column_letter(index)


def test_one_template_per_input_and_other_form(written):
    assert sorted(written) == sorted(template_name(f) for f in CAT if f.kind != "output")
    assert all(not name.startswith(".") for name in written)
    assert template_name(CAT["customers"]) == "客户主数据.xlsx"


@pytest.mark.parametrize("key", INPUT_FORMS)
def test_data_sheet_layout(written, key):
    form = CAT[key]
    wb = openpyxl.load_workbook(_path(written, key))
    assert wb.sheetnames[:3] == [sheet_name(form), INSTRUCTIONS, "_osb"]
    ws = wb[sheet_name(form)]
    assert ws.sheet_state == "visible"
    assert [c.value for c in ws[1]] == [f.header() for f in form.fields]
    assert all(c.font.b for c in ws[1])
    fills = {f.required: ws.cell(1, i).fill.fgColor.rgb for i, f in enumerate(form.fields, 1)}
    if len(fills) == 2:
        assert fills[True] != fills[False]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{_col(len(form.fields))}1"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"


@pytest.mark.parametrize("key", INPUT_FORMS)
def test_example_row_is_typed_and_marked(written, key):
    form = CAT[key]
    ws = openpyxl.load_workbook(_path(written, key))[sheet_name(form)]
    for i, f in enumerate(form.fields, 1):
        cell = ws.cell(2, i)
        if f.example is None:
            assert cell.value is None
            continue
        assert cell.font.i, f.key
        if f.type in ("money", "quantity", "integer"):
            assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool), f.key
        elif f.type in ("date", "datetime"):
            assert isinstance(cell.value, dt.datetime), f.key
            assert cell.number_format == ("yyyy-mm-dd" if f.type == "date" else "yyyy-mm-dd hh:mm")
        else:
            assert isinstance(cell.value, str) and cell.value, f.key
            assert cell.number_format == "@"
        if f.type == "boolean":
            assert cell.value in ("是", "否")
        if f.type == "enum":
            assert cell.value in [c.zh for c in f.choices]
        if f.type == "money":
            assert cell.number_format == "#,##0.00"


@pytest.mark.parametrize("key", INPUT_FORMS)
def test_dropdowns_and_range_checks(written, key):
    form = CAT[key]
    ws = openpyxl.load_workbook(_path(written, key))[sheet_name(form)]
    by_range = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for i, f in enumerate(form.fields, 1):
        dv = by_range.get(f"{_col(i)}2:{_col(i)}1000")
        if f.type == "boolean":
            assert dv is not None and dv.type == "list" and dv.formula1 == '"是,否"', f.key
        elif f.type == "enum":
            assert dv is not None and dv.type == "list", f.key
            assert dv.formula1 == '"' + ",".join(dict.fromkeys(c.zh for c in f.choices)) + '"'
        elif f.type in ("money", "quantity", "integer") and (f.min is not None or f.max is not None):
            assert dv is not None and dv.type == ("whole" if f.type == "integer" else "decimal"), f.key
            assert dv.errorStyle in (None, "stop") and "须为" in dv.error
        elif f.type in ("date", "datetime"):
            assert dv is not None and dv.type == "date" and dv.errorStyle == "warning", f.key
        if f.note:
            assert dv is not None and f.note in dv.prompt


@pytest.mark.parametrize("key", INPUT_FORMS)
def test_osb_sheet(written, key):
    form = CAT[key]
    ws = openpyxl.load_workbook(_path(written, key))["_osb"]
    assert ws.sheet_state == "hidden"
    assert (ws["A1"].value, ws["B1"].value) == ("form", key)
    assert (ws["A2"].value, ws["B2"].value) == ("version", CAT.version)
    keys = [ws.cell(r, 2).value for r in range(4, 4 + len(form.fields))]
    letters = [ws.cell(r, 1).value for r in range(4, 4 + len(form.fields))]
    assert keys == list(form.keys)
    assert letters == [_col(i) for i in range(1, len(form.fields) + 1)]


@pytest.mark.parametrize("key", INPUT_FORMS)
def test_instructions_sheet_has_one_row_per_field(written, key):
    form = CAT[key]
    ws = openpyxl.load_workbook(_path(written, key))[INSTRUCTIONS]
    texts = [c.value for c in ws["A"]]
    assert form.zh in texts[0] and form.en in texts[0]
    assert any("第2行为示例" in (t or "") for t in texts)
    assert any("2026-11-26" in (t or "") for t in texts)
    start = texts.index("列名") + 1
    assert [c.value for c in ws[start]] == ["列名", "英文名", "是否必填", "类型", "可选值或范围", "说明"]
    rows = []
    for r in range(start + 1, ws.max_row + 1):
        if ws.cell(r, 1).value is None:
            break
        rows.append([ws.cell(r, c).value for c in range(1, 7)])
    assert [r[0] for r in rows] == [f.zh for f in form.fields]
    assert [r[1] for r in rows] == [f.en for f in form.fields]
    assert [r[2] == "必填" for r in rows] == [f.required for f in form.fields]
    for row, f in zip(rows, form.fields, strict=True):
        if f.type == "enum":
            assert all(c.zh in row[4] for c in f.choices)
        if f.note:
            assert row[5] == f.note


@pytest.mark.parametrize("key", INPUT_FORMS)
def test_calamine_reads_headers_back(written, key):
    form = CAT[key]
    wb = pc.CalamineWorkbook.from_path(str(_path(written, key)))
    assert wb.sheet_names[:3] == [sheet_name(form), INSTRUCTIONS, "_osb"]
    rows = wb.get_sheet_by_name(sheet_name(form)).to_python()
    assert rows[0] == [f.header() for f in form.fields]
    osb = {m.name: m.visible for m in wb.sheets_metadata}["_osb"]
    assert osb == pc.SheetVisibleEnum.Hidden


@pytest.mark.parametrize("key", TEMPLATE_FORMS)
def test_reader_identifies_template_and_reads_example_cleanly(written, key):
    result = reader.read(_path(written, key), CAT)
    assert result.form == key
    assert result.status == "read"
    assert [(t.sheet, t.header_row) for t in result.tables] == [(sheet_name(CAT[key]), 1)]
    # the example row reads as valid values equal to the catalogue's examples, so it is skipped
    assert result.row_count == 0
    assert [(f.rule, f.row) for f in result.findings] == [("example-row-skipped", 2), ("no-rows", 1)]


def test_same_catalogue_same_bytes(tmp_path):
    a = write_templates(CAT, CAT.version, tmp_path / "a")
    b = write_templates(CAT, CAT.version, tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    with zipfile.ZipFile(a[0]) as zf:        # no wall-clock time anywhere in the package
        assert {i.date_time[:3] for i in zf.infolist()} <= {(1980, 1, 1), (1980, 1, 31)}
        core = zf.read("docProps/core.xml").decode()
    assert "2026-01-01T00:00:00Z" in core and str(dt.date.today().year + 1) not in core


def test_version_and_choices_change_the_bytes(tmp_path):
    form = CAT["customers"]
    write_template(form, "2026.1", tmp_path / "a.xlsx")
    write_template(form, "2026.2", tmp_path / "b.xlsx")
    write_template(catalogue_mod.load()["customers"], "2026.1", tmp_path / "c.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() != (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.xlsx").read_bytes() != (tmp_path / "c.xlsx").read_bytes()


def test_write_template_into_a_directory(tmp_path):
    write_template(CAT["orders"], CAT.version, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["订单.xlsx"]


def test_check_templates_detects_changed_missing_and_extra(tmp_path):
    base = catalogue_mod.load()
    write_templates(base, CAT.version, tmp_path, choices=CHOICES)
    assert check_templates(base, CAT.version, tmp_path, choices=CHOICES) == []
    assert check_templates(CAT, CAT.version, tmp_path) == []
    (tmp_path / "订单.xlsx").write_bytes((tmp_path / "订单.xlsx").read_bytes() + b"\0")
    (tmp_path / "客户主数据.xlsx").unlink()
    (tmp_path / "旧表.xlsx").write_bytes(b"old")
    (tmp_path / "~$订单.xlsx").write_bytes(b"excel lock file")
    assert check_templates(CAT, CAT.version, tmp_path) == [
        "missing 客户主数据.xlsx", "differs: 订单.xlsx", "not in catalogue: 旧表.xlsx"]
    other_markets = {"markets": MARKETS[:3]}
    write_templates(base, CAT.version, tmp_path, choices=CHOICES)
    assert "differs: 客户主数据.xlsx" in check_templates(base, CAT.version, tmp_path, choices=other_markets)


def test_check_templates_on_missing_folder(tmp_path):
    problems = check_templates(CAT, CAT.version, tmp_path / "nowhere")
    assert len(problems) == len(TEMPLATE_FORMS) and all(p.startswith("missing ") for p in problems)


def test_only_named_forms_and_never_outputs(tmp_path):
    paths = write_templates(CAT, CAT.version, tmp_path, forms=["orders", CAT["customers"]])
    assert [p.name for p in paths] == ["订单.xlsx", "客户主数据.xlsx"]
    output = CAT.of_kind("output")[0].key
    with pytest.raises(ValueError, match="output"):
        write_templates(CAT, CAT.version, tmp_path, forms=[output])
    with pytest.raises(ValueError, match="no form"):
        write_templates(CAT, CAT.version, tmp_path, forms=["no_such_form"])


def test_long_dropdown_goes_to_hidden_lists_sheet(tmp_path):
    many = tuple(Choice(f"M{i:02d}", f"第{i:02d}号很长的市场名称", f"Market {i}") for i in range(30))
    form = CAT["customers"]
    fields = tuple(replace(f, choices=many) if f.key == "market" else f for f in form.fields)
    form = catalogue_mod._form(form.key, "客户/主数据:[测试]*", form.en, form.kind, fields,
                               form.row_key, form.acts, form.note)
    path = tmp_path / "t.xlsx"
    write_template(form, "x", path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["客户_主数据__测试__", INSTRUCTIONS, "_osb", LISTS_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert [c.value for c in wb[LISTS_SHEET]["A"]][1:] == [c.zh for c in many]
    col = _col(form.keys.index("market") + 1)
    dv = next(d for d in wb.worksheets[0].data_validations.dataValidation
              if str(d.sqref) == f"{col}2:{col}1000")
    assert dv.type == "list" and dv.formula1 == f"{LISTS_SHEET}!$A$2:$A$31"


def test_unresolved_markets_still_write_a_template(tmp_path):
    form = catalogue_mod.load()["customers"]        # markets not resolved: no dropdown, no crash
    write_template(form, CAT.version, tmp_path / "c.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx")[sheet_name(form)]
    col = _col(form.keys.index("market") + 1)
    assert ws[f"{col}2"].value == "华东"
    assert all(d.type != "list" for d in ws.data_validations.dataValidation
               if str(d.sqref) == f"{col}2:{col}1000")


def test_sheet_name_is_excel_legal():
    form = CAT["orders"]
    assert sheet_name(form) == "订单"
    long = replace(form, zh="很" * 40)
    assert sheet_name(long) == "很" * 31
    assert sheet_name(replace(form, zh="'[]'")) == "__"
