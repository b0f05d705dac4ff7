"""Per-person folders: the demo day run through the CLI lays out 收件人/<name>/ with exactly each
person's files (hard links of the run's own), and the reconciliation folder does the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import Osb

DAY = "2026-11-26"


@pytest.fixture(scope="module")
def demo_day(tmp_path_factory) -> tuple[Osb, dict]:
    osb = Osb(tmp_path_factory.mktemp("folders") / "work")
    osb("demo", "--date", DAY)
    return osb, osb.run(DAY)


def _folders(run: Path) -> dict[str, set[str]]:
    return {p.name: {f.name for f in p.iterdir()} for p in (run / "收件人").iterdir()}


def _names(manifest: dict, **where) -> set[str]:
    return {Path(o["file"]).name for o in manifest["outputs"] if all(o.get(k) == v for k, v in where.items())}


def test_each_slt_member_finds_their_own_approval_workbook_and_no_other(demo_day):
    osb, manifest = demo_day
    folders = _folders(osb.home / "outbox" / DAY / "run-01")
    for title in ("总经理", "销售总监", "销售副总监"):
        assert _names(manifest, form="approval_requests", person=title) <= folders[title]
        others = _names(manifest, form="approval_requests") - _names(manifest, person=title)
        assert not others & folders[title], title
        assert _names(manifest, form="summary") <= folders[title], "the run's HTML summary is for SLT"
        assert _names(manifest, form="kpi") <= folders[title]


def test_each_um_finds_their_notices_and_the_exceptions_and_no_one_elses_notices(demo_day):
    osb, manifest = demo_day
    folders = _folders(osb.home / "outbox" / DAY / "run-01")
    notices = [o for o in manifest["outputs"] if o["form"] == "um_notices"]
    assert len(notices) >= 2
    for notice in notices:
        mine = {Path(o["file"]).name for o in notices if o["person"] == notice["person"]}
        assert {n for n in folders[notice["person"]] if n.startswith("区域通知")} == mine
    exceptions = next(o for o in manifest["outputs"] if o["form"] == "exceptions")
    assert exceptions["owners"]
    for owner in exceptions["owners"]:
        assert Path(exceptions["file"]).name in folders[owner]


def test_roles_without_a_roster_entry_get_the_folders_rules_toml_names(demo_day):
    osb, manifest = demo_day
    folders = _folders(osb.home / "outbox" / DAY / "run-01")
    assert folders["秘书组"] >= _names(manifest, form="order_register") | _names(manifest, form="exceptions")
    assert folders["秘书组"] >= _names(manifest, form="returned_copies")     # the demo's files name no submitter
    assert folders["财务部"] >= _names(manifest, form="receivables")
    assert "仓库" not in folders or folders["仓库"] <= _names(manifest, form="delivery_notes")


def test_every_file_in_a_person_folder_is_the_runs_own_file(demo_day):
    osb, manifest = demo_day
    run = osb.home / "outbox" / DAY / "run-01"
    placed = [f for f in (run / "收件人").rglob("*") if f.is_file()]
    assert placed
    for f in placed:
        assert f.read_bytes() == (run / f.name).read_bytes()
        assert f.stat().st_ino == (run / f.name).stat().st_ino, "a hard link where the file system allows"
    listed = {Path(o["file"]).name for o in manifest["outputs"] if o["file"].startswith(f"outbox/{DAY}/run-01/")}
    assert {f.name for f in placed} == listed, "every output reaches someone, and nothing else is placed"


def test_the_reconciliation_folder_has_finance_and_each_kam_their_statements(demo_day):
    osb, _ = demo_day
    osb("reconcile", "--period", "2026H2", "--date", "2026-12-01")
    folder = osb.home / "outbox" / "对账-2026H2"
    folders = _folders(folder)
    assert any(n.startswith("对账汇总") for n in folders["财务部"])
    statements = {n for names in folders.values() for n in names if n.startswith("对账单")}
    assert statements and statements == {f.name for f in folder.glob("对账单*")}, "every statement reaches someone"
    with osb.ledger() as db:
        kam = dict(db.execute("SELECT customer_code, account_manager FROM customers"))
    for name, names in folders.items():
        for statement in (n for n in names if n.startswith("对账单")):
            code = statement.split("-")[2]
            assert kam[code] == name, (statement, name)
