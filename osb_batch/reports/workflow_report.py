"""The month's figures of the followed workflows (workflows.md "Each month"), a part of ``report monthly``.

Per chain: items opened in the month, closed in it on time and late, still open at its end, and
the median working days from opening to closing of those closed in it; the service tickets
opened in the month by category and channel with the satisfaction shares and the median
response and closing times; quotes and bids per
person with their win rates; the lead funnel per market (leads by stage, those that became
customers, those not followed up in time); the POP material requested and delivered per market. The chains are replayed as of the month's last day,
as a daily run of that date would see them.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from osb_batch.ledger import workflow_items as store
from osb_batch.ledger.documents import documents
from osb_batch.ledger.status import customer_names
from osb_batch.ledger.workflow_people import directory
from osb_batch.rules.chain_links import linked
from osb_batch.rules.chains import Doc, Item, follow, spoken
from osb_batch.workdays import WorkCalendar
from osb_batch.writers.workflow_report import write_workflow_report

from .period import Period
from .report import Basis, Report

__all__ = ["PART", "WorkflowMonth", "as_json", "build", "write"]

TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class WorkflowMonth:
    """The records of the month; every figure as JSON-ready values (rates in %, two places)."""

    period: Period
    workflows: dict[str, dict]
    tickets: dict[str, dict]
    quotes: dict[str, dict]
    bids: dict[str, dict]
    funnel: dict[str, dict]
    chain_names: dict[str, str]
    pop: dict[str, dict]


def _within(day: dt.date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


def _rate(part: int, whole: int) -> float | None:
    return None if not whole else float(round(Decimal(part) * 100 / whole, 2))


def _chain_figures(items: list[Item], period: Period, calendar: WorkCalendar) -> dict:
    closed = [i for i in items if i.status == "closed" and i.outcome != "expired" and _within(i.closed.date(), period)]
    days = [calendar.workdays_between(i.opened, i.closed) for i in closed]
    return {"opened": sum(_within(i.opened.date(), period) for i in items),
            "closed_on_time": sum(not i.late for i in closed), "closed_late": sum(i.late for i in closed),
            "open": sum(i.status != "closed" for i in items),
            "median_days": None if not days else float(statistics.median(days))}


def _won_lost(rows: list[tuple[str, str | None]]) -> dict[str, dict]:
    """Per person: how many, won, lost, win rate (of those decided)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for person, result in rows:
        out[person]["count"] += 1
        if result in ("won", "lost"):
            out[person][result] += 1
    return {p: {"count": c["count"], "won": c["won"], "lost": c["lost"],
                "win_rate": _rate(c["won"], c["won"] + c["lost"])} for p, c in sorted(out.items())}


def _tickets(basis: Basis, period: Period, versions: list[Doc], calendar: WorkCalendar) -> dict[str, dict]:
    rows = [t for t in documents(basis.ledger, "service_ticket")
            if t["opened_at"] and _within(t["opened_at"].date(), period)]
    rated = Counter(t["satisfaction"] for t in rows if t["satisfaction"])
    return {"by_category": dict(sorted(Counter(t["category"] for t in rows).items())),
            "by_channel": dict(sorted(Counter(t["channel"] or "" for t in rows).items())),
            "satisfaction": {k: _rate(rated[k], sum(rated.values())) for k in ("satisfied", "neutral", "dissatisfied")},
            "count": len(rows), **_ticket_times(versions, period, calendar)}


def _ticket_times(versions: list[Doc], period: Period, calendar: WorkCalendar) -> dict[str, float | None]:
    """The median hours from a ticket's opening to its first row 处理中 or 已关闭 (``response_hours``)
    and working days to its first row 已关闭 (``closing_days``, its 关闭时间 when filled), of the
    tickets opened in the month, by the month's end."""
    end = dt.datetime.combine(period.end, dt.time(23, 59, 59), TZ)
    first: dict[str, dict[str, dt.datetime]] = defaultdict(dict)
    for d in sorted((d for d in versions if d.form == "service_ticket" and d.at <= end), key=lambda d: d.at):
        v, seen = d.values, first[str(d.values.get("ticket_no"))]
        seen.setdefault("opened", v.get("opened_at") or d.at)
        status = getattr(v.get("status"), "key", None)
        if status in ("in_progress", "closed"):
            seen.setdefault("handled", d.at)
        if status == "closed":
            seen.setdefault("closed", v.get("closed_at") or d.at)
    mine = [t for t in first.values() if _within(t["opened"].date(), period)]
    hours = [max((t["handled"] - t["opened"]).total_seconds(), 0) / 3600 for t in mine if "handled" in t]
    days = [calendar.workdays_between(t["opened"].date(), t["closed"].date()) for t in mine if "closed" in t]
    return {"response_hours": None if not hours else round(float(statistics.median(hours)), 1),
            "closing_days": None if not days else float(statistics.median(days))}


def _funnel(basis: Basis, period: Period, stale: set[str]) -> dict[str, dict]:
    names = {n for n in customer_names(basis.ledger).values() if n}
    out: dict[str, dict] = {}
    for lead in documents(basis.ledger, "target_customers"):
        market = basis.settings.market(lead["market"])
        entry = out.setdefault(market.code if market else (lead["market"] or ""),
                               {"stages": Counter(), "converted": 0, "stale": 0})
        entry["stages"][lead["stage"] or ""] += 1
        entry["converted"] += lead["customer_name"] in names
        entry["stale"] += lead["customer_name"] in stale
    return {m: {**e, "stages": dict(sorted(e["stages"].items()))} for m, e in sorted(out.items())}


def _quantity(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _pop(basis: Basis, period: Period, market_of) -> dict[str, dict]:
    """Per market, the POP lines requested in the month and, of those, delivered by its end (with
    their quantities, and how many by the date needed)."""
    out: dict[str, dict] = {}
    for r in documents(basis.ledger, "pop_request"):
        asked = r["request_date"] or (r["_arrived_at"].date() if r["_arrived_at"] else None)
        if not _within(asked, period):
            continue
        e = out.setdefault(market_of(r) or "", {"requested": 0, "requested_qty": Decimal(0), "delivered": 0,
                                                "delivered_qty": Decimal(0), "delivered_in_time": 0})
        qty = r["qty"] or Decimal(0)
        e["requested"] += 1
        e["requested_qty"] += qty
        if r["delivered_on"] and r["delivered_on"] <= period.end:
            e["delivered"] += 1
            e["delivered_qty"] += qty
            e["delivered_in_time"] += r["needed_by"] is None or r["delivered_on"] <= r["needed_by"]
    return {m: {k: _quantity(v) if isinstance(v, Decimal) else v for k, v in e.items()} for m, e in sorted(out.items())}


def build(basis: Basis, period: Period, lang: str) -> WorkflowMonth:
    """The month's figures, from the chains replayed as of ``period.end``."""
    settings = basis.settings
    chains = settings.workflows.chains
    forms = {c.opens for c in chains} | {s.form for c in chains for s in c.steps} | {"sales_outbound"}
    docs = store.chain_documents(basis.ledger, forms, run_id=0)
    calendar = WorkCalendar(settings.calendar.holidays, settings.calendar.workdays)
    people = directory(basis.ledger, settings, period.end)
    outcome = follow(chains, linked(docs, store.customer_arrivals(basis.ledger)), calendar=calendar, people=people,
                     as_of=dt.datetime.combine(period.end, dt.time(23, 59, 59), TZ),
                     escalate_after=settings.workflows.escalate_after_days)
    by_chain: dict[str, list[Item]] = defaultdict(list)
    for item in outcome.items:
        by_chain[item.chain].append(item)
    quotes = [(i.responsible, "lost" if i.outcome == "expired" else "won" if i.status == "closed" else None)
              for i in by_chain["quotations"] if _within(i.opened.date(), period)]
    bids = [(str(b["owner"]), b["result"]) for b in documents(basis.ledger, "bid_register") if _within(b["bid_date"], period)]
    stale = {i.key for i in by_chain["target_customers"] if i.status == "overdue"}
    return WorkflowMonth(period, {c.name: _chain_figures(by_chain[c.name], period, calendar) for c in chains},
                         _tickets(basis, period, docs, calendar), _won_lost(quotes), _won_lost(bids), _funnel(basis, period, stale),
                         {c.name: (spoken(c.name) if lang == "en" else c.zh) for c in chains},
                         _pop(basis, period, people.market))


def as_json(month: WorkflowMonth) -> dict:
    """``workflows``, ``tickets``, ``quotes``, ``bids``, ``funnel`` (workflows.md "Outputs"), and ``pop``:
    per market, the POP lines requested in the month and delivered by its end."""
    return {"workflows": month.workflows, "tickets": month.tickets, "quotes": month.quotes, "bids": month.bids,
            "funnel": month.funnel, "pop": month.pop}


def write(month: WorkflowMonth, period: Period, folder: Path, lang: str, version: str) -> list[tuple[Path, str]]:
    target = write_workflow_report(folder, month, lang=lang, version=version)
    return [(target, "workflow_report")]


#: The part of ``report monthly`` (one entry of reports/periodic.py PARTS["month"]).
PART: Report[Basis] = Report("workflows", "month", build, write, as_json)
