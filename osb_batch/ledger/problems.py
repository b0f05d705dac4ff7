"""The OSB problem log and the facts its deadlines are judged on (orders' timing, shipments).

Only SQL and row shaping live here; :mod:`osb_batch.daily.deadlines` decides what is a breach.
Problem numbers come from the ``problem`` counter and are never reused.
"""

from __future__ import annotations

import datetime as dt
import json

from .database import Ledger, replacing, to_text

#: The columns of one problem entry, in the order :meth:`ProblemLog.entries` gives them.
ENTRY_COLUMNS = ("problem_no", "opened_on", "area", "order_no", "note_no", "responsible", "what", "status",
                 "explanation", "resolved_by", "resolved_at", "rule", "params")


class ProblemLog:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.db = ledger.conn

    # the log ------------------------------------------------------------------------------------
    def has(self, key: str) -> bool:
        """Whether an entry with this key (rule and document) was ever opened."""
        return self.db.execute("SELECT 1 FROM problems WHERE key = ?", (key,)).fetchone() is not None

    def open(self, key: str, *, day: dt.date, area: str, rule: str, order_no: str, note_no: str,
             responsible: str, what: str, run_id: int, params: dict | None = None) -> int:
        """Open a numbered entry; returns its number. ``what`` is its text in Chinese, ``params`` what
        the text says, so that it can be said in another language."""
        number = self.ledger.next_number("problem")
        self.db.execute(
            "INSERT INTO problems (problem_no, key, opened_on, area, rule, order_no, note_no, responsible, what, "
            "status, run_id, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
            (number, key, day.isoformat(), area, rule, order_no, note_no, responsible, what, run_id,
             json.dumps(params or {}, ensure_ascii=False)))
        return number

    def status(self, problem_no: object) -> str | None:
        """The entry's status, or None when no entry has this number."""
        row = self.db.execute("SELECT status FROM problems WHERE problem_no = ?", (problem_no,)).fetchone()
        return None if row is None else row[0]

    def update(self, problem_no: object, *, explanation: str | None, status: str, resolved_by: str | None,
               resolved_at: object) -> None:
        self.db.execute("UPDATE problems SET explanation = ?, status = ?, resolved_by = ?, resolved_at = ? "
                        "WHERE problem_no = ?", (explanation, status, resolved_by, to_text(resolved_at), problem_no))

    def entries(self) -> list[tuple]:
        """Every entry as :data:`ENTRY_COLUMNS`, by number."""
        return self.db.execute(
            "SELECT problem_no, opened_on, area, order_no, note_no, responsible, what, status, explanation, "
            "resolved_by, resolved_at, rule, params FROM problems ORDER BY problem_no").fetchall()

    def open_entries(self) -> list[tuple]:
        """(number, area, order no, responsible, opened on, what, rule, params) of every open entry, by number."""
        return self.db.execute("SELECT problem_no, area, order_no, responsible, opened_on, what, rule, params "
                               "FROM problems "
                               "WHERE status = 'open' ORDER BY problem_no").fetchall()

    # what the deadlines look at -----------------------------------------------------------------
    def unsigned_before(self, day: dt.date) -> list[tuple]:
        """(order no, accepted on, signer, state) of orders accepted before ``day`` that were waiting
        for MA when ``day`` began: their state as of the last event before it, so that a second run of
        ``day`` sees what the first saw."""
        return self.db.execute(
            "SELECT o.order_no, o.accepted_on, o.signer, e.to_state FROM orders o JOIN order_events e "
            "ON e.id = (SELECT MAX(id) FROM order_events WHERE order_id = o.id AND business_date < ?) "
            "WHERE o.accepted_on < ? AND e.to_state IN ('AWAITING_SIGNATURE', 'NEEDS_MANAGER_APPROVAL') "
            "ORDER BY o.state, o.id", (day.isoformat(), day.isoformat())).fetchall()

    def st_pending(self) -> list[tuple]:
        """(order no, accepted on) of orders waiting for the special-treatment approval."""
        return self.db.execute("SELECT order_no, accepted_on FROM orders WHERE state = 'ST_PENDING'").fetchall()

    def received_notes(self) -> list[tuple]:
        """(note no, order no, received at, shipped at or None) of the notes the warehouse received."""
        return self.db.execute(
            "SELECT delivery_note_no, order_no, note_received_at, shipped_at FROM shipments "
            "WHERE note_received_at IS NOT NULL").fetchall()

    def record_shipment(self, values: dict, *, input_id: int, run_id: int) -> None:
        """Store the warehouse's feedback on one note (a later row for the note replaces it)."""
        self.db.execute(
            "INSERT INTO shipments (delivery_note_no, order_no, note_received_at, shipped_at, station, "
            "correct, remark, input_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + replacing(("delivery_note_no",), ("order_no", "note_received_at", "shipped_at", "station", "correct",
                                                  "remark", "input_id", "run_id")),
            (values["delivery_note_no"], values["order_no"], to_text(values["note_received_at"]),
             to_text(values["shipped_at"]), values.get("station"), int(bool(values["correct"])),
             values.get("remark"), input_id, run_id))

    def first_day(self) -> dt.date | None:
        """The business date of the ledger's first run: the system holds no data from before it."""
        row = self.db.execute("SELECT MIN(business_date) FROM runs").fetchone()
        return dt.date.fromisoformat(row[0]) if row and row[0] else None

    def same_day_orders(self) -> list[tuple]:
        """(accepted on, note issued on or None) of every order the OP KPI judges.

        Rejected orders and those waiting on the customer (cases 5-5, 5-4, 5-7c) do not count.
        """
        return self.db.execute(
            "SELECT o.accepted_on, MIN(n.issued_on) FROM orders o "
            "LEFT JOIN delivery_notes n ON n.order_id = o.id WHERE o.state NOT IN ('REJECTED') "
            "AND COALESCE(o.case_id, '') NOT IN ('5-5', '5-4', '5-7c') GROUP BY o.id ORDER BY o.id").fetchall()

    def shipped(self) -> list[tuple]:
        """(note no, received at, shipped at, correct) of every shipped note."""
        return self.db.execute("SELECT delivery_note_no, note_received_at, shipped_at, correct FROM shipments "
                               "WHERE shipped_at IS NOT NULL").fetchall()

    def accuracy_misses(self) -> set[str]:
        """The notes an entry found shipped wrong: a short outbound, or a damaged or short receipt."""
        rows = self.db.execute("SELECT note_no FROM problems WHERE rule IN ('sp-outbound-qty', 'sp-short-receipt')")
        return {r[0] for r in rows.fetchall() if r[0]}
