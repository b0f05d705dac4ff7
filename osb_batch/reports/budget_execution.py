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
from osb_batch.writers.budget import TEXT, Sheet, money, percent, write_budget
from osb_batch.writers.list_sheet import Cell

from .figure_numbers import money as money_text
from .period import Period
from .report import Basis, Report

ZERO = Decimal(0)


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


def _execution_rows(rec: BudgetExecution, scope: str, lang: str) -> list[list[Cell]]:
    text = TEXT[lang]
    return [[Cell(_label(rec.markets, r.market, lang)), Cell(_label(rec.types, r.expense_type, lang)),
             money(r.budget), money(r.committed), money(r.claimed), money(r.remaining, r.over_budget),
             percent(r.used, r.over_budget), Cell(text["over"], "red") if r.over_budget else Cell(text["within"])]
            for r in rec.rows if r.scope == scope]


def _sheets(rec: BudgetExecution, lang: str) -> list[Sheet]:
    text = TEXT[lang]
    title = f"{text['title']} {rec.month}"
    over = {scope: sum(1 for r in rec.rows if r.scope == scope and r.over_budget) for scope in ("month", "ytd")}
    stale_rows = [[Cell(r.request_no), Cell(r.request_date, "date", r.request_date.isoformat()),
                   Cell(r.applicant), Cell(_label(rec.markets, r.market, lang)),
                   Cell(_label(rec.types, r.expense_type, lang)), money(r.amount),
                   Cell((rec.end - r.request_date).days, "int")] for r in rec.stale]
    effects = [[Cell(e.request_no), Cell(e.customer_code), Cell(_label(rec.markets, e.market, lang)),
                Cell(rec.planned[e.request_no], "date", rec.planned[e.request_no].isoformat()), money(e.before), money(e.after), percent(e.change, (e.change or ZERO) < 0)]
               for e in rec.effects]
    rates = [[Cell(text[scope]), Cell(_label(rec.markets, r.market, lang)), money(r.expenses), money(r.sales),
              percent(r.rate)] for scope, r in rec.rates]
    return [Sheet("execution", text["month"], f"{title} {text['month']}", _execution_rows(rec, "month", lang),
                  over=over["month"]),
            Sheet("execution", text["ytd"], f"{title} {text['ytd']}", _execution_rows(rec, "ytd", lang),
                  over=over["ytd"]),
            Sheet("stale", text["stale"], f"{title} {text['stale']}", stale_rows,
                  text["stale_note"].format(days=rec.policy.stale_days)),
            Sheet("evaluation", text["evaluation"], f"{title} {text['evaluation']}", effects,
                  text["evaluation_note"].format(days=rec.policy.evaluation_days, end=rec.end.isoformat())),
            Sheet("rates", text["rates"], f"{title} {text['rates']}", rates)]


def write(rec: BudgetExecution | None, period: Period, folder: Path, lang: str, version: str) -> list[tuple[Path, str]]:
    """The execution workbook (nothing when there is no budget and no decision)."""
    if rec is None:
        return []
    target = folder / file_name(period)
    write_budget(_sheets(rec, "en" if lang == "en" else "zh"), target, lang=lang, version=version)
    return [(target, "budget_execution")]


#: The part of the monthly report (engineer A's reports/periodic.PARTS["month"] takes it).
BUDGET_REPORT: Report[Basis] = Report("budget", "month", build, write, as_json, folder="报表-{period}")
