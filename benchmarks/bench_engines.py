"""The daily run and the reconciliation with the ledger on SQLite and on PostgreSQL, side by side.

Usage:
    python benchmarks/bench_engines.py --server postgresql://postgres@127.0.0.1:5432/postgres
                                       [--lines 100000] [--customers 5000] [--docs 100] [--reps 1]

``--server`` names a PostgreSQL server whose user may create databases (a throwaway one:
``initdb`` + ``pg_ctl``, see .ci/run). Each case is seeded once on SQLite exactly as
``bench_daily.py`` / ``bench_reconcile.py`` seed it (untimed), moved into a PostgreSQL database
with ``osb-batch ledger copy`` (untimed; it proves the copy), and then timed, each repetition in a
fresh process on a fresh copy of the seeded folder (and, on PostgreSQL, a fresh ``CREATE
DATABASE ... TEMPLATE`` of the seeded database):

  - daily: ``osb-batch run`` of one orders workbook of --lines lines (5,000 customers, 500
    products in the ledger; ``_daily_inputs.py``);
  - reconcile: ``osb-batch reconcile --period 2026H1`` of --customers customers with --docs
    documents each (``_reconcile_ledger.py``).

It is a script, not a test: it prints a Markdown table of median wall seconds and the ratio
PostgreSQL / SQLite (target: within 1.5).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _common import HERE, log, measure, osb_batch_command
from _daily_inputs import RUN_DATE, ensure_inputs
from _reconcile_ledger import PERIOD, seed_documents
from bench_daily import seed_home
from bench_reconcile import RECONCILE_DATE, make_customers, seed_customers

NAMES = itertools.count(1)


def database(server: str, name: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def sql(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(statement)


def moved_to_postgresql(server: str, home: Path) -> str:
    """The URL of a new database holding ``home``'s SQLite ledger (``osb-batch ledger copy``)."""
    name = f"osb_bench_{os.getpid()}_{next(NAMES)}"
    sql(server, f"CREATE DATABASE {name}")
    url = database(server, name)
    subprocess.run([*osb_batch_command(), "--home", str(home), "ledger", "copy", "--to", url],
                   check=True, capture_output=True)
    return url


def timed(label: str, reps: int, seeded: Path, work: Path, server: str, pg_template: str | None, args: list[str],
          prepare=None) -> float:
    """Median wall seconds of ``osb-batch ARGS`` on fresh copies of ``seeded`` (on PostgreSQL when
    ``pg_template`` names the seeded database)."""
    times = []
    for i in range(reps):
        home = work / f"{label}-{i}"
        if home.exists():
            shutil.rmtree(home)
        shutil.copytree(seeded, home, symlinks=True)
        if prepare:
            prepare(home)
        os.environ.pop("OSB_LEDGER_URL", None)
        if pg_template:
            name = f"osb_bench_{os.getpid()}_{next(NAMES)}"
            sql(server, f"CREATE DATABASE {name} TEMPLATE {urlsplit(pg_template).path[1:]}")
            os.environ["OSB_LEDGER_URL"] = database(server, name)
        try:
            r = measure([*osb_batch_command(), "--home", str(home), *args], work / f"{label}-{i}.out")
        finally:
            os.environ.pop("OSB_LEDGER_URL", None)
        log(f"  {label} {i + 1}/{reps}: {r['wall_s']:.2f} s, peak {r['maxrss_kb'] / 1024:.0f} MB")
        times.append(r["wall_s"])
        shutil.rmtree(home)
    return statistics.median(times)


def daily(server: str, lines: int, reps: int, out: Path, work: Path) -> dict:
    paths, meta = ensure_inputs(out, lines, False)
    seeded = work / "daily-seeded"
    seed_home(seeded, paths)
    pg = moved_to_postgresql(server, seeded)
    args = ["run", "--date", RUN_DATE]

    def drop(home: Path) -> None:
        shutil.copy(paths["orders"], home / "inbox" / f"订单-{RUN_DATE.replace('-', '')}.xlsx")
    return {"case": f"daily run, {lines:,} order lines", "sqlite": timed("daily-sqlite", reps, seeded, work, server,
                                                                          None, args, drop),
            "postgresql": timed("daily-pg", reps, seeded, work, server, pg, args, drop)}


def reconcile(server: str, customers: int, docs: int, reps: int, work: Path) -> dict:
    seeded = work / "reconcile-seeded"
    people = make_customers(customers, random.Random(customers))
    seed_customers(seeded, people)
    counts = seed_documents(seeded, people, docs, seed=customers * 1000 + docs)["counts"]
    pg = moved_to_postgresql(server, seeded)
    args = ["reconcile", "--period", PERIOD, "--date", RECONCILE_DATE, "--json"]
    return {"case": f"reconcile, {customers:,} customers, {counts['documents']:,} documents",
            "sqlite": timed("reconcile-sqlite", reps, seeded, work, server, None, args),
            "postgresql": timed("reconcile-pg", reps, seeded, work, server, pg, args)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", required=True, help="a PostgreSQL server URL whose user may create databases")
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--customers", type=int, default=5000)
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--only", choices=("daily", "reconcile"))
    ap.add_argument("--out", type=Path, default=HERE / "out")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="osb-bench-engines-") as tmp:
        if args.only in (None, "daily"):
            results.append(daily(args.server, args.lines, args.reps, args.out, Path(tmp)))
        if args.only in (None, "reconcile"):
            results.append(reconcile(args.server, args.customers, args.docs, args.reps, Path(tmp)))
    print("| case | SQLite s | PostgreSQL s | ratio |\n|---|---:|---:|---:|")
    for r in results:
        print(f"| {r['case']} | {r['sqlite']:.2f} | {r['postgresql']:.2f} | {r['postgresql'] / r['sqlite']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
