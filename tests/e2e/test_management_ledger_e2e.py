"""The management cycle's ledger side through ``osb-batch run`` (issue 11, items 1-2): a roster
with a title row and Chinese headers, plans, visit plans and work logs are stored; a customer
handed to another KAM mid-month keeps the first half with the first KAM; a UM without region
and a KAM without market are refused at their cells."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd

from osb_batch.ledger.attribution import attribute, attribution_intervals
from osb_batch.ledger.documents import documents, plan_rows, submissions
from osb_batch.ledger.roster import roster_history, roster_on
from osb_batch.rules.management_records import PlanRow

from ..conftest import CUSTOMER_HEADER, write_xlsx
from ..support.outputs import exception_rows

STAFF = ["姓名", "岗位", "市场", "区域", "邮箱", "电话", "在职", "起始日期"]
PLAN = ["月份", "市场", "区域", "产品编码", "销售目标", "负责人"]
VISITS = ["计划拜访日期", "业务员", "客户名称", "拜访方式", "拜访目的"]
LOG = ["日期", "姓名", "时间段", "工作事项", "相关客户"]
BUDGET = ["月份", "市场", "费用类型", "预算金额"]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _customer(kam: str) -> list:
    return ["C001", "C001公司", "华东", "上海", kam, "李强", "100000", "30", "否"]


def _arrive(path, moment: dt.datetime) -> None:
    os.utime(path, (moment.timestamp(), moment.timestamp()))


def _first_run(osb) -> dict:
    write_xlsx(osb.inbox / "客户.xlsx", [CUSTOMER_HEADER, _customer("王敏")])
    staff = write_xlsx(osb.inbox / "名册.xlsx", [
        STAFF, ["王敏", "客户经理", "华东", "上海", "wm@example.com", "", "是", "2026-10-01"],
        ["李强", "区域经理", "华东", "上海", "", "", "是", ""],
        ["赵刚", "区域经理", "华东", "", "", "", "是", ""],
        ["张三", "客户经理", "", "", "", "", "是", ""]], title="销售人员名册（2026年11月）")
    write_xlsx(osb.inbox / "月度计划.xlsx", [PLAN, ["2026-11", "华东", "上海", "", "100000", "李强"]])
    visits = write_xlsx(osb.inbox / "拜访计划.xlsx", [VISITS, ["2026-11-24", "王敏", "C001公司", "上门拜访", "回访"]])
    write_xlsx(osb.inbox / "营销费用预算.xlsx", [BUDGET, ["2026-11", "华东", "促销费", "45,000.00"]])
    write_xlsx(osb.inbox / "工作日志.xlsx", [LOG, ["2026-11-02", "王敏", "上午", "拜访客户", "C001公司"]])
    _arrive(visits, dt.datetime(2026, 11, 21, 11, 30, tzinfo=SHANGHAI))
    _arrive(staff, dt.datetime(2026, 11, 2, 8, 0, tzinfo=SHANGHAI))
    return osb.run("2026-11-02")


def test_roster_plans_and_reports_people_send_are_kept_and_read_back(osb):
    first = _first_run(osb)
    rows = exception_rows(osb.home, first)
    refused = {(r["规则"], r["单元格"]) for r in rows if r["规则"] in {"required-when", "staff-scope-missing"}}
    assert refused == {("required-when", "D5"), ("staff-scope-missing", "C6")}
    stored = [r for r in rows if r["规则"] == "form-stored"]
    assert len(stored) == 4 and not any(r["规则"] == "form-not-acted" for r in rows)
    assert {k: v for k, v in first["counts"].items() if k.startswith(("staff.", "visit_plan.", "marketing"))} == {
        "staff.inserted": 2, "staff.skipped": 1, "staff.refused": 1, "visit_plan.stored": 1, "marketing_budget.stored": 1}

    write_xlsx(osb.inbox / "客户-移交.xlsx", [CUSTOMER_HEADER, _customer("王磊")])
    write_xlsx(osb.inbox / "名册-调整.xlsx", [STAFF, ["王敏", "客户经理", "华东", "江苏", "", "", "是", "2026-11-16"]])
    write_xlsx(osb.inbox / "月度计划-改.xlsx", [PLAN, ["2026-11", "华东", "上海", "", "120000", "李强"]])
    write_xlsx(osb.inbox / "营销费用预算-改.xlsx", [BUDGET, ["2026-11", "E", "promotion", "60000"]])
    second = osb.run("2026-11-15")
    updated = [r for r in exception_rows(osb.home, second) if r["规则"] == "master-updated" and "名册" in r["文件"]]
    assert [r["单元格"] for r in updated] == ["A2"]

    ledger = osb.open_ledger(readonly=True)
    try:
        early = {p.name: p for p in roster_on(ledger, dt.date(2026, 11, 10))}
        late = {p.name: p for p in roster_on(ledger, dt.date(2026, 11, 20))}
        assert set(early) == {"王敏", "李强"} and not early["王敏"].derived
        assert (early["王敏"].region, late["王敏"].region, late["王敏"].email) == ("上海", "江苏", "wm@example.com")
        assert early["李强"].since == dt.date(2026, 11, 2) and early["李强"].market == "E"
        assert [(p.name, p.since) for p in roster_history(ledger) if p.name == "王敏"] == [
            ("王敏", dt.date(2026, 10, 1)), ("王敏", dt.date(2026, 11, 16))]

        intervals = attribution_intervals(ledger)
        assert intervals["kam"].tolist() == ["王敏", "王磊"]
        assert intervals["end"].tolist()[0] == pd.Timestamp("2026-11-15")
        facts = pd.DataFrame({"customer_code": ["C001"] * 3,
                              "date": pd.to_datetime(["2026-11-14", "2026-10-01", "2026-11-15"])})
        assert attribute(facts, ledger)["kam"].tolist() == ["王敏", "王敏", "王磊"]

        changes = ledger.conn.execute("SELECT row_key, field, old, new FROM changes WHERE form = 'staff'").fetchall()
        assert changes == [("王敏", "region", "上海", "江苏")]
        budget = documents(ledger, "marketing_budget")
        assert [(b["market"], b["expense_type"], b["budget_amount"], b["_period"]) for b in budget] == [
            ("E", "promotion", Decimal("60000.00"), "2026-11")]
        assert plan_rows(ledger) == [PlanRow("month", "2026-11", "E", "上海", None, Decimal("120000.00"),
                                             None, None, None, "李强")]
        assert [d["_period"] for d in documents(ledger, "monthly_plan", period="2026-11")] == ["2026-11"]
        sent = submissions(ledger, ["visit_plan", "work_log"])
        assert [(s.form, s.person, s.period) for s in sent] == [("visit_plan", "王敏", "2026-W48"),
                                                                ("work_log", "王敏", "2026-W45")]
        visit = next(s for s in sent if s.form == "visit_plan")
        assert visit.arrived_at == dt.datetime(2026, 11, 21, 11, 30, tzinfo=SHANGHAI)
        arrived = ledger.conn.execute("SELECT arrived_at FROM inputs WHERE name = '拜访计划.xlsx'").fetchone()[0]
        assert arrived == "2026-11-21T11:30:00+08:00"
    finally:
        ledger.close()
