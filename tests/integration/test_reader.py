"""The reader on workbooks as staff really leave them (quality.md "Bad input gets a clear answer")."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from osb_batch import catalogue as catalogue_mod
from osb_batch.readers.workbook import Limits, read
from osb_batch.settings import load

from ..conftest import CUSTOMER_HEADER, customer_rows, write_xlsx

CAT = catalogue_mod.load().with_choices({"markets": load(None).market_choices()})
RECEIPTS = ["银行流水号", "到款日期", "付款户名", "金额", "摘要"]


def rules(result):
    return [(f.rule, f.cell) for f in result.findings]


def test_header_on_row_7_under_a_title_and_notes(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [RECEIPTS, ["B1", "2026-11-25", "某公司", "100", ""]],
                      title="银行到款明细", notes=["", "制表：财务部", "", "单位：元", ""])
    result = read(path, CAT)
    assert result.form == "bank_receipts"
    assert result.tables[0].header_row == 7
    assert next(result.rows)[1].values["amount"] == Decimal("100.00")


@pytest.mark.parametrize("raw, expected", [
    ("¥1,200.00", Decimal("1200.00")),
    ("１２００", Decimal("1200.00")),
    (1200.5, Decimal("1200.50")),
    ("1,200", Decimal("1200.00")),
])
def test_money_written_as_staff_write_it(tmp_path, raw, expected):
    path = write_xlsx(tmp_path / "r.xlsx", [RECEIPTS, ["B1", "2026-11-25", "某公司", raw, ""]])
    assert next(read(path, CAT).rows)[1].values["amount"] == expected


@pytest.mark.parametrize("raw", ["2026年11月25日", "2026/11/25", "2026.11.25", dt.datetime(2026, 11, 25), 46351])
def test_dates_as_text_serials_and_dates(tmp_path, raw):
    path = write_xlsx(tmp_path / "r.xlsx", [RECEIPTS, ["B1", raw, "某公司", 1, ""]])
    assert next(read(path, CAT).rows)[1].values["receipt_date"] == dt.date(2026, 11, 25)


def test_english_headers_and_keys_in_any_order(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [["Amount", "bank_ref", "Payer name", "receipt_date"],
                                            [5, "B9", "X", "2026-11-01"]])
    result = read(path, CAT)
    assert result.form == "bank_receipts" and result.errors == 0


def test_hidden_rows_are_data_and_blank_rows_are_skipped(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [RECEIPTS, ["B1", "2026-11-25", "甲", 1, ""], [None] * 5,
                                            ["B2", "2026-11-25", "乙", 2, ""]])
    wb = openpyxl.load_workbook(path)
    wb.active.row_dimensions[2].hidden = True
    wb.save(path)
    assert [r.values["bank_ref"] for _, r in read(path, CAT).rows] == ["B1", "B2"]


def test_trailing_formatted_empty_rows_to_the_last_row_are_cheap(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [RECEIPTS, ["B1", "2026-11-25", "甲", 1, ""]])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for row in (5000, 1_048_576):
        ws.cell(row=row, column=1).number_format = "0.00"
        ws.cell(row=row, column=1).fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    wb.save(path)
    result = read(path, CAT)
    assert result.row_count == 1 and result.errors == 0


def test_merged_title_and_merged_header_cells(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [RECEIPTS, ["B1", "2026-11-25", "甲", 1, "备注"]], title="到款")
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("E2:F2")
    wb.save(path)
    result = read(path, CAT)
    assert result.row_count == 1 and result.errors == 0


def test_formulas_with_cached_values_are_read_by_value(tmp_path):
    import xlsxwriter
    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, RECEIPTS)
    ws.write_row(1, 0, ["B1", "2026-11-25", "甲"])
    ws.write_formula(1, 3, "=100*2", None, 200)
    wb.close()
    result = read(path, CAT)
    assert next(result.rows)[1].values["amount"] == Decimal("200.00")


def test_a_formula_without_a_cached_value_names_its_cell(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [RECEIPTS, ["B1", "2026-11-25", "甲", "=1+1", ""]])
    assert rules(read(path, CAT)) == [("formula-no-cache", "D2")]


def test_required_column_missing_rejects_the_file(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [RECEIPTS[:3] + ["摘要"], ["B1", "2026-11-25", "甲", ""]])
    result = read(path, CAT)
    assert result.status == "rejected"
    assert [(f.rule, f.field) for f in result.findings] == [("column-missing", "amount")]


def test_an_unknown_extra_column_is_kept_and_warned(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [RECEIPTS + ["经办人"], ["B1", "2026-11-25", "甲", 1, "", "张三"]])
    result = read(path, CAT)
    assert rules(result) == [("column-unknown", "F1")]
    assert next(result.rows)[1].extra == {"经办人": "张三"}


def test_an_empty_workbook_and_a_truncated_zip(tmp_path):
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    assert [f.rule for f in read(empty, CAT).findings] == ["file-empty"]
    good = write_xlsx(tmp_path / "g.xlsx", [CUSTOMER_HEADER, *customer_rows(2)])
    truncated = tmp_path / "t.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert [f.rule for f in read(truncated, CAT).findings] == ["file-corrupt"]


def test_a_zip_bomb_is_refused_before_parsing(tmp_path):
    good = write_xlsx(tmp_path / "g.xlsx", [CUSTOMER_HEADER, *customer_rows(2)])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/media/padding.bin", b"\0" * 30_000_000)
    result = read(bomb, CAT, limits=Limits(max_uncompressed_mb=20))
    assert [f.rule for f in result.findings] == ["file-too-large"]
    result = read(bomb, CAT, limits=Limits(max_compression_ratio=100))
    assert [f.rule for f in result.findings] == ["file-too-large"]


def test_a_sheet_named_after_the_form_identifies_it(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["银行流水号", "金额"], ["B1", 1]], sheet="银行到款")
    result = read(path, CAT)
    assert result.form == "bank_receipts"
    assert {f.rule for f in result.findings} == {"column-missing"}


def test_csv_in_gb18030_and_utf8(tmp_path: Path):
    text = "\n".join([",".join(RECEIPTS), "B1,2026/11/25,某公司,100,"])
    for encoding in ("gb18030", "utf-8-sig"):
        path = tmp_path / f"r-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        result = read(path, CAT)
        assert result.kind == "csv" and result.form == "bank_receipts" and result.errors == 0
