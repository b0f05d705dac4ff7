"""The ledger's record of delivery: every file owed to a person, and what became of its sending.

A row per (person, file content): ``owed`` when its folder is made, then ``sent`` (with the
address, the time and the message id), ``failed`` (with the error; sent again by the next run or
``osb-batch deliver``) or ``no_address`` (the person has none: their folder only). A file whose
content was already queued for a person is never queued again, so it is never sent twice.
Plain SQL with ``?`` placeholders only, so that the same statements run on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .database import Ledger

#: The statuses still to be sent.
PENDING = ("owed", "failed")
COLUMNS = ("id", "person", "file", "sha256", "form", "folder", "status", "queued_at", "due", "email", "error",
           "message_id", "sent_at")


def queue(ledger: Ledger, person: str, entries: Iterable[Mapping], folder: str, at: str) -> int:
    """Owe ``person`` each entry's file (a manifest output entry: file, form, sha256, and the
    ``due`` of what they must do with it) not queued for them before; how many were new."""
    new = 0
    for entry in entries:
        known = ledger.conn.execute("SELECT 1 FROM deliveries WHERE person = ? AND sha256 = ?",
                                    (person, entry["sha256"])).fetchone()
        if known is None:
            ledger.conn.execute(
                "INSERT INTO deliveries (person, file, sha256, form, folder, status, queued_at, due) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (person, entry["file"], entry["sha256"], entry["form"], folder, "owed", at, entry.get("due")))
            new += 1
    return new


def pending(ledger: Ledger) -> list[dict]:
    """Every row still to be sent (owed or failed), in the order queued."""
    rows = ledger.conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM deliveries WHERE status IN (?, ?) ORDER BY id", PENDING).fetchall()
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def settle(ledger: Ledger, ids: Sequence[int], status: str, *, email: str | None = None, error: str | None = None,
           message_id: str | None = None, at: str | None = None) -> None:
    """Record the outcome of sending the rows ``ids`` (one message: one outcome for all of them)."""
    ledger.conn.executemany(
        "UPDATE deliveries SET status = ?, email = ?, error = ?, message_id = ?, sent_at = ? WHERE id = ?",
        [(status, email, error, message_id, at, i) for i in ids])


def sent_to(ledger: Ledger, person: str) -> list[str]:
    """The files sent to ``person``, in the order sent (the ``deliver`` command and tests read it)."""
    return [r[0] for r in ledger.conn.execute(
        "SELECT file FROM deliveries WHERE person = ? AND status = ? ORDER BY sent_at, id", (person, "sent"))]
