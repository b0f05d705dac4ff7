"""The sales force roster (the ``staff`` form): who is who, and since when.

A staff row is upserted by name like a customer (a blank cell keeps the stored value), but the
roster keeps every version: a row takes effect from its ``since`` date (the business date it
arrived when blank), so a person moved to another region on the 15th belongs to the old one
before it. Changes are recorded in ``changes`` and told as ``master-updated``. Without any staff
row, the people are derived from the customers master (account manager → KAM, unit manager →
UM of the customer's market and region), marked ``derived``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from osb_batch.catalogue import Form
from osb_batch.findings import Finding, finding
from osb_batch.readers.workbook import ReadResult
from osb_batch.rules.management_records import ROLES, Person
from osb_batch.rules.roster import missing_scope

from .attribution import business_date_of
from .database import Ledger, replacing, to_text

FIELDS = ("role", "market", "region", "email", "phone", "active")
COLUMNS = ("name", "since", *FIELDS)


def apply_staff(result: ReadResult, form: Form, ledger: Ledger, *, run_id: int, input_id: int,
                counts: Counter) -> list[Finding]:
    """Every error-free row of a staff file as a new version of that person, where it changes something."""
    day = business_date_of(ledger, run_id)
    found: list[Finding] = []
    for table, row in result.rows:
        if not row.ok:
            counts["staff.skipped"] += 1
            continue
        values = {k: to_text(row.values.get(k)) for k in (*FIELDS, "name")}
        if missing := missing_scope(values["role"], values["market"], values["region"]):
            found += [finding("staff-scope-missing", value=values["name"], role=values["role"],
                              **result.where(table, row, key)) for key in missing]
            counts["staff.refused"] += 1
            continue
        since = to_text(row.values.get("since")) or day
        outcome, changed = _upsert(ledger, values, since, run_id=run_id, input_id=input_id)
        if changed:
            text = "；".join(f"{form.field(k).zh} {old or '（空）'} → {new}" for k, (old, new) in changed.items())
            found.append(finding("master-updated", value=values["name"], what=form.zh, changes=text,
                                 **result.where(table, row, "name")))
        counts[f"staff.{outcome}"] += 1
    return found


def _upsert(ledger: Ledger, values: dict, since: str, *, run_id: int, input_id: int) -> tuple[str, dict]:
    latest = ledger.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM staff WHERE name = ? "
                                 "ORDER BY since DESC LIMIT 1", (values["name"],)).fetchone()
    current = dict(zip(COLUMNS, latest, strict=True)) if latest else {}
    if latest:
        current["active"] = str(current["active"])
    merged = {k: values[k] if values[k] is not None else current.get(k) for k in FIELDS}
    changed = {k: (current.get(k), merged[k]) for k in FIELDS if latest and current.get(k) != merged[k]}
    if latest and not changed:
        return "unchanged", {}
    ledger.conn.execute(
        "INSERT INTO staff (name, since, role, market, region, email, phone, active, input_id, run_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + replacing(("name", "since"), ("role", "market", "region", "email", "phone", "active", "input_id", "run_id")),
        (values["name"], since, *(merged[k] for k in FIELDS[:-1]), int(merged["active"] == "1"), input_id, run_id))
    ledger.conn.executemany(
        "INSERT INTO changes (run_id, input_id, form, row_key, field, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(run_id, input_id, "staff", values["name"], k, old, new) for k, (old, new) in changed.items()])
    return ("updated" if latest else "inserted"), changed


def _person(row: tuple) -> Person:
    name, since, role, market, region, email, phone, active = row
    return Person(name, role, market, region, email, phone, bool(active), dt.date.fromisoformat(since))


def roster_history(ledger: Ledger) -> list[Person]:
    """Every version of every person (by name, then since); derived from the customers when there is no roster."""
    rows = ledger.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM staff ORDER BY name, since").fetchall()
    if rows:
        return [_person(r) for r in rows]
    return _derived(ledger, None)


def roster_on(ledger: Ledger, day: dt.date) -> list[Person]:
    """The roster as it stood on ``day``: each person's latest version effective by then (inactive
    ones included, with active False); derived from the customers master when there is no roster."""
    if ledger.conn.execute("SELECT 1 FROM staff LIMIT 1").fetchone() is None:
        return _derived(ledger, day)
    rows = ledger.conn.execute(
        f"SELECT {', '.join('s.' + c for c in COLUMNS)} FROM staff s WHERE s.since = "
        "(SELECT MAX(since) FROM staff t WHERE t.name = s.name AND t.since <= ?) ORDER BY s.name",
        (day.isoformat(),)).fetchall()
    return [_person(r) for r in rows]


def _derived(ledger: Ledger, day: dt.date | None) -> list[Person]:
    """People named by the customers' versions in effect on ``day`` (every version when None): one
    per name, as UM where they manage a region, else as KAM, in the market and region where
    they have most customers, since the first version naming them."""
    where = "" if day is None else (
        "WHERE v.effective = (SELECT MAX(effective) FROM customer_versions w WHERE w.customer_code = v.customer_code "
        "AND w.effective <= :day) OR (v.effective = (SELECT MIN(effective) FROM customer_versions w "
        "WHERE w.customer_code = v.customer_code) AND v.effective > :day)")
    rows = ledger.conn.execute(
        f"SELECT 'UM', unit_manager, market, region, effective FROM customer_versions v {where} "
        f"UNION ALL SELECT 'KAM', account_manager, market, region, effective FROM customer_versions v {where}",
        {"day": day.isoformat() if day else ""}).fetchall()
    scopes: dict[tuple[str, str], Counter] = {}
    first: dict[str, str] = {}
    for role, name, market, region, effective in rows:
        if not name:
            continue
        scopes.setdefault((name, role), Counter())[(market, region)] += 1
        first[name] = min(first.get(name, effective), effective)
    people = []
    for name in sorted(first):
        role = next(r for r in ROLES if (name, r) in scopes)
        (market, region), _ = min(scopes[(name, role)].items(), key=lambda kv: (-kv[1], str(kv[0])))
        people.append(Person(name, role, market, region, None, None, True,
                             dt.date.fromisoformat(first[name]), derived=True))
    return people
