"""营销费用预算执行表 of a month: a part of the monthly report (management.md "The marketing
budget loop"), in the :class:`~osb_batch.reports.report.Report` shape.

It decides nothing: the daily run decided each request and claim as it arrived and kept the
decision (:mod:`osb_batch.daily.budget_steps`); the state is rebuilt from the kept decisions dated
up to the month's end against the budget rows (:func:`osb_batch.rules.budget.resume`), so asking
again, or a re-run, gives the same figures. The evaluation reads the sales facts up to the month's
end only, for the same reason. JSON key ``budget``: the month's rows, money as two-decimal strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from osb_batch import catalogue as catalogue_mod
from osb_batch.ledger import budget_decisions
from osb_batch.ledger.sales_facts import sales_facts
from osb_batch.rules.budget import BudgetPolicy, Request, resume
from osb_batch.rules.budget_report import (
    Effect,
    ExecutionRow,
    ExpenseRate,
    evaluate,
    execution,
    expense_rates,
    sales_lookup,
    stale,
)
from osb_batch.writers.budget import BudgetBook, BudgetLine, EffectLine, RateLine, StaleLine, write_budget

from .figure_numbers import money as money_text
from .period import Period
from .report import Basis, Report


@dataclass(frozen=True, slots=True)
class BudgetExecution:
    """What the workbook shows for one month."""

    month: str
    end: dt.date
    rows: list[ExecutionRow]                    # the month's, then the year to date's
    stale: list[Request]
    effects: list[Effect]
    rates: list[tuple[str, ExpenseRate]]        # (month | ytd, rate)
    markets: dict[str, tuple[str, str]]         # code -> (zh, en)
    types: dict[str, tuple[str, str]]           # expense type key -> (zh, en)
    policy: BudgetPolicy
    planned: dict[str, dt.date]                 # request number -> its planned (else request) date


def file_name(period: Period) -> str:
    return f"营销费用预算执行表-{period.label}.xlsx"


def build(basis: Basis, period: Period, lang: str) -> BudgetExecution | None:
    """The month's execution, stale requests and evaluation; None when there is no budget and no decision."""
    ledger, settings = basis.ledger, basis.settings
    rows, decisions = budget_decisions.budget_rows(ledger), budget_decisions.kept(ledger)
    if not rows and not decisions:
        return None
    policy = BudgetPolicy(**asdict(settings.budget))
    state = resume(rows, decisions, as_of=period.end)
    year = period.end.replace(month=1, day=1)
    facts = sales_facts(ledger, year - dt.timedelta(days=policy.evaluation_days), period.end,
                        settings.reports.sales_basis)
    facts = facts[facts["kind"] == "sales"]
    planned = {d.request.request_no: d.request.planned_date or d.request.request_date for d in state.requests
               if d.request.month[:4] == period.label[:4]}
    sales_of = sales_lookup(zip(facts["customer_code"], facts["date"], facts["cents"], strict=True))
    effects = [e for e in evaluate(state, sales_of, policy=policy) if e.request_no in planned]
    months = [f"{period.end.year}-{m:02d}" for m in range(1, period.end.month + 1)]
    rates = [("month", r) for r in expense_rates(state, months[-1:], _market_sales(facts, period.start, period.end))]
    rates += [("ytd", r) for r in expense_rates(state, months, _market_sales(facts, year, period.end))]
    choices = catalogue_mod.load()["expense_request"].field("expense_type").choices
    return BudgetExecution(period.label, period.end, execution(state, period.label),
                           stale(state, period.end, policy=policy), effects, rates,
                           {m.code: (m.zh, m.en) for m in settings.markets},
                           {c.key: (c.zh, c.en) for c in choices}, policy, planned)


def _market_sales(facts, start: dt.date, end: dt.date) -> dict[str, Decimal]:
    days = facts[(facts["date"] >= str(start)) & (facts["date"] <= str(end))]
    return {str(m): Decimal(int(c)) / 100 for m, c in days.groupby("market")["cents"].sum().items()}


def as_json(rec: BudgetExecution | None) -> dict:
    """``budget``: the month's rows (management.md "The `report` command")."""
    if rec is None:
        return {"budget": []}
    return {"budget": [{"market": r.market, "expense_type": r.expense_type, "budget": money_text(r.budget),
                        "committed": money_text(r.committed), "claimed": money_text(r.claimed),
                        "remaining": money_text(r.remaining)} for r in rec.rows if r.scope == "month"]}


def _label(names: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    zh, en = names.get(key, (key, key))
    return en if lang == "en" else zh


def book(rec: BudgetExecution, lang: str) -> BudgetBook:
    """The workbook's records, markets and expense types named in ``lang``."""
    def market(code: str) -> str:
        return _label(rec.markets, code, lang)

    def kind(key: str) -> str:
        return _label(rec.types, key, lang)

    def lines(scope: str) -> list[BudgetLine]:
        return [BudgetLine(market(r.market), kind(r.expense_type), r.budget, r.committed, r.claimed, r.remaining,
                           r.used, r.over_budget) for r in rec.rows if r.scope == scope]

    return BudgetBook(
        rec.month, rec.end, lines("month"), lines("ytd"),
        [StaleLine(r.request_no, r.request_date, r.applicant, market(r.market), kind(r.expense_type), r.amount,
                   (rec.end - r.request_date).days) for r in rec.stale],
        [EffectLine(e.request_no, e.customer_code, market(e.market), rec.planned[e.request_no], e.before, e.after,
                    e.change) for e in rec.effects],
        [RateLine(scope, market(r.market), r.expenses, r.sales, r.rate) for scope, r in rec.rates],
        rec.policy.stale_days, rec.policy.evaluation_days)


def write(rec: BudgetExecution | None, period: Period, folder: Path, lang: str, version: str) -> list[tuple[Path, str]]:
    """The execution workbook (nothing when there is no budget and no decision)."""
    if rec is None:
        return []
    target = folder / file_name(period)
    write_budget(book(rec, lang), target, lang=lang, version=version)
    return [(target, "budget_execution")]


#: The part of the monthly report (engineer A's reports/periodic.PARTS["month"] takes it).
BUDGET_REPORT: Report[Basis] = Report("budget", "month", build, write, as_json, folder="报表-{period}")
