"""Document chains: items that open with one document and move on, step by step, with others.

A chain is declared as data (rules.toml ``[[workflows.chains]]``): the form (or event) that opens
an item and the fields that key it, then its steps, each with the form that moves it on, the
fields that match it to the item (``"a=b"``: the opening document's ``a`` equals the closing
document's ``b``; ``"a"``: the same name), only for rows that meet ``opens_when``, the condition the closing document must meet, its due
(:mod:`osb_batch.chain_terms`; a row with another value of the step's ``renews`` field restarts it) and who is responsible. :func:`follow` replays every document of
every chain in arrival order and says, as of a moment, which items are open, overdue or closed,
who must act, to whom they escalate, and which closing documents matched nothing or came twice.

Pure: the documents, the calendar and the people are arguments; the same arguments give the
same answer, so a run may evaluate the chains from scratch every time.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from osb_batch.chain_terms import Condition, DueTerm, parse_condition, parse_due_terms
from osb_batch.workdays import WorkCalendar

__all__ = ["Doc", "Item", "Outcome", "People", "Stray", "due_time", "follow", "spoken"]

END_OF_DAY = dt.time(23, 59, 59)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class Doc:
    """One document: a stored row of a form, or an event (``delivery_note``, ``invoice``).

    ``at`` is when it arrived (aware); ``ref`` is the caller's handle for its place; ``new`` says
    it arrived in this run (only new documents make findings, so each is told once); ``source`` is
    the file it came in (the lines of one file that close one item, one per product, are one
    closing document, never duplicates of each other); ``record`` names the row it is a version of
    (form and row key: a later version of the row that closed an item is no duplicate either).
    """

    form: str
    values: Mapping[str, Any]
    at: dt.datetime
    ref: Any = None
    new: bool = False
    source: Any = None
    record: Any = None


class People(Protocol):
    def responsible(self, candidate: str, values: Mapping[str, Any]) -> str | None:
        """The person ``candidate`` (a field of the document, or a role such as KAM, SCR, SSG) names."""

    def manager_of(self, person: str, values: Mapping[str, Any]) -> str | None:
        """The manager an overdue item of ``person`` escalates to (UM -> MM -> the SLT signer)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One followed item, as of the moment :func:`follow` was asked about."""

    chain: str
    key: str
    step: str                  # the step waited for; "" once closed
    responsible: str
    opened: dt.datetime
    due: dt.datetime | None
    status: str                # open | overdue | closed
    overdue_days: int = 0
    closed: dt.datetime | None = None
    late: bool = False         # closed after its due, or any step done after its due
    escalate_to: str | None = None
    opening: Doc | None = None
    outcome: str = ""          # "expired" when the chain's ``expires`` date passed before it closed


@dataclass(frozen=True, slots=True)
class Stray:
    """A closing document that matched no item (``unmatched``) or an item already closed (``duplicate``)."""

    chain: str
    kind: str
    doc: Doc
    key: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    items: tuple[Item, ...]
    strays: tuple[Stray, ...]
    moves: tuple[tuple[str, str, Doc], ...] = ()     # (chain, key, document) that moved an item


@dataclass(slots=True)
class _Open:
    doc: Doc
    key: str
    step: int = 0
    since: dt.datetime | None = None
    late: bool = False
    closed: dt.datetime | None = None
    closed_by: Any = None                          # the source of the document that closed it
    closed_record: Any = None                      # the row it is a version of
    due: dt.datetime | None = None
    values: dict = field(default_factory=dict)     # the opening's values, gaps filled by later documents
    seq: int = 0                                   # the order it opened in
    mark: Any = None                               # the last value of the current step's ``renews`` field


@dataclass(slots=True)
class _Chain:
    decl: Any
    conditions: list[Condition] = field(default_factory=list)
    dues: list[tuple[DueTerm, ...]] = field(default_factory=list)
    opens_when: list[Condition] = field(default_factory=list)


def due_time(terms: Sequence[DueTerm], opening: Mapping[str, Any], start: dt.datetime,
             calendar: WorkCalendar) -> dt.datetime | None:
    """When a step is due: the first term that applies, counted from its field or ``start``.

    Working days end at the end of the day (:meth:`WorkCalendar.deadline`); hours and calendar
    days that land on a day off move to the next working day at the same time.
    """
    for term in terms:
        if not term.when.holds(opening):
            continue
        base = start
        if term.field:
            value = opening.get(term.field)
            if value is None:
                continue
            base = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, END_OF_DAY, start.tzinfo)
        if term.unit == "d":
            return dt.datetime.combine(calendar.deadline(base.date(), term.n), END_OF_DAY, base.tzinfo)
        moved = base + (dt.timedelta(hours=term.n) if term.unit == "h" else dt.timedelta(days=term.n))
        if not calendar.is_workday(moved):
            moved = dt.datetime.combine(calendar.next_workday(moved), moved.timetz())
        return moved
    return None


def follow(chains: Iterable[Any], docs: Iterable[Doc], *, calendar: WorkCalendar, people: People,
           as_of: dt.datetime, escalate_after: int) -> Outcome:
    """Every item of every chain as of ``as_of``, with the closing documents that matched nothing."""
    by_form: dict[str, list[Doc]] = {}
    for doc in sorted(docs, key=lambda d: d.at):
        if doc.at <= as_of:
            by_form.setdefault(doc.form, []).append(doc)
    overdue_days = functools.cache(lambda due: max(calendar.workdays_between(due, as_of.date()), 1))
    items, strays, moves = [], [], []
    for decl in chains:
        chain = _Chain(decl, [parse_condition(s.when) for s in decl.steps],
                       [parse_due_terms(s.due) for s in decl.steps], [parse_condition(w) for w in decl.opens_when])
        forms = {decl.opens, *(s.form for s in decl.steps)}
        mine = sorted((d for f in forms for d in by_form.get(f, ())), key=lambda d: d.at)
        found = _replay(chain, mine, calendar, strays, moves)
        items += [_item(chain, o, people, as_of, escalate_after, overdue_days) for o in found]
    return Outcome(tuple(items), tuple(strays), tuple(moves))


def _key(values: Mapping[str, Any], fields: Sequence[str]) -> str | None:
    parts = [values.get(f) for f in fields]
    if any(p is None or p == "" for p in parts):
        return None
    return "|".join(str(p) for p in parts)


def _pairs(match: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``["a=b", "c"]`` -> ``(("a", "b"), ("c", "c"))``: the opening's field, the closing document's."""
    pairs = []
    for m in match:
        mine, _, theirs = m.partition("=")
        pairs.append((mine.strip(), (theirs or mine).strip()))
    return tuple(pairs)


def _matches(opening: Mapping[str, Any], closing: Mapping[str, Any], match: Sequence[str]) -> bool:
    for mine, theirs in _pairs(match):
        a, b = opening.get(mine), closing.get(theirs)
        if a is None or b is None or (a != b if isinstance(a, Decimal) else str(a) != str(b)):
            return False
    return True


def _part(value: Any) -> str | None:
    """A value as an index key part: numbers by value (1000.00 = 1000), None when blank."""
    if value is None or value == "":
        return None
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


class _Index:
    """The open items of a chain by the values each step matches on, so a document finds its
    items without a look at every item."""

    def __init__(self, steps: Sequence[Any]):
        self.by_pairs: dict[tuple, dict[tuple, list[_Open]]] = {_pairs(s.match): {} for s in steps}
        self.forms = {s.form: {_pairs(t.match) for t in steps if t.form == s.form} for s in steps}

    def add(self, o: _Open) -> None:
        for pairs, index in self.by_pairs.items():
            key = tuple(_part(o.doc.values.get(mine)) for mine, _ in pairs)
            if None not in key:
                index.setdefault(key, []).append(o)

    def hits(self, doc: Doc) -> list[_Open]:
        found: dict[str, _Open] = {}
        for pairs in self.forms.get(doc.form, ()):
            key = tuple(_part(doc.values.get(theirs)) for _, theirs in pairs)
            for o in self.by_pairs[pairs].get(key, ()) if None not in key else ():
                found.setdefault(o.key, o)
        return sorted(found.values(), key=lambda o: o.seq)


def _replay(chain: _Chain, docs: list[Doc], calendar: WorkCalendar, strays: list, moves: list) -> list[_Open]:
    decl, opened = chain.decl, {}
    index = _Index(decl.steps)
    for doc in docs:
        hits = [o for o in index.hits(doc)
                if any(s.form == doc.form and _matches(o.doc.values, doc.values, s.match) for s in decl.steps)]
        if hits:
            for o in hits:
                _advance(chain, o, doc, calendar, strays, moves)
            continue
        key = None
        if doc.form == decl.opens and all(c.holds(doc.values) for c in chain.opens_when):
            key = _key(doc.values, decl.key)
        if key is not None and key not in opened:
            opened[key] = o = _Open(doc, key, since=doc.at, values=dict(doc.values), seq=len(opened))
            index.add(o)
            o.due = _due(chain, o, calendar)
            _advance(chain, o, doc, calendar, strays, moves, opening=True)
        elif key is None and doc.form != decl.opens and doc.new and _closes(chain, doc):
            strays.append(Stray(decl.name, "unmatched", doc))
    return list(opened.values())


def _closes(chain: _Chain, doc: Doc) -> bool:
    """Whether ``doc`` claims to move an item of the chain on: it meets a step of its form and names
    what that step matches on (a ticket without a request number is no after-sales closer)."""
    return any(s.form == doc.form and chain.conditions[i].holds(doc.values)
               and all(_part(doc.values.get(theirs)) is not None for _, theirs in _pairs(s.match))
               for i, s in enumerate(chain.decl.steps))


def _advance(chain: _Chain, o: _Open, doc: Doc, calendar: WorkCalendar, strays: list, moves: list,
             opening: bool = False) -> None:
    """Move ``o`` on as far as ``doc`` takes it: a later step it meets also completes the ones before."""
    steps = chain.decl.steps
    reach = max((i for i, s in enumerate(steps) if s.form == doc.form and chain.conditions[i].holds(doc.values)
                 and _matches(o.doc.values, doc.values, s.match)), default=-1)
    if o.closed is not None:
        same_file = doc.source is not None and doc.source == o.closed_by
        same_record = doc.record is not None and doc.record == o.closed_record
        if reach == len(steps) - 1 and doc.new and not opening and not same_file and not same_record:
            strays.append(Stray(chain.decl.name, "duplicate", doc, o.key))
        return
    if reach < o.step:
        _renew(chain, o, doc, calendar)
        return
    while o.step <= reach:
        o.late = o.late or (o.due is not None and doc.at > o.due)
        o.step += 1
        o.since = doc.at
        o.due = _due(chain, o, calendar) if o.step < len(steps) else o.due
    o.values.update({k: v for k, v in doc.values.items() if o.values.get(k) is None})
    moves.append((chain.decl.name, o.key, doc))
    if o.step == len(steps):
        o.closed, o.closed_by, o.closed_record = doc.at, doc.source, doc.record


def _renew(chain: _Chain, o: _Open, doc: Doc, calendar: WorkCalendar) -> None:
    """A row of the current step's form with another value of its ``renews`` field (a lead's new
    stage) restarts the step's due from that row."""
    step = chain.decl.steps[o.step]
    if not step.renews or doc.form != step.form or not _matches(o.doc.values, doc.values, step.match):
        return
    value, before = doc.values.get(step.renews), o.doc.values.get(step.renews) if o.mark is None else o.mark
    if value is not None and value != before:
        o.mark, o.since = value, doc.at
        o.due = _due(chain, o, calendar)


def _due(chain: _Chain, o: _Open, calendar: WorkCalendar) -> dt.datetime | None:
    return due_time(chain.dues[o.step], o.doc.values, o.since or o.doc.at, calendar)


def _item(chain: _Chain, o: _Open, people: People, as_of: dt.datetime, escalate_after: int,
          overdue_days: Callable[[dt.date], int]) -> Item:
    decl = chain.decl
    step = decl.steps[o.step] if o.closed is None else decl.steps[-1]
    who = _responsible(step.responsible or decl.responsible, o.values, people)
    common = {"chain": decl.name, "key": o.key, "responsible": who, "opened": o.doc.at, "opening": o.doc}
    if o.closed is None and decl.expires and (end := _moment(o.values.get(decl.expires))) and as_of > end:
        return Item(**common, step="", due=o.due, status="closed", closed=end, outcome="expired")
    if o.closed is not None:
        return Item(**common, step="", due=o.due, status="closed", closed=o.closed, late=o.late)
    overdue = o.due is not None and as_of > o.due
    days = overdue_days(o.due.date()) if overdue else 0
    boss = people.manager_of(who, o.values) if overdue and days >= escalate_after else None
    return Item(**common, step=step.name, due=o.due, status="overdue" if overdue else "open",
                overdue_days=days, late=o.late, escalate_to=boss)


def spoken(name: str) -> str:
    """A chain's or step's name as English words: ``proof_of_delivery`` -> ``proof of delivery``."""
    return name.replace("_", " ")


def _moment(value: Any) -> dt.datetime | None:
    """The end of a date (aware, Shanghai), or a datetime; None for anything else."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, END_OF_DAY, SHANGHAI)
    return None


def _responsible(candidates: Sequence[str], values: Mapping[str, Any], people: People) -> str:
    for candidate in candidates:
        if who := people.responsible(candidate, values):
            return who
    return candidates[-1] if candidates else ""

