"""The receivables workbook and the receipts pool of a run, as :mod:`osb_batch.writers.account_records` records.

Reads the ledger and the settled accounts; decides nothing the rules have not decided already.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from osb_batch.ledger import receipts, receivables
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.orders import Customer, awaiting_payment
from osb_batch.rules.receipt_matching import normalize_name
from osb_batch.rules.receivables import (
    RECEIPT,
    Account,
    Doc,
    ageing,
    bucket_labels,
    bucket_of,
    collected_on_time,
)
from osb_batch.settings import Settings
from osb_batch.writers.account_records import (
    AgeingRow,
    AppliedReceipt,
    Candidate,
    LedgerEntry,
    OverdueItem,
    PoolReceipt,
    PoolReport,
    ReceivablesReport,
    Replenishment,
)
from osb_batch.writers.records import KpiFigure

ZERO = Decimal(0)
CENT = Decimal("0.01")
MAX_CANDIDATES = 5
TEXT = {
    "zh": {"claim": "收款申请单", "remark": "摘要中的单号", "alias": "付款户名", "similar": "付款户名相似：{name}",
           "open": "金额等于 {doc} 的未收金额", "waiting": "金额等于待付款订单 {order}"},
    "en": {"claim": "collection claim", "remark": "number in the remark", "alias": "payer name",
           "similar": "payer name similar to {name}", "open": "amount equals what is open on {doc}",
           "waiting": "amount equals waiting order {order}"},
}


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _market_name(settings: Settings, code: str) -> str:
    market = settings.market(code) if code else None
    return market.zh if market else code


def receivables_report(ledger: Ledger, settings: Settings, as_of: dt.date, documents: Mapping[str, list[Doc]],
                       accounts: Mapping[str, Account], customers: Mapping[str, Customer],
                       lang: str) -> ReceivablesReport:
    buckets = settings.receivables.ageing_buckets
    labels = tuple(bucket_labels(buckets, lang))
    rec = settings.reconciliation
    since = rec.period(rec.period_of(as_of))[0]
    rows: list[AgeingRow] = []
    overdue: list[OverdueItem] = []
    for code in sorted(accounts):
        acc = accounts[code]
        if not acc.open_debits and not acc.held:
            continue
        c = customers.get(code)
        amounts = tuple(_q(a) for a in ageing(acc, as_of, buckets))
        rows.append(AgeingRow(code, c.name if c else "", c.account_manager if c else "",
                              _market_name(settings, c.market) if c else "", c.credit_limit if c else None,
                              _q(acc.open_amount), _q(acc.unapplied), _q(acc.balance), amounts, _q(acc.overdue(as_of))))
        for doc, left in acc.open_debits:
            due = doc.due or doc.date
            days = (as_of - due).days
            if days > 0:
                overdue.append(OverdueItem(c.account_manager if c else "", code, c.name if c else "", doc.number,
                                           doc.date, due, days, _q(doc.amount), _q(left),
                                           labels[bucket_of(days, buckets)]))
    overdue.sort(key=lambda o: (o.account_manager, -o.days_overdue, o.customer_code, o.doc_no))
    return ReceivablesReport(
        as_of, since, labels, tuple(rows), _group(rows, lambda r: r.account_manager, with_market=False),
        _group(rows, lambda r: r.market, with_market=True), tuple(overdue),
        tuple(_entries(documents, accounts, customers, since, as_of)), tuple(_replenishments(ledger, customers, since, as_of)))


def _group(rows: Iterable[AgeingRow], key, *, with_market: bool) -> tuple[AgeingRow, ...]:
    groups: dict[str, list[AgeingRow]] = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    out = []
    for label in sorted(groups):
        mine = groups[label]
        width = len(mine[0].buckets)
        out.append(AgeingRow(
            label, "", "" if with_market else label, label if with_market else "", None,
            sum((r.open_amount for r in mine), ZERO), sum((r.unapplied for r in mine), ZERO),
            sum((r.balance for r in mine), ZERO),
            tuple(sum((r.buckets[i] for r in mine), ZERO) for i in range(width)),
            sum((r.overdue for r in mine), ZERO)))
    return tuple(out)


def _entries(documents: Mapping[str, list[Doc]], accounts: Mapping[str, Account], customers: Mapping[str, Customer],
             since: dt.date, as_of: dt.date) -> list[LedgerEntry]:
    entries: list[LedgerEntry] = []
    for code, docs in sorted(documents.items()):
        name = customers[code].name if code in customers else ""
        acc = accounts.get(code)
        open_of = {d.number: left for d, left in acc.debits} if acc else {}
        before = sum((d.amount for d in docs if d.date < since), ZERO)
        period = sorted((d for d in docs if since <= d.date <= as_of), key=lambda d: d.sort_key())
        if not period and before == 0:
            continue
        balance = before
        entries.append(LedgerEntry(code, name, since, "brought_forward", "", "", None, ZERO, ZERO, _q(balance), None))
        for d in period:
            balance += d.amount
            entries.append(LedgerEntry(
                code, name, d.date, d.kind, d.number, d.ref if d.kind != RECEIPT else "", d.due,
                _q(d.amount) if d.amount > 0 else ZERO, _q(-d.amount) if d.amount < 0 else ZERO, _q(balance),
                _q(open_of.get(d.number, ZERO)) if d.amount > 0 else None))
    return entries


def _replenishments(ledger: Ledger, customers: Mapping[str, Customer], since: dt.date,
                    as_of: dt.date) -> list[Replenishment]:
    rows = receivables.replenishments(ledger, since, as_of)
    out = []
    for code, note, issued, order_no, amount, shipped, state, invoice_nos, invoice_amounts in rows:
        invoiced = sum((Decimal(a) for a in (invoice_amounts or "").split(";") if a), ZERO)
        out.append(Replenishment(code, customers[code].name if code in customers else "", note,
                                 dt.date.fromisoformat(issued), order_no, _q(Decimal(amount or 0)),
                                 dt.datetime.fromisoformat(shipped) if shipped else None, invoice_nos or "",
                                 _q(invoiced), state))
    return out


# the receipts pool --------------------------------------------------------------------------------
def pool_report(ledger: Ledger, as_of: dt.date, accounts: Mapping[str, Account], customers: Mapping[str, Customer],
                run_id: int, lang: str) -> PoolReport:
    text = TEXT["en" if lang == "en" else "zh"]
    rows = receipts.received_until(ledger, as_of)
    finder = _CandidateFinder(ledger, accounts, customers, text)
    unmatched, matched = [], []
    total = applied_total = prepaid_total = unmatched_total = ZERO
    for ref, day, payer, amount, account_no, remark, code, how, run in rows:
        money = Decimal(amount)
        total += money
        date = dt.date.fromisoformat(day)
        if code is None:
            unmatched_total += money
            unmatched.append(PoolReceipt(ref, date, payer or "", _q(money), account_no or "", remark or "",
                                         (as_of - date).days, tuple(finder.find(payer or "", money))))
            continue
        acc = accounts.get(code) or Account()
        paid = [s for s in acc.settlements if s.credit == ref and s.credit_kind == RECEIPT]
        applied = sum((s.amount for s in paid), ZERO)
        applied_total += applied
        prepaid_total += money - applied
        if run == run_id:
            matched.append(AppliedReceipt(
                ref, date, payer or "", _q(money), code, customers[code].name if code in customers else "",
                text.get(how or "", how or ""), "；".join(f"{s.debit} {s.amount:,.2f}" for s in paid),
                _q(applied), _q(money - applied)))
    return PoolReport(as_of, tuple(unmatched), tuple(matched), _q(total), _q(applied_total), _q(prepaid_total),
                      _q(unmatched_total))


class _CandidateFinder:
    """Who probably paid an unmatched receipt: similar payer names, an equal open amount, an equal waiting order."""

    def __init__(self, ledger: Ledger, accounts: Mapping[str, Account], customers: Mapping[str, Customer], text: dict):
        self.text, self.customers = text, customers
        self.names: dict[str, list[tuple[str, str]]] = defaultdict(list)    # bigram -> (code, name)
        self.grams: dict[tuple[str, str], set[str]] = {}
        aliases = {p.customer_code: p.aliases for p in receipts.payers(ledger)}
        for code, c in customers.items():
            for name in {c.name, *(a.strip() for a in (aliases.get(code) or "").replace("；", ";").split(";"))}:
                grams = _bigrams(_core(normalize_name(name)))
                if grams:
                    self.grams[(code, name)] = grams
                    for g in grams:
                        self.names[g].append((code, name))
        self.amounts: dict[Decimal, list[tuple[str, str]]] = defaultdict(list)
        for code, acc in accounts.items():
            for doc, left in acc.open_debits:
                self.amounts[_q(left)].append((code, doc.number))
        self.waiting: dict[Decimal, list[tuple[str, str]]] = defaultdict(list)
        for order_no, code, amount in awaiting_payment(ledger):
            self.waiting[_q(Decimal(amount or 0))].append((code, order_no))

    def find(self, payer: str, amount: Decimal) -> list[Candidate]:
        similar: dict[str, tuple[float, str]] = {}          # code -> (best similarity, that name)
        mine = _bigrams(_core(normalize_name(payer)))
        shared: dict[tuple[str, str], int] = defaultdict(int)
        for g in mine:
            for key in self.names.get(g, ()):
                shared[key] += 1
        for (code, name), n in shared.items():
            similarity = n / len(mine | self.grams[(code, name)])
            if similarity >= 0.5 and similarity > similar.get(code, (0.0, ""))[0]:
                similar[code] = (similarity, name)
        reasons: dict[str, list[str]] = defaultdict(list)
        score: dict[str, float] = defaultdict(float)
        for code, (similarity, name) in similar.items():
            reasons[code].append(self.text["similar"].format(name=name))
            score[code] += similarity
        for code, doc in self.amounts.get(_q(amount), ())[:20]:
            reasons[code].append(self.text["open"].format(doc=doc))
            score[code] += 1
        for code, order in self.waiting.get(_q(amount), ())[:20]:
            reasons[code].append(self.text["waiting"].format(order=order))
            score[code] += 1
        ranked = sorted(reasons, key=lambda c: (-score[c], c))[:MAX_CANDIDATES]
        return [Candidate(c, self.customers[c].name if c in self.customers else "", "；".join(reasons[c]))
                for c in ranked]


#: generic words of Chinese company names; what is left ("海南华信") says who the payer is
_GENERIC = re.compile(r"(股份有限公司|有限责任公司|有限公司|分公司|集团|公司|商行|商贸|贸易|实业|物资|百货|家电|电器|经营部|门市部|商店)+$")


def _core(name: str) -> str:
    core = _GENERIC.sub("", name)
    return core if len(core) >= 3 else name


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} if len(text) > 1 else ({text} if text else set())


def collection_kpis(accounts: Mapping[str, Account], settings: Settings, as_of: dt.date,
                    since: dt.date | None = None) -> list[KpiFigure]:
    """BC 回款率 for every month of the last twelve that had an amount fall due, from the month of
    ``since`` (the system's first day: what was collected before it is not known, so an earlier
    month has no figure rather than a miss)."""
    d = settings.deadlines
    months = sorted({f"{doc.due:%Y-%m}" for acc in accounts.values() for doc, _ in acc.debits
                     if doc.due is not None and doc.due <= as_of})
    first = f"{as_of.year - 1:04d}-{as_of.month:02d}"
    figures = []
    for month in months:
        if month <= first or (since is not None and month < f"{since:%Y-%m}"):
            continue
        c = collected_on_time(accounts.values(), month, d.collection_window_days, as_of, since)
        if c.due > 0:
            figures.append(KpiFigure(month, "bc_5day", "回款率", _q(c.on_time), _q(c.due), d.collection_target))
    return figures
