"""The periodic reports through the CLI (issue 11 items 6-8): the daily run reminds who owes a
report until it is in, produces each closed week, month and quarter once into outbox/报表-P/,
and ``report`` makes any period on request, with the submissions at exactly the due minute and
the consolidation of what people sent, who sent it and when."""

from __future__ import annotations

import datetime as dt
import json
import os
from zoneinfo import ZoneInfo

import pandas as pd

from ..conftest import CUSTOMER_HEADER, write_xlsx

SHANGHAI = ZoneInfo("Asia/Shanghai")
STAFF = ["姓名", "岗位", "市场", "区域", "邮箱", "电话", "在职", "起始日期"]
WEEK_PLAN = ["周起始日", "姓名", "序号", "工作内容"]
VISITS = ["计划拜访日期", "业务员", "客户名称", "拜访目的"]
LOG = ["日期", "姓名", "工作事项", "相关客户"]
KAMS = ("王敏", "刘洋", "陈静", "赵丽")


def _arrive(path, *moment: int) -> None:
    stamp = dt.datetime(*moment, tzinfo=SHANGHAI).timestamp()
    os.utime(path, (stamp, stamp))


def _week_plan(osb, name: str, *moment: int) -> None:
    path = write_xlsx(osb.inbox / f"周工作计划-{name}.xlsx",
                      [WEEK_PLAN, ["2026-11-23", name, "1", "拜访重点客户"], ["2026-11-23", name, "2", "催收货款"]])
    _arrive(path, *moment)


def _start(osb) -> None:
    """Tuesday 17 November: the roster (a title row, Chinese headers) and a customer."""
    write_xlsx(osb.inbox / "客户.xlsx", [CUSTOMER_HEADER, ["C001", "C001公司", "华东", "上海", "王敏", "李强",
                                                          "100000", "30", "否"]])
    write_xlsx(osb.inbox / "名册.xlsx", [STAFF, *([name, "客户经理", "华东", "上海", "", "", "是", "2026-10-01"]
                                                  for name in KAMS)], title="销售人员名册（2026年11月）")
    osb.run("2026-11-17")


def _owed(manifest: dict, form: str, period: str) -> dict[str, str]:
    return {r["person"]: r["status"] for r in manifest["reminders"] if r["form"] == form and r["period"] == period}


def test_reminders_until_in_the_week_once_on_monday_and_the_month_with_who_and_when(osb):
    _start(osb)
    for name in ("王敏", "刘洋"):
        visits = write_xlsx(osb.inbox / f"拜访计划-{name}.xlsx",
                            [VISITS, ["2026-11-24", name, "C001公司", "回访"], ["2026-11-26", name, "新客户", "介绍"]])
        _arrive(visits, 2026, 11, 21, 9, 0)
    _week_plan(osb, "王敏", 2026, 11, 23, 10, 0, 40)           # within the due minute: on time
    _week_plan(osb, "刘洋", 2026, 11, 23, 10, 1)               # the minute after: late
    log = write_xlsx(osb.inbox / "工作日志.xlsx", [LOG, ["2026-11-24", "王敏", "拜访客户", "C001公司"]])
    _arrive(log, 2026, 11, 24, 18, 0)
    tuesday = osb.run("2026-11-24")
    assert _owed(tuesday, "weekly_work_plan", "2026-W48") == {"陈静": "missing", "赵丽": "missing"}
    # W47 closed on Sunday 22 and the batch ran in it: the first run after makes it
    assert tuesday["reports"] == [{"kind": "weekly", "period": "2026-W47", "folder": "outbox/报表-2026-W47"}]
    reminders = {p.name for p in (osb.home / tuesday["outputs"][0]["file"]).parent.glob("催报通知-*")}
    assert reminders == {"催报通知-2026-11-24.xlsx", "催报通知-2026-11-24-陈静.xlsx", "催报通知-2026-11-24-赵丽.xlsx"}
    ssg = pd.read_excel(osb.home / "outbox/2026-11-24/run-01/催报通知-2026-11-24.xlsx", header=2, engine="calamine")
    overdue = ssg[(ssg["姓名"] == "陈静") & (ssg["报表"] == "周工作计划表")]
    assert list(overdue["逾期工作日"]) == [1]

    _week_plan(osb, "陈静", 2026, 11, 25, 9, 0)
    wednesday = osb.run("2026-11-25")
    assert _owed(wednesday, "weekly_work_plan", "2026-W48") == {"赵丽": "missing"}
    assert [r for r in wednesday["reminders"] if r["person"] == "赵丽" and r["form"] == "weekly_work_plan"]

    monday = osb.run("2026-11-30")
    assert monday["reports"] == [{"kind": "weekly", "period": "2026-W48", "folder": "outbox/报表-2026-W48"}]
    week = osb.home / "outbox/报表-2026-W48"
    assert {o["file"] for o in monday["outputs"]} >= {f"outbox/报表-2026-W48/{n}" for n in
                                                     ("周工作计划表-2026-W48.xlsx", "客户拜访计划-2026-W48.xlsx",
                                                      "工作日志-2026-W48.xlsx")}
    plans = pd.read_excel(week / "周工作计划表-2026-W48.xlsx", header=2, engine="calamine")
    assert sorted(zip(plans["姓名"], plans["提交人"], plans["到达时间"].astype(str), strict=True)) == sorted(
        [(n, n, at) for n, at in (("王敏", "2026-11-23 10:00:00"), ("刘洋", "2026-11-23 10:01:00"),
                                  ("陈静", "2026-11-25 09:00:00")) for _ in range(2)])
    assert osb.run("2026-11-30")["reports"] == []           # a second run that day makes nothing again
    assert osb.run("2026-11-24")["reports"] == []           # nor a re-run of an old date

    december = osb.run("2026-12-01")
    assert [(r["kind"], r["period"]) for r in december["reports"]] == [("monthly", "2026-11")]
    manifest = json.loads((osb.home / "outbox/报表-2026-11/manifest.json").read_text(encoding="utf-8"))
    assert "outbox/报表-2026-11/上报情况-2026-11.xlsx" in manifest["outputs"]

    asked = json.loads(osb("report", "monthly", "--period", "2026/11", "--date", "2026-12-01", "--json").output)
    assert list(asked)[:5] == ["kind", "period", "start", "end", "basis"]
    assert (asked["kind"], asked["period"], asked["start"], asked["end"], asked["basis"], asked["closed"]) == (
        "monthly", "2026-11", "2026-11-01", "2026-11-30", "invoiced", True)
    week_plans = {s["person"]: (s["due"], s["status"]) for s in asked["submissions"]
                  if s["form"] == "weekly_work_plan" and s["period"] == "2026-W48"}
    assert week_plans == {"王敏": ("2026-11-23T10:00", "on_time"), "刘洋": ("2026-11-23T10:00", "late"),
                          "陈静": ("2026-11-23T10:00", "late"), "赵丽": ("2026-11-23T10:00", "missing")}
    assert asked["outputs"] == manifest["outputs"]
    assert set(asked) - {"written_on", "files"} == set(manifest) - {"written_on", "files"}


def test_the_run_that_closes_a_quarter_makes_the_month_and_the_quarter(osb):
    _start(osb)
    january = osb.run("2027-01-04")
    made = [(r["kind"], r["period"]) for r in january["reports"]]
    assert ("monthly", "2026-12") in made and ("quarterly", "2026Q4") in made and ("monthly", "2026-11") in made
    assert made.index(("monthly", "2026-12")) < made.index(("quarterly", "2026Q4"))
    assert (osb.home / "outbox/报表-2026Q4/manifest.json").exists()
    assert osb.run("2027-01-04")["reports"] == []


def test_a_period_not_yet_closed_gives_the_figures_so_far_and_says_so(osb):
    _start(osb)
    result = osb("report", "weekly", "--period", "2026-W48", "--date", "2026-11-24")
    assert "本期尚未结束" in result.output and "报表-2026-W48" in result.output
    english = json.loads(osb("--lang", "en", "report", "weekly", "--period", "2026w48", "--date", "2026-11-24",
                             "--json").output)
    assert english["closed"] is False and english["period"] == "2026-W48"
    made = osb.run("2026-11-30")["reports"]         # asked while open, it is still made once closed
    assert [(r["kind"], r["period"]) for r in made] == [("weekly", "2026-W47"), ("weekly", "2026-W48")]


def test_a_wrong_period_label_exits_2_saying_what_is_accepted_in_both_languages(osb):
    zh = osb("report", "monthly", "--period", "2026-13", expect=2)
    assert "2026-11" in zh.output and "月报" in zh.output
    en = osb("--lang", "en", "report", "weekly", "--period", "2026-11", expect=2)
    assert "accepted" in en.output and "2026-W48" in en.output
    assert not (osb.home / "outbox" / "报表-2026-13").exists()


def test_a_failing_report_does_not_lose_the_days_run_and_is_retried_by_the_next(osb, monkeypatch):
    from osb_batch.reports import periodic
    from osb_batch.reports.report import Report

    def broken(basis, period, lang):
        raise RuntimeError("part broke")

    _start(osb)
    working = periodic.PARTS["week"]
    monkeypatch.setitem(periodic.PARTS, "week", (*working, Report("broken", "week", broken, None)))
    monday = osb("run", "--date", "2026-11-30")
    assert "期间报表 2026-W48 未能生成（RuntimeError: part broke），下次运行重试" in monday.output
    manifest = json.loads((osb.home / "outbox/2026-11-30/run-01/manifest.json").read_text(encoding="utf-8"))
    failed = {r["period"]: r for r in manifest["reports"]}
    assert failed["2026-W48"]["folder"] is None and "part broke" in failed["2026-W48"]["error"]
    assert (osb.home / failed["2026-W48"]["log"]).read_text(encoding="utf-8").count("RuntimeError") >= 1
    assert not (osb.home / "outbox/报表-2026-W48").exists()
    assert any(o["form"] == "exceptions" for o in manifest["outputs"])          # the day's own outputs stand

    monkeypatch.setitem(periodic.PARTS, "week", working)
    again = osb.run("2026-11-30")
    assert [(r["kind"], r["period"]) for r in again["reports"]] == [("weekly", "2026-W47"), ("weekly", "2026-W48")]
    assert (osb.home / "outbox/报表-2026-W48/manifest.json").exists()
