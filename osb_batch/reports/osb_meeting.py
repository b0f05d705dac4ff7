"""OSB月度例会材料: the month part that is the pack the SLT opens at the monthly OSB meeting.

Three sheets: the month's problem log by area and responsible department (opened in the month,
resolved in the month, still open at the month end), the OSB KPIs of the month against their
target and the month before (the same figures as the daily run's OSB指标), and the
``[credit_grade] meeting_top_overdue`` customers with the most overdue at the month end. It
changes nothing in the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from osb_batch.daily.deadlines import ProblemRun
from osb_batch.ledger import credit_records
from osb_batch.ledger.problems import ProblemLog
from osb_batch.ledger.receivables import accounts as settled_accounts
from osb_batch.writers.common import lang_key
from osb_batch.writers.monthly_lists import ListPart, write_lists
from osb_batch.writers.receivables import INT, MONEY_KIND, TEXT, WRAP, Column
from osb_batch.writers.records import KpiFigure

from .credit_grades import market_name
from .period import Period, previous
from .receivables import collection_kpis
from .report import Basis, Report

FORM = "osb_meeting"                # not a catalogued form: a pack to read, never read back
KPI_EN = {"op_same_day": "Orders issued the same day", "sp_24h": "Shipped within 24 hours",
          "sp_accuracy": "Shipping accuracy", "bc_5day": "Collected on time"}
TEXTS = {
    "zh": {"problems": "问题记录", "kpis": "指标", "overdue": "逾期客户", "title": "OSB月度例会材料 {month} — {sheet}",
           "n_problems": "本月新增 {opened} 项，解决 {resolved} 项，月末未解决 {open} 项",
           "n_kpis": "{met} 项达标，{missed} 项未达标", "n_overdue": "逾期金额最大的 {n} 户",
           "area": "领域", "responsible": "责任部门", "opened": "本月新增", "resolved": "本月解决",
           "still_open": "月末未解决", "kpi": "指标", "value": "本月", "target": "目标", "met": "是否达标",
           "before": "上月", "yes": "达标", "no": "未达标", "customer_code": "客户编码", "customer_name": "客户名称",
           "market": "市场", "account_manager": "客户经理", "amount": "逾期金额", "oldest": "最长逾期天数",
           "balance": "应收余额", "file": "OSB月度例会材料-{month}.xlsx"},
    "en": {"problems": "Problem log", "kpis": "KPIs", "overdue": "Overdue customers",
           "title": "Monthly OSB meeting {month} - {sheet}",
           "n_problems": "{opened} opened, {resolved} resolved this month, {open} open at the month end",
           "n_kpis": "{met} met, {missed} missed", "n_overdue": "The {n} customers with the most overdue",
           "area": "Area", "responsible": "Responsible", "opened": "Opened", "resolved": "Resolved",
           "still_open": "Open at month end", "kpi": "KPI", "value": "This month", "target": "Target",
           "met": "Met", "before": "Month before", "yes": "met", "no": "missed", "customer_code": "Customer code",
           "customer_name": "Customer name", "market": "Market", "account_manager": "Account manager",
           "amount": "Overdue", "oldest": "Longest overdue (days)", "balance": "Balance",
           "file": "OSB月度例会材料-{month}.xlsx"},
}


@dataclass(frozen=True, slots=True)
class Meeting:
    problems: tuple[tuple[str, str, int, int, int], ...]     # (area, responsible, opened, resolved, still open)
    kpis: tuple[tuple[KpiFigure, KpiFigure | None], ...]     # (this month, the month before)
    overdue: tuple[tuple[dict, Decimal, int, Decimal], ...]  # (customer, overdue, oldest days, balance)


def problem_counts(log: ProblemLog, start: dt.date, end: dt.date) -> tuple[tuple[str, str, int, int, int], ...]:
    first, last = start.isoformat(), end.isoformat()
    counts: dict[tuple[str, str], Counter] = {}
    for _no, opened, area, _o, _n, responsible, _w, status, _e, _by, resolved_at, *_ in log.entries():
        c = counts.setdefault((area, responsible), Counter())
        c["opened"] += first <= opened[:10] <= last
        resolved = (resolved_at or "")[:10] if status != "open" else ""
        c["resolved"] += bool(resolved) and first <= resolved <= last
        c["open"] += opened[:10] <= last and (not resolved or resolved > last)
    return tuple((a, r, c["opened"], c["resolved"], c["open"]) for (a, r), c in sorted(counts.items())
                 if c["opened"] or c["resolved"] or c["open"])


def _kpis(basis: Basis, period: Period, accounts) -> tuple[tuple[KpiFigure, KpiFigure | None], ...]:
    log = ProblemLog(basis.ledger)
    now = dt.datetime.combine(period.end, dt.time(23, 59, 59))
    figures = ProblemRun(basis.ledger, basis.settings, period.end, 0, now).kpis() + collection_kpis(
        accounts, basis.settings, period.end, since=log.first_day())
    month, before = period.label, previous(period).label
    by_key = {(f.month, f.key): f for f in figures}
    return tuple((f, by_key.get((before, f.key))) for f in figures if f.month == month)


def build(basis: Basis, period: Period, lang: str) -> Meeting:
    accounts = settled_accounts(basis.ledger, period.end)
    customers = {c["customer_code"]: {**c, "market": market_name(basis.settings, c["market"])}
                 for c in credit_records.customers(basis.ledger)}
    overdue = []
    for code, account in accounts.items():
        amount = account.overdue(period.end)
        if amount > 0:
            oldest = max(((period.end - d.due).days for d, _ in account.open_debits
                          if d.due is not None and d.due < period.end), default=0)
            overdue.append((customers.get(code, {"customer_code": code}), amount, oldest, account.balance))
    overdue.sort(key=lambda row: (-row[1], row[0]["customer_code"]))
    return Meeting(problem_counts(ProblemLog(basis.ledger), period.start, period.end),
                   _kpis(basis, period, accounts), tuple(overdue[:basis.settings.credit_grade.meeting_top_overdue]))


def _ratio(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


def as_json(meeting: Meeting) -> dict:
    return {"meeting": {
        "problems": [{"area": a, "responsible": r, "opened": o, "resolved": s, "open": n}
                     for a, r, o, s, n in meeting.problems],
        "kpis": [{"kpi": f.key, "value": _ratio(f.value), "target": _ratio(f.target),
                  "previous": _ratio(b.value if b else None)} for f, b in meeting.kpis],
        "overdue": [{"customer_code": c["customer_code"], "overdue": f"{amount:.2f}", "oldest_days": oldest}
                    for c, amount, oldest, _ in meeting.overdue]}}


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1%}"


def _parts(meeting: Meeting, month: str, lang: str) -> list[ListPart]:
    t = TEXTS[lang]
    cols = {k: Column(t[k], t[k], kind, cap) for k, kind, cap in (
        ("area", TEXT, 8), ("responsible", TEXT, 16), ("opened", INT, 10), ("resolved", INT, 10),
        ("still_open", INT, 12), ("kpi", WRAP, 30), ("value", TEXT, 10), ("target", TEXT, 10), ("met", TEXT, 10),
        ("before", TEXT, 10), ("customer_code", TEXT, 12), ("customer_name", WRAP, 28), ("market", TEXT, 8),
        ("account_manager", TEXT, 12), ("amount", MONEY_KIND, 16), ("oldest", INT, 14), ("balance", MONEY_KIND, 16))}
    sums = [sum(row[i] for row in meeting.problems) for i in (2, 3, 4)]
    met = [f.value is not None and f.value >= f.target for f, _ in meeting.kpis]
    kpi_rows = [(f.name if lang == "zh" else KPI_EN.get(f.key, f.key), _percent(f.value), _percent(f.target),
                 t["yes"] if ok else t["no"], _percent(b.value if b else None))
                for (f, b), ok in zip(meeting.kpis, met, strict=True)]
    overdue_rows = [(c["customer_code"], c.get("customer_name"), c.get("market"), c.get("account_manager"), amount,
                     oldest, balance) for c, amount, oldest, balance in meeting.overdue]
    title = {sheet: t["title"].format(month=month, sheet=t[sheet]) for sheet in ("problems", "kpis", "overdue")}
    return [
        ListPart(t["problems"], title["problems"],
                 t["n_problems"].format(opened=sums[0], resolved=sums[1], open=sums[2]), [cols[k] for k in ("area", "responsible", "opened", "resolved", "still_open")], meeting.problems),
        ListPart(t["kpis"], title["kpis"], t["n_kpis"].format(met=sum(met), missed=len(met) - sum(met)),
                 [cols[k] for k in ("kpi", "value", "target", "met", "before")], kpi_rows,
                 marked=frozenset(i for i, ok in enumerate(met) if not ok)),
        ListPart(t["overdue"], title["overdue"], t["n_overdue"].format(n=len(overdue_rows)),
                 [cols[k] for k in ("customer_code", "customer_name", "market", "account_manager", "amount", "oldest",
                                    "balance")], overdue_rows),
    ]


def write(meeting: Meeting, period: Period, folder: Path, lang: str, version: str) -> list[tuple[Path, str]]:
    lang = lang_key(lang)
    target = folder / TEXTS[lang]["file"].format(month=period.label)
    write_lists(target, FORM, version, ("~area", "~responsible", "~opened", "~resolved", "~still_open"),
                _parts(meeting, period.label, lang), lang=lang)
    return [(target, FORM)]


PART: Report[Basis] = Report("osb_meeting", "month", build, write, as_json, folder="报表-{period}")
