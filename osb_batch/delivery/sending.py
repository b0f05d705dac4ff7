"""Sending what is owed: one message per person, after the ledger commit, never failing the run.

Every row the ledger holds as owed or failed is sent (a failed one again), grouped into one
message per person; each outcome is recorded in the ledger at once, so that a server that goes
down mid-way leaves exactly the rest owed for the next run or ``osb-batch deliver``. A refused
recipient or a server that cannot be reached is a ``failed`` entry with its error, never an
exception; a person without an address is ``no_address`` (their folder only).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path

from osb_batch.ledger import deliveries
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.roster import roster_on
from osb_batch.rules.management_records import Person
from osb_batch.settings import Settings
from osb_batch.settings.sections import Mail
from osb_batch.workspace import Home
from osb_batch.writers.common import atomic_path

from .letters import letter
from .people import addresses_of

#: The only place the SMTP password comes from.
PASSWORD_ENV = "OSB_SMTP_PASSWORD"
TIMEOUT_SECONDS = 30


class Postman:
    """One SMTP connection, opened when first needed and opened again after it broke; once the
    server cannot be reached, every later message fails at once with the same error (a server
    that does not answer would otherwise cost a timeout per person)."""

    def __init__(self, mail: Mail, password: str):
        self.mail, self.password, self.smtp = mail, password, None
        self.unreachable: Exception | None = None

    def send(self, message: EmailMessage) -> dict:
        """The addresses the server refused while taking the message for the others (address ->
        (code, reply)); raises smtplib.SMTPException or OSError when nobody's copy was accepted."""
        if self.unreachable is not None:
            raise self.unreachable
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except (smtplib.SMTPException, OSError) as bad:
                self.unreachable = bad
                raise
        try:
            return self.smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise                            # the connection is fine: the next person uses it
        except (smtplib.SMTPException, OSError):
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.mail.host, self.mail.port, timeout=TIMEOUT_SECONDS)
        try:
            if self.mail.starttls:
                self._secure(smtp)
            if self.mail.username:
                smtp.login(self.mail.username, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _secure(self, smtp: smtplib.SMTP) -> None:
        """STARTTLS when the server offers it; a server without it is used in clear text only when
        there is no login to protect (a relay inside the company), never with the password."""
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        elif self.mail.username:
            raise smtplib.SMTPNotSupportedError(
                f"{self.mail.host}:{self.mail.port} offers no STARTTLS: the password is not sent in clear text "
                "(set [mail] starttls = false only for a server that takes no login)")

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def send_owed(home: Home, ledger: Ledger, settings: Settings, day: dt.date, *, dry_run: bool = False,
              reminders: Sequence[Mapping] = (), now: dt.datetime | None = None) -> list[dict]:
    """Send every person what the ledger holds as owed to them; the manifest's ``deliveries``
    (person, email, files, status sent|failed|no_address, error; ``owed`` for a dry run).

    ``reminders``: the run's reports owed (the manifest's), each person's listed in their message.
    Nothing without ``[mail] host``.
    """
    if not settings.mail.host:
        return []
    groups: dict[str, list[dict]] = {}
    for row in deliveries.pending(ledger):
        groups.setdefault(row["person"], []).append(row)
    job = _Job(home, ledger, settings, roster_on(ledger, day), day, dry_run,
               (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"))
    postman = Postman(settings.mail, os.environ.get(PASSWORD_ENV, ""))
    try:
        done = (job.deliver(postman, person, rows, [r for r in reminders if r.get("person") == person])
                for person, rows in groups.items())
        return [entry for entry in done if entry is not None]
    finally:
        postman.close()


class _Job:
    def __init__(self, home: Home, ledger: Ledger, settings: Settings, people: Sequence[Person], day: dt.date,
                 dry_run: bool, at: str):
        self.home, self.ledger, self.settings, self.people = home, ledger, settings, people
        self.day, self.dry_run, self.at = day, dry_run, at

    def deliver(self, postman: Postman, person: str, rows: list[dict], owed: Sequence[Mapping]) -> dict | None:
        """One person's message; its outcome recorded for each of its rows (None: no file left to send)."""
        there = [r for r in rows if (self.home.root / r["file"]).is_file()]
        gone = [r["id"] for r in rows if r not in there]
        if gone and not self.dry_run:        # its folder was removed by hand: nothing left to send
            deliveries.settle(self.ledger, gone, "missing", at=self.at)
        if not there:
            return None
        addresses = addresses_of(person, self.settings, self.people)
        entry = {"person": person, "email": ", ".join(addresses), "files": [Path(r["file"]).name for r in there],
                 "status": "owed", "error": ""}
        ids = [r["id"] for r in there]
        if self.dry_run:
            return entry
        if not addresses:
            deliveries.settle(self.ledger, ids, "no_address", at=self.at)
            return {**entry, "status": "no_address"}
        company = self.settings.general.company
        message = letter(person, addresses, self.settings.mail.sender, there,
                         [self.home.root / r["file"] for r in there], owed, company, self.day.isoformat())
        try:
            refused = postman.send(message)
        except (smtplib.SMTPException, OSError) as bad:
            error = f"{type(bad).__name__}: {bad}"
            deliveries.settle(self.ledger, ids, "failed", email=entry["email"], error=error, at=self.at)
            return {**entry, "status": "failed", "error": error}
        # some of a group's addresses refused: sent to the others, the refused ones said
        error = "; ".join(f"{address} refused: {code} {reply!r}" for address, (code, reply) in refused.items())
        deliveries.settle(self.ledger, ids, "sent", email=entry["email"], error=error or None,
                          message_id=message["Message-ID"], at=self.at)
        return {**entry, "status": "sent", "error": error}


def deliver_folder(home: Home, ledger: Ledger, settings: Settings, folder: Path, day: dt.date,
                   manifest: dict | None = None, now: dt.datetime | None = None) -> list[dict]:
    """:func:`send_owed`, then ``folder``'s manifest.json (``manifest``, or as read from the file)
    rewritten whole with its ``deliveries``."""
    manifest = manifest if manifest is not None else json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["deliveries"] = send_owed(home, ledger, settings, day, reminders=manifest.get("reminders", []), now=now)
    with atomic_path(folder / "manifest.json") as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest["deliveries"]
