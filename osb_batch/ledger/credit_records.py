"""The secretary group's results kept once per period: credit grades, contract numbers, limits.

A month's grades, a month's contract register numbers and a quarter's credit-limit proposals are
given the first time their period is produced and stored here; every later run or re-request
reads them back, so nothing given changes. A grade that changes is written to the customer
(``customers.credit_grade``) with a ``changes`` row whose form is ``credit_grades``; an approved
limit coming back on a signed copy is written to ``customers.credit_limit`` with a ``changes``
row whose form is ``credit_limit_decisions`` and a ``credit_limit_changes`` row that keeps the
old limit, the formula's value, the adjustment, the approver and the run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from osb_batch.rules.contracts import Registered
from osb_batch.rules.credit_grades import Grade
from osb_batch.rules.credit_limits import LimitDecision, Proposal

from .database import Ledger, to_text

CUSTOMER_COLUMNS = ("customer_code", "customer_name", "market", "region", "account_manager", "credit_limit",
                    "payment_term_days", "prepaid", "credit_grade", "shipping_station", "contact", "phone",
                    "address")


def _dec(text: str | None) -> Decimal | None:
    return None if text is None or text == "" else Decimal(text)


def customers(ledger: Ledger) -> list[dict]:
    """Every customer of the master data, by code, with the columns the monthly lists show."""
    rows = ledger.conn.execute(f"SELECT {', '.join(CUSTOMER_COLUMNS)} FROM customers ORDER BY customer_code")
    return [dict(zip(CUSTOMER_COLUMNS, r, strict=True)) for r in rows]


def last_run(ledger: Ledger) -> int:
    """The latest run's id (0 before the first): what a change made outside a run is filed under."""
    row = ledger.conn.execute("SELECT MAX(id) FROM runs").fetchone()
    return row[0] or 0


def _record_change(ledger: Ledger, run_id: int, input_id: int | None, form: str, code: str, column: str,
                   old: str | None, new: str) -> None:
    ledger.conn.execute(f"UPDATE customers SET {column} = ? WHERE customer_code = ?", (new, code))
    ledger.conn.execute("INSERT INTO changes (run_id, input_id, form, row_key, field, old, new) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", (run_id, input_id, form, code, column, old, new))


# grades -----------------------------------------------------------------------------------------
def grades(ledger: Ledger, month: str) -> list[Grade]:
    """The grades given for ``month`` (empty when it was never graded), by customer code."""
    rows = ledger.conn.execute(
        "SELECT customer_code, due, on_time, ratio, overdue, oldest_days, grade, previous FROM credit_grades "
        "WHERE month = ? ORDER BY customer_code", (month,)).fetchall()
    return [Grade(code, Decimal(due), Decimal(on_time), _dec(ratio), Decimal(overdue), int(oldest), grade, previous)
            for code, due, on_time, ratio, overdue, oldest, grade, previous in rows]


def grades_before(ledger: Ledger, month: str) -> dict[str, str]:
    """Each customer's grade of the latest month before ``month`` that graded it."""
    rows = ledger.conn.execute(
        "SELECT customer_code, grade FROM credit_grades g WHERE month = (SELECT MAX(month) FROM credit_grades h "
        "WHERE h.customer_code = g.customer_code AND h.month < ?)", (month,)).fetchall()
    return dict(rows)


def store_grades(ledger: Ledger, month: str, given: list[Grade], *, day: dt.date) -> None:
    """Keep ``month``'s grades; a changed grade becomes the customer's unless a later month is graded."""
    ledger.conn.executemany(
        "INSERT INTO credit_grades (month, customer_code, grade, previous, ratio, due, on_time, overdue, "
        "oldest_days, given_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(month, g.customer_code, g.grade, g.previous, to_text(g.ratio), to_text(g.due), to_text(g.paid_on_time),
          to_text(g.overdue), g.oldest_days, day.isoformat()) for g in given])
    if ledger.conn.execute("SELECT 1 FROM credit_grades WHERE month > ? LIMIT 1", (month,)).fetchone():
        return
    run_id = last_run(ledger)
    current = dict(ledger.conn.execute("SELECT customer_code, credit_grade FROM customers").fetchall())
    for g in given:
        if current.get(g.customer_code) != g.grade:
            _record_change(ledger, run_id, None, "credit_grades", g.customer_code, "credit_grade",
                           current.get(g.customer_code), g.grade)


# contract numbers -------------------------------------------------------------------------------
def contract_numbers(ledger: Ledger) -> list[Registered]:
    """Every register number given so far."""
    return [Registered(no, dt.date.fromisoformat(day), reg, bool(late)) for no, day, reg, late in ledger.conn.execute(
        "SELECT contract_no, sign_date, register_no, late FROM contract_numbers ORDER BY register_no")]


def store_contract_numbers(ledger: Ledger, month: str, register: list[Registered], *, day: dt.date) -> None:
    """Keep the numbers :func:`osb_batch.rules.contracts.number` gave this time (``new``)."""
    ledger.conn.executemany(
        "INSERT INTO contract_numbers (contract_no, month, register_no, sign_date, late, given_on) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(r.contract_no, month, r.register_no, r.sign_date.isoformat(), int(r.late), day.isoformat())
         for r in register if r.new])


def contract_given_on(ledger: Ledger) -> dict[str, str]:
    """Contract number -> the date its register number was given."""
    return dict(ledger.conn.execute("SELECT contract_no, given_on FROM contract_numbers").fetchall())


# credit limits ----------------------------------------------------------------------------------
def proposals(ledger: Ledger, quarter: str) -> list[Proposal]:
    """The proposals made for ``quarter`` (empty when none were), by customer code."""
    rows = ledger.conn.execute(
        "SELECT customer_code, current, grade, average, growth, formula, proposed FROM credit_proposals "
        "WHERE quarter = ? ORDER BY customer_code", (quarter,)).fetchall()
    return [Proposal(code, Decimal(cur), grade, Decimal(avg), Decimal(growth), Decimal(formula), Decimal(prop))
            for code, cur, grade, avg, growth, formula, prop in rows]


def store_proposals(ledger: Ledger, quarter: str, made: list[Proposal], *, day: dt.date) -> None:
    ledger.conn.executemany(
        "INSERT INTO credit_proposals (quarter, customer_code, current, grade, average, growth, formula, proposed, "
        "given_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(quarter, p.customer_code, to_text(p.current), p.grade, to_text(p.average), to_text(p.growth),
          to_text(p.formula), to_text(p.proposed), day.isoformat()) for p in made])


def apply_limit(ledger: Ledger, quarter: str, decision: LimitDecision, *, run_id: int, input_id: int) -> None:
    """An approved row: the customer's credit limit from this run on, with its record."""
    signer = decision.signer
    ledger.conn.execute(
        "INSERT INTO credit_limit_changes (quarter, customer_code, old_limit, formula, adjustment, new_limit, "
        "approved_by, on_behalf_of, input_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (quarter, decision.customer_code, to_text(decision.old_limit), to_text(decision.formula),
         to_text(decision.adjustment), to_text(decision.new_limit), signer.secretary or signer.member,
         signer.member if signer.on_behalf else None, input_id, run_id))
    old = ledger.conn.execute("SELECT credit_limit FROM customers WHERE customer_code = ?",
                              (decision.customer_code,)).fetchone()[0]
    _record_change(ledger, run_id, input_id, "credit_limit_decisions", decision.customer_code, "credit_limit",
                   old, to_text(decision.new_limit))


def limit_changes(ledger: Ledger) -> list[tuple]:
    """Every approved limit: (quarter, customer, old, formula, adjustment, new, approved by, on behalf of, run)."""
    return ledger.conn.execute(
        "SELECT quarter, customer_code, old_limit, formula, adjustment, new_limit, approved_by, on_behalf_of, "
        "run_id FROM credit_limit_changes ORDER BY id").fetchall()


# the month's master-data changes ----------------------------------------------------------------
def customer_changes(ledger: Ledger, start: dt.date, end: dt.date, fields: tuple[str, ...]) -> list[tuple]:
    """(business date, customer code, field, old, new) of the customers' ``fields`` changed by runs
    of ``start``..``end``, oldest first."""
    marks = ", ".join("?" for _ in fields)
    return ledger.conn.execute(
        "SELECT r.business_date, c.row_key, c.field, c.old, c.new FROM changes c JOIN runs r ON r.id = c.run_id "
        f"WHERE c.form = 'customers' AND c.field IN ({marks}) AND r.business_date BETWEEN ? AND ? ORDER BY c.id",
        (*fields, start.isoformat(), end.isoformat())).fetchall()
