"""The rows of the management cycle's forms in the demo: who the sales force is, what they plan,
whom they visit, what they spend and sign.

Pure: every function takes the demo's data (and a ``random.Random`` where a value is drawn) and
returns rows keyed by field, as staff type them (markets by Chinese name, choices by their Chinese
label, some numbers and dates as text). :mod:`osb_batch.demo.management` decides which day each
file arrives and writes it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from . import master_data as md

if TYPE_CHECKING:
    from osb_batch.settings import Market, Settings

    from .demo_data import DemoData
    from .master_data import Customer

#: the roles who owe a weekly work plan, and who plan visits
PLANNERS = ("UM", "KAM", "SR")
VISITORS = ("KAM", "SR")
_TASKS = ("走访重点客户，落实本周订单", "跟进上月应收款回笼", "整理区域库存与进货情况", "新客户开发洽谈",
          "配合市场部开展促销活动", "参加区域周例会，汇总竞品信息")
_PURPOSES = ("回访，了解库存与下月需求", "催收到期货款", "洽谈年度合同续签", "介绍新品并争取首单")
_RESULTS = ("已确认下月进货计划", "客户承诺月底前付款", "合同条款基本谈妥", "客户同意试销")
_COMPETITORS = ("格力", "海尔", "美的", "奥克斯")


@dataclass(frozen=True, slots=True)
class Staff:
    """One person of the demo's sales force."""

    name: str
    role: str
    market: Market | None = None
    region: str | None = None


def sales_force(data: DemoData, settings: Settings, sr_names: Sequence[str]) -> list[Staff]:
    """SLT and SSG, then per market its MM, its UMs (one per region with customers), the KAMs of its
    customers (the new ones of the faulty file too) and, in the first two markets, one SR named from
    ``sr_names``."""
    force = [Staff(title, "SLT") for title in (settings.slt.gm, settings.slt.director, settings.slt.deputy)]
    force += [Staff(name, "SSG") for name in settings.people.secretaries]
    for n, market in enumerate(settings.markets):
        mine = [c for c in data.customers if c.market.code == market.code]
        if not mine:
            continue
        force.append(Staff(data.market_managers[market.code], "MM", market))
        force += [Staff(um, "UM", market, region)
                  for um, region in dict.fromkeys((c.um, c.region) for c in mine)]
        force += [Staff(kam, "KAM", market) for kam in dict.fromkeys(c.kam for c in mine)]
        # the KAM of the new customers in the faulty 西南 file (its correct rows are applied)
        force += [Staff(kam, "KAM", market) for kam in dict.fromkeys(
            r["account_manager"] for r in data.bad_rows if settings.market(r["market"]) is market)]
        if n < len(sr_names):
            force.append(Staff(sr_names[n], "SR", market))
    return force


def roster_rows(force: Sequence[Staff], since: dt.date, rng: random.Random) -> list[dict]:
    """The 销售人员名册: everyone active since ``since`` (some dates typed as text, as people do)."""
    rows = []
    for n, s in enumerate(force):
        typed = f"{since.year}年{since.month}月{since.day}日" if n % 4 == 1 else since
        rows.append({"name": s.name, "role": s.role, "market": s.market.zh if s.market else None,
                     "region": s.region, "email": f"{s.role.lower()}{n + 1:02d}@osb-demo.cn",
                     "phone": md.phone_number(rng), "active": "是", "since": typed})
    return rows


def month_plan_rows(force: Sequence[Staff], data: DemoData, month: str, rng: random.Random) -> list[dict]:
    """A 月度计划: a market row (its MM), a row per region (its UM) and, in the first region of every
    other market, product rows owned by a KAM of that region."""
    rows = []
    for n, mm in enumerate(s for s in force if s.role == "MM"):
        regions = [s for s in force if s.role == "UM" and s.market is mm.market]
        region_targets = [Decimal(rng.randrange(2, 7) * 10_000) for _ in regions]
        rows.append(_plan(month, mm.market, None, None, sum(region_targets) + 10_000, mm.name, "市场合计"))
        for um, target in zip(regions, region_targets, strict=True):
            rows.append(_plan(month, mm.market, um.region, None, f"{target:,.2f}", um.name, None))
        if n % 2 == 0 and regions:
            kam = next(c.kam for c in data.customers if c.market.code == mm.market.code and c.region == regions[0].region)
            for product in ("电压力锅 MY-50", "空气炸锅 KZ-50"):
                p = data.product(product)
                rows.append(_plan(month, mm.market, regions[0].region, p.code, Decimal(rng.randrange(5, 16) * 1000),
                                  kam, "重点产品"))
    return rows


def _plan(period: str, market: Market, region: str | None, product: str | None, target: object, owner: str,
          remark: str | None, key: str = "month") -> dict:
    return {key: period, "market": market.zh, "region": region, "product_code": product, "sales_target": target,
            "owner": owner, "remark": remark}


def quarter_plan_rows(force: Sequence[Staff], quarter: str, rng: random.Random) -> list[dict]:
    """A 季度计划: a market row per MM."""
    return [_plan(quarter, mm.market, None, None, Decimal(rng.randrange(30, 61) * 10_000), mm.name, None, "quarter")
            for mm in force if mm.role == "MM"]


def budget_rows(force: Sequence[Staff], month: str) -> list[dict]:
    """营销费用预算: each market's promotion (60,000), advertising and travel budget for ``month``."""
    amounts = (("促销费", "60,000.00"), ("广告费", "30000"), ("差旅费", "8000.00"))
    return [{"month": month, "market": mm.market.zh, "expense_type": kind, "budget_amount": amount}
            for mm in force if mm.role == "MM" for kind, amount in amounts]


def work_plan_rows(people: Sequence[Staff], week_start: dt.date, rng: random.Random) -> list[dict]:
    """周工作计划表: two items per person for the week from ``week_start``."""
    return [{"week_start": f"{week_start:%Y-%m-%d}", "staff": p.name, "department": f"{p.market.zh}市场部",
             "item_no": str(i), "task": task, "goal": "按期完成",
             "due_date": week_start + dt.timedelta(days=2 + 2 * i)}
            for p in people for i, task in enumerate(sorted(rng.sample(_TASKS, 2)), start=1)]


def month_work_rows(people: Sequence[Staff], month: str, rng: random.Random) -> list[dict]:
    """月工作计划表: two items per person for ``month``."""
    return [{"month": month, "staff": p.name, "department": f"{p.market.zh}市场部", "item_no": i, "task": task,
             "goal": "完成月度销售目标"} for p in people for i, task in enumerate(sorted(rng.sample(_TASKS, 2)), start=1)]


def customers_of(person: Staff, customers: Sequence[Customer]) -> list[Customer]:
    """A KAM's own customers; an SR's (and a new KAM's, without any yet): every customer of the market."""
    own = [c for c in customers if c.kam == person.name]
    if person.role == "KAM" and own:
        return own
    return [c for c in customers if person.market is not None and c.market.code == person.market.code]


def visit_rows(people: Sequence[Staff], customers: Sequence[Customer], week_start: dt.date,
               rng: random.Random) -> list[dict]:
    """客户拜访计划 for the week from ``week_start``: two visits per person, not yet made."""
    rows = []
    for p in people:
        mine = customers_of(p, customers)
        for i, c in enumerate(rng.sample(mine, min(2, len(mine)))):
            rows.append({"visit_date": week_start + dt.timedelta(days=1 + 2 * i), "salesperson": p.name,
                         "customer_code": c.code, "customer_name": c.name, "visit_contact": c.contact,
                         "method": "上门拜访" if i == 0 else "电话", "purpose": rng.choice(_PURPOSES)})
    return rows


def visits_made(rows: Sequence[dict], rng: random.Random) -> list[dict]:
    """The same visits with the actual date (the planned day or the next) and the result filled."""
    return [{**r, "actual_date": r["visit_date"] + dt.timedelta(days=rng.choice((0, 0, 1))),
             "result": rng.choice(_RESULTS)} for r in rows]


def log_rows(made: Sequence[dict], people: Sequence[Staff], monday: dt.date) -> list[dict]:
    """工作日志 of the week from ``monday``: a morning at the office, and each visit made naming its customer."""
    rows = [{"log_date": monday, "staff": p.name, "department": f"{p.market.zh}市场部", "time_slot": "上午",
             "work_content": "部门周例会，布置本周工作", "outcome": "已完成"} for p in people]
    rows += [{"log_date": r["actual_date"], "staff": r["salesperson"], "time_slot": "下午",
              "work_content": f"拜访客户：{r['purpose']}", "customer_name": r["customer_name"],
              "outcome": r["result"], "next_step": "按约定跟进"} for r in made]
    return rows


def status_rows(ums: Sequence[Staff], period: str, key: str, rng: random.Random) -> list[dict]:
    """市场状况周/月统计表: one row per region (``key`` ``week_start`` or ``month``), by its UM (or MM)."""
    return [{key: period, "market": u.market.zh, "region": u.region, "competitor": rng.choice(_COMPETITORS),
             "competitor_price": f"{rng.randrange(20, 40) * 100}", "competitor_activity": "节前降价促销",
             "customer_feedback": "经销商库存偏高，观望", "market_trend": "平稳", "suggestion": "加大终端促销力度",
             "reported_by": u.name} for u in ums]


def target_customer_rows(kams: Sequence[Staff], registered: dt.date, rng: random.Random,
                         taken: set[str]) -> list[dict]:
    """目标客户基本信息情况统计表: one prospect per KAM registered on ``registered``."""
    rows = []
    for k in kams:
        city, place = md.customer_place(rng, k.market, md.market_regions(k.market)[0])
        while (name := f"{place}{rng.choice(md.BRANDS)}{rng.choice(md.TRADES)}有限公司") in taken:
            pass
        taken.add(name)
        rows.append({"customer_name": name, "market": k.market.zh, "region": md.market_regions(k.market)[0],
                     "industry": "家电零售", "contact": "采购部", "phone": md.phone_number(rng),
                     "address": f"{city}市{rng.choice(md.ROADS)}{rng.randrange(1, 300)}号",
                     "annual_purchase": f"{rng.randrange(50, 300) * 10_000:,}", "current_supplier": "格力",
                     "stage": rng.choice(("初步接触", "有意向", "洽谈中")), "follow_up_by": k.name,
                     "registered_on": registered})
    return rows


def contract_rows(customers: Sequence[Customer], signed: Sequence[dt.date], first_no: int) -> list[dict]:
    """销售合同登记: a contract of each customer (in turn) signed on each of ``signed``, by its KAM."""
    return [{"contract_no": f"XS{day:%Y}-{first_no + i:04d}", "sign_date": day, "customer_code": c.code,
             "customer_name": c.name, "contract_amount": f"{(i + 2) * 60_000:,}.00", "start_date": day,
             "end_date": dt.date(day.year, 12, 31), "payment_terms": f"月结{c.term}天", "signed_by": c.kam,
             "status": "执行中"} for i, (day, c) in enumerate(zip(signed, customers, strict=False))]


def request_rows(mm: Staff, kam: Staff, slt: str, customer: Customer, dates: Sequence[dt.date],
                 planned: dt.date) -> list[dict]:
    """营销费用申请 of one market's promotion budget (60,000): 20,000 approved by its MM; then
    45,000 approved by the MM only, beyond the 40,000 left (refused); then 42,000 beyond it too,
    approved by an SLT member (stands)."""
    asks = (("20000", mm.name, "年末促销堆头"), ("45,000.00", mm.name, "加开一场促销"),
            ("42000.00", slt, "元旦订货会场地与礼品"))
    return [{"request_no": f"FY-{day:%Y%m%d}-{n:02d}", "request_date": day, "applicant": kam.name,
             "department": f"{mm.market.zh}市场部", "market": mm.market.zh,
             "customer_code": customer.code if n == 1 else None, "expense_type": "促销费", "amount": amount,
             "purpose": purpose, "planned_date": planned, "approved_by": approver}
            for n, (day, (amount, approver, purpose)) in enumerate(zip(dates, asks, strict=True), start=1)]


def claim_rows(requests: Sequence[dict], kam: Staff, day: dt.date) -> list[dict]:
    """营销费用报销: the first request claimed 15 % over it (beyond the 10 % tolerance), the third
    claimed within it, and a 380-yuan taxi claim without a request."""
    first, third = requests[0], requests[2]
    return [
        {"claim_no": f"BX-{day:%Y%m%d}-01", "claim_date": day, "request_no": first["request_no"],
         "applicant": kam.name, "expense_type": "促销费", "amount": "23,000.00", "receipts": "6",
         "description": "促销堆头及赠品", "approved_by": first["approved_by"]},
        {"claim_no": f"BX-{day:%Y%m%d}-02", "claim_date": day, "request_no": third["request_no"],
         "applicant": kam.name, "expense_type": "促销费", "amount": Decimal("41500.00"), "receipts": 12,
         "description": "订货会场地与礼品", "approved_by": third["approved_by"]},
        {"claim_no": f"BX-{day:%Y%m%d}-03", "claim_date": day, "request_no": None, "applicant": kam.name,
         "expense_type": "差旅费", "amount": "380", "receipts": 3, "description": "拜访客户出租车费"},
    ]
