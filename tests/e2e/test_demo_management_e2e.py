"""The management cycle of ``osb-batch demo --days N`` (issues 11 item 8, 12 item 7): three weeks
from a Thursday, across a mid-month KAM handover and a month end, through the CLI; every
management input the demo sends is stored in the ledger with nothing worse than an info line in
the exceptions list."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from osb_batch.ledger.attribution import attribute, attribution_intervals
from osb_batch.ledger.documents import documents, plan_rows, submissions
from osb_batch.ledger.roster import roster_on

from ..conftest import Osb
from ..support.outputs import exception_rows

START, DAYS = "2026-11-12", 21              # Thursday 12 November to Wednesday 2 December
STORED = ("monthly_plan", "quarterly_plan", "marketing_budget", "weekly_work_plan", "visit_plan", "work_log",
          "market_weekly_status", "monthly_work_plan", "market_monthly_status", "contract_register",
          "expense_request", "expense_claim")
NAMES = ("销售人员名册", "月度计划", "季度计划", "营销费用预算", "周工作计划表", "客户拜访计划", "工作日志", "市场状况",
         "月工作计划表", "销售合同登记", "客户经理调整")
# the expense requests and claims carry refusals on purpose (over budget, over tolerance, a duplicate):
# stored like the rest, but the budget loop may tell them as findings
MEANT_TO_BE_REFUSED = ("营销费用申请", "营销费用报销")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    osb = Osb(tmp_path_factory.mktemp("demo-month") / "work")
    result = osb("demo", "--days", str(DAYS), "--date", START)
    ledger = osb.open_ledger(readonly=True)
    yield osb, result.output, ledger
    ledger.close()


def _manifests(osb: Osb) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((osb.home / "outbox").glob("*/run-01/manifest.json"))]


def _stored_without_error_or_warning(osb: Osb) -> None:
    for manifest in _manifests(osb):
        mine = [i for i in manifest["inputs"] if any(n in i["file"] for n in NAMES + MEANT_TO_BE_REFUSED)]
        assert all(i["status"] == "processed" for i in mine), mine
        assert all(i["errors"] == 0 for i in mine if not any(n in i["file"] for n in MEANT_TO_BE_REFUSED)), mine
        worse = [r for r in exception_rows(osb.home, manifest)
                 if any(n in str(r["文件"]) for n in NAMES) and r["严重程度"] != "提示"]
        assert worse == [], (manifest["business_date"], worse)


def test_every_management_input_is_stored_without_error_or_warning(demo):
    osb, _, ledger = demo
    for form in STORED:
        assert documents(ledger, form), form
    _stored_without_error_or_warning(osb)


def test_across_a_quarter_end_the_next_plans_arrive_and_the_proposal_comes_back_signed(tmp_path):
    osb = Osb(tmp_path / "work")
    output = osb("demo", "--days", "12", "--date", "2026-12-24").output       # Thursday to Monday 4 January
    _stored_without_error_or_warning(osb)
    ledger = osb.open_ledger(readonly=True)
    try:
        periods = {(r.kind, r.period) for r in plan_rows(ledger)}
        budget = {r["month"] for r in documents(ledger, "marketing_budget")}
        month_plans = {r["_person"] for r in documents(ledger, "monthly_work_plan", period="2027-01")}
        changed = ledger.conn.execute("SELECT quarter, approved_by FROM credit_limit_changes").fetchall()
    finally:
        ledger.close()
    assert {("month", "2027-01"), ("quarter", "2027Q1"), ("quarter", "2026Q4")} <= periods
    assert {"2026-12", "2027-01"} <= budget and month_plans
    # the first run of 2027Q1 closed 2026Q4 and proposed the 2027Q1 limits; the first working day
    # after, the demo's SLT returns them signed: approved rows become limits, the KAM's signature is refused
    assert "信用额度建议（2027Q1）" not in output
    assert changed and {quarter for quarter, _ in changed} == {"2027Q1"}
    signed = [i for i in json.loads((osb.home / "outbox" / "2027-01-04" / "run-01" / "manifest.json").read_text())
              ["inputs"] if i["form"] == "credit_limit_decisions"]
    assert [(i["status"], i["errors"]) for i in signed] == [("processed", 1)]


def test_the_roster_names_the_people_of_the_customers_and_the_rules(demo):
    _, _, ledger = demo
    people = roster_on(ledger, dt.date(2026, 11, 20))
    roles = {p.role for p in people}
    assert roles == {"SLT", "SSG", "MM", "UM", "KAM", "SR"} and not any(p.derived for p in people)
    assert {p.name for p in people if p.role == "SLT"} == {"总经理", "销售总监", "销售副总监"}
    assert all(p.since <= dt.date(2026, 10, 12) for p in people)
    kams = {p.name for p in people if p.role == "KAM"}
    managers = {r[0] for r in ledger.conn.execute("SELECT account_manager FROM customers")}
    assert managers <= kams


def test_plans_cover_the_months_and_the_quarter_with_market_region_and_product_rows(demo):
    _, _, ledger = demo
    rows = plan_rows(ledger)
    months = {r.period for r in rows if r.kind == "month"}
    assert {"2026-11", "2026-12"} <= months
    assert any(r.kind == "quarter" and r.period == "2026Q4" for r in rows)
    shapes = {(r.region is not None, r.product_code is not None) for r in rows if r.period == "2026-11"}
    assert shapes == {(False, False), (True, False), (True, True)}


def test_one_weekly_plan_is_late_and_one_missing_the_first_monday(demo):
    _, _, ledger = demo
    week = [s for s in submissions(ledger, ["weekly_work_plan"]) if s.period == "2026-W47"]
    due = dt.datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI)
    late = [s.person for s in week if s.arrived_at > due]
    planners = {p.name for p in roster_on(ledger, dt.date(2026, 11, 16)) if p.role in ("UM", "KAM", "SR")}
    assert len(late) == 1
    assert len(planners - {s.person for s in week}) == 1


def test_a_customer_is_handed_to_another_kam_mid_month(demo):
    _, _, ledger = demo
    versions = attribution_intervals(ledger)
    moved = versions.groupby("customer_code")["kam"].nunique()
    assert list(moved[moved > 1].index) == [code := moved[moved > 1].index[0]]
    facts = pd.DataFrame({"customer_code": [code, code], "date": pd.to_datetime(["2026-11-13", "2026-11-20"])})
    before, after = attribute(facts, ledger).to_dict("records")
    assert before["kam"] != after["kam"] and before["market"] == after["market"]


def test_visits_come_back_with_actual_dates_and_logs_name_customers(demo):
    _, _, ledger = demo
    assert any(r["actual_date"] for r in documents(ledger, "visit_plan"))
    assert any(r["customer_name"] for r in documents(ledger, "work_log"))


def test_the_regions_return_the_months_dealer_statistics_with_the_stock_filled(demo):
    _, output, ledger = demo
    stored = documents(ledger, "dealer_purchase_stats", period="2026-11")
    assert "经销商进货情况统计表（2026-11）" not in output
    assert stored and all(r["customer_code"] and r["product_code"] for r in stored)
    assert any(r["stock_qty"] for r in stored)


def test_three_weeks_close_the_workflow_trails_a_week_leaves_open(demo):
    osb, _, ledger = demo
    rows = ledger.conn.execute("SELECT chain, status, late FROM workflow_items WHERE chain IN "
                               "('invoicing', 'after_sales', 'returns', 'bid_deposits', 'service_tickets')").fetchall()
    by_chain: dict[str, list[tuple[str, int]]] = {}
    for chain, status, late in rows:
        by_chain.setdefault(chain, []).append((status, late))
    assert [late for status, late in by_chain["invoicing"] if status == "closed"].count(1) == 1, "one invoice late"
    for chain in ("after_sales", "returns", "bid_deposits", "service_tickets"):
        assert by_chain[chain] and all(s == ("closed", 0) for s in by_chain[chain]), (chain, by_chain[chain])
    told = [r["规则"] for m in _manifests(osb) for r in exception_rows(osb.home, m)]
    assert "workflow-unmatched" not in told and "workflow-duplicate" not in told
