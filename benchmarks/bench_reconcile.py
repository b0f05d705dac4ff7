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
  2. the documents, inserted straight into the ledger with sqlite3 (this measures reconcile, not
     intake): per customer 3 % opening documents (2025), 62 % invoices (2025-12-01..2026-06-30;
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
import datetime as dt
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
from bench_daily import CUSTOMER_KEYS

from osb_batch import settings as settings_mod

HERE = Path(__file__).resolve().parent

PERIOD = "2026H1"
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
SEED_DATE = "2026-06-01"       # the untimed run that loads the customers
RECONCILE_DATE = "2026-07-05"  # the timed reconcile's business date
FIRST_INVOICE = dt.date(2025, 12, 1)
JULY = (dt.date(2026, 7, 1), dt.date(2026, 7, 4))

# Shares of a customer's documents (the rest are invoices); JULY_SHARE more are dated in July.
OPENING_SHARE, RECEIPT_SHARE, RETURN_SHARE, JULY_SHARE = 0.03, 0.30, 0.05, 0.03
REPLY_SHARE = 0.30             # customers that reply; half agree, half confirm a wrong balance
DOCLIST_SHARE = 0.02           # customers whose reply lists their documents
BATCH = 250                    # customers per executemany batch

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


def money(cents: int) -> str:
    """Cents as the ledger's canonical decimal text: 123456 -> '1234.56'."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def split(docs: int) -> dict[str, int]:
    """How many documents of each kind one customer gets (period and opening), and July's extra."""
    opening = max(1, round(docs * OPENING_SHARE))
    receipts = round(docs * RECEIPT_SHARE)
    returns = round(docs * RETURN_SHARE)
    invoices = docs - opening - receipts - returns
    if invoices < 1 or receipts > invoices:
        raise SystemExit(f"--docs {docs} is too few documents per customer (at least 10)")
    return {"opening": opening, "invoices": invoices, "receipts": receipts, "returns": returns,
            "july": max(1, round(docs * JULY_SHARE))}


# ----------------------------------------------------------------------------------------------
# The working folder


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


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


class Seeder:
    """Inserts every customer's documents and replies; keeps what the reconciliation must report."""

    def __init__(self, con: sqlite3.Connection, run_id: int, docs: int, rng: random.Random):
        self.con, self.run_id, self.rng, self.plan = con, run_id, rng, split(docs)
        self.seq = {"FP": 0, "BK": 0, "TH": 0}
        self.rows: dict[str, list[tuple]] = {k: [] for k in
                                             ("opening", "invoices", "receipts", "returns", "confirmations", "docs")}
        self.closing: dict[str, int] = {}        # customer -> closing balance at END, in cents
        self.status: dict[str, str] = {}         # customer -> status the reply must give
        self.omitted: dict[str, str] = {}        # customer -> the receipt its document list leaves out
        self.counts = {"opening": 0, "invoices": 0, "receipts": 0, "returns": 0, "july": 0,
                       "replies": 0, "doc_lists": 0, "their_docs": 0}

    def number(self, prefix: str) -> str:
        self.seq[prefix] += 1
        return f"{prefix}{self.seq[prefix]:08d}"

    def customer(self, c: dict, reply: str | None, doc_list: bool) -> None:
        """Documents of one customer; ``reply`` None, "agreed" or "differs"."""
        rng, plan, run, code = self.rng, self.plan, self.run_id, c["customer_code"]
        period: list[tuple[str, str, dt.date, int]] = []      # (kind, number, date, signed cents)
        opening = 0
        for k in range(plan["opening"]):
            day = _day(rng, dt.date(2025, 6, 1), dt.date(2025, 11, 30))
            cents = rng.randint(1_000_00, 50_000_00)
            self.rows["opening"].append((code, f"QC-{code}-{k + 1}", day.isoformat(),
                                         (day + dt.timedelta(days=30)).isoformat(), money(cents), None))
            opening += cents
        invoices = sorted((_day(rng, FIRST_INVOICE, END), rng.randint(500_00, 80_000_00))
                          for _ in range(plan["invoices"]))
        numbered = []
        for day, cents in invoices:
            no = self.number("FP")
            self.rows["invoices"].append((no, "SH" + no[2:], code, day.isoformat(), money(cents), None, run))
            numbered.append((no, day, cents))
            period.append(("invoice", no, day, cents))
        for no, day, cents in numbered[:plan["receipts"]]:           # the oldest invoices get paid
            paid = min(day + dt.timedelta(days=rng.randint(7, 45)), END)
            ref = self.number("BK")
            self.receipt(c, ref, paid, cents, no)
            period.append(("receipt", ref, paid, -cents))
        late = [x for x in numbered if x[1] <= END - dt.timedelta(days=10)] or numbered
        for _ in range(plan["returns"]):
            no, day, cents = rng.choice(late)
            back = max(1, cents * rng.randint(5, 20) // 100)
            ret = self.number("TH")
            when = max(day + dt.timedelta(days=rng.randint(1, 10)), START)
            self.ret(code, ret, no, when, back)
            period.append(("return", ret, when, -back))
        for k in range(plan["july"]):                                # after the period end: left out
            day = _day(rng, *JULY)
            cents = rng.randint(500_00, 80_000_00)
            if k % 3 == 0:
                no = self.number("FP")
                self.rows["invoices"].append((no, "SH" + no[2:], code, day.isoformat(), money(cents), None, run))
            elif k % 3 == 1:
                self.receipt(c, self.number("BK"), day, cents, numbered[-1][0])
            else:
                self.ret(code, self.number("TH"), numbered[-1][0], day, cents // 10)
        opening += sum(p[3] for p in period if p[2] < START)          # December's documents
        period = [p for p in period if p[2] >= START]
        closing = opening + sum(p[3] for p in period)
        self.closing[code] = closing
        self.status[code] = reply or "no_reply"
        self.counts["july"] += plan["july"]
        for kind in ("opening", "invoices", "receipts", "returns"):
            self.counts[kind] += plan[kind]
        if reply is None:
            return
        self.counts["replies"] += 1
        theirs = [(no, day, cents) for _, no, day, cents in period]
        if reply == "agreed":
            balance = closing
        elif doc_list:                               # they never booked one of the receipts
            left_out = rng.choice([p for p in period if p[0] == "receipt"])
            theirs = [t for t in theirs if t[0] != left_out[1]]
            self.omitted[code] = left_out[1]
            balance = closing - left_out[3]
        else:
            balance = closing - rng.choice([-1, 1]) * rng.randint(1_00, 5_000_00)
        self.rows["confirmations"].append((PERIOD, code, money(balance), "1" if reply == "agreed" else "0",
                                           person(rng, set()), None, run))
        if doc_list:
            self.counts["doc_lists"] += 1
            self.counts["their_docs"] += len(theirs)
            self.rows["docs"] += [(PERIOD, code, n, no, day.isoformat(), money(cents))
                                  for n, (no, day, cents) in enumerate(theirs, start=1)]

    def receipt(self, c: dict, ref: str, day: dt.date, cents: int, invoice_no: str) -> None:
        self.rows["receipts"].append((ref, day.isoformat(), c["customer_name"], money(cents), "基本户",
                                      f"付货款 {invoice_no}", c["customer_code"], "claim", None, self.run_id,
                                      self.run_id, None))

    def ret(self, code: str, no: str, original: str, day: dt.date, cents: int) -> None:
        self.rows["returns"].append((no, f"P{self.rng.randint(1, 500):04d}", original, code,
                                     str(self.rng.randint(1, 20)), money(cents), day.isoformat(), "财务李",
                                     self.rng.choice(["破损", "临期", "错发", "质量问题"]), None, self.run_id))

    SQL = {
        "opening": "INSERT INTO opening_balances (customer_code, doc_no, doc_date, due_date, amount, input_id) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
        "invoices": "INSERT INTO invoices (invoice_no, delivery_note_no, customer_code, invoice_date, amount, "
                    "input_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        "receipts": "INSERT INTO receipts (bank_ref, receipt_date, payer_name, amount, bank_account, remark, "
                    "customer_code, matched_by, input_id, run_id, matched_run, paid_docs) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "returns": "INSERT INTO returns (return_no, product_code, original_doc_no, customer_code, qty, amount, "
                   "return_date, approved_by, reason, input_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "confirmations": "INSERT INTO confirmations (period, customer_code, balance, agreed, signed_by, input_id, "
                         "run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        "docs": "INSERT INTO confirmation_docs (period, customer_code, line, doc_no, doc_date, amount) "
                "VALUES (?, ?, ?, ?, ?, ?)",
    }

    def flush(self) -> None:
        for kind, rows in self.rows.items():
            if rows:
                self.con.executemany(self.SQL[kind], rows)
                rows.clear()


def seed_documents(home: Path, customers: list[dict], docs: int, seed: int) -> dict:
    """Insert the documents and replies of every customer; returns what reconcile must report."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    codes = [c["customer_code"] for c in customers]
    replying = set(rng.sample(codes, round(len(codes) * REPLY_SHARE)))
    agreeing = set(rng.sample(sorted(replying), len(replying) // 2))
    with_list = set(rng.sample(sorted(agreeing), max(1, round(len(codes) * DOCLIST_SHARE / 2))))
    with_list |= set(rng.sample(sorted(replying - agreeing), max(1, round(len(codes) * DOCLIST_SHARE / 2))))
    con = sqlite3.connect(home / "state" / "ledger.sqlite", isolation_level=None)
    try:
        run_id = con.execute("SELECT MAX(id) FROM runs").fetchone()[0]
        seeder = Seeder(con, run_id, docs, rng)
        con.execute("BEGIN IMMEDIATE")
        for i, c in enumerate(customers, start=1):
            code = c["customer_code"]
            reply = None if code not in replying else ("agreed" if code in agreeing else "differs")
            seeder.customer(c, reply, code in with_list)
            if i % BATCH == 0:
                seeder.flush()
        seeder.flush()
        con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    counts = seeder.counts
    counts["documents"] = sum(counts[k] for k in ("opening", "invoices", "receipts", "returns", "july"))
    counts["seed_s"] = round(time.perf_counter() - t0, 1)
    return {"counts": counts, "closing": seeder.closing, "status": seeder.status, "omitted": seeder.omitted}


# ----------------------------------------------------------------------------------------------
# Checks


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
