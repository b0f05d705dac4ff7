"""The one shape of a periodic output: a fake entry built, written and swapped into outbox/."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from osb_batch.reports.period import Period
from osb_batch.reports.registry import REPORTS
from osb_batch.reports.report import Basis, Report, produce, produce_alone, write_into
from osb_batch.settings import parse as parse_settings
from osb_batch.workspace import Home, RunBusy, holding_lock

PERIOD = Period("half_year", "2026H1", dt.date(2026, 1, 1), dt.date(2026, 6, 30))
TODAY = dt.date(2026, 7, 3)


def _write(records: dict, period: Period, folder, lang: str, version: str):
    written = []
    for name, text in records.items():
        target = folder / f"{name}-{period.label}.txt"
        target.write_text(f"{text} {lang} {version}", encoding="utf-8")
        written.append((target, "notes"))
    return written


def _entry(records: dict | None) -> Report:
    return Report("notes", "half_year", lambda basis, period, lang: records, _write,
                  lambda recs: {"period": PERIOD.label, "names": sorted(recs)}, folder="笔记-{period}")


def _basis() -> Basis:
    return Basis(None, parse_settings(""), TODAY)


def test_a_report_is_swapped_into_its_folder_with_a_manifest_naming_every_file(tmp_path):
    home = Home(tmp_path)
    done = produce(home, _entry({"a": "alpha", "b": "beta"}), _basis(), PERIOD, "en")
    assert done.folder == tmp_path / "outbox" / "笔记-2026H1"
    assert done.result == {"period": "2026H1", "names": ["a", "b"]}
    manifest = json.loads((done.folder / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest) == ["period", "names", "written_on", "outputs"]
    assert manifest["written_on"] == "2026-07-03"
    files = [(o["file"], o["form"]) for o in manifest["outputs"]]
    assert files == [("outbox/笔记-2026H1/a-2026H1.txt", "notes"), ("outbox/笔记-2026H1/b-2026H1.txt", "notes")]
    for o in manifest["outputs"]:
        assert o["sha256"] == hashlib.sha256((tmp_path / o["file"]).read_bytes()).hexdigest()
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == ["笔记-2026H1"]


def test_a_second_report_of_the_same_period_replaces_the_first_whole(tmp_path):
    home = Home(tmp_path)
    produce(home, _entry({"a": "alpha", "b": "beta"}), _basis(), PERIOD, "en")
    done = produce(home, _entry({"c": "gamma"}), _basis(), PERIOD, "en")
    assert sorted(p.name for p in done.folder.iterdir()) == ["c-2026H1.txt", "manifest.json", "收件人"]
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == ["笔记-2026H1"]      # no .old, no .partial


def test_a_report_whose_build_fails_writes_nothing_and_keeps_the_earlier_folder(tmp_path):
    home = Home(tmp_path)
    first = produce(home, _entry({"a": "alpha"}), _basis(), PERIOD, "en")

    def broken(basis, period, lang):
        raise ValueError("does not tie")

    entry = Report("notes", "half_year", broken, _write, folder="笔记-{period}")
    with pytest.raises(ValueError):
        produce(home, entry, _basis(), PERIOD, "en")
    assert sorted(p.name for p in first.folder.iterdir()) == ["a-2026H1.txt", "manifest.json", "收件人"]
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == ["笔记-2026H1"]


def test_entries_of_a_run_folder_are_written_in_order_and_skipped_when_they_have_nothing(tmp_path):
    entries = [_entry({"z": "last"}), _entry(None), _entry({"a": "first"})]
    written = list(write_into(tmp_path, entries, _basis(), PERIOD, "zh", "v1"))
    assert [(p.name, form) for p, form in written] == [("z-2026H1.txt", "notes"), ("a-2026H1.txt", "notes")]
    assert (tmp_path / "a-2026H1.txt").read_text(encoding="utf-8") == "first zh v1"


def test_a_report_made_alone_waits_for_no_run_that_holds_the_lock(tmp_path):
    home = Home(tmp_path)
    with holding_lock(home, "pid 1, started 2026-07-03T08:00:00"), pytest.raises(RunBusy, match="pid 1"):
        produce_alone(home, parse_settings(""), lambda basis: produce(home, _entry({"a": "alpha"}), basis, PERIOD, "zh"),
                      today=TODAY, command="notes")
    assert not (tmp_path / "outbox").exists()


def test_every_registered_report_has_a_folder_of_its_own_and_a_json_view():
    for key, report in REPORTS.items():
        assert report.key == key and report.folder and report.as_json is not None
