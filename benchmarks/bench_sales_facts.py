"""Benchmark :func:`osb_batch.ledger.sales_facts.sales_facts` on a month of 400,000 invoice lines.

Usage:
    python benchmarks/bench_sales_facts.py [--customers 5000] [--lines 400000] [--out DIR]

Builds a ledger (untimed, straight into SQLite): ``--customers`` customers over the eight default
markets, one in ten handed to another KAM on the 15th (a second attribution version); orders of
four lines each (``--lines`` / 4 orders) accepted in November 2026, each with its delivery note,
shipment and one invoice whose amount is the order's plus a cent now and then (so apportioning
has remainders to place); 1 % returns and a receipt for every fifth invoice. Then, in a fresh
process under ``_peak.py``, fetches the invoiced query's rows alone (the floor: SQLite's share)
and reads ``sales_facts`` for November on each basis, and prints a Markdown table: rows, wall
and CPU seconds of each (CPU is what a shared machine inflates least), and the process's peak memory. The
invoiced rows are checked to sum exactly to the invoices less the returns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from _common import log, measure

MARKETS = [("NE", "辽宁"), ("N", "北京"), ("NW", "陕西"), ("C", "河南"), ("SD", "济南"), ("E", "上海"),
           ("S", "广东"), ("SW", "四川")]


def build(path: Path, customers: int, lines: int) -> dict:
    """The ledger at ``path``; returns the seeded totals (cents) the measurement checks."""
    from osb_batch.ledger.database import Ledger
    rng = random.Random(11)
    ledger = Ledger.open(path)
    db = ledger.conn
    db.execute("BEGIN")
    db.execute("INSERT INTO runs VALUES (1, '2026-11-01', 1, '2026-11-01T08:00', 'outbox', 'committed')")
    db.execute("INSERT INTO runs VALUES (2, '2026-11-15', 1, '2026-11-15T08:00', 'outbox', 'committed')")
    codes = [f"C{n:05d}" for n in range(customers)]
    versions = []
    for n, code in enumerate(codes):
        market, region = MARKETS[n % len(MARKETS)]
        versions.append((code, "2026-11-01", market, region, f"KAM{n % 150}", f"UM{n % 40}", 1))
        if n % 10 == 0:
            versions.append((code, "2026-11-15", market, region, f"KAM{(n + 1) % 150}", f"UM{n % 40}", 2))
    db.executemany("INSERT INTO customer_versions VALUES (?, ?, ?, ?, ?, ?, ?)", versions)
    orders, order_lines, notes, invoices, returns, receipts = [], [], [], [], [], []
    invoiced = 0
    for oid in range(1, lines // 4 + 1):
        code, day = rng.choice(codes), dt.date(2026, 11, 1) + dt.timedelta(days=rng.randrange(30))
        amounts = [rng.randrange(1, 500) * 1000 + rng.randrange(100) for _ in range(4)]
        orders.append((oid, f"SO-{oid}", 1, day.isoformat(), code, day.isoformat(), 1, "{}", "INVOICED"))
        order_lines += [(oid, k, f"P{rng.randrange(500):03d}", str(rng.randrange(1, 50)), f"{a / 100:.2f}")
                        for k, a in enumerate(amounts)]
        notes.append((f"DN-{oid}", oid, day.isoformat(), 1))
        amount = sum(amounts) + (1 if oid % 7 == 0 else 0)
        invoiced += amount
        invoices.append((f"INV-{oid}", f"DN-{oid}", code, day.isoformat(), f"{amount / 100:.2f}", 1))
        if oid % 100 == 0:
            returns.append((f"R-{oid}", "P001", code, "1", f"{amounts[0] / 100:.2f}", day.isoformat(), 1))
            invoiced -= amounts[0]
        if oid % 5 == 0:
            receipts.append((f"B-{oid}", day.isoformat(), f"{amount / 100:.2f}", code, 1))
    db.executemany("INSERT INTO orders (id, order_no, attempt, order_date, customer_code, accepted_on, "
                   "accepted_run, content, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", orders)
    db.executemany("INSERT INTO order_lines (order_id, line_no, product_code, qty, amount) VALUES (?, ?, ?, ?, ?)",
                   order_lines)
    db.executemany("INSERT INTO delivery_notes VALUES (?, ?, ?, ?)", notes)
    db.executemany("INSERT INTO shipments (delivery_note_no, order_no, shipped_at, run_id) VALUES (?, ?, ?, 1)",
                   [(n, f"SO-{oid}", f"{day} 10:00:00", ) for n, oid, day, _ in notes])
    db.executemany("INSERT INTO invoices (invoice_no, delivery_note_no, customer_code, invoice_date, amount, "
                   "run_id) VALUES (?, ?, ?, ?, ?, ?)", invoices)
    db.executemany("INSERT INTO returns (return_no, product_code, customer_code, qty, amount, return_date, "
                   "run_id) VALUES (?, ?, ?, ?, ?, ?, ?)", returns)
    db.executemany("INSERT INTO receipts (bank_ref, receipt_date, amount, customer_code, run_id) "
                   "VALUES (?, ?, ?, ?, ?)", receipts)
    db.execute("COMMIT")
    ledger.close()
    return {"invoiced_cents": invoiced, "invoice_lines": len(order_lines)}


def measure_in_process(path: Path) -> None:
    """Child mode: time sales_facts on each basis; print one JSON line."""
    from osb_batch.ledger import sales_facts as module
    from osb_batch.ledger.database import Ledger
    ledger = Ledger.open(path, readonly=True)
    month = {"start": "2026-11-01", "end": "2026-11-30"}
    wall, cpu = time.perf_counter(), time.process_time()
    fetched = len(ledger.conn.execute(module.INVOICED, month).fetchall())
    out = {"floor": {"rows": fetched, "seconds": round(time.perf_counter() - wall, 2),
                     "cpu": round(time.process_time() - cpu, 2)}}
    for basis in ("invoiced", "shipped", "ordered"):
        wall, cpu = time.perf_counter(), time.process_time()
        facts = module.sales_facts(ledger, dt.date(2026, 11, 1), dt.date(2026, 11, 30), basis)
        out[basis] = {"rows": len(facts), "seconds": round(time.perf_counter() - wall, 2),
                      "cpu": round(time.process_time() - cpu, 2),
                      "sales_cents": int(facts.loc[facts["kind"] == "sales", "cents"].sum())}
        del facts
    print(json.dumps(out))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=400_000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        measure_in_process(args.measure)
        return 0
    folder = Path(args.out or tempfile.mkdtemp(prefix="bench-facts-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ledger.sqlite"
    path.unlink(missing_ok=True)
    log(f"building {args.lines:,} invoice lines for {args.customers:,} customers in {path}")
    seeded = build(path, args.customers, args.lines)
    report = folder / "facts.json"
    peak = measure([sys.executable, __file__, "--measure", str(path)], stdout_path=report)
    result = json.loads(report.read_text().strip().splitlines()[-1])
    if result["invoiced"]["sales_cents"] != seeded["invoiced_cents"]:
        raise SystemExit(f"invoiced facts sum to {result['invoiced']['sales_cents']}, seeded {seeded['invoiced_cents']}")
    print(f"## sales_facts, {seeded['invoice_lines']:,} invoice lines, {args.customers:,} customers, one month\n")
    print("| what | rows | wall s | CPU s |")
    print("|---|---:|---:|---:|")
    for basis, figures in result.items():
        what = "floor: the invoiced query's rows fetched, nothing else" if basis == "floor" else f"sales_facts {basis}"
        print(f"| {what} | {figures['rows']:,} | {figures['seconds']:.2f} | {figures['cpu']:.2f} |")
    print(f"\nWhole process (build excluded, all three bases): {peak['wall_s']:.1f} s wall, "
          f"peak RSS {peak['maxrss_kb'] / 1024:.0f} MiB. Invoiced sales sum exactly to the seeded invoices less returns.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
