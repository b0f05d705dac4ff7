"""`osb-batch demo --days 5` from a Thursday: a simulated week of the OSB cycle, read back from each
run's manifest.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from osb_batch.cli import main
from osb_batch.demo.week import REGULAR_PATH, default_start

from ..conftest import Osb

START = "2026-11-26"      # a Thursday: days 3 and 4 are Saturday and Sunday
DAYS = [f"2026-11-{d}" for d in range(26, 31)]
RUNNERS: dict[Path, Osb] = {}


@pytest.fixture(scope="module")
def week(tmp_path_factory) -> tuple[Path, str, dict[str, dict]]:
    home = tmp_path_factory.mktemp("week") / "work"
    RUNNERS[home] = Osb(home)             # the week's ledger, whichever test asks for the fixture first
    result = RUNNERS[home]("demo", "--days", "5", "--date", START)
    manifests = {}
    for path in sorted((home / "outbox").glob("*/run-*/manifest.json")):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifests[manifest["business_date"]] = manifest
    return home, result.output, manifests


def orders(manifest: dict) -> dict[str, dict]:
    return {o["order_no"]: o for o in manifest["orders"]}


def test_one_run_per_calendar_day_weekend_included_one_line_each(week):
    home, output, manifests = week
    assert sorted(manifests) == DAYS
    assert all(m["run"] == 1 for m in manifests.values())
    lines = output.strip().splitlines()
    assert [line.split()[0] for line in lines[:5]] == DAYS
    assert "周六" in lines[2] and "休息日" in lines[3]
    assert Path(lines[-1]) == home / "outbox" / DAYS[-1] / "run-01"


def test_day_one_covers_every_decision_path(week):
    _, _, manifests = week
    first = manifests[DAYS[0]]["orders"]
    assert {"5-2", "5-3", "5-4", "5-5", "5-7a", "5-7b", "5-7c"} <= {o["case"] for o in first}
    assert any(o["state"] == "REJECTED" and len(o["reasons"]) >= 2 for o in first)
    assert any(o["cut_lines"] and o["case"] == "5-2" for o in first)
    by_customer: dict[str, list[str]] = {}
    for o in first:
        by_customer.setdefault(o["customer_code"], []).append(o["case"])
    assert ["5-2", "5-3"] in by_customer.values(), "a second order sees the first one's exposure"


def test_later_working_days_orders_take_the_path_the_week_declares(week):
    _, _, manifests = week
    for day in (DAYS[1], DAYS[-1]):
        new = [o for o in manifests[day]["orders"] if o["order_no"].startswith(f"SO-{day.replace('-', '')}-")]
        assert len(new) >= 2 and {(o["case"], o["state"]) for o in new} == {REGULAR_PATH}, day


def test_signed_approvals_issue_notes_and_the_warehouse_ships_them(week):
    _, _, manifests = week
    day2, day3 = orders(manifests[DAYS[1]]), orders(manifests[DAYS[2]])
    issued = [no for no, o in day2.items() if o["state"] == "NOTE_ISSUED"]
    assert len(issued) >= 3
    assert {day3[no]["state"] for no in issued} == {"SHIPPED", "NOTE_ISSUED"}, "all shipped but the late one"
    assert [o["state"] for o in day2.values() if o["case"] == "5-3"].count("REFUSED") == 1


def test_the_st_stays_pending_over_the_weekend_and_becomes_the_slts_problem(week):
    _, _, manifests = week
    st = next(o["order_no"] for o in manifests[DAYS[0]]["orders"] if o["case"] == "5-5")
    assert [orders(manifests[d])[st]["state"] for d in DAYS] == ["ST_PENDING"] * 5
    last = manifests[DAYS[-1]]["problems"]
    assert [(p["area"], p["responsible"], p["status"]) for p in last if p["order_no"] == st] == [("OP", "SLT", "open")]
    assert not [p for p in manifests[DAYS[1]]["problems"] if p["order_no"] == st], "not before the deadline"


def test_the_late_shipment_is_the_warehouses_problem(week):
    _, _, manifests = week
    late = [p for p in manifests[DAYS[-1]]["problems"] if p["area"] == "SP"]
    assert [(p["responsible"], p["status"]) for p in late] == [("warehouse", "open")]
    assert orders(manifests[DAYS[-1]])[late[0]["order_no"]]["state"] == "SHIPPED"


def test_the_problem_update_on_the_last_day_resolves_one_problem(week):
    _, _, manifests = week
    resolved = [p for p in manifests[DAYS[-1]]["problems"] if p["status"] == "resolved"]
    assert len(resolved) == 1 and resolved[0]["area"] == "OP"
    before = {p["problem_no"]: p["status"] for p in manifests[DAYS[-2]]["problems"]}
    assert before[resolved[0]["problem_no"]] == "open"


def test_nothing_is_signed_at_the_weekend(week):
    _, _, manifests = week
    for day in DAYS[2:4]:
        forms = {i["form"] for i in manifests[day]["inputs"]}
        assert not forms & {"approvals", "orders"}, day


def test_the_default_start_is_the_thursday_on_or_before_today():
    assert default_start(dt.date(2026, 11, 26)) == dt.date(2026, 11, 26)
    assert default_start(dt.date(2026, 11, 30)) == dt.date(2026, 11, 26)
    assert default_start(dt.date(2026, 11, 25)) == dt.date(2026, 11, 19)


def test_days_must_be_positive(tmp_path):
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "w"), "demo", "--days", "0"])
    assert result.exit_code == 2


def test_finance_bills_shipped_notes_and_a_receipt_pays_the_first_invoice(week):
    home, _, manifests = week
    last = manifests[DAYS[-1]]
    states = [o["state"] for o in last["orders"]]
    assert "INVOICED" in states and "PAID" in states      # paid on sight, or out of a prepayment
    outputs = {o["form"]: home / o["file"] for o in last["outputs"]}
    pool = openpyxl.load_workbook(outputs["receipts_pool"], read_only=True)
    rows = [r for r in pool.worksheets[0].iter_rows(values_only=True) if r and r[0] and str(r[0]).startswith("BR-")]
    similar = [r for r in rows if "贸易商行" in str(r[2])]
    assert len(similar) == 1 and "付款户名相似" in similar[0][7]
    assert "receivables" in outputs


def test_every_output_names_only_catalogue_fields_in_its_osb_sheet(week):
    """`osb-batch forms <output>` documents what the output holds: the writers and the catalogue agree."""
    from osb_batch import catalogue
    home, _, _ = week
    cat = catalogue.load()
    RUNNERS[home]("reconcile", "--period", "2026H2", "--date", DAYS[-1])
    files = [*(home / "outbox" / DAYS[-1]).glob("run-*/*.xlsx"), *(home / "outbox" / "对账-2026H2").glob("*.xlsx")]
    forms = set()
    for path in files:
        wb = openpyxl.load_workbook(path, read_only=True)
        rows = list(wb["_osb"].iter_rows(values_only=True))
        form = rows[0][1]
        forms.add(form)
        keys = [r[1] for r in rows[3:] if r[1] and not str(r[1]).startswith("~") and r[0] != "sheet"]
        shown = [r[1] for r in rows[3:] if r[0] == "sheet"]
        assert set(shown) <= set(wb.sheetnames), (path.name, shown)
        assert keys and set(keys) <= set(cat[form].keys), (path.name, set(keys) - set(cat[form].keys))
    assert {"receivables", "collection_claims", "statements", "reconciliation", "kpi"} <= forms
