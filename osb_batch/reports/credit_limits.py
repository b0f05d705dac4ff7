"""信用额度建议: the quarter part that proposes every customer's credit limit once per quarter.

The first time a quarter is produced, each customer's limit is proposed by
:func:`osb_batch.rules.credit_limits.propose` (the grade just given for the month before the
quarter, graded now if it was not yet; the monthly sales on ``[reports] sales_basis``) and kept;
later runs and re-requests read the kept proposal. The workbook is a pre-filled
``credit_limit_decisions`` form: SLT fills 批准额度 and 批准人 (and may note 人工调整) and drops it
back into the inbox, where :mod:`osb_batch.daily.credit_limits` applies it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from osb_batch.catalogue import load as load_catalogue
from osb_batch.ledger import credit_records
from osb_batch.ledger.sales_facts import sales_facts
from osb_batch.rules.credit_grades import Grade, window_months
from osb_batch.rules.credit_limits import (
    CreditLimitPolicy,
    LimitSubject,
    Proposal,
    monthly_sales,
    previous_month,
    propose,
)
from osb_batch.writers.common import lang_key
from osb_batch.writers.monthly_lists import ListPart, write_lists
from osb_batch.writers.receivables import FILL, MONEY_KIND, TEXT, Column

from . import period as periods
from .credit_grades import market_name, month_grades, once
from .report import Basis, Report

FORM = "credit_limit_decisions"                 # what the filled workbook is read as
KEYS = ("quarter", "customer_code", "~customer_name", "~market", "~current_limit", "~grade", "~on_time_rate",
        "~overdue", "~average", "~growth_rate", "~formula", "proposed_limit", "manual_adjustment", "approved_limit",
        "approved_by")
TO_FILL = ("manual_adjustment", "approved_limit", "approved_by")
OWN = {"grade": ("信用等级", "Credit grade", TEXT, 10), "average": ("月均销售额", "Average monthly sales", MONEY_KIND, 16),
       "formula": ("公式值", "Formula value", MONEY_KIND, 16)}
TEXTS = {
    "zh": {"sheet": "信用额度建议", "title": "信用额度建议 {quarter}（等级取 {month}）",
           "count": "共 {n} 户，建议调整 {changed} 户",
           "hint": "请在黄色列填写批准额度和批准人（销售领导小组成员，秘书代签请写明），可填人工调整；"
                   "不调整的客户保持黄色列为空。保存后放入 inbox/ 文件夹，批准额度自处理当次起生效。",
           "file": "信用额度建议-{quarter}.xlsx"},
    "en": {"sheet": "Credit limit proposal", "title": "Credit limit proposal {quarter} (grades of {month})",
           "count": "{n} customers, {changed} with a changed limit proposed",
           "hint": "Fill the yellow columns: approved limit and approver (an SLT member; a secretary signing on "
                   "a member's behalf says so), optionally a manual adjustment. Leave the yellow columns of a "
                   "customer you do not change empty. Save and drop the file into the inbox/ folder; the approved "
                   "limit applies from that run on.",
           "file": "信用额度建议-{quarter}.xlsx"},
}


@dataclass(frozen=True, slots=True)
class ProposalLine:
    proposal: Proposal
    customer: dict
    grade: Grade | None


@dataclass(frozen=True, slots=True)
class ProposalList:
    quarter: str
    month: str                       # the month whose grades were used
    lines: tuple[ProposalLine, ...]


def _prepaid(value: str | None) -> bool:
    return value in {"1", "是", "true", "True"}


def quarter_proposals(basis: Basis, quarter: periods.Period, grades: list[Grade]) -> list[Proposal]:
    """``quarter``'s proposals: those kept, else made now and kept."""
    kept = credit_records.proposals(basis.ledger, quarter.label)
    if kept:
        return kept
    settings = basis.settings
    policy = CreditLimitPolicy(**asdict(settings.credit_limits))
    months = window_months(previous_month(quarter.label), policy.window_months)
    first, last = periods.calendar_period("month", months[0]), periods.calendar_period("month", months[-1])
    facts = sales_facts(basis.ledger, first.start, last.end, settings.reports.sales_basis)
    sales = monthly_sales(facts.loc[facts.kind == "sales", ["customer_code", "date", "cents"]]
                          .itertuples(index=False))
    by_code = {g.customer_code: g.grade for g in grades}
    subjects = [LimitSubject(c["customer_code"], Decimal(c["credit_limit"] or 0), int(c["payment_term_days"] or 0),
                             _prepaid(c["prepaid"]), by_code.get(c["customer_code"], settings.credit_grade.initial),
                             sales.get(c["customer_code"], {}))
                for c in credit_records.customers(basis.ledger)]
    made = propose(subjects, quarter.label, policy=policy)
    with once(basis.ledger):
        credit_records.store_proposals(basis.ledger, quarter.label, made, day=basis.today)
    return made


def build(basis: Basis, period: periods.Period, lang: str) -> ProposalList | None:
    month = periods.previous(periods.containing("month", period.start))
    grades = month_grades(basis.ledger, basis.settings, month, basis.today)
    made = quarter_proposals(basis, period, grades)
    if not made:
        return None
    customers = {c["customer_code"]: {**c, "market": market_name(basis.settings, c["market"])}
                 for c in credit_records.customers(basis.ledger)}
    by_code = {g.customer_code: g for g in grades}
    return ProposalList(period.label, month.label, tuple(
        ProposalLine(p, customers.get(p.customer_code, {}), by_code.get(p.customer_code)) for p in made))


def as_json(records: ProposalList | None) -> dict:
    lines = records.lines if records else ()
    return {"credit_limits": [{"customer_code": x.proposal.customer_code, "current": f"{x.proposal.current:.2f}",
                               "proposed": f"{x.proposal.proposed:.2f}", "grade": x.proposal.grade}
                              for x in lines]}


def _columns(lang: str) -> tuple[list[Column], list[int]]:
    catalogue = load_catalogue()
    decisions, proposal = catalogue[FORM], catalogue["credit_limit_proposal"]
    columns, widths = [], []
    for key in KEYS:
        name = key.lstrip("~")
        if name in OWN:
            zh, en, kind, cap = OWN[name]
            columns.append(Column(zh, en, kind, cap))
        else:
            f = decisions.field(name) if name in decisions.keys else proposal.field(name)
            star = "*" if f.required else ""
            kind = FILL if name in TO_FILL else MONEY_KIND if f.type == "money" else TEXT
            columns.append(Column(f"{f.zh}{star}", f"{f.en}{star}", kind, max(f.width, 12) + 2))
        widths.append(14 if key in TO_FILL else 0)
    return columns, widths


def _row(line: ProposalLine, quarter: str) -> tuple:
    p, c, g = line.proposal, line.customer, line.grade
    return (quarter, p.customer_code, c.get("customer_name"), c.get("market"), p.current, p.grade,
            None if g is None or g.ratio is None else f"{g.ratio:.4f}", None if g is None else g.overdue,
            p.average, f"{p.growth:.4f}", p.formula, p.proposed, None, None, None)


def write(records: ProposalList, period: periods.Period, folder: Path, lang: str,
          version: str) -> list[tuple[Path, str]]:
    lang = lang_key(lang)
    text = TEXTS[lang]
    target = folder / text["file"].format(quarter=records.quarter)
    columns, widths = _columns(lang)
    changed = sum(1 for x in records.lines if x.proposal.proposed != x.proposal.current)
    part = ListPart(text["sheet"], text["title"].format(quarter=records.quarter, month=records.month),
                    text["count"].format(n=len(records.lines), changed=changed), columns,
                    [_row(x, records.quarter) for x in records.lines], hint=text["hint"], min_widths=widths)
    write_lists(target, FORM, version, KEYS, [part], lang=lang)
    return [(target, FORM)]


def build_following(basis: Basis, period: periods.Period, lang: str) -> ProposalList | None:
    """The proposal for the quarter after ``period``: what the report of a quarter that has just
    closed carries (the first run of 2027Q1 closes 2026Q4 and proposes for 2027Q1)."""
    return build(basis, periods.following(period), lang)


#: The proposal for the quarter named (``report quarterly --period 2027Q1`` proposes for 2027Q1).
PART: Report[Basis] = Report("credit_limits", "quarter", build, write, as_json, folder="报表-{period}")
#: The proposal for the quarter after the one named, for a composite made when a quarter closes.
FOLLOWING_PART: Report[Basis] = Report("credit_limits", "quarter", build_following, write, as_json,
                                       folder="报表-{period}")


def build_current(basis: Basis, period: periods.Period, lang: str) -> ProposalList | None:
    """The proposal for the quarter a report of ``period`` is made in: the quarter after it once
    it has closed (the daily run's first run of 2027Q1 closes 2026Q4 and proposes for 2027Q1),
    the quarter itself while it runs (``report quarterly --period 2027Q1`` early in January)."""
    return build_following(basis, period, lang) if period.end < basis.today else build(basis, period, lang)


#: The quarter report's part (reports/periodic.PARTS).
CURRENT_PART: Report[Basis] = Report("credit_limits", "quarter", build_current, write, as_json,
                                     folder="报表-{period}")
