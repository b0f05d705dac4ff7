"""The composite of a periodic report: every part built before anything is written, their files in
one folder and their JSON merged under the header; a part with nothing to say writes nothing; a
part that fails leaves the folder in place as it was and the period unremembered."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from osb_batch.ledger.database import Ledger
from osb_batch.ledger.periodic_reports import produced
from osb_batch.reports import periodic
from osb_batch.reports.period import calendar_period
from osb_batch.reports.report import Basis, Report
from osb_batch.settings import parse as parse_settings
from osb_batch.workspace import Home

NOVEMBER = calendar_period("month", "2026-11")


def _part(key: str, records, *, fail: bool = False) -> Report:
    def build(basis, period, lang):
        if fail:
            raise RuntimeError(f"{key} broke")
        return records

    def write(recs, period, folder, lang, version):
        target = folder / f"{key}-{period.label}.txt"
        target.write_text(json.dumps(recs), encoding="utf-8")
        return [(target, key)]

    return Report(key, "month", build, write, lambda recs: {key: recs})


@pytest.fixture
def basis(tmp_path):
    ledger = Ledger.open(tmp_path / "state" / "ledger.sqlite")
    yield Basis(ledger, parse_settings(""), dt.date(2026, 12, 1))
    ledger.close()


def test_the_parts_are_merged_under_the_header_and_a_part_with_nothing_writes_nothing(tmp_path, basis, monkeypatch):
    monkeypatch.setitem(periodic.PARTS, "month", (_part("alpha", [1, 2]), _part("quiet", None), _part("beta", "b")))
    done = periodic.produce_period(Home(tmp_path), basis, "monthly", NOVEMBER, "zh")
    assert done.result == {"kind": "monthly", "period": "2026-11", "start": "2026-11-01", "end": "2026-11-30",
                           "basis": "invoiced", "as_of": "2026-12-01", "closed": True, "alpha": [1, 2], "beta": "b",
                           "outputs": ["outbox/报表-2026-11/alpha-2026-11.txt", "outbox/报表-2026-11/beta-2026-11.txt"]}
    folder = tmp_path / "outbox" / "报表-2026-11"
    assert sorted(p.name for p in folder.iterdir()) == ["alpha-2026-11.txt", "beta-2026-11.txt", "manifest.json", "收件人"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in manifest.items() if k not in {"written_on", "files"}} == done.result
    assert [f["form"] for f in manifest["files"]] == ["alpha", "beta"]
    assert produced(basis.ledger, "monthly") == {"2026-11"}


def test_a_failing_part_leaves_the_old_folder_and_the_period_unproduced(tmp_path, basis, monkeypatch):
    home = Home(tmp_path)
    monkeypatch.setitem(periodic.PARTS, "month", (_part("alpha", "first"),))
    basis = Basis(basis.ledger, basis.settings, dt.date(2026, 11, 20))      # not closed: not remembered
    periodic.produce_period(home, basis, "monthly", NOVEMBER, "zh")
    before = (tmp_path / "outbox" / "报表-2026-11" / "alpha-2026-11.txt").read_text(encoding="utf-8")
    monkeypatch.setitem(periodic.PARTS, "month", (_part("alpha", "second"), _part("broken", 1, fail=True)))
    with pytest.raises(RuntimeError, match="broken broke"):
        periodic.produce_period(home, Basis(basis.ledger, basis.settings, dt.date(2026, 12, 1)), "monthly",
                                NOVEMBER, "zh")
    assert (tmp_path / "outbox" / "报表-2026-11" / "alpha-2026-11.txt").read_text(encoding="utf-8") == before
    assert produced(basis.ledger, "monthly") == set()


@pytest.mark.parametrize(("today", "first", "done", "owed"), [
    ("2026-11-30", "2026-11-17", {}, [("weekly", "2026-W47"), ("weekly", "2026-W48")]),
    ("2026-11-30", "2026-11-23", {}, [("weekly", "2026-W48")]),
    ("2026-11-30", "2026-11-30", {}, []),
    ("2026-11-30", "2026-11-17", {"weekly": "2026-W47"}, [("weekly", "2026-W48")]),
    ("2026-12-01", "2026-11-17", {"weekly": "2026-W48"}, [("weekly", "2026-W47"), ("monthly", "2026-11")]),
    ("2026-10-01", "2026-09-30", {}, [("monthly", "2026-09"), ("quarterly", "2026Q3")]),
])
def test_the_daily_run_owes_each_closed_period_since_the_batch_began_once(basis, today, first, done, owed):
    ledger = basis.ledger
    ledger.conn.execute("INSERT INTO runs (business_date, run_no, started_at, folder, state) "
                        "VALUES (?, 1, '2026-01-01T00:00:00', 'x', 'done')", (first,))
    for kind, label in done.items():
        ledger.conn.execute("INSERT INTO periodic_reports VALUES (?, ?, 'f', ?, 'now')", (kind, label, first))
    day = dt.date.fromisoformat(today)
    found = periodic.closed_unproduced(Basis(ledger, basis.settings, day))
    assert [(name, period.label) for name, period in found] == owed
