"""Receivables as pure functions of a customer's documents (domain.md "Receivables and collections").

A customer's account is a list of :class:`Doc`: debits (invoices, positive opening documents)
and credits (returns, negative opening documents, receipts matched to the customer). Every
figure is recomputed from the documents dated up to an "as of" date, so a balance never depends
on the day a run happened and nothing can be applied twice:

- :func:`settle` walks the documents in date order. A debit takes any credit left over
  (prepayment) oldest first; a credit pays the debits it names (a claim's invoices, a return's
  original document) and then the open debits oldest due date first; what is left is held.
- :func:`ageing` buckets what is open by days past due.
- :func:`collected_on_time` is the BC KPI: of the amount falling due in a month, the share paid
  by receipts within the grace days of its due date.
- :func:`statement` and :func:`compare` are the half-year reconciliation: a statement of
  account with a running balance, and the customer's own document list matched against it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")

#: Document kinds; a receipt and a return are credits, an invoice a debit; an opening document is
#: either, by its sign.
OPENING, INVOICE, RETURN, RECEIPT = "opening", "invoice", "return", "receipt"
_KIND_ORDER = {OPENING: 0, INVOICE: 1, RETURN: 2, RECEIPT: 3}


@dataclass(frozen=True, slots=True)
class Doc:
    """One document on a customer's account; ``amount`` is what it adds to what the customer owes."""

    kind: str
    number: str
    date: dt.date
    amount: Decimal
    due: dt.date | None = None             # debits: when it falls due
    names: tuple[str, ...] = ()            # credits: documents it pays first (claimed invoices, original doc)
    ref: str = ""                          # a return's original document; a receipt's payer

    @property
    def is_debit(self) -> bool:
        return self.amount > 0

    def sort_key(self) -> tuple:
        # debits before credits on a day, so a same-day payment finds its invoice
        return (self.date, 0 if self.is_debit else 1, _KIND_ORDER.get(self.kind, 9), self.number)


@dataclass(frozen=True, slots=True)
class Settlement:
    """``amount`` of debit ``debit`` was paid by credit ``credit`` on ``date``."""

    debit: str
    credit: str
    credit_kind: str
    amount: Decimal
    date: dt.date


@dataclass(slots=True)
class Account:
    """The result of :func:`settle`: every debit with what is still open, what is held, who paid what."""

    debits: list[tuple[Doc, Decimal]] = field(default_factory=list)        # (debit, open amount >= 0)
    held: list[tuple[Doc, Decimal]] = field(default_factory=list)          # (credit, unapplied > 0)
    settlements: list[Settlement] = field(default_factory=list)

    @property
    def open_debits(self) -> list[tuple[Doc, Decimal]]:
        return [(d, a) for d, a in self.debits if a > 0]

    @property
    def open_amount(self) -> Decimal:
        return sum((a for _, a in self.debits), ZERO)

    @property
    def unapplied(self) -> Decimal:
        """Credit not yet applied to any debit: prepayment and unused returns (a positive amount)."""
        return sum((a for _, a in self.held), ZERO)

    @property
    def prepayment(self) -> Decimal:
        """The receipts' share of :attr:`unapplied` (money paid ahead)."""
        return sum((a for d, a in self.held if d.kind == RECEIPT), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.open_amount - self.unapplied

    def overdue(self, as_of: dt.date) -> Decimal:
        return sum((a for d, a in self.debits if a > 0 and d.due is not None and d.due < as_of), ZERO)

    def applied_of(self, credit_number: str) -> Decimal:
        return sum((s.amount for s in self.settlements if s.credit == credit_number), ZERO)


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


def settle(docs: Iterable[Doc], as_of: dt.date | None = None) -> Account:
    """Apply the customer's credits to their debits, by document dates up to ``as_of`` (inclusive)."""
    timeline = sorted((d for d in docs if as_of is None or d.date <= as_of), key=Doc.sort_key)
    open_debits: dict[int, list] = {}          # id -> [doc, open]; insertion order = arrival
    oldest: list[tuple] = []                   # heap of (due, date, number, arrival, entry): oldest due first
    held: list[list] = []                      # [credit, left]; used up front to back
    first_held = 0                             # held[:first_held] are used up
    settlements: list[Settlement] = []
    by_number: dict[str, list[int]] = {}

    def pay(entry: list, credit: Doc, amount: Decimal, day: dt.date) -> Decimal:
        take = min(entry[1], amount)
        entry[1] -= take
        settlements.append(Settlement(entry[0].number, credit.number, credit.kind, take, day))
        return amount - take

    for doc in timeline:
        if doc.is_debit:
            entry = [doc, doc.amount]
            open_debits[id(doc)] = entry
            heapq.heappush(oldest, (doc.due or doc.date, doc.date, doc.number, len(open_debits), entry))
            by_number.setdefault(_key(doc.number), []).append(id(doc))
            while entry[1] > 0 and first_held < len(held):     # prepayment and earlier returns, oldest first
                h = held[first_held]
                h[1] = pay(entry, h[0], h[1], doc.date)
                if h[1] <= 0:
                    first_held += 1
            continue
        left = -doc.amount
        if left <= 0:
            continue
        for name in doc.names:                      # the documents the credit names
            for ident in by_number.get(_key(name), ()):
                entry = open_debits[ident]
                if left > 0 and entry[1] > 0:
                    left = pay(entry, doc, left, doc.date)
        while left > 0 and oldest:
            entry = oldest[0][-1]
            if entry[1] > 0:
                left = pay(entry, doc, left, doc.date)
            if entry[1] <= 0:                       # settled, here or by a credit that named it
                heapq.heappop(oldest)
        if left > 0:
            held.append([doc, left])
    return Account(debits=[(e[0], e[1]) for e in open_debits.values()],
                   held=[(h[0], h[1]) for h in held if h[1] > 0], settlements=settlements)


# ageing ------------------------------------------------------------------------------------------
def bucket_labels(buckets: Sequence[int], lang: str = "zh") -> list[str]:
    """Labels of the ageing columns for bucket upper bounds, e.g. [30, 60] -> 未到期, 1-30, 31-60, >60."""
    labels = ["未到期" if lang != "en" else "Not due"]
    low = 1
    for high in buckets:
        labels.append(f"{low}-{high}" + ("天" if lang != "en" else " days"))
        low = high + 1
    labels.append(f">{buckets[-1]}" + ("天" if lang != "en" else " days") if buckets else
                  ("逾期" if lang != "en" else "Overdue"))
    return labels


def bucket_of(days_past_due: int, buckets: Sequence[int]) -> int:
    """Index into :func:`bucket_labels`: 0 not yet due, then one per bucket, last beyond the last."""
    if days_past_due <= 0:
        return 0
    for i, high in enumerate(buckets, start=1):
        if days_past_due <= high:
            return i
    return len(buckets) + 1


def ageing(account: Account, as_of: dt.date, buckets: Sequence[int]) -> list[Decimal]:
    """Open debits by days past due on ``as_of``, one amount per :func:`bucket_labels` column."""
    amounts = [ZERO] * (len(buckets) + 2)
    for doc, amount in account.open_debits:
        amounts[bucket_of((as_of - (doc.due or doc.date)).days, buckets)] += amount
    return amounts


# BC KPI ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Collection:
    due: Decimal            # amount falling due in the month (less what returns settled)
    on_time: Decimal        # paid by receipts within the grace days of the due date

    @property
    def rate(self) -> Decimal | None:
        """Percentage points, two decimals; None when nothing fell due."""
        if self.due <= 0:
            return None
        return (self.on_time * 100 / self.due).quantize(CENT)


def collected_on_time(accounts: Iterable[Account], month: str, grace_days: int,
                      as_of: dt.date | None = None, since: dt.date | None = None) -> Collection:
    """BC: of the debits due in ``month`` (YYYY-MM), the amount receipts paid by due + grace days.

    With ``as_of``, a debit whose grace period is still running counts only once fully paid
    (it cannot be late yet); amounts settled by returns are not due for payment and are left out.
    With ``since`` (the system's first day), a debit whose grace period ended before it is left out:
    the receipts that paid it were never recorded, so it is no data rather than a miss.
    """
    due = on_time = ZERO
    for account in accounts:
        paid_by: dict[str, list[Settlement]] = {}
        for s in account.settlements:
            paid_by.setdefault(s.debit, []).append(s)
        for doc, _ in account.debits:
            if doc.due is None or f"{doc.due:%Y-%m}" != month:
                continue
            mine = paid_by.get(doc.number, ())
            owed = doc.amount - sum((s.amount for s in mine if s.credit_kind != RECEIPT), ZERO)
            limit = doc.due + dt.timedelta(days=grace_days)
            if since is not None and limit < since:
                continue
            paid = sum((s.amount for s in mine if s.credit_kind == RECEIPT and s.date <= limit), ZERO)
            if as_of is not None and limit >= as_of and paid < owed:
                continue
            due += owed
            on_time += paid
    return Collection(due, on_time)


# the half-year reconciliation ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Line:
    doc: Doc
    balance: Decimal            # running balance after this document


@dataclass(frozen=True, slots=True)
class Statement:
    start: dt.date
    end: dt.date
    opening: Decimal
    lines: tuple[Line, ...]

    @property
    def debits(self) -> Decimal:
        return sum((ln.doc.amount for ln in self.lines if ln.doc.amount > 0), ZERO)

    @property
    def credits(self) -> Decimal:
        """A positive amount: returns, receipts and negative opening documents of the period."""
        return -sum((ln.doc.amount for ln in self.lines if ln.doc.amount < 0), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debits - self.credits


def statement(docs: Iterable[Doc], start: dt.date, end: dt.date) -> Statement:
    """Opening balance at ``start``, every document of ``start``..``end`` in date order, running balance."""
    opening = ZERO
    period: list[Doc] = []
    for d in docs:
        if d.date < start:
            opening += d.amount
        elif d.date <= end:
            period.append(d)
    running = opening
    lines = []
    for d in sorted(period, key=Doc.sort_key):
        running += d.amount
        lines.append(Line(d, running))
    return Statement(start, end, opening, tuple(lines))


@dataclass(frozen=True, slots=True)
class TheirDoc:
    """One row of the customer's own document list (amount signed as on our statement)."""

    number: str
    date: dt.date | None
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Comparison:
    """Our statement against the customer's reply."""

    status: str                                 # agreed | differs | no_reply
    ours: Decimal
    theirs: Decimal | None
    difference: Decimal | None                  # ours - theirs
    explained: Decimal                          # the part documents one side lacks account for
    unmatched_ours: tuple[Doc, ...] = ()
    unmatched_theirs: tuple[TheirDoc, ...] = ()
    shifted: tuple[tuple[Doc, TheirDoc], ...] = ()   # matched by amount, dated differently
    amounts_differ: tuple[tuple[Doc, TheirDoc], ...] = ()   # matched by number, amounts differ

    @property
    def unexplained(self) -> Decimal | None:
        return None if self.difference is None else self.difference - self.explained


AGREED, DIFFERS, NO_REPLY = "agreed", "differs", "no_reply"


def compare(st: Statement, balance: Decimal | None, their_docs: Sequence[TheirDoc] | None,
            window_days: int) -> Comparison:
    """Match the customer's documents to the statement's: by number, then equal amount within the window.

    ``balance`` None means no reply. Without a document list nothing is explained. A document the
    customer dated after the period end although we matched it (a payment they booked late) is
    not in their balance: its amount counts as explained, like a document they lack.
    """
    ours = st.closing
    if balance is None:
        return Comparison(NO_REPLY, ours, None, None, ZERO)
    difference = ours - balance
    if not their_docs:
        return Comparison(AGREED if difference == 0 else DIFFERS, ours, balance, difference, ZERO)
    left = [ln.doc for ln in st.lines]
    unmatched_theirs: list[TheirDoc] = []
    pending: list[TheirDoc] = []
    amounts_differ: list[tuple[Doc, TheirDoc]] = []
    for t in their_docs:
        same = next((d for d in left if t.number and _key(d.number) == _key(t.number)), None)
        if same is not None:
            left.remove(same)
            if same.amount != t.amount:
                amounts_differ.append((same, t))
        else:
            pending.append(t)
    shifted: list[tuple[Doc, TheirDoc]] = []
    for t in pending:
        if t.date is None:
            unmatched_theirs.append(t)
            continue
        near = [d for d in left if d.amount == t.amount and abs((d.date - t.date).days) <= window_days]
        if not near:
            unmatched_theirs.append(t)
            continue
        best = min(near, key=lambda d: (abs((d.date - t.date).days), d.date, d.number))
        left.remove(best)
        if best.date != t.date:
            shifted.append((best, t))
    explained = sum((d.amount for d in left), ZERO) - sum((t.amount for t in unmatched_theirs), ZERO)
    explained += sum((d.amount - t.amount for d, t in amounts_differ), ZERO)
    explained += sum((d.amount for d, t in shifted if t.date is not None and t.date > st.end), ZERO)
    return Comparison(AGREED if difference == 0 else DIFFERS, ours, balance, difference, explained,
                      tuple(left), tuple(unmatched_theirs), tuple(shifted), tuple(amounts_differ))
