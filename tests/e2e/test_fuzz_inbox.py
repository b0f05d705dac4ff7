"""A fuzz test of the daily run: mutated real workbooks never end a run with a traceback.

Hypothesis takes the demo's inbox, the templates and real-world files (shared/realworld),
damages them the ways files get damaged — truncated zips, flipped bytes, a member lost, XML cut
short, a worksheet turned into a chartsheet, dimensions and cell references far out, cells of
random types and values — and drops them into one working folder, run after run. Every run ends
normally; each file is processed, returned or quarantined with a reason; the ledger stays whole
and records every file. Bounded: a few dozen runs, well under a minute.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from osb_batch.writers.returned import returned_copy_name

from ..conftest import REALWORLD, REPO, Osb

REAL = ["calamine/any_sheets.xlsx", "calamine/issue_174.xlsx", "calamine/issue_261.xlsx", "calamine/date_iso.xlsx",
        "calamine/errors.xlsx", "calamine/vba.xlsm", "calamine/merged_range.xls", "calamine/number_rows_repeated.ods",
        "easyexcel/extra_wps.xls", "easyexcel/t03_poi_xfd.xlsx", "xlsxwriter/订单.xlsx", "xlsxwriter/客户主数据.xlsx"]
TEMPLATES = ["订单.xlsx", "客户主数据.xlsx", "银行到款.xlsx"]
NUMBERS = itertools.count(1)
STATUSES = {"processed", "rejected", "quarantined", "duplicate"}
CELL_TYPES = [b"s", b"n", b"b", b"e", b"d", b"str", b"inlineStr", b"zz"]
VALUES = [b"", b"abc", b"1e400", b"-1", b"99999999", b"NaN", b"1.5", b"2958466", b"#N/A", b"9" * 40, b"\xe4\xb8\xad"]


def _xml_mutation(data: bytes, kind: int, draw) -> bytes:
    if kind == 0:                                          # XML cut short
        return data[: draw(st.integers(0, len(data)))]
    if kind == 1:                                          # huge dimension
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
    if kind == 2:                                          # random cell types
        return re.sub(rb'\bt="[a-zA-Z]*"', lambda m: b't="' + draw(st.sampled_from(CELL_TYPES)) + b'"', data)
    if kind == 3:                                          # random cell values
        return re.sub(rb"<v>[^<]*</v>", lambda m: b"<v>" + draw(st.sampled_from(VALUES)) + b"</v>", data)
    if kind == 4:                                          # a worksheet swapped for a chartsheet
        return data.replace(b"worksheet", b"chartsheet")
    if kind == 5:                                          # cell references far out or broken
        far = st.sampled_from([b"XFD1048576", b"A1048576", b"XFD1", b"AAAA99999999", b"A0", b""])
        return re.sub(rb'\br="[A-Z]+[0-9]+"', lambda m: b'r="' + draw(far) + b'"' if draw(st.booleans())
                      else m.group(0), data)
    if kind == 6:                                          # sheets hidden or lost from the workbook
        return re.sub(rb"<sheet ", b'<sheet state="veryHidden" ', data) if draw(st.booleans()) \
            else re.sub(rb"<sheet [^>]*/>", b"", data, count=1)
    return data.replace(b"sheet1.xml", b"sheet9.xml")   # a relationship to nowhere


def mutate(data: bytes, draw, how: str = "") -> bytes:
    how = how or draw(st.sampled_from(["truncate", "flip", "drop", "xml", "xml", "xml"]))
    if how == "truncate":
        return data[: draw(st.integers(0, max(0, len(data) - 1)))]
    if how == "flip":
        out = bytearray(data)
        for pos in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=20)):
            out[pos] = draw(st.integers(0, 255))
        return bytes(out)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    except zipfile.BadZipFile:                             # .xls: bytes flipped instead
        return mutate(data, draw, "flip")
    if how == "drop" and len(members) > 1:
        members.pop(draw(st.integers(0, len(members) - 1)))
    else:
        for _ in range(draw(st.integers(1, 3))):
            n = draw(st.integers(0, len(members) - 1))
            members[n] = (members[n][0], _xml_mutation(members[n][1], draw(st.integers(0, 7)), draw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members:
            zf.writestr(name, body)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> list[Path]:
    demo = Osb(tmp_path_factory.mktemp("demo") / "work")
    demo("init", str(demo.home))
    demo("demo", "--date", "2026-11-26")
    files = sorted(demo.inbox.iterdir())
    files += [REPO / "templates" / "xlsx" / name for name in TEMPLATES]
    files += [REALWORLD / name for name in REAL if (REALWORLD / name).exists()]
    return files


@pytest.fixture(scope="module")
def home(tmp_path_factory, seeds) -> Osb:
    osb = Osb(tmp_path_factory.mktemp("fuzz") / "work")
    osb("init", str(osb.home))
    for seed in seeds[:6]:        # master data first, so that some damaged rows meet known customers
        (osb.inbox / seed.name).write_bytes(seed.read_bytes())
    osb.run("2026-11-26")
    return osb


def check_run(osb: Osb, manifest: dict, dropped: set[str]) -> None:
    day = manifest["business_date"]
    assert {i["file"] for i in manifest["inputs"]} == dropped
    for item in manifest["inputs"]:
        assert item["status"] in STATUSES, item
        name = Path(item["file"]).name
        if item["status"] == "quarantined":
            reason = osb.home / "quarantine" / day / f"{name}.txt"
            assert (osb.home / "quarantine" / day / name).exists() and reason.read_text(encoding="utf-8").strip()
    returned = {Path(o["file"]).name for o in manifest["outputs"] if o["form"] == "returned_copies"}
    assert returned == {returned_copy_name(Path(i["file"]).name) for i in manifest["inputs"]
                        if i["status"] in ("processed", "rejected") and i["errors"]}
    assert not any(osb.inbox.iterdir()), "every file leaves the inbox"
    with osb.ledger() as db:
        if osb.url is None:      # SQLite's own checks; PostgreSQL enforces its foreign keys on every write
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        run_id = db.execute("SELECT id FROM runs WHERE business_date = ? AND run_no = ?",
                            (day, manifest["run"])).fetchone()[0]
        recorded = {p: (status, rows) for p, status, rows in db.execute(
            "SELECT inbox_path, status, rows FROM inputs WHERE run_id = ?", (run_id,))}
        assert recorded == {i["file"]: (i["status"], i["rows"]) for i in manifest["inputs"]}
        archived = [p for (p,) in db.execute("SELECT archive_path FROM inputs WHERE run_id = ? AND status IN "
                                             "('processed', 'rejected')", (run_id,))]
        assert all(p and (osb.home / p).exists() for p in archived)


@settings(max_examples=30, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(data=st.data())
def test_damaged_workbooks_are_processed_returned_or_quarantined_never_a_traceback(home, seeds, data):
    for left in home.inbox.iterdir():        # from an example that failed before the run cleaned up
        left.unlink()
    dropped = set()
    for _ in range(data.draw(st.integers(1, 3))):
        seed = data.draw(st.sampled_from(seeds))
        path = home.inbox / f"{next(NUMBERS)}-{seed.name}"
        path.write_bytes(mutate(seed.read_bytes(), data.draw))
        dropped.add(f"inbox/{path.name}")
    check_run(home, home.run("2026-11-26"), dropped)
