"""Shared test helpers: workbooks written the way staff write them, and the CLI."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from osb_batch.cli import main
from osb_batch.demo.staff_workbook import form_header, staff_workbook

from .support.golden import GOLDEN

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("OSB_SHARED", REPO.parent / "shared"))
REALWORLD = SHARED / "realworld"
LO_CHECK = SHARED / "tools" / "lo_check.py"


def assert_list_layout(ws, n_cols: int, n_rows: int, *, header_row: int) -> None:
    """A list sheet as the writers make it: frozen and filtered header (1-based ``header_row``),
    landscape A4, the header repeated on every printed page."""
    last = openpyxl.utils.get_column_letter(n_cols)
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref == f"A{header_row}:{last}{header_row + n_rows}"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows.replace("$", "") == f"{header_row}:{header_row}"


def lo_check_failures(paths, workers: int = 2) -> list[str]:
    """Run ../shared/tools/lo_check.py --pdf on every workbook, a few at a time (each LibreOffice
    has its own profile); return "name + output" of each that did not pass."""
    from concurrent.futures import ThreadPoolExecutor

    def check(path):
        proc = subprocess.run([sys.executable, str(LO_CHECK), str(path), "--pdf"], capture_output=True, text=True,
                              timeout=300)
        output = proc.stdout + proc.stderr
        return None if proc.returncode == 0 and "RESULT PASS" in output else f"{Path(path).name}\n{output}"

    with ThreadPoolExecutor(workers) as pool:
        return [f for f in pool.map(check, list(paths)) if f]


def write_xlsx(path: Path, rows: list[list], *, sheet: str = "Sheet1", title: str | None = None,
               notes: list[str] = (), formats: dict[str, str] | None = None) -> Path:
    """A workbook as staff make it (:func:`osb_batch.demo.staff_workbook.staff_workbook`): optional
    merged title row and note rows above the header ``rows[0]``; ``formats`` maps cell references
    to number formats."""
    wb = staff_workbook(rows[0] if rows else [], rows[1:], sheet=sheet, title=title or "", notes=notes)
    for ref, fmt in (formats or {}).items():
        wb.active[ref].number_format = fmt
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


CUSTOMER_KEYS = ["customer_code", "customer_name", "market", "region", "account_manager", "unit_manager",
                 "credit_limit", "payment_term_days", "prepaid"]
CUSTOMER_HEADER = form_header("customers", CUSTOMER_KEYS)[1]


def customer_rows(n: int = 3, start: int = 1) -> list[list]:
    markets = [("华东", "上海"), ("华北", "北京"), ("华南", "广东"), ("西南", "四川")]
    rows = []
    for i in range(start, start + n):
        market, region = markets[i % len(markets)]
        rows.append([f"C{i:03d}", f"测试客户{i}有限公司", market, region, "王经理", f"区域经理{i % 2}",
                     "500,000.00", "30", "否"])
    return rows


#: under --ledger=postgresql: how to make a fresh ledger database (for folders made outside a test)
FRESH_LEDGER: list[Callable[[], str]] = []
#: under --ledger=postgresql: how to copy a ledger database (for a copy of a working folder)
CLONE_LEDGER: list[Callable[[str], str]] = []


class Osb:
    """Runs the CLI against one working folder, on the ledger the environment named when it was
    made (``url``: OSB_LEDGER_URL then, None for the folder's SQLite file), even from a fixture
    that outlives the test that made it."""

    made: dict[Path, Osb] = {}            # by working folder, for copy_of

    def __init__(self, home: Path):
        self.home = home
        self.url = os.environ.get("OSB_LEDGER_URL") or (FRESH_LEDGER[0]() if FRESH_LEDGER else None)
        Osb.made[Path(home)] = self

    def __call__(self, *args: str, expect: int | None = 0) -> object:
        result = CliRunner().invoke(main, ["--home", str(self.home), *args], catch_exceptions=False,
                                    env={"OSB_LEDGER_URL": self.url})
        if expect is not None:
            assert result.exit_code == expect, result.output
        return result

    def run(self, date: str = "2026-11-26", expect: int | None = 0) -> dict:
        result = self("run", "--date", date, "--json", expect=expect)
        return json.loads(result.output)

    def subprocess(self, *args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
        mine = {k: v for k, v in os.environ.items() if k != "OSB_LEDGER_URL"}
        if self.url:
            mine["OSB_LEDGER_URL"] = self.url
        return subprocess.run([sys.executable, "-m", "osb_batch", "--home", str(self.home), *args],
                              capture_output=True, text=True, env={**mine, **(env or {})}, **kwargs)

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    def ledger(self):
        """A connection to the folder's ledger (``?`` placeholders on either engine)."""
        if self.url:
            from osb_batch.ledger.postgres import PgConnection
            return PgConnection(self.url)
        import sqlite3
        return sqlite3.connect(self.home / "state" / "ledger.sqlite")

    def open_ledger(self, *, readonly: bool = False):
        """The folder's :class:`~osb_batch.ledger.database.Ledger`, on the engine the tests run on."""
        from osb_batch.ledger.database import Ledger
        return Ledger.open(self.url or self.home / "state" / "ledger.sqlite", readonly=readonly)


@pytest.fixture
def osb(tmp_path: Path) -> Osb:
    runner = Osb(tmp_path / "work")
    runner("init", str(runner.home))
    return runner


#: The demo week the e2e tests read: Thursday 26 November to Monday 30 November 2026, in Chinese.
DEMO_WEEK = ("--lang", "zh", "demo", "--days", "5", "--date", "2026-11-26")


@pytest.fixture(scope="session")
def demo_week(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``osb-batch demo --days 5 --date 2026-11-26``, run once for the whole session: (its working
    folder, what it printed). Only read it: a test that runs a command there works on
    :func:`copy_of` it."""
    osb = Osb(tmp_path_factory.mktemp("demo-week") / "work")
    return osb.home, osb(*DEMO_WEEK).output


def copy_of(home: Path, to: Path) -> Osb:
    """The CLI on a copy of the working folder ``home`` made at ``to`` (which must not exist yet)."""
    source = Osb.made.get(Path(home))
    shutil.copytree(home, to)
    copy = Osb(to)
    if source is not None and source.url:          # PostgreSQL: the folder's ledger is not in the folder
        copy.url = CLONE_LEDGER[0](source.url)
    return copy


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from this run's dumps instead of comparing with them")
    parser.addoption("--ledger", choices=("sqlite", "postgresql"),
                     default="postgresql" if os.environ.get("OSB_TEST_PG") == "1" else "sqlite",
                     help="the engine of the working folders' ledgers (OSB_TEST_PG=1: postgresql); on "
                          "postgresql each test gets a fresh database (OSB_TEST_PG_URL, else a throwaway server)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: needs a PostgreSQL server (a throwaway one is started)")


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server to create ledgers on (tests/support/pg.py); skips the test without one."""
    from .support import pg
    if not pg.available():
        pytest.skip("no PostgreSQL here: install it or set OSB_TEST_PG_URL")
    server = pg.Server()
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def _ledger_databases(request: pytest.FixtureRequest):
    """Under ``--ledger=postgresql``, a working folder made by a module's fixture (before any test's
    OSB_LEDGER_URL is set) gets a fresh database of its own too."""
    if request.config.getoption("--ledger") == "postgresql":
        FRESH_LEDGER.append(request.getfixturevalue("pg_server").fresh)
        CLONE_LEDGER.append(request.getfixturevalue("pg_server").clone)
    yield
    FRESH_LEDGER.clear()
    CLONE_LEDGER.clear()


@pytest.fixture(autouse=True)
def _ledger_engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under ``--ledger=postgresql`` every working folder of the test shares a fresh database
    (OSB_LEDGER_URL); else none inherits a URL from the environment."""
    if request.config.getoption("--ledger") == "postgresql":
        monkeypatch.setenv("OSB_LEDGER_URL", request.getfixturevalue("pg_server").fresh())
    else:
        monkeypatch.delenv("OSB_LEDGER_URL", raising=False)


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """``golden(name, dump)`` compares ``dump`` with ``tests/golden/<name>.txt`` and fails with a
    unified diff; under ``--update-golden`` it writes the file instead."""
    update = request.config.getoption("--update-golden")

    def compare(name: str, dump: str) -> None:
        path = GOLDEN / f"{name}.txt"
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dump, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"no golden file {path.relative_to(REPO)}: run pytest with --update-golden to write it")
        expected = path.read_text(encoding="utf-8")
        if dump != expected:
            diff = difflib.unified_diff(expected.splitlines(keepends=True), dump.splitlines(keepends=True),
                                        f"golden/{name}.txt", "this run")
            pytest.fail(f"{name} differs from its golden file:\n{''.join(diff)}", pytrace=False)

    return compare
