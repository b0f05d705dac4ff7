"""What the sales part of the periodic reports reads from the ledger for one period.

The facts (on ``[reports] sales_basis``) cover everything a figure is compared with: the period
before, a year earlier, the year to date and the last :data:`TREND_POINTS` periods of the trend.
Targets come from the plan rows with the working days of the settings' calendar; the people are
the roster on the period's end; the on-time rate is of the reports due in the period
(``[reporting]``); visits are the visit plans visited in the period (an actual
date) and the work logs of the period that name a customer; each dealer's balance and overdue
amount are its receivables account settled on the period's end, its grade the customers
master's current one, its stock what the region sent back on the period's 经销商进货情况统计表.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from osb_batch.ledger.database import Ledger
from osb_batch.ledger.dealer_cards import DealerCard, dealer_cards, first_business_date
from osb_batch.ledger.documents import documents, plan_rows, submissions
from osb_batch.ledger.receivables import accounts
from osb_batch.ledger.roster import roster_history, roster_on
from osb_batch.ledger.sales_facts import first_order_dates, sales_facts
from osb_batch.rules.duties import ReminderPolicy, evaluate, rates
from osb_batch.rules.duty_calendar import TZ
from osb_batch.rules.management_records import Person
from osb_batch.rules.targets import Targets
from osb_batch.settings import Settings
from osb_batch.workdays import WorkCalendar

from . import period as periods
from .dealer_figures import DealerBook
from .figure_frames import prepare
from .period import Period
from .sales_figures import FigureInputs, span

#: How many periods the trend chart shows, the report's own last.
TREND_POINTS = 13


@dataclass(frozen=True, slots=True)
class SalesInputs:
    figures: FigureInputs                            # facts prepared once (figure_frames.prepare)
    basis: str
    trend: tuple[Period, ...]
    cards: Mapping[str, DealerCard]
    stock: Mapping[str, Decimal]                     # dealer -> closing stock sent back for the period
    derived: bool                                    # the people came from the customers master


def read(ledger: Ledger, settings: Settings, period: Period, today: dt.date | None = None) -> SalesInputs:
    """Everything the sales figures of ``period`` are made of (``today``: no report is seen after it)."""
    trend = periods.last_n(period, TREND_POINTS)
    start, end = span(period)
    basis = settings.reports.sales_basis
    facts = prepare(sales_facts(ledger, min(start, trend[0].start), end, basis))
    calendar = WorkCalendar(settings.calendar.holidays, settings.calendar.workdays)
    people = roster_on(ledger, period.end)
    cards = dealer_cards(ledger)
    history_from = first_business_date(ledger)
    inputs = FigureInputs(facts, period, Targets(plan_rows(ledger), calendar), people,
                          first_order_dates(ledger), history_from, visits(ledger, period, people),
                          on_time(ledger, settings, period, calendar, history_from, today),
                          dealer_book(ledger, period, cards))
    return SalesInputs(inputs, basis, trend, cards, stock(ledger, period), any(p.derived for p in people))


def visits(ledger: Ledger, period: Period, people: list[Person]) -> dict[str, int]:
    """Per person: visit plan rows visited in ``period`` and work log rows of it naming a customer."""
    counts: Counter[str] = Counter({p.name: 0 for p in people})
    for row in documents(ledger, "visit_plan"):
        if _within(row["actual_date"], period) and row["salesperson"]:
            counts[row["salesperson"]] += 1
    for row in documents(ledger, "work_log"):
        if _within(row["log_date"], period) and row["customer_name"] and row["staff"]:
            counts[row["staff"]] += 1
    return dict(counts)


def on_time(ledger: Ledger, settings: Settings, period: Period, calendar: WorkCalendar,
            history_from: dt.date | None, today: dt.date | None = None) -> dict[str, Decimal]:
    """Per person: on time ÷ expected of the reports (``[[reporting.duties]]``) due in ``period``,
    as the calendar stood at the period's end (or at the end of ``today``, when earlier); people
    expected nothing are absent."""
    reporting = settings.reporting
    if not reporting.duties:
        return {}
    last = period.end if today is None else min(period.end, today)
    now = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)
    forms = tuple(dict.fromkeys(duty.form for duty in reporting.duties))
    since = period.start if history_from is None else max(history_from, period.start)    # nothing due before
    records = evaluate(reporting.duties, roster_history(ledger), submissions(ledger, forms), now, calendar,
                       ReminderPolicy(reporting.remind_hours, since))
    due = [r for r in records if period.start <= r.due.date() <= period.end]
    return {rate.person: rate.rate for rate in rates(due) if rate.form is None and rate.rate is not None}


def _within(day: object, period: Period) -> bool:
    if isinstance(day, dt.datetime):
        day = day.date()
    return isinstance(day, dt.date) and period.start <= day <= period.end


def dealer_book(ledger: Ledger, period: Period, cards: Mapping[str, DealerCard]) -> DealerBook:
    """Each dealer's balance and overdue amount on the period's end (where not zero) and its grade."""
    balance, overdue = {}, {}
    for code, account in accounts(ledger, period.end).items():
        if account.balance:
            balance[code] = account.balance
        if late := account.overdue(period.end):
            overdue[code] = late
    return DealerBook(balance, overdue, {code: card.grade for code, card in cards.items() if card.grade})


def stock(ledger: Ledger, period: Period) -> dict[str, Decimal]:
    """dealer -> the closing stock its rows of the period's 经销商进货情况统计表 sent back (summed over products)."""
    if period.kind != "month":
        return {}
    totals: dict[str, Decimal] = {}
    for row in documents(ledger, "dealer_purchase_stats", period=period.label):
        if row["stock_qty"] is not None and row["customer_code"]:
            totals[row["customer_code"]] = totals.get(row["customer_code"], Decimal(0)) + row["stock_qty"]
    return totals
