"""Every real-world spreadsheet in shared/realworld gives rows or a specific, readable error.

None of them is one of our forms, so "rows" means: the file was loaded and either identified
or quarantined with a reason naming what is wrong; never a crash, a hang or silent nothing.
"""

from __future__ import annotations

import time

import pytest

from osb_batch import catalogue as catalogue_mod
from osb_batch.reader import read
from osb_batch.settings import load

from .conftest import REALWORLD

FILES = sorted(p for p in REALWORLD.rglob("*") if p.is_file() and p.name != "MANIFEST.md") \
    if REALWORLD.exists() else []

EXPECTED_RULE = {
    "pass_protected.xlsx": "file-encrypted",
    "not_a_spreadsheet_Data.xlsx": "not-a-workbook",
    "issue252.xlsx": "file-corrupt",
}


@pytest.fixture(scope="module")
def catalogue():
    return catalogue_mod.load().with_choices({"markets": load(None).market_choices()})


@pytest.mark.skipif(not FILES, reason="shared/realworld not present")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_world_file_reads_or_fails_with_a_located_reason(path, catalogue):
    started = time.monotonic()
    result = read(path, catalogue, display=path.name)
    assert time.monotonic() - started < 10, "no file may hang the reader"
    if path.name in EXPECTED_RULE:
        assert result.status == "quarantined"
        assert [f.rule for f in result.findings] == [EXPECTED_RULE[path.name]]
        return
    assert result.kind in {"xlsx", "xlsm", "xls", "ods"}, (result.kind, result.findings)
    assert result.status in {"read", "rejected", "quarantined"}
    if result.status == "read":
        assert result.form and result.tables
    else:
        assert result.findings, "a file that yields no rows must say why"
        for f in result.findings:
            assert f.message("zh") and f.message("en")


def test_the_1904_date_system_and_serials_read_as_the_same_dates():
    if not FILES:
        pytest.skip("shared/realworld not present")
    import python_calamine as pc
    dates = []
    for name in ("date.xlsx", "date_1904.xlsx", "date_1904.xls"):
        grid = pc.CalamineWorkbook.from_path(str(REALWORLD / "calamine" / name)).get_sheet_by_index(0).to_python()
        dates.append(grid[0][0])
    assert len(set(dates)) == 1 and dates[0].isoformat() == "2021-01-01"
