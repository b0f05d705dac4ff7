"""``osb-batch reconcile --period 2026H1``: the half-year reconciliation (domain.md 半年对账).

1. A statement per customer with documents up to the period end (or a reply for the period).
2. The control total: the statements' closing balances must add up to the ledger's receivables
   at the period end, summed straight from the tables. If they do not, nothing is written and
   the command fails: no workbook claims to be complete when it is not.
3. Each customer's reply (``confirmations``, read by the daily run) is compared document by
   document; finance gets the reconciliation workbook, with finance's own export when present.

The outputs go to ``outbox/对账-<period>/``, written beside it first and swapped in whole, so a
re-run after more replies replaces them: statuses move on, nothing is listed twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from osb_batch import catalogue as catalogue_mod
from osb_batch.ledger import receivables
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.orders import Customer, OrderBook
from osb_batch.rules.receivables import Comparison, Statement, compare, statement
from osb_batch.settings import Settings
from osb_batch.workspace import Home, holding_lock
from osb_batch.writers.account_records import (
    CustomerRef,
    DiffItem,
    FinanceRow,
    ReconciliationReport,
    ReconciliationRow,
    StatementLine,
    StatementView,
)
from osb_batch.writers.common import atomic_path
from osb_batch.writers.reconciliation import reconciliation_file_name, write_reconciliation
from osb_batch.writers.statements import statement_file_name, write_statement

ZERO = Decimal(0)
CENT = Decimal("0.01")
PARALLEL_FROM = 200             # statements; fewer are written in this process
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
class Outcome:
    folder: Path
    result: dict                # what ``--json`` prints


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


def reconcile(home: Home, settings: Settings, period: str, *, lang: str = "zh",
              today: dt.date | None = None) -> Outcome:
    """Reconcile ``period`` (already checked by the caller) and write its workbooks."""
    start, end = settings.reconciliation.period(period)
    with holding_lock(home, f"pid {os.getpid()}, reconcile {period}"):
        ledger = Ledger.open(home.ledger_path)
        try:
            return _reconcile(home, ledger, settings, period, start, end, lang, today or settings.today())
        finally:
            ledger.close()


def _reconcile(home: Home, ledger: Ledger, settings: Settings, period: str, start: dt.date, end: dt.date,
               lang: str, today: dt.date) -> Outcome:
    text = TEXT["en" if lang == "en" else "zh"]
    customers = OrderBook(ledger).customers()
    docs = receivables.documents(ledger)
    replies = receivables.replies(ledger, period)
    window = settings.reconciliation.date_window_days
    statements: dict[str, Statement] = {}
    for code in sorted(set(docs) | set(replies)):
        st = statement(docs.get(code, ()), start, end)
        if st.lines or st.opening != 0 or code in replies:
            statements[code] = st
    statements_total = sum((st.closing for st in statements.values()), ZERO)
    ledger_total = receivables.ledger_total(ledger, end)
    if statements_total != ledger_total:
        raise ControlTotalError(ledger_total, statements_total)

    rows: list[ReconciliationRow] = []
    diffs: list[DiffItem] = []
    entries = []
    for code, st in statements.items():
        reply = replies.get(code)
        cmp = compare(st, reply[0] if reply else None, reply[3] if reply else None, window)
        note = _note(cmp, reply, text)
        rows.append(ReconciliationRow(_ref(customers.get(code), code), st.opening, st.debits, st.credits, st.closing,
                                      cmp.theirs, cmp.difference, cmp.explained, cmp.unexplained, cmp.status,
                                      reply[2] if reply else "", note))
        diffs += _diffs(code, cmp, end, text)
        entries.append({
            "customer_code": code, "opening": money(st.opening), "debits": money(st.debits),
            "credits": money(st.credits), "closing": money(st.closing), "confirmed": money(cmp.theirs),
            "difference": money(cmp.difference), "explained": money(cmp.explained),
            "unexplained": money(cmp.unexplained), "status": cmp.status,
            "unmatched_ours": [d.number for d in cmp.unmatched_ours],
            "unmatched_theirs": [t.number for t in cmp.unmatched_theirs]})
    finance = _finance(ledger, docs, customers, start, end)
    report = ReconciliationReport(period, start, end, tuple(rows), tuple(diffs), tuple(finance), ledger_total,
                                  statements_total)
    result = {"period": period, "start": start.isoformat(), "end": end.isoformat(),
              "control": {"ledger_total": money(ledger_total), "statements_total": money(statements_total),
                          "ok": True},
              "counts": {s: sum(1 for r in rows if r.status == s) for s in ("agreed", "differs", "no_reply")},
              "customers": entries}
    if finance:
        result["finance"] = [{"customer_code": f.customer_code, "as_of": f.as_of.isoformat(), "ours": money(f.ours),
                              "finance": money(f.finance), "difference": money(f.difference)} for f in finance]
    folder = _write(home, settings, period, start, end, statements, customers, report, result, lang, today)
    return Outcome(folder, result)


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


def _write_statements(job: _Statements) -> None:
    """One workbook per customer; thousands of them are shared among the machine's cores (by fork)."""
    global _INHERITED
    codes = list(job.statements)
    workers = min(os.cpu_count() or 1, 8)
    if len(codes) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        job.write(codes)
        return
    _INHERITED = job
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for done in [pool.submit(_write_inherited, codes[i::workers]) for i in range(workers)]:
                done.result()
    finally:
        _INHERITED = None


def _write(home: Home, settings: Settings, period: str, start: dt.date, end: dt.date,
           statements: dict[str, Statement], customers: dict[str, Customer], report: ReconciliationReport,
           result: dict, lang: str, today: dt.date) -> Path:
    final = home.outbox / f"对账-{period}"
    partial = final.with_name(f".{final.name}.partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    version = catalogue_mod.load().version
    reply_by = today + dt.timedelta(days=settings.reconciliation.reply_days)
    outputs = []
    target = partial / reconciliation_file_name(period)
    write_reconciliation(report, target, lang=lang, version=version)
    outputs.append((target, "reconciliation"))
    job = _Statements(period, start, end, statements, customers, settings.general.company, reply_by, partial,
                      lang, version)
    _write_statements(job)
    outputs += [(job.target(code), "statements") for code in statements]
    manifest = {**result, "written_on": today.isoformat(), "outputs": [
        {"file": home.relative(final / p.name), "form": form, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
        for p, form in outputs]}
    with atomic_path(partial / "manifest.json") as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(partial, final)
    if old.exists():
        shutil.rmtree(old)
    return final
