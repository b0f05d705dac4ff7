"""The secretary group's month parts through the CLI (management.md "Monthly duties", issue 12
items 2-4): the shipping information with the month's changes marked, the contract register
numbered once (a late contract gets the next free number and says so), and the OSB meeting pack
(the problem log by area and department, the KPIs against target and the month before, the
largest overdue customers)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import openpyxl
import pytest

from osb_batch.demo.staff_workbook import form_header
from osb_batch.reports import contract_register, credit_grades, credit_limits, osb_meeting, shipping_info
from osb_batch.reports.period import calendar_period
from osb_batch.reports.report import Basis, produce
from osb_batch.settings import load as load_settings
from osb_batch.workspace import Home

from ..conftest import LO_CHECK, Osb, copy_of, lo_check_failures, write_xlsx
from .test_orders_e2e import ORDER_HEADER, PRODUCTS

KEYS = ["customer_code", "customer_name", "market", "region", "account_manager", "unit_manager", "credit_limit",
        "payment_term_days", "prepaid", "shipping_station", "contact", "phone", "address"]
HEADER = form_header("customers", KEYS)[1]
CONTRACTS = form_header("contract_register", ["contract_no", "sign_date", "customer_code", "contract_amount",
                                              "signed_by", "status"])[1]


def produce_part(osb, part, label: str, today: str) -> tuple[dict, list[str]]:
    home = Home(osb.home)
    ledger = osb.open_ledger()
    try:
        basis = Basis(ledger, load_settings(osb.home / "rules.toml"), dt.date.fromisoformat(today))
        produced = produce(home, part, basis, calendar_period("month", label), "zh")
    finally:
        ledger.close()
    manifest = json.loads((produced.folder / "manifest.json").read_text(encoding="utf-8"))
    return produced.result, [o["file"] for o in manifest["outputs"]]


@pytest.fixture(scope="module")
def november_home(tmp_path_factory):
    """October's and November's runs, once for the module."""
    osb = Osb(tmp_path_factory.mktemp("november") / "work")
    osb("init", str(osb.home))
    write_xlsx(osb.inbox / "a-客户.xlsx", [HEADER, ["C1", "C1公司", "华东", "上海", "王五", "赵六", "100000", "30", "否",
                                                   "铜川路站", "张伟", "021-1", "上海路1号"],
                                          ["C2", "C2公司", "华东", "上海", "王五", "赵六", "100000", "30", "否",
                                           "北站", "李娜", "021-2", "上海路2号"]])
    write_xlsx(osb.inbox / "b-产品.xlsx", PRODUCTS)
    write_xlsx(osb.inbox / "开票.xlsx", [["发票号", "送货单号", "客户编码", "开票日期", "金额"],
                                       ["INV-1", "DN-H1", "C1", "2026-10-01", "60000"],
                                       ["INV-2", "DN-H2", "C2", "2026-10-20", "8000"]])
    osb.run("2026-10-30")
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, ["SO-1", "2026-11-02", "C2", "王五", "李四", "P001", "1",
                                                      "1000.00", "1000.00", "否", "", ""]])
    write_xlsx(osb.inbox / "合同.xlsx", [CONTRACTS, ["K-2", "2026-11-05", "C1", "50000", "王五", "执行中"],
                                       ["K-1", "2026-11-03", "C2", "30000", "王五", "执行中"],
                                       ["K-0", "2026-10-30", "C2", "10000", "王五", "已完成"]])
    osb.run("2026-11-02")
    write_xlsx(osb.inbox / "客户-改.xlsx", [HEADER, ["C1", "C1公司", "华东", "上海", "王五", "赵六", "100000", "30", "否",
                                                    "浦东站", "王芳", "", ""]])
    osb.run("2026-11-04")          # SO-1 was never signed: the OP same-day rule opens a problem
    return osb.home


@pytest.fixture
def november(november_home, tmp_path):
    """Each test its own copy of November's folder (a test may run December in it)."""
    return copy_of(november_home, tmp_path / "november")


def test_the_shipping_information_marks_the_months_changes(november):
    result, files = produce_part(november, shipping_info.PART, "2026-11", "2026-12-01")
    changes = sorted((c["customer_code"], c["field"], c["old"], c["new"]) for c in result["shipping_changes"])
    assert changes == [("C1", "contact", "张伟", "王芳"), ("C1", "shipping_station", "铜川路站", "浦东站")]
    rows = list(openpyxl.load_workbook(november.home / files[0]).worksheets[0].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[4], r[5]) for r in rows] == [("C1", "浦东站", "王芳"), ("C2", "北站", "李娜")]
    assert "铜川路站" in rows[0][-1] and rows[1][-1] is None
    earlier, _ = produce_part(november, shipping_info.PART, "2026-10", "2026-12-01")
    assert earlier["shipping_changes"] == []


def test_the_contract_register_numbers_once_and_a_late_contract_takes_the_next_number(november):
    first, _ = produce_part(november, contract_register.PART, "2026-11", "2026-12-01")
    assert [(c["contract_no"], c["register_no"], c["late"]) for c in first["contracts"]] == [
        ("K-1", "HT-202611-001", False), ("K-2", "HT-202611-002", False)]
    write_xlsx(november.inbox / "合同-补.xlsx", [CONTRACTS, ["K-3", "2026-11-01", "C1", "9000", "王五", "执行中"]])
    november.run("2026-12-02")
    again, files = produce_part(november, contract_register.PART, "2026-11", "2026-12-03")
    assert [(c["contract_no"], c["register_no"], c["late"]) for c in again["contracts"]] == [
        ("K-1", "HT-202611-001", False), ("K-2", "HT-202611-002", False), ("K-3", "HT-202611-003", True)]
    assert produce_part(november, contract_register.PART, "2026-11", "2026-12-04")[0] == again
    rows = list(openpyxl.load_workbook(november.home / files[0]).worksheets[0].iter_rows(min_row=4, values_only=True))
    # the 2026-12-02 run, the first after November closed, made November's report and numbered K-3
    assert rows[2][0] == "HT-202611-003" and "2026-12-02" in rows[2][-2] and rows[0][-2] is None
    # 合同风险: C1 owed 60,000 overdue when K-3 was signed on 11-01; C2 owed nothing when K-1 was
    assert rows[2][-1] == "签订时逾期 60,000.00，余额 60,000.00，信用额度 100,000.00" and rows[0][-1] is None
    assert rows[0][10] == "执行中"


def test_the_meeting_pack_has_the_problem_log_the_kpis_and_the_largest_overdue(november):
    result, files = produce_part(november, osb_meeting.PART, "2026-11", "2026-12-01")
    meeting = result["meeting"]
    assert [(p["area"], p["opened"], p["resolved"], p["open"]) for p in meeting["problems"]] == [("OP", 1, 0, 1)]
    kpis = {k["kpi"]: k for k in meeting["kpis"]}
    assert kpis["op_same_day"]["value"] == "0.0000" and kpis["op_same_day"]["previous"] is None
    assert kpis["bc_5day"]["value"] == "0.0000"          # INV-2, due 2026-11-19, is unpaid
    assert [(o["customer_code"], o["overdue"], o["oldest_days"]) for o in meeting["overdue"]] == [
        ("C1", "60000.00", 30), ("C2", "8000.00", 11)]
    book = openpyxl.load_workbook(november.home / files[0])
    assert [ws.title for ws in book.worksheets if ws.sheet_state == "visible"] == ["问题记录", "指标", "逾期客户"]


def test_every_workbook_of_the_parts_opens_and_prints_in_libreoffice(november, tmp_path):
    if not shutil.which("soffice") or not LO_CHECK.exists():
        pytest.skip("LibreOffice or lo_check.py absent")
    ledger = november.open_ledger()
    basis = Basis(ledger, load_settings(november.home / "rules.toml"), dt.date(2026, 12, 1))
    written = []
    try:
        for lang in ("zh", "en"):
            for part, kind, label in ((credit_grades.PART, "month", "2026-11"), (shipping_info.PART, "month", "2026-11"),
                                      (contract_register.PART, "month", "2026-11"), (osb_meeting.PART, "month", "2026-11"),
                                      (credit_limits.PART, "quarter", "2026Q4")):
                period = calendar_period(kind, label)
                folder = tmp_path / lang
                folder.mkdir(exist_ok=True)
                written += [path for path, _ in part.write(part.build(basis, period, lang), period, folder, lang, "t")]
    finally:
        ledger.close()
    assert len(written) == 10
    assert lo_check_failures(written) == []
