"""The management cycle in the simulated days: what the sales force sends besides orders.

:class:`Cycle` adds, day by day, the files :mod:`osb_batch.demo.week` drops next to the order
flow (file names carry the market, the period or the day; arrival is the file's modification
time, set here in the run's time zone because due times are judged to the minute):

* day 1, before the first run: the roster (销售人员名册, everyone active since the first of the
  month before), and the plans of the months already planned (月度计划 on the 25th of the month
  before at 16:00, with the month's 营销费用预算, and the 季度计划 with a quarter's first month);
  later plans arrive on their 25th;
* the first working day after day 1: the month's contracts (销售合同登记) and three expense
  requests (营销费用申请: one within the budget, one beyond it approved by the MM only, one
  beyond it approved by an SLT member);
* every Monday: the 周工作计划表 of every UM, KAM and SR, a workbook per market before 10:00,
  except, the first Monday, one KAM whose plan comes alone at 11:20 (late) and one who sends none
  (missing); the UMs' 市场状况周统计表 of the week before, before 12:00;
* the week's last working day: its 工作日志 naming the customers visited; every Saturday: the 客户拜访计划
  of next week, with last week's visits re-sent with their actual dates and results;
* the first working days of a month: the 月工作计划表, the expense claims (营销费用报销: one over
  the tolerance, one within, one small without a request; a day later one of them again), the
  MMs' 市场状况月统计表, a contract signed last month that arrives late, the KAMs' 目标客户;
* the first working day on or after the 15th: a customer handed to another KAM of its market;
* returned copies of what the batch writes (:mod:`osb_batch.demo.returns`): the month's
  经销商进货情况统计表 with its stock filled, and at a quarter's start the 信用额度建议 signed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from osb_batch import catalogue as catalogue_mod
from osb_batch.settings import Settings
from osb_batch.workdays import WorkCalendar
from osb_batch.workspace import Home

from . import management_rows as rows
from .demo_data import DemoData
from .master_data import Names, customer_row
from .returns import Returns
from .staff_workbook import DATE_FORMAT, write_form

_DATES = {"since": DATE_FORMAT, "due_date": DATE_FORMAT, "visit_date": DATE_FORMAT, "actual_date": DATE_FORMAT,
          "log_date": DATE_FORMAT, "sign_date": DATE_FORMAT, "start_date": DATE_FORMAT, "end_date": DATE_FORMAT,
          "request_date": DATE_FORMAT, "planned_date": DATE_FORMAT, "claim_date": DATE_FORMAT,
          "registered_on": DATE_FORMAT}


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


class Cycle:
    """The management files of each simulated day; :meth:`drop` writes them into ``inbox/``."""

    def __init__(self, home: Home, settings: Settings, data: DemoData, start: dt.date, days: int, *,
                 echo: Callable[[str], None], lang: str = "zh"):
        self.home, self.settings, self.data, self.start = home, settings, data, start
        self.last = start + dt.timedelta(days=days - 1)
        self.tz = ZoneInfo(settings.general.timezone)
        self.calendar = WorkCalendar(settings.calendar.holidays, settings.calendar.workdays)
        self.rng = random.Random(f"{data.seed}-management")
        names = Names(random.Random(f"{data.seed}-sales-reps"))
        names.used |= {c.kam for c in data.customers} | {c.um for c in data.customers} \
            | set(data.market_managers.values())
        self.force = rows.sales_force(data, settings, [names(), names()])
        kams = [s for s in self.force if s.role == "KAM"]
        markets = list(dict.fromkeys(k.market.code for k in kams))
        self.late = next(k for k in kams if k.market.code == markets[1 % len(markets)])
        self.missing = [k for k in kams if k.market.code == markets[2 % len(markets)]][-1]
        self.visits: dict[dt.date, list[dict]] = {}          # Monday -> the visit plan of that week
        self.requests: list[dict] = []
        self.claims: list[dict] = []
        self.taken = {c.name for c in data.customers}
        self.handed = False
        self.returns = Returns(home, settings, data, self.force, echo=echo, lang=lang)

    # the day's files ------------------------------------------------------------------------
    def drop(self, day: dt.date) -> list[Path]:
        """Write ``day``'s management files into inbox/ with their arrival times; return them."""
        self.home.inbox.mkdir(parents=True, exist_ok=True)
        out: list[tuple[Path, dt.datetime]] = []
        if day == self.start:
            out += self._roster()
        out += self._plans(day)
        workday = self.calendar.is_workday(day)
        if day > self.start:
            out += self._weekly(day)
            if workday:
                out += self._monthly(day)
                out += self._once(day)
                out += [(p, self._at(day, 14, 0)) for p in self.returns.due(day)]
        for path, moment in out:
            stamp = moment.timestamp()
            os.utime(path, (stamp, stamp))
        return [p for p, _ in out]

    def _at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def _write(self, name: str, form: str, items: list[dict], title: str) -> Path:
        path = self.home.inbox / name
        formats = {k: v for k, v in _DATES.items() if k in catalogue_mod.load()[form].keys}
        write_form(path, form, items, sheet=catalogue_mod.load()[form].zh, title=title, formats=formats)
        return path

    def _people(self, roles: Sequence[str], market_code: str | None = None) -> list[rows.Staff]:
        return [s for s in self.force if s.role in roles and (market_code is None or s.market.code == market_code)]

    def _markets(self) -> list[str]:
        return list(dict.fromkeys(s.market.code for s in self.force if s.role == "MM"))

    def _roster(self) -> list[tuple[Path, dt.datetime]]:
        since = (self.start.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        path = self._write("销售人员名册.xlsx", "staff", rows.roster_rows(self.force, since, self.rng),
                           f"销售人员名册（{since.year}年{since.month}月起）")
        return [(path, self._at(self.start - dt.timedelta(days=1), 17, 30))]

    def _plans(self, day: dt.date) -> list[tuple[Path, dt.datetime]]:
        """The plans (and budget) of every month whose 25th-of-the-month-before falls on ``day``
        (on day 1: on or before it), up to the month after the last day."""
        out = []
        month = self.start.replace(day=1)
        while month <= _next_month(self.last):
            due = (month - dt.timedelta(days=1)).replace(day=25)
            if due == day or (day == self.start and due < day):
                out += self._plan_files(month, self._at(due, 16, 0))
            month = _next_month(month)
        return out

    def _plan_files(self, month: dt.date, at: dt.datetime) -> list[tuple[Path, dt.datetime]]:
        label = _month(month)
        files = [self._write(f"月度计划-{label}.xlsx", "monthly_plan",
                             rows.month_plan_rows(self.force, self.data, label, self.rng), f"{label} 月度销售计划"),
                 self._write(f"营销费用预算-{label}.xlsx", "marketing_budget", rows.budget_rows(self.force, label),
                             f"{label} 营销费用预算")]
        quarter = (month.month - 1) // 3 + 1
        if month == self.start.replace(day=1) or month.month % 3 == 1:
            q = f"{month.year}Q{quarter}"
            files.append(self._write(f"季度计划-{q}.xlsx", "quarterly_plan",
                                     rows.quarter_plan_rows(self.force, q, self.rng), f"{q} 季度销售计划"))
        return [(p, at + dt.timedelta(minutes=5 * i)) for i, p in enumerate(files)]

    def _weekly(self, day: dt.date) -> list[tuple[Path, dt.datetime]]:
        out = []
        monday = day - dt.timedelta(days=day.weekday())
        if day.weekday() == 0:
            out += self._work_plans(day)
            for i, code in enumerate(self._markets()):
                ums = self._people(("UM",), code)
                path = self._write(f"市场状况周统计表-{ums[0].market.zh}-{day - dt.timedelta(days=7):%Y-%m-%d}.xlsx",
                                   "market_weekly_status", rows.status_rows(ums, f"{day - dt.timedelta(days=7)}",
                                                                            "week_start", self.rng),
                                   f"{ums[0].market.zh}市场状况周报")
                out.append((path, self._at(day, 11, 0) + dt.timedelta(minutes=3 * i)))
        if day == self._last_workday(monday) and monday in self.visits:
            self.visits[monday] = rows.visits_made(self.visits[monday], self.rng)
            out += self._per_market(day, "工作日志", "work_log", 17,
                                    lambda code: rows.log_rows([r for r in self.visits[monday]
                                                                if r["salesperson"] in self._names(code)],
                                                               self._people(rows.VISITORS, code), monday))
        if day.weekday() == 5:
            coming = monday + dt.timedelta(days=7)
            self.visits[coming] = rows.visit_rows(self._people(rows.VISITORS), self.data.customers, coming, self.rng)
            done = self.visits.get(monday, [])
            out += self._per_market(day, "客户拜访计划", "visit_plan", 10, lambda code: [
                r for r in done + self.visits[coming] if r["salesperson"] in self._names(code)])
        return out

    def _last_workday(self, monday: dt.date) -> dt.date | None:
        """The week's last working day from Monday to Friday (None when it has none)."""
        days = [monday + dt.timedelta(days=n) for n in range(5)]
        return next((d for d in reversed(days) if self.calendar.is_workday(d)), None)

    def _names(self, code: str) -> set[str]:
        return {s.name for s in self._people(rows.PLANNERS, code)}

    def _per_market(self, day: dt.date, zh: str, form: str, hour: int,
                    make: Callable[[str], list[dict]]) -> list[tuple[Path, dt.datetime]]:
        out = []
        for i, code in enumerate(self._markets()):
            items = make(code)
            if items:
                market = next(s.market.zh for s in self.force if s.role == "MM" and s.market.code == code)
                path = self._write(f"{zh}-{market}-{day:%Y-%m-%d}.xlsx", form, items, f"{market}市场 {zh}")
                out.append((path, self._at(day, hour, 0) + dt.timedelta(minutes=3 * i)))
        return out

    def _work_plans(self, day: dt.date) -> list[tuple[Path, dt.datetime]]:
        first = day - dt.timedelta(days=7) <= self.start
        skip = {self.late.name, self.missing.name} if first else set()
        out = self._per_market(day, "周工作计划表", "weekly_work_plan", 8, lambda code: rows.work_plan_rows(
            [p for p in self._people(rows.PLANNERS, code) if p.name not in skip], day, self.rng))
        if first:
            path = self._write(f"周工作计划表-{self.late.name}-{day:%Y-%m-%d}.xlsx", "weekly_work_plan",
                               rows.work_plan_rows([self.late], day, self.rng), f"{self.late.name} 本周工作计划")
            out.append((path, self._at(day, 11, 20)))
        return out

    def _monthly(self, day: dt.date) -> list[tuple[Path, dt.datetime]]:
        """The first working days of a month after day 1's: plans, status, prospects."""
        first = day.replace(day=1)
        if first <= self.start:
            return []
        nth = self._working_day_number(day)
        label, previous = _month(day), _month(first - dt.timedelta(days=1))
        if nth == 1:
            return self._per_market(day, "月工作计划表", "monthly_work_plan", 9, lambda code: rows.month_work_rows(
                self._people(("MM", "UM", "KAM"), code), label, self.rng))
        if nth == 2:
            return self._per_market(day, "市场状况月统计表", "market_monthly_status", 15, lambda code: rows.status_rows(
                self._people(("MM",), code), previous, "month", self.rng))
        if nth == 4:
            registered = first - dt.timedelta(days=3)
            return self._per_market(day, "目标客户", "target_customers", 16, lambda code: rows.target_customer_rows(
                self._people(("KAM",), code), registered, self.rng, self.taken))
        return []

    def _working_day_number(self, day: dt.date) -> int:
        return sum(1 for d in range(1, day.day + 1) if self.calendar.is_workday(day.replace(day=d)))

    def _once(self, day: dt.date) -> list[tuple[Path, dt.datetime]]:
        """Contracts and requests on the first working day; claims, a late contract, a handover later."""
        out = []
        regulars = self.data.regulars
        if not self.requests:
            signed = [max(self.start.replace(day=1), self.start - dt.timedelta(days=d)) for d in (20, 9, 2)]
            out.append((self._write(f"销售合同登记-{day:%Y-%m-%d}.xlsx", "contract_register",
                                    rows.contract_rows(regulars, signed, 101), "销售合同登记"), self._at(day, 9, 40)))
            out.append(self._expense_requests(day))
        elif day.replace(day=1) == _next_month(self.start):
            nth = self._working_day_number(day)
            if nth in (1, 2):
                out.append(self._claims(day, again=nth == 2))
            if nth == 2:
                late = [self.start.replace(day=1) + dt.timedelta(days=17), day]
                out.append((self._write(f"销售合同登记-补登-{day:%Y-%m-%d}.xlsx", "contract_register",
                                        rows.contract_rows(regulars[3:], late, 121), "销售合同登记（补登）"),
                            self._at(day, 10, 15)))
        if not self.handed and day.day >= 15 and day.replace(day=15) > self.start:
            out.append(self._handover(day))
        return out

    def _expense_requests(self, day: dt.date) -> tuple[Path, dt.datetime]:
        kam = next(s for s in self.force if s.role == "KAM")
        mm = next(s for s in self.force if s.role == "MM" and s.market is kam.market)
        signer = getattr(self.settings.slt, kam.market.signer)
        customer = next(c for c in self.data.customers if c.kam == kam.name)
        month_end = _next_month(self.start) - dt.timedelta(days=1)
        dates = [self.start - dt.timedelta(days=3), self.start - dt.timedelta(days=1), day]
        self.requests = rows.request_rows(mm, kam, signer, customer, dates, min(month_end, day + dt.timedelta(days=2)))
        path = self._write(f"营销费用申请-{day:%Y-%m-%d}.xlsx", "expense_request", self.requests, "营销费用申请汇总")
        return path, self._at(day, 11, 0)

    def _claims(self, day: dt.date, *, again: bool) -> tuple[Path, dt.datetime]:
        """The month's claims; the next working day the second of them again (a duplicate)."""
        kam = next(s for s in self.force if s.role == "KAM")
        if not again:
            self.claims = rows.claim_rows(self.requests, kam, day)
        items = self.claims[1:2] if again else self.claims
        name = f"营销费用报销-{day:%Y-%m-%d}{'-补交' if again else ''}.xlsx"
        return self._write(name, "expense_claim", items, "营销费用报销"), self._at(day, 15, 30)

    def _handover(self, day: dt.date) -> tuple[Path, dt.datetime]:
        """A regular customer handed to another KAM of its market (a customers master update)."""
        self.handed = True
        data = self.data
        customer = next(c for c in data.regulars
                        if len({k.kam for k in data.customers if k.market.code == c.market.code}) > 1)
        new_kam = next(k.kam for k in data.customers if k.market.code == customer.market.code and k.kam != customer.kam)
        moved = dataclasses.replace(customer, kam=new_kam)
        data.customers = [moved if c.code == customer.code else c for c in data.customers]
        data.regulars = [moved if c.code == customer.code else c for c in data.regulars]
        path = self._write(f"客户主数据-客户经理调整-{day:%Y-%m-%d}.xlsx", "customers", [customer_row(moved)],
                           f"客户经理调整：{customer.name} 由 {customer.kam} 转交 {new_kam}")
        return path, self._at(day, 9, 0)
