"""``osb-batch reconcile --period 2026H1``: the half-year reconciliation (domain.md 半年对账).

1. A statement per customer with documents up to the period end (or a reply for the period).
2. The control total: the statements' closing balances must add up to the ledger's receivables
   at the period end, summed straight from the tables. If they do not, nothing is written and
   the command fails: no workbook claims to be complete when it is not.
3. Each customer's reply (``confirmations``, read by the daily run) is compared document by
   document; finance gets the reconciliation workbook, with finance's own export when present.

An entry of :data:`osb_batch.reports.registry.REPORTS`: its outputs go to ``outbox/对账-<period>/``,
written beside it first and swapped in whole, so a re-run after more replies replaces them:
statuses move on, nothing is listed twice.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from osb_batch.ledger import receivables
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.orders import Customer, OrderBook
from osb_batch.progress import QUIET, Progress, Step
from osb_batch.rules.receivables import Comparison, Statement, compare, statement
from osb_batch.writers.account_records import (
    CustomerRef,
    DiffItem,
    FinanceRow,
    ReconciliationReport,
    ReconciliationRow,
    StatementLine,
    StatementView,
)
from osb_batch.writers.reconciliation import reconciliation_file_name, write_reconciliation
from osb_batch.writers.statements import statement_file_name, write_statement

from .period import Period
from .report import Basis

ZERO = Decimal(0)
CENT = Decimal("0.01")
PARALLEL_FROM = 200             # statements; fewer are written in this process
CHUNK = 50                      # statements a worker writes before it says so (for the progress bar)
TEXT = {
    "zh": {"ours": "我方已入账，客户未列", "theirs": "客户已列，我方未入账", "shifted": "双方日期不同：我方 {ours}，客户 {theirs}",
           "amount": "金额不同：我方 {ours}，客户 {theirs}", "flag": "客户勾选“{said}”，但余额{actual}",
           "agreed": "相符", "differs": "不符", "equal": "相等", "unequal": "不等", "late": "；客户记在期末之后"},
    "en": {"ours": "booked by us, not listed by the customer", "theirs": "listed by the customer, not booked by us",
           "shifted": "dated differently: ours {ours}, theirs {theirs}", "amount": "amounts differ: ours {ours}, theirs {theirs}",
           "flag": "the customer ticked '{said}' but the balances are {actual}", "agreed": "agreed",
           "differs": "differs", "equal": "equal", "unequal": "not equal", "late": "; booked by the customer after the period end"},
}


class ControlTotalError(RuntimeError):
    """The statements do not add up to the ledger: nothing was written."""

    def __init__(self, ledger_total: Decimal, statements_total: Decimal):
        self.ledger_total, self.statements_total = ledger_total, statements_total
        super().__init__(f"statements total {statements_total} != ledger total {ledger_total}")


@dataclass(slots=True)
class Reconciliation:
    """The records of one half year's reconciliation, built before anything is written."""

    report: ReconciliationReport
    statements: dict[str, Statement]
    comparisons: dict[str, Comparison]          # per statement
    customers: dict[str, Customer]
    company: str
    reply_by: dt.date
    progress: Progress = QUIET


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def _ref(c: Customer | None, code: str) -> CustomerRef:
    if c is None:
        return CustomerRef(code, "", "", "", "", "")
    return CustomerRef(c.code, c.name, c.market, c.region, c.account_manager, c.unit_manager)


def _lines(st: Statement) -> tuple[StatementLine, ...]:
    return tuple(StatementLine(ln.doc.date, ln.doc.kind, ln.doc.number, ln.doc.ref if ln.doc.kind != "receipt" else "",
                               ln.doc.amount if ln.doc.amount > 0 else ZERO, -ln.doc.amount if ln.doc.amount < 0 else ZERO,
                               ln.balance) for ln in st.lines)


def build(basis: Basis, period: Period, lang: str) -> Reconciliation:
    """The statements, the control total and the comparisons; raises ControlTotalError if they do not tie."""
    ledger, settings = basis.ledger, basis.settings
    docs = receivables.documents(ledger)
    replies = receivables.replies(ledger, period.label)
    statements: dict[str, Statement] = {}
    for code in sorted(set(docs) | set(replies)):
        st = statement(docs.get(code, ()), period.start, period.end)
        if st.lines or st.opening != 0 or code in replies:
            statements[code] = st
    statements_total = sum((st.closing for st in statements.values()), ZERO)
    ledger_total = receivables.ledger_total(ledger, period.end)
    if statements_total != ledger_total:
        raise ControlTotalError(ledger_total, statements_total)
    customers = OrderBook(ledger).customers()
    window = settings.reconciliation.date_window_days
    comparisons = {code: compare(st, replies[code][0] if code in replies else None,
                                 replies[code][3] if code in replies else None, window)
                   for code, st in statements.items()}
    text = TEXT["en" if lang == "en" else "zh"]
    rows: list[ReconciliationRow] = []
    diffs: list[DiffItem] = []
    for code, st in statements.items():
        cmp, reply = comparisons[code], replies.get(code)
        rows.append(ReconciliationRow(_ref(customers.get(code), code), st.opening, st.debits, st.credits, st.closing,
                                      cmp.theirs, cmp.difference, cmp.explained, cmp.unexplained, cmp.status,
                                      reply[2] if reply else "", _note(cmp, reply, text)))
        diffs += _diffs(code, cmp, period.end, text)
    finance = _finance(ledger, docs, customers, period.start, period.end)
    report = ReconciliationReport(period.label, period.start, period.end, tuple(rows), tuple(diffs), tuple(finance),
                                  ledger_total, statements_total)
    reply_by = basis.today + dt.timedelta(days=settings.reconciliation.reply_days)
    return Reconciliation(report, statements, comparisons, customers, settings.general.company, reply_by,
                          basis.progress)


def as_json(rec: Reconciliation) -> dict:
    """What ``osb-batch reconcile --json`` prints (interface.md)."""
    report = rec.report
    result = {"period": report.period, "start": report.start.isoformat(), "end": report.end.isoformat(),
              "control": {"ledger_total": money(report.ledger_total),
                          "statements_total": money(report.statements_total), "ok": True},
              "counts": {s: sum(1 for r in report.rows if r.status == s) for s in ("agreed", "differs", "no_reply")},
              "customers": [_entry(code, st, rec.comparisons[code]) for code, st in rec.statements.items()]}
    if report.finance:
        result["finance"] = [{"customer_code": f.customer_code, "as_of": f.as_of.isoformat(), "ours": money(f.ours),
                              "finance": money(f.finance), "difference": money(f.difference)}
                             for f in report.finance]
    return result


def _entry(code: str, st: Statement, cmp: Comparison) -> dict:
    return {"customer_code": code, "opening": money(st.opening), "debits": money(st.debits),
            "credits": money(st.credits), "closing": money(st.closing), "confirmed": money(cmp.theirs),
            "difference": money(cmp.difference), "explained": money(cmp.explained),
            "unexplained": money(cmp.unexplained), "status": cmp.status,
            "unmatched_ours": [d.number for d in cmp.unmatched_ours],
            "unmatched_theirs": [t.number for t in cmp.unmatched_theirs]}


def _note(cmp: Comparison, reply, text: dict) -> str:
    if reply is None or reply[1] is None:
        return ""
    said_agreed = reply[1]
    if said_agreed == (cmp.status == "agreed"):
        return ""
    return text["flag"].format(said=text["agreed" if said_agreed else "differs"],
                               actual=text["equal" if cmp.status == "agreed" else "unequal"])


def _diffs(code: str, cmp: Comparison, end: dt.date, text: dict) -> list[DiffItem]:
    out = [DiffItem(code, "ours", d.number, d.date, d.amount, text["ours"]) for d in cmp.unmatched_ours]
    out += [DiffItem(code, "theirs", t.number, t.date, t.amount, text["theirs"]) for t in cmp.unmatched_theirs]
    for d, t in cmp.shifted:
        note = text["shifted"].format(ours=d.date.isoformat(), theirs=t.date.isoformat() if t.date else "")
        if t.date and t.date > end:
            note += text["late"]
        out.append(DiffItem(code, "shifted", d.number, d.date, d.amount, note))
    out += [DiffItem(code, "amount", d.number, d.date, d.amount - t.amount,
                     text["amount"].format(ours=f"{d.amount:,.2f}", theirs=f"{t.amount:,.2f}")) for d, t in cmp.amounts_differ]
    return out


def _finance(ledger: Ledger, docs, customers, start: dt.date, end: dt.date) -> list[FinanceRow]:
    as_of, theirs = receivables.finance_balances(ledger, start, end)
    if as_of is None:
        return []
    ours = {code: sum((d.amount for d in mine if d.date <= as_of), ZERO) for code, mine in docs.items()}
    rows = []
    for code in sorted(set(theirs) | {c for c, b in ours.items() if b != 0}):
        mine, fin = ours.get(code), theirs.get(code)
        rows.append(FinanceRow(code, customers[code].name if code in customers else "", as_of,
                               None if code not in ours else mine, fin, (mine or ZERO) - (fin or ZERO)))
    return rows


@dataclass(slots=True)
class _Statements:
    """What writing the statements needs; forked workers inherit it instead of receiving it pickled."""

    period: str
    start: dt.date
    end: dt.date
    statements: dict[str, Statement]
    customers: dict[str, Customer]
    company: str
    reply_by: dt.date
    folder: Path
    lang: str
    version: str

    def target(self, code: str) -> Path:
        c = self.customers.get(code)
        return self.folder / statement_file_name(self.period, code, c.name if c else "")

    def write(self, codes: list[str]) -> None:
        for code in codes:
            st, c = self.statements[code], self.customers.get(code)
            view = StatementView(self.period, self.start, self.end, _ref(c, code), c.address if c else "",
                                 c.contact if c else "", c.phone if c else "", st.opening, _lines(st), st.debits,
                                 st.credits, st.closing, self.company, self.reply_by)
            write_statement(view, self.target(code), lang=self.lang, version=self.version)


_INHERITED: _Statements | None = None           # set in the parent just before the workers fork


def _write_inherited(codes: list[str]) -> None:
    _INHERITED.write(codes)


def _write_statements(job: _Statements, step: Step) -> None:
    """One workbook per customer; thousands of them are shared among the machine's cores (by fork),
    in chunks, each told to ``step`` when written."""
    global _INHERITED
    codes = list(job.statements)
    workers = min(os.cpu_count() or 1, 8)
    if len(codes) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for code in codes:
            job.write([code])
            step.advance()
        return
    _INHERITED = job
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunks = {pool.submit(_write_inherited, codes[i:i + CHUNK]): min(CHUNK, len(codes) - i)
                      for i in range(0, len(codes), CHUNK)}
            for done in as_completed(chunks):
                done.result()
                step.advance(chunks[done])
    finally:
        _INHERITED = None


def write(rec: Reconciliation, period: Period, folder: Path, lang: str, version: str) -> list[tuple]:
    """The reconciliation workbook, then one statement per customer (for the customer's KAM)."""
    target = folder / reconciliation_file_name(period.label)
    write_reconciliation(rec.report, target, lang=lang, version=version)
    job = _Statements(period.label, period.start, period.end, rec.statements, rec.customers, rec.company,
                      rec.reply_by, folder, lang, version)
    with rec.progress.stage("statements", len(rec.statements)) as step:
        _write_statements(job, step)
    kams = {code: c.account_manager for code, c in rec.customers.items()}
    return [(target, "reconciliation")] + [(job.target(code), "statements", kams.get(code)) for code in rec.statements]
