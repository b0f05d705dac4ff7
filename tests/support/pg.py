"""A throwaway PostgreSQL server for the tests, and a fresh ledger database on it per test.

``OSB_TEST_PG_URL`` names a server to use (a URL whose user may create databases); else the
session starts its own from the installed PostgreSQL (``initdb`` and ``pg_ctl`` as the ``postgres``
user when the tests run as root, as CI does) on a free port of 127.0.0.1, with trust
authentication, and removes it at the end. Every database is a copy of one migrated template, so
a fresh ledger costs one ``CREATE DATABASE``.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

TEMPLATE = "osb_template"


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def available() -> bool:
    """Whether a server is given or one can be started here."""
    return bool(os.environ.get("OSB_TEST_PG_URL")) or _bin("initdb") is not None


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A PostgreSQL server the tests may create databases on."""

    def __init__(self) -> None:
        self.data: Path | None = None
        given = os.environ.get("OSB_TEST_PG_URL")
        self.admin = given or self._start()
        self.numbers = itertools.count(1)
        self._template()

    def _start(self) -> str:
        root = Path(tempfile.mkdtemp(prefix="osb-pg-"))
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
        self.data = root / "data"
        subprocess.run(_as_postgres([_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                                     "--no-locale", "-E", "UTF8"]), check=True, capture_output=True, cwd=root)
        port = _free_port()
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c max_connections=300"
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(self.data), "-l", str(root / "log"), "-o", options,
                                     "-w", "start"]), check=True, capture_output=True, cwd=root)
        return f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def url(self, database: str) -> str:
        """The URL of ``database`` on this server."""
        parts = urlsplit(self.admin)
        return urlunsplit(parts._replace(path=f"/{database}"))

    def sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(statement)

    def _template(self) -> None:
        from osb_batch.ledger.database import Ledger

        self.sql(f"DROP DATABASE IF EXISTS {TEMPLATE}")
        self.sql(f"CREATE DATABASE {TEMPLATE}")
        Ledger.open(self.url(TEMPLATE)).close()

    def fresh(self, *, empty: bool = False) -> str:
        """The URL of a new database: a migrated ledger, or (``empty``) nothing in it at all."""
        name = f"osb_{os.getpid()}_{next(self.numbers)}"
        self.sql(f"CREATE DATABASE {name}" + ("" if empty else f" TEMPLATE {TEMPLATE}"))
        return self.url(name)

    def clone(self, url: str) -> str:
        """The URL of a new database holding a copy of the database at ``url`` (nobody connected to it)."""
        name = f"osb_{os.getpid()}_{next(self.numbers)}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE {urlsplit(url).path.lstrip('/')}")
        return self.url(name)

    def stop(self) -> None:
        if self.data is not None:
            subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
                           capture_output=True, cwd=self.data.parent)
            shutil.rmtree(self.data.parent, ignore_errors=True)
