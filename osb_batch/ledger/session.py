"""Which ledger a working folder uses, and the run that holds it.

A working folder's ledger is ``state/ledger.sqlite`` unless the environment variable
``OSB_LEDGER_URL`` (which wins) or rules.toml ``[ledger] url`` names a PostgreSQL database
shared with other working folders. One run at a time per ledger: ``state/run.lock`` for the
SQLite file, a session advisory lock on the database for PostgreSQL, so that a run started in
another working folder, on another machine, is refused at once and told who runs.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from osb_batch.workspace import Home, RunBusy, holding_lock

from . import postgres
from .database import Ledger

#: the environment variable naming a shared ledger; it wins over rules.toml
ENV = "OSB_LEDGER_URL"


def target(home: Home, settings: object | None = None) -> Path | str:
    """The ledger of ``home``: a PostgreSQL URL, or the path of its SQLite file."""
    url = os.environ.get(ENV) or (settings.ledger.url if settings is not None else "")
    return url or home.ledger_path


def read_only(home: Home, settings: object | None = None) -> Ledger | None:
    """The working folder's ledger opened read only, or None when there is none yet (no SQLite
    file, or a database no run has written the schema into)."""
    where = target(home, settings)
    if not postgres.is_url(where) and not Path(where).exists():
        return None
    ledger = Ledger.open(where, readonly=True)
    if ledger.engine == "postgresql" and ledger.schema_version == 0:
        ledger.close()
        return None
    return ledger


def open_ledger(home: Home, settings: object | None = None, *, readonly: bool = False) -> Ledger:
    """The working folder's ledger, opened (and migrated unless ``readonly``)."""
    return Ledger.open(target(home, settings), readonly=readonly)


@contextmanager
def locked(home: Home, settings: object | None, who: str) -> Iterator[Ledger]:
    """The working folder's ledger, held for one run: raise :class:`RunBusy` at once when
    another run holds it; roll back what the block left uncommitted and close it after."""
    where = target(home, settings)
    shared = postgres.is_url(where)
    with nullcontext() if shared else holding_lock(home, who):
        ledger = Ledger.open(where)
        try:
            if shared:
                holder = postgres.take_run_lock(ledger.conn, host=socket.gethostname(), folder=str(home.root), who=who)
                if holder is not None:
                    raise RunBusy(holder)
            yield ledger
        finally:
            ledger.rollback()
            ledger.close()
