"""What people send: the rows of the forms only people can fill, kept with who, which period, when.

Every row of a catalogue form of kind ``other`` (plans, visit plans, work logs, work plans,
market status, target customers, dealer purchase statistics, expense requests and claims, the
contract register ...) and of ``marketing_budget`` is stored generically, driven by the
catalogue: its form, its row key (a re-submitted row key replaces the earlier row from then on),
its typed values as JSON, the person its ``person_field`` names, the label of the period its
``period_field`` names, the file's arrival time in the inbox, the input and the run.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from osb_batch import catalogue as catalogue_mod
from osb_batch.catalogue import Catalogue, Form
from osb_batch.readers.workbook import ReadResult
from osb_batch.rules.management_records import PlanRow, Submission

from .database import Ledger, to_text

#: input forms stored like the ``other`` forms
STORED_INPUTS = frozenset({"marketing_budget"})
PLAN_KINDS = {"monthly_plan": "month", "quarterly_plan": "quarter", "annual_plan": "year"}


def is_stored(form: Form) -> bool:
    """Whether rows of ``form`` are kept in ``documents``."""
    return form.kind == "other" or form.key in STORED_INPUTS


def period_label(value: object, kind: str) -> str | None:
    """The label of the period ``value`` names: ``2026-W48``, ``2026-11``, ``2026Q4`` or ``2026``.

    A date (or datetime) is labelled by ``kind``; a month (``2026-11``), quarter (``2026Q4``)
    or year (``2026``) value is its own label.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return str(value)
    if kind == "month":
        return f"{value.year}-{value.month:02d}"
    if kind == "quarter":
        return f"{value.year}Q{(value.month - 1) // 3 + 1}"
    if kind == "year":
        return str(value.year)
    year, week, _ = value.isocalendar()
    return f"{year}-W{week:02d}"


def _json(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    return to_text(value)


def store(result: ReadResult, form: Form, ledger: Ledger, *, run_id: int, input_id: int) -> int:
    """Keep every error-free row of ``result``; a row key seen before is replaced. Returns rows kept."""
    arrived = ledger.conn.execute("SELECT arrived_at FROM inputs WHERE id = ?", (input_id,)).fetchone()
    kept = 0
    for table, row in result.rows:
        if not row.ok:
            continue
        values = row.values
        key = "|".join(to_text(values.get(k)) or "" for k in form.row_key) if form.row_key else str(row.number)
        person = values.get(form.person_field) if form.person_field else None
        period = period_label(values.get(form.period_field), form.period_kind or "week") if form.period_field else None
        content = json.dumps({k: _json(values.get(k)) for k in form.keys}, ensure_ascii=False)
        place = json.dumps({"file": result.file, "sheet": table.sheet, "row": row.number,
                            "columns": table.columns}, ensure_ascii=False)
        new_id = ledger.conn.execute(
            "INSERT INTO documents (form, row_key, person, period, content, arrived_at, input_id, run_id, place) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (form.key, key, None if person is None else str(person), period, content,
             arrived[0] if arrived else None, input_id, run_id, place)).fetchone()[0]
        ledger.conn.execute("UPDATE documents SET replaced_by = ? WHERE form = ? AND row_key = ? "
                            "AND replaced_by IS NULL AND id <> ?", (new_id, form.key, key, new_id))
        kept += 1
    return kept


def typed(form: Form, content: str) -> dict:
    """A stored row's ``content`` with its values typed as ``form`` declares."""
    return _typed(form, content)


def _typed(form: Form, content: str) -> dict:
    raw = json.loads(content)
    return {k: _decode(form.field(k).type, raw.get(k)) for k in form.keys}


def _decode(kind: str, value: object) -> object:
    if value is None or isinstance(value, list):
        return value
    if kind in {"money", "quantity"}:
        return Decimal(str(value))
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    return value


def documents(ledger: Ledger, form: str, *, period: str | None = None,
              catalogue: Catalogue | None = None) -> list[dict]:
    """The current rows of ``form`` (``period`` label only, when given), typed as the catalogue
    declares, each with ``_person``, ``_period``, ``_arrived_at`` (aware datetime) and ``_input_id``."""
    declared = (catalogue or catalogue_mod.load())[form]
    query = ("SELECT content, person, period, arrived_at, input_id FROM documents "
             "WHERE form = ? AND replaced_by IS NULL")
    args: tuple = (form,)
    if period is not None:
        query, args = query + " AND period = ?", (form, period)
    rows = ledger.conn.execute(query + " ORDER BY id", args).fetchall()
    return [{**_typed(declared, content), "_person": person, "_period": label,
             "_arrived_at": dt.datetime.fromisoformat(arrived) if arrived else None, "_input_id": input_id}
            for content, person, label, arrived, input_id in rows]


def submissions(ledger: Ledger, forms: list[str] | tuple[str, ...] | frozenset[str]) -> list[Submission]:
    """One submission per form, person, period and input among ``forms`` (rows later replaced
    included: they were sent when they arrived), earliest first."""
    marks = ", ".join("?" for _ in forms)
    rows = ledger.conn.execute(
        "SELECT form, person, period, MIN(arrived_at), input_id FROM documents "
        f"WHERE form IN ({marks}) AND person IS NOT NULL AND period IS NOT NULL AND arrived_at IS NOT NULL "
        "GROUP BY form, person, period, input_id ORDER BY MIN(arrived_at), form, person", tuple(forms)).fetchall()
    return [Submission(form, person, period, dt.datetime.fromisoformat(at), input_id)
            for form, person, period, at, input_id in rows]


def plan_rows(ledger: Ledger) -> list[PlanRow]:
    """The current rows of the monthly, quarterly and annual plans that name a sales target."""
    out = []
    for form, kind in PLAN_KINDS.items():
        for row in documents(ledger, form):
            if row["sales_target"] is None or row["market"] is None:
                continue
            new = row["new_customers"]
            out.append(PlanRow(kind, row["_period"], row["market"], row["region"], row["product_code"],
                               row["sales_target"], row["qty_target"], row["collection_target"],
                               None if new is None else int(new), row["owner"] or ""))
    return out
