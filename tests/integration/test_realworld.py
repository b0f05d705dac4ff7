"""Every real-world spreadsheet in shared/realworld gives rows or a specific, readable error.

None of them is one of our forms, so "rows" means: the file was loaded and either identified
or quarantined with a reason naming what is wrong; never a crash, a hang or silent nothing.
"""

from __future__ import annotations

import time

import pytest

from osb_batch import catalogue as catalogue_mod
from osb_batch.readers.workbook import read
from osb_batch.settings import load

from ..conftest import REALWORLD

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


def _probe_catalogue(path):
    """A one-form catalogue whose labels are the file's own header row (the row of the first
    sheet, within 20 rows, with the most distinct text cells)."""
    import python_calamine as pc

    from osb_batch.readers.cell_values import normalize_label
    wb = pc.CalamineWorkbook.from_path(str(path))
    visible = [m.name for m in wb.sheets_metadata
               if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet]
    for name in visible:
        grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        best = []
        for row in grid[:20]:
            labels = {normalize_label(c): c for c in row if isinstance(c, str) and c.strip()}
            labels = {k: v for k, v in labels.items() if k}
            if len(labels) > len(best):
                best = list(labels.values())
        if len(best) >= 2:
            fields = [{"key": f"c{i}", "zh": label, "en": f"c{i}", "type": "text"}
                      for i, label in enumerate(best)]
            return catalogue_mod.parse({"version": "probe", "forms": [
                {"key": "probe", "zh": "探针表", "en": "Probe", "kind": "input", "fields": fields}]})
    return None


@pytest.mark.skipif(not FILES, reason="shared/realworld not present")
@pytest.mark.parametrize("path", [p for p in FILES if p.name not in EXPECTED_RULE],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_world_table_under_its_own_header_gives_rows(path):
    probe = _probe_catalogue(path)
    if probe is None:
        result = read(path, catalogue_mod.load(), display=path.name)
        assert result.status == "quarantined" and result.findings, "no table: must say why"
        return
    result = read(path, probe, display=path.name)
    assert result.status == "read", [f.render() for f in result.findings]
    assert result.row_count > 0 or [f.rule for f in result.findings] == ["no-rows"]
    assert all(row.number > table.header_row for table, row in result.rows)
