"""The README's first command: `osb-batch demo` then `osb-batch run`, read back; outputs open in LibreOffice."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from osb_batch import settings as settings_mod
from osb_batch.demo.demo_data import build
from osb_batch.demo.orders import DECISION_PATHS

from ..conftest import LO_CHECK, Osb, lo_check_failures


@pytest.fixture(scope="module")
def demo_day(tmp_path_factory) -> tuple[Osb, dict]:
    osb = Osb(tmp_path_factory.mktemp("demo") / "work")
    osb("demo", "--date", "2026-11-26")
    return osb, osb.run("2026-11-26")


def test_the_demo_day_applies_master_data_and_reports_every_fault(demo_day):
    osb, manifest = demo_day
    statuses = {Path(i["file"]).name: i["status"] for i in manifest["inputs"]}
    assert statuses["会议纪要.xlsx"] == "quarantined"
    assert statuses["产品价格表-错表头.xlsx"] == "quarantined"
    assert statuses["配额表-缺列.xlsx"] == "rejected"
    assert statuses["客户主数据-全国.xlsx"] == "processed"
    with osb.ledger() as db:
        customers = db.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
        markets = {r[0] for r in db.execute("SELECT DISTINCT market FROM customers")}
        products = db.execute("SELECT COUNT(*) FROM products").fetchone()[0]
        quotas = db.execute("SELECT COUNT(*) FROM quotas").fetchone()[0]
    assert customers >= 60 and products == 40 and quotas > 100
    assert markets == {"NE", "N", "NW", "C", "SD", "E", "S", "SW"}
    forms = {o["form"] for o in manifest["outputs"]}
    assert {"exceptions", "returned_copies", "summary", "order_register", "approval_requests",
            "um_notices"} <= forms
    cases = {o["case"] for o in manifest["orders"]}
    assert {"5-2", "5-3", "5-4", "5-5", "5-7a", "5-7b", "5-7c"} <= cases, "the demo day covers every credit path"
    assert any(o["state"] == "REJECTED" for o in manifest["orders"])
    quarantine = osb.home / "quarantine" / "2026-11-26"
    assert "产品价格表" in (quarantine / "产品价格表-错表头.xlsx.txt").read_text(encoding="utf-8")


def test_every_order_takes_the_decision_path_the_demo_declares_for_it(demo_day):
    osb, manifest = demo_day
    data = build(settings_mod.load(osb.home / "rules.toml"), dt.date(2026, 11, 26))
    declared = {o.order_no: (o.role, o.case, o.state) for o in data.orders}
    ran = {o["order_no"]: (o["case"], o["state"]) for o in manifest["orders"]}
    assert [(role, ran[no]) for no, (role, *_) in declared.items()] == \
        [(role, (case, state)) for role, case, state in DECISION_PATHS]
    assert set(ran) == set(declared)


def test_the_exceptions_list_has_a_sheet_per_owner(demo_day):
    osb, manifest = demo_day
    path = osb.home / next(o["file"] for o in manifest["outputs"] if o["form"] == "exceptions")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "全部"
    assert "秘书组" in wb.sheetnames
    assert wb["_osb"].sheet_state == "hidden"


def test_a_second_run_the_same_day_changes_nothing(demo_day):
    osb, _ = demo_day
    with osb.ledger() as db:
        before = db.execute("SELECT * FROM customers ORDER BY customer_code").fetchall()
    again = osb.run("2026-11-26")
    assert again["run"] == 2 and again["inputs"] == []
    with osb.ledger() as db:
        assert db.execute("SELECT * FROM customers ORDER BY customer_code").fetchall() == before


def test_the_run_prints_its_folder_last(tmp_path):
    osb = Osb(tmp_path / "w")
    osb("init", str(osb.home))
    out = osb("run", "--date", "2026-11-27").output.strip().splitlines()
    assert Path(out[-1]) == osb.home / "outbox" / "2026-11-27" / "run-01"
    manifest = json.loads((Path(out[-1]) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["business_date"] == "2026-11-27" and manifest["run"] == 1


@pytest.mark.skipif(not shutil.which("soffice") or not LO_CHECK.exists(), reason="LibreOffice or lo_check.py absent")
def test_every_output_workbook_opens_cleanly_in_libreoffice(demo_day):
    osb, manifest = demo_day
    files = [osb.home / o["file"] for o in manifest["outputs"] if o["file"].endswith(".xlsx")]
    files.append(osb.home / "templates" / "xlsx" / "订单.xlsx")
    assert lo_check_failures(files) == []
