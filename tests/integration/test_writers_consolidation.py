"""The consolidation workbook of a form people fill: the catalogue's columns, then who sent each row
and when it arrived; the form named in its _osb sheet; readable in both languages and in LibreOffice."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from osb_batch import catalogue
from osb_batch.writers.consolidation import ConsolidatedRow, consolidation_file_name, write_consolidation

from ..conftest import LO_CHECK, assert_list_layout, lo_check_failures

TZ = ZoneInfo("Asia/Shanghai")
ROWS = [
    ConsolidatedRow({"customer_name": "华新建材有限公司", "market": "E", "region": "上海", "annual_purchase": Decimal("1200000.50"),
                     "follow_up_by": "王敏", "registered_on": dt.date(2026, 11, 3)}, "王敏",
                    dt.datetime(2026, 11, 6, 17, 59, 30, tzinfo=TZ)),
    ConsolidatedRow({"customer_name": "远东机电", "market": "E", "region": "江苏", "follow_up_by": "刘洋",
                     "registered_on": dt.date(2026, 11, 9)}, "刘洋", dt.datetime(2026, 11, 9, 8, 5, tzinfo=TZ)),
]


def _write(tmp_path, lang):
    form = catalogue.load()["target_customers"]
    return form, write_consolidation(tmp_path, form, "2026-11", ROWS, lang, "2026.1")


@pytest.mark.parametrize(("lang", "name", "who", "when"), [
    ("zh", "目标客户基本信息情况统计表-2026-11.xlsx", "提交人", "到达时间"),
    ("en", "Target customer information-2026-11.xlsx", "Submitted by", "Arrived"),
])
def test_every_row_carries_its_submitter_and_arrival_after_the_catalogue_columns(tmp_path, lang, name, who, when):
    form, path = _write(tmp_path, lang)
    assert path.name == name == consolidation_file_name(form, "2026-11", lang)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[3]]
    labels = [f.en if lang == "en" else f.zh for f in form.fields]
    assert header == [*labels, who, when]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert [(r[-2], r[-1]) for r in rows] == [("王敏", dt.datetime(2026, 11, 6, 17, 59)),
                                               ("刘洋", dt.datetime(2026, 11, 9, 8, 5))]
    assert rows[0][header.index(labels[form.keys.index("annual_purchase")])] == 1200000.5
    assert [r[1] for r in wb["_osb"].iter_rows(max_row=1, values_only=True)] == ["target_customers"]
    assert_list_layout(ws, len(header), 2, header_row=3)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_consolidation_opens_and_prints_in_libreoffice(tmp_path, lang):
    if not shutil.which("soffice") or not LO_CHECK.exists():
        pytest.skip("LibreOffice or lo_check.py absent")
    assert lo_check_failures([_write(tmp_path, lang)[1]]) == []
