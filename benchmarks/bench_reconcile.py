"""Benchmark the half-year reconciliation (``osb-batch reconcile --period 2026H1``) as the documents grow.

Usage:
    python benchmarks/bench_reconcile.py [--customers 1000 2500 5000] [--docs 100] [--reps 1]
                                         [--out benchmarks/out] [--keep] [--no-profile]

The issue asked for "5,000 customers with 100 documents each; print its time and peak memory, and
keep it linear in the number of documents". For each size (customers x --docs documents each)
this builds a working folder under a temporary directory (under --out with --keep), untimed:

  1. ``osb-batch init HOME``; a customers workbook (客户主数据, the catalogue's labels as headers,
     every market and region of the default rules.toml) into inbox/, and
     ``osb-batch --home HOME run --date 2026-06-01`` to load it;
  2. the documents, inserted straight into the ledger with sqlite3 (``_reconcile_ledger.py``; this
     measures reconcile, not intake): per customer 3 % opening documents (2025), 62 % invoices (2025-12-01..2026-06-30;
     December's fall in the opening balance), 30 % receipts matched to the customer (paying its
     oldest invoices), 5 % returns against its invoices, all within the period, plus 3 % more in
     July (invoices, receipts, returns dated 2026-07-01..04 that the statements must leave out);
  3. replies (``confirmations``) from 30 % of the customers: half confirm the right closing
     balance (agreed), half a balance off by 1.00-5,000.00 (differs); 2 % of the customers (at
     least two) also list their documents: the agreeing ones every document of their statement,
     the others all but one receipt (what they confirm is then off by exactly that receipt).

It then times ``osb-batch --home HOME reconcile --period 2026H1 --date 2026-07-05 --json`` in a
fresh process through ``_peak.py``, --reps times (reconcile replaces outbox/对账-2026H1/ each
time), and checks the JSON against what was seeded: the control total ties and equals the
seeded total, every customer has a statement with the seeded closing balance, every status is as
seeded, the partial document lists explain the difference; the manifest lists one statement per
customer. Unless --no-profile, the largest size is run once more under cProfile and the osb_batch
functions with the largest cumulative time are printed. It is a script, not a test: it prints a
Markdown report (and stops with an error if a check fails).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    BRANDS,
    KAMS,
    MB,
    TRADES,
    log,
    measure,
    osb_batch_command,
    person,
    print_profile,
    profile_top,
    run_osb,
    save_results,
    write_sheet,
)
from _daily_inputs import CUSTOMER_KEYS
from _reconcile_ledger import PERIOD, money, seed_documents, split

from osb_batch import settings as settings_mod

HERE = Path(__file__).resolve().parent

SEED_DATE = "2026-06-01"       # the untimed run that loads the customers
RECONCILE_DATE = "2026-07-05"  # the timed reconcile's business date
PROFILE_TOP = 12

# The profiled run: ``osb-batch ARGS`` under cProfile in a fresh process, statements written in
# that process (PARALLEL_FROM raised), so the writer's functions are in the profile; the timed
# runs share them among forked workers, which a profile of the main process would not see.
PROFILED = r"""
import cProfile, sys
prof, args = sys.argv[1], sys.argv[2:]
profiler = cProfile.Profile()
profiler.enable()
try:
    import osb_batch.reports.reconciliation
    osb_batch.reports.reconciliation.PARALLEL_FROM = float("inf")
    from osb_batch.cli import main
    main(args, prog_name="osb-batch")
except SystemExit as done:
    rc = done.code
finally:
    profiler.disable()
    profiler.dump_stats(prof)
sys.exit(rc)
"""



def make_customers(n: int, rng: random.Random) -> list[dict]:
    """n customers over every market and region of the default rules.toml, every field filled."""
    settings = settings_mod.load(None)
    regions = [(m.zh, r) for m in settings.markets for r in m.regions]
    names: set[str] = set()
    ums = {mr: person(rng, names) for mr in regions}
    kams = KAMS + [person(rng, names) for _ in range(max(0, min(150, n // 30) - len(KAMS)))]
    customers = []
    for i in range(n):
        market, region = regions[i % len(regions)]
        assert settings.region_known(market, region), (market, region)
        customers.append({
            "customer_code": f"C{i + 1:05d}",
            "customer_name": f"{region}{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司{i + 1:04d}",
            "market": market, "region": region, "account_manager": kams[i % len(kams)],
            "unit_manager": ums[(market, region)], "credit_limit": rng.randrange(50, 2001) * 1000,
            "payment_term_days": rng.choice([0, 15, 30, 45, 60]), "prepaid": "否",
            "credit_grade": rng.choice("ABCD"),
            "shipping_station": f"{region}{rng.choice(['东站', '西站', '南站', '北站', '物流园'])}托运站",
            "contact": person(rng, set()), "phone": f"1{rng.randrange(3, 10)}{rng.randrange(10**8, 10**9)}",
            "address": f"{region}{rng.choice(['人民路', '解放路', '建设路', '中山路', '和平路'])}"
                       f"{rng.randrange(1, 999)}号",
        })
    return customers


def seed_customers(home: Path, customers: list[dict]) -> float:
    """init, the customers workbook into inbox/, the untimed run; returns its seconds."""
    t0 = time.perf_counter()
    run_osb(home, "init", str(home))
    write_sheet(home / "inbox" / "客户主数据.xlsx", "customers", CUSTOMER_KEYS, customers)
    run_osb(home, "run", "--date", SEED_DATE)
    con = sqlite3.connect(f"file:{home / 'state' / 'ledger.sqlite'}?mode=ro", uri=True)
    try:
        n = con.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
    finally:
        con.close()
    if n != len(customers):
        raise RuntimeError(f"after the seeding run the ledger holds {n} customers, not {len(customers)}")
    left = [p for p in (home / "inbox").rglob("*") if p.is_file() and not p.name.startswith(".")]
    if left:
        raise RuntimeError(f"the seeding run left files in inbox/ (reconcile would run a day first): {left}")
    return time.perf_counter() - t0



def check(result: dict, seeded: dict, home: Path) -> dict:
    """Compare reconcile's JSON and manifest with what was seeded; raise on any difference."""
    problems = []
    control = result["control"]
    expected_total = money(sum(seeded["closing"].values()))
    if not control["ok"] or control["ledger_total"] != control["statements_total"]:
        problems.append(f"control total: {control}")
    if control["ledger_total"] != expected_total:
        problems.append(f"ledger total {control['ledger_total']}, seeded {expected_total}")
    got = {c["customer_code"]: c for c in result["customers"]}
    if len(result["customers"]) != len(seeded["closing"]) or set(got) != set(seeded["closing"]):
        problems.append(f"{len(result['customers'])} customers in the JSON, {len(seeded['closing'])} seeded")
    wrong_closing = [code for code, cents in seeded["closing"].items()
                     if code in got and got[code]["closing"] != money(cents)]
    if wrong_closing:
        problems.append(f"{len(wrong_closing)} closing balances differ from the seeded ones, e.g. "
                        f"{wrong_closing[:3]}")
    wrong_status = [(code, got[code]["status"], want) for code, want in seeded["status"].items()
                    if code in got and got[code]["status"] != want]
    if wrong_status:
        problems.append(f"{len(wrong_status)} statuses differ from the seeded ones, e.g. {wrong_status[:3]}")
    for code, ref in seeded["omitted"].items():
        c = got.get(code, {})
        if c.get("unmatched_ours") != [ref] or c.get("unexplained") != "0.00" or c.get("unmatched_theirs"):
            problems.append(f"{code}: expected only {ref} unmatched and nothing unexplained, got "
                            f"{ {k: c.get(k) for k in ('unmatched_ours', 'unmatched_theirs', 'unexplained')} }")
    folder = home / "outbox" / f"对账-{PERIOD}"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    statements = sum(1 for o in manifest["outputs"] if o["form"] == "statements")
    if statements != len(seeded["closing"]):
        problems.append(f"{statements} statements in the manifest, {len(seeded['closing'])} customers")
    if problems:
        raise RuntimeError("reconcile's result does not match the seeded ledger:\n  " + "\n  ".join(problems))
    files = [p for p in folder.iterdir() if p.is_file()]
    return {"statements": statements, "counts": result["counts"], "ledger_total": control["ledger_total"],
            "outbox_files": len(files), "outbox_mb": round(sum(p.stat().st_size for p in files) / MB, 1)}


# ----------------------------------------------------------------------------------------------
# Measurement


def bench_size(n: int, docs: int, out: Path, reps: int, work: Path, profile: bool) -> dict:
    tag = f"{n}x{docs}"
    home = work / f"reconcile-{tag}"
    if home.exists():
        shutil.rmtree(home)
    log(f"{n:,} customers x {docs} documents: seeding {home} ...")
    customers = make_customers(n, random.Random(n))
    seed_s = seed_customers(home, customers)
    seeded = seed_documents(home, customers, docs, seed=n * 1000 + docs)
    counts = seeded["counts"]
    ledger_mb = (home / "state" / "ledger.sqlite").stat().st_size / MB
    log(f"  {n:,} customers loaded (init + run {seed_s:.1f} s), {counts['documents']:,} documents "
        f"({counts['july']:,} in July) and {counts['replies']:,} replies inserted ({counts['seed_s']:.1f} s); "
        f"ledger {ledger_mb:.0f} MB; not timed")

    cmd = osb_batch_command() + ["--home", str(home), "reconcile", "--period", PERIOD,
                                 "--date", RECONCILE_DATE, "--json"]
    stdout_path = out / f"reconcile-{tag}.json"
    runs, checked = [], None
    for i in range(reps):
        r = measure(cmd, stdout_path)
        log(f"  reconcile {i + 1}/{reps}: {r['wall_s']:.2f} s, peak {r['maxrss_kb'] / 1024:.0f} MB")
        checked = check(json.loads(stdout_path.read_text(encoding="utf-8")), seeded, home)
        runs.append(r)
    log(f"  checked: control total {checked['ledger_total']} ties, {checked['statements']:,} statements, "
        f"statuses {checked['counts']}")
    result = {"customers": n, "docs_per_customer": docs, "seeded": counts, "seed_customers_s": round(seed_s, 1),
              "ledger_mb": round(ledger_mb, 1), "check": checked,
              "reconcile": {"median_s": statistics.median(r["wall_s"] for r in runs),
                            "peak_mb": max(r["maxrss_kb"] for r in runs) / 1024, "runs": runs}}
    if profile:
        prof = out / f"reconcile-{tag}.prof"
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", PROFILED, str(prof), *cmd[len(osb_batch_command()):]],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        seconds = time.perf_counter() - t0
        if proc.returncode != 0:
            log(f"  profiled reconcile exited {proc.returncode}: {proc.stderr[-2000:]}")
        else:
            log(f"  profiled reconcile: {seconds:.1f} s -> {prof}")
            result["profile"] = {"file": str(prof), "wall_s": round(seconds, 2),
                                 "top": profile_top(prof, PROFILE_TOP)}
    return result


# ----------------------------------------------------------------------------------------------
# Report


def per_doc_us(r: dict) -> float:
    return r["reconcile"]["median_s"] * 1e6 / r["seeded"]["documents"]


def fit(results: list[dict]) -> tuple[float, float] | None:
    """Least squares wall = a + b x documents over the sizes: (a seconds, b µs per document)."""
    xs = [r["seeded"]["documents"] for r in results]
    ys = [r["reconcile"]["median_s"] for r in results]
    if len(set(xs)) < 2:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return my - b * mx, b * 1e6


def print_report(results: list[dict], reps: int) -> None:
    print(f"Machine: {os.cpu_count()} CPUs, {platform.platform()}, "
          f"Python {platform.python_version()} ({platform.machine()})")
    print(f"Each figure: median wall time / max peak RSS of {reps} run{'s' if reps > 1 else ''}, each in a "
          f"fresh process (peak = the largest single process: statements are written by up to "
          f"min(CPUs, 8) forked workers). MB = MiB.")
    print(f"Timed: `osb-batch reconcile --period {PERIOD} --date {RECONCILE_DATE} --json` on a ledger seeded "
          f"with the customers (untimed run of {SEED_DATE}) and their documents inserted with sqlite3.")
    print()
    cols = ["customers", "documents", "statements written", "wall s", "peak MB", "ms per customer",
            "µs per document"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("---:" for _ in cols) + "|")
    for r in results:
        rec = r["reconcile"]
        print("| " + " | ".join([f"{r['customers']:,}", f"{r['seeded']['documents']:,}",
                                 f"{r['check']['statements']:,}", f"{rec['median_s']:.2f}", f"{rec['peak_mb']:.0f}",
                                 f"{rec['median_s'] * 1000 / r['customers']:.2f}", f"{per_doc_us(r):.1f}"]) + " |")
    print()
    if len(results) > 1:
        small = min(results, key=lambda r: r["seeded"]["documents"])
        large = max(results, key=lambda r: r["seeded"]["documents"])
        print(f"Linearity: µs per document {per_doc_us(small):.1f} at {small['seeded']['documents']:,} documents, "
              f"{per_doc_us(large):.1f} at {large['seeded']['documents']:,}: ratio largest / smallest "
              f"{per_doc_us(large) / per_doc_us(small):.2f} (1.00 = linear; start-up and imports make the "
              f"smallest size's figure a little higher).")
        line = fit(results)
        if line:
            print(f"Least-squares fit over the sizes: wall ≈ {line[0]:.2f} s + {line[1]:.1f} µs × documents.")
        print()
    for r in results:
        s, c = r["seeded"], r["check"]
        print(f"- {r['customers']:,} customers × {r['docs_per_customer']}: {s['opening']:,} opening documents, "
              f"{s['invoices']:,} invoices, {s['receipts']:,} receipts, {s['returns']:,} returns, "
              f"and {s['july']:,} July documents left out; {s['replies']:,} replies ({s['doc_lists']} with "
              f"{s['their_docs']:,} documents listed). Result: "
              + ", ".join(f"{k} {v:,}" for k, v in c["counts"].items())
              + f", as seeded; control total {c['ledger_total']} ties. Ledger {r['ledger_mb']:.0f} MB; "
              f"outbox/对账-{PERIOD}/ {c['outbox_files']:,} files, {c['outbox_mb']:.0f} MB.")
    for r in results:
        prof = r.get("profile")
        if not prof:
            continue
        print()
        print(f"Where the time goes at {r['customers']:,} customers (one more run under cProfile, "
              f"{prof['wall_s']:.1f} s with the profiler; {prof['file']}), top osb_batch functions by "
              f"cumulative time. That run writes every statement in its one process (the timed runs share "
              f"them among worker processes), so the times add up to a serial run's.")
        print()
        print_profile(prof["top"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--customers", nargs="+", type=int, default=[1000, 2500, 5000],
                    help="customers per size (default: 1000 2500 5000; quick: --customers 200 --docs 50)")
    ap.add_argument("--docs", type=int, default=100, help="documents per customer in the ledger, "
                    "before the 3 %% more dated in July (default: 100)")
    ap.add_argument("--reps", type=int, default=1, help="timed reconciles per size (default: 1)")
    ap.add_argument("--out", type=Path, default=HERE / "out",
                    help="where the JSON outputs, profiles and results go (default: benchmarks/out)")
    ap.add_argument("--keep", action="store_true",
                    help="build the working folders in --out (reconcile-NxD/) and keep them, "
                         "instead of a temporary directory")
    ap.add_argument("--no-profile", dest="profile", action="store_false",
                    help="skip the extra run of the largest size under cProfile")
    args = ap.parse_args(argv)
    split(args.docs)                         # refuse too few documents before seeding anything

    args.out.mkdir(parents=True, exist_ok=True)
    largest = max(args.customers)
    with tempfile.TemporaryDirectory(prefix="osb-bench-reconcile-") as tmp:
        work = args.out if args.keep else Path(tmp)
        results = []
        for n in args.customers:
            results.append(bench_size(n, args.docs, args.out, args.reps, work, args.profile and n == largest))
            if not args.keep:
                shutil.rmtree(work / f"reconcile-{n}x{args.docs}", ignore_errors=True)
    save_results(args.out, "reconcile-results", results)
    print_report(results, args.reps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
