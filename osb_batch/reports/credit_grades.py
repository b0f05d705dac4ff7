"""客户信用等级一览表: the month part that grades every customer once per month.

The first time a month is produced its grades are computed (:func:`osb_batch.rules.credit_grades.grade`
over the accounts settled as of the month end, exactly as the daily run settles them) and kept
(:mod:`osb_batch.ledger.credit_records`); a changed grade is written to the customer as a
master-data change. Every later run or re-request of that month reads what was kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

from osb_batch.ledger import credit_records
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.problems import ProblemLog
from osb_batch.ledger.receivables import accounts as settled_accounts
from osb_batch.rules.credit_grades import CreditGradePolicy, Grade, GradeSubject, grade
from osb_batch.rules.receivables import Account
from osb_batch.settings import Settings
from osb_batch.writers.common import lang_key
from osb_batch.writers.list_sheet import form_headers
from osb_batch.writers.monthly_lists import ListPart, write_lists
from osb_batch.writers.receivables import INT, MONEY_KIND, TEXT, Column

from .period import Period
from .report import Basis, Report

FORM = "credit_grades"
KEYS = ("month", "customer_code", "customer_name", "market", "region", "account_manager", "credit_grade",
        "previous_grade", "~change", "~on_time_ratio", "credit_limit", "payment_term_days", "balance", "overdue",
        "max_days_overdue")
KINDS = {"customer_name": (TEXT, 28), "credit_limit": (MONEY_KIND, 16), "payment_term_days": (INT, 12),
         "balance": (MONEY_KIND, 16), "overdue": (MONEY_KIND, 16), "max_days_overdue": (INT, 14)}
CHANGE = {"zh": {"up": "上升", "down": "下降", "same": "不变", "new": "首次评定"},
          "en": {"up": "Up", "down": "Down", "same": "Same", "new": "First grade"}}
TEXTS = {
    "zh": {"sheet": "信用等级", "title": "客户信用等级一览表 {month}", "count": "共 {n} 户，等级变动 {changed} 户",
           "change": "变动", "ratio": "按期回款率", "none": "没有客户", "file": "客户信用等级一览表-{month}.xlsx"},
    "en": {"sheet": "Credit grades", "title": "Customer credit grades {month}",
           "count": "{n} customers, {changed} changed grade", "change": "Change", "ratio": "On-time ratio",
           "none": "No customers", "file": "客户信用等级一览表-{month}.xlsx"},
}


@dataclass(frozen=True, slots=True)
class GradeLine:
    grade: Grade
    customer: dict                  # the customers row (credit_records.CUSTOMER_COLUMNS)
    balance: Decimal


@dataclass(frozen=True, slots=True)
class GradeList:
    month: str
    lines: tuple[GradeLine, ...]


@contextmanager
def once(ledger: Ledger) -> Iterator[None]:
    """Inside the daily run's transaction, or a transaction of its own when produced alone."""
    if ledger.in_transaction:
        yield
    else:
        with ledger.transaction():
            yield


def market_name(settings: Settings, code: str | None) -> str | None:
    """The market's name people read (华东) for the code the master data keeps (E)."""
    market = settings.market(code) if code else None
    return market.zh if market else code


def policy_of(settings: Settings) -> CreditGradePolicy:
    """The grade thresholds of ``[credit_grade]`` with the BC grace of ``[deadlines]``."""
    own = {f.name: getattr(settings.credit_grade, f.name) for f in fields(CreditGradePolicy) if f.name != "grace_days"}
    return CreditGradePolicy(**own, grace_days=settings.deadlines.collection_window_days)


def month_grades(ledger: Ledger, settings: Settings, month: Period, today: dt.date,
                 accounts: dict[str, Account] | None = None) -> list[Grade]:
    """``month``'s grades: those kept, else computed now and kept (and written to the customers)."""
    kept = credit_records.grades(ledger, month.label)
    if kept:
        return kept
    accounts = settled_accounts(ledger, month.end) if accounts is None else accounts
    before = credit_records.grades_before(ledger, month.label)
    subjects = [GradeSubject(c["customer_code"], before.get(c["customer_code"], c["credit_grade"]),
                             accounts.get(c["customer_code"]))
                for c in credit_records.customers(ledger)]
    given = grade(subjects, month.label, since=ProblemLog(ledger).first_day(), policy=policy_of(settings))
    with once(ledger):
        credit_records.store_grades(ledger, month.label, given, day=today)
    return given


def build(basis: Basis, period: Period, lang: str) -> GradeList | None:
    accounts = settled_accounts(basis.ledger, period.end)
    given = month_grades(basis.ledger, basis.settings, period, basis.today, accounts)
    if not given:
        return None
    customers = {c["customer_code"]: {**c, "market": market_name(basis.settings, c["market"])}
                 for c in credit_records.customers(basis.ledger)}
    return GradeList(period.label, tuple(
        GradeLine(g, customers.get(g.customer_code, {}),
                  accounts[g.customer_code].balance if g.customer_code in accounts else Decimal(0))
        for g in given))


def as_json(records: GradeList | None) -> dict:
    lines = records.lines if records else ()
    return {"credit_grades": [{"customer_code": x.grade.customer_code, "grade": x.grade.grade,
                               "previous": x.grade.previous,
                               "on_time_ratio": None if x.grade.ratio is None else f"{x.grade.ratio:.4f}"}
                              for x in lines]}


def _columns(lang: str) -> list[Column]:
    text = TEXTS[lang]
    keys = [k for k in KEYS if not k.startswith("~")]
    headers = dict(zip(keys, form_headers(FORM, keys, lang), strict=True))
    headers |= {"~change": text["change"], "~on_time_ratio": text["ratio"]}
    return [Column(headers[k], headers[k], *KINDS.get(k, (TEXT, 12))) for k in KEYS]


def _row(line: GradeLine, month: str, lang: str) -> tuple:
    g, c = line.grade, line.customer
    term = c.get("payment_term_days")
    return (month, g.customer_code, c.get("customer_name"), c.get("market"), c.get("region"),
            c.get("account_manager"), g.grade, g.previous, CHANGE[lang][g.change],
            None if g.ratio is None else f"{g.ratio:.4f}", Decimal(c["credit_limit"]) if c.get("credit_limit") else None,
            int(term) if term else None, line.balance, g.overdue, g.oldest_days)


def write(records: GradeList, period: Period, folder: Path, lang: str, version: str) -> list[tuple[Path, str]]:
    lang = lang_key(lang)
    text = TEXTS[lang]
    target = folder / text["file"].format(month=period.label)
    changed = sum(1 for x in records.lines if x.grade.changed)
    part = ListPart(text["sheet"], text["title"].format(month=period.label),
                    text["count"].format(n=len(records.lines), changed=changed), _columns(lang),
                    [_row(x, period.label, lang) for x in records.lines])
    write_lists(target, FORM, version, KEYS, [part], lang=lang)
    return [(target, FORM)]


PART: Report[Basis] = Report("credit_grades", "month", build, write, as_json, folder="报表-{period}")
