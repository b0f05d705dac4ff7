"""``收件人/<name>/`` in a run, report or reconciliation folder: exactly that person's files.

Laid out inside the hidden partial folder before it is renamed into place, so a crash leaves no
half-made person folder; each file is a hard link to the folder's own copy, or a copy where the
file system has no hard links.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from osb_batch.ledger import deliveries
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.roster import roster_on
from osb_batch.rules.recipients import Receivers, by_person
from osb_batch.settings import Settings
from osb_batch.writers.common import safe_name

from .people import receivers_of

FOLDER = "收件人"


def lay_out(folder: Path, entries: Sequence[Mapping], receivers: Receivers) -> dict[str, list[Mapping]]:
    """Link each entry's file (in ``folder``, by its name) into ``folder/收件人/<name>/`` of every
    person it is for; each person's entries."""
    mine = by_person(entries, receivers)
    for person, own in mine.items():
        target = folder / FOLDER / safe_name(person)
        target.mkdir(parents=True, exist_ok=True)
        for entry in own:
            name = Path(entry["file"]).name
            _link(folder / name, target / name)
    return mine


def _link(source: Path, target: Path) -> None:
    if target.exists():
        target.unlink()
    try:
        os.link(source, target)
    except OSError:                      # no hard links here (another device, FAT, some shares)
        shutil.copy2(source, target)


def prepare(ledger: Ledger, settings: Settings, folder: Path, final: str, entries: Sequence[Mapping],
            day: dt.date, now: dt.datetime) -> dict[str, list[Mapping]]:
    """Lay out the person folders of ``folder`` (to be renamed to ``final``, relative to the
    working folder); with mail configured, queue each person's files in the ledger, inside the
    caller's transaction, so that a folder swapped in always has its sendings owed."""
    people = roster_on(ledger, day) if ledger is not None else []       # None: a report made without a ledger
    mine = lay_out(folder, entries, receivers_of(settings, people))
    if settings.mail.host and ledger is not None:
        for person, own in mine.items():
            deliveries.queue(ledger, person, own, final, now.isoformat(timespec="seconds"))
    return mine
