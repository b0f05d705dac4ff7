"""Benchmark the sales part of the monthly report (osb_batch.reports.sales_report) with every scoped workbook.

Usage:
    python benchmarks/bench_sales_report.py [--customers 5000] [--lines 400000] [--people 200] [--out DIR]

The issue's size: 5,000 customers, 200 people, a month of 400,000 invoice lines. The ledger is
bench_sales_facts.py's (untimed, straight into SQLite), its customers spread over 40 regions
(five per market, one UM each), plus the customers master (names, limits, grades), a roster of
``--people`` (an MM per market, the 40 UMs, KAMs, two secretaries) and a monthly plan row per market. Then, each in a fresh process under
``_peak.py``:

- *report*: ``produce`` of the month's sales part (every national workbook and one scoped
  workbook per MM, UM and KAM) into ``outbox/报表-2026-11/``;
- *floor*: reading the same facts from the ledger (``sales_facts`` over the same days) and
  writing the same cells (every value of every sheet the report wrote, read back untimed with
  python-calamine beforehand) with xlsxwriter ``constant_memory`` and no formats.

It prints a Markdown table: wall and CPU seconds of each, the ratio report ÷ floor (CPU, which a
shared machine inflates least, and wall) and the report's peak memory. The national total is
checked to equal the seeded invoices less returns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

from _common import log, measure, run_osb
from bench_sales_facts import MARKETS, build

PERIOD = "2026-11"


def add_people(path: Path, customers: int, people: int) -> None:
    """The customers master, the roster and a plan row per market (the builder gives KAM{n % 150}, UM{n % 40})."""
    from osb_batch.ledger.database import Ledger
    ledger = Ledger.open(path)
    db = ledger.conn
    db.execute("BEGIN")
    # the builder's UM{k} (k = n % 40) is in market k % 8: give each of them a region of their own
    db.execute("UPDATE customer_versions SET region = region || '-' || (CAST(substr(unit_manager, 3) AS INTEGER) / 8)")
    db.executemany("INSERT INTO customers (customer_code, customer_name, market, region, account_manager, "
                   "unit_manager, credit_limit, payment_term_days, prepaid, credit_grade) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, '30', '0', ?)",
                   [(f"C{n:05d}", f"经销商{n:05d}有限公司", MARKETS[n % len(MARKETS)][0], _region(n % 40),
                     f"KAM{n % 150}", f"UM{n % 40}", "500000", "ABCD"[n % 4]) for n in range(customers)])
    staff = [(f"MM{m}", "MM", m, None) for m, _ in MARKETS]
    staff += [(f"UM{k}", "UM", MARKETS[k % len(MARKETS)][0], _region(k)) for k in range(40)]
    staff += [(f"KAM{j}", "KAM", MARKETS[j % len(MARKETS)][0], None) for j in range(people - len(staff) - 2)]
    staff += [("秘书甲", "SSG", None, None), ("秘书乙", "SSG", None, None)]
    db.executemany("INSERT INTO staff (name, since, role, market, region, active, run_id) VALUES (?, '2026-01-01', ?, ?, ?, 1, 1)",
                   staff)
    plan = [("monthly_plan", f"{PERIOD}|{m}||", json.dumps({"month": PERIOD, "market": m, "region": None,
                                                             "product_code": None, "sales_target": "30000000.00",
                                                             "owner": f"MM{m}"}), PERIOD) for m, _ in MARKETS]
    db.executemany("INSERT INTO documents (form, row_key, content, period, run_id) VALUES (?, ?, ?, ?, 1)", plan)
    db.execute("COMMIT")
    ledger.close()


def _region(um: int) -> str:
    """The region of UM{um}: one of five in its market (上海-0 … 上海-4)."""
    return f"{MARKETS[um % len(MARKETS)][1]}-{um // len(MARKETS)}"


def report_in_process(home: Path) -> None:
    """Child mode: produce the month's sales part; print one JSON line."""
    from osb_batch.reports import period as periods
    from osb_batch.reports import sales_report
    from osb_batch.reports.report import produce_alone
    from osb_batch.settings.loader import load
    from osb_batch.workspace import Home
    wall, cpu = time.perf_counter(), time.process_time()
    produced = produce_alone(Home(home), load(home / "rules.toml"), sales_report.PARTS["month"],
                             periods.calendar_period("month", PERIOD), lang="zh", today=dt.date(2026, 12, 1),
                             command="bench")
    total = sum(int(round(float(m["amount"]) * 100)) for m in produced.result["markets"])
    print(json.dumps({"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "cents": total,
                      "files": len(list(produced.folder.glob("*.xlsx")))}))


def cells_of(folder: Path, dump: Path) -> int:
    """Every sheet's values of every workbook in ``folder``, pickled to ``dump`` (untimed); returns the cell count."""
    import pickle

    from python_calamine import CalamineWorkbook
    books, count = [], 0
    for path in sorted(folder.glob("*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        sheets = [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
        count += sum(len(row) for _, rows in sheets for row in rows)
        books.append((path.name, sheets))
    dump.write_bytes(pickle.dumps(books))
    return count


def floor_in_process(ledger_path: Path, dump: Path, out: Path) -> None:
    """Child mode: the facts read as the report reads them, the same cells written; print one JSON line."""
    import pickle

    from osb_batch.ledger.database import Ledger
    from osb_batch.ledger.sales_facts import sales_facts
    from osb_batch.reports import period as periods
    from osb_batch.reports.sales_figures import span
    from osb_batch.writers.common import new_workbook
    books = pickle.loads(dump.read_bytes())
    month = periods.calendar_period("month", PERIOD)
    wall, cpu = time.perf_counter(), time.process_time()
    ledger = Ledger.open(ledger_path, readonly=True)
    start = min(span(month)[0], periods.last_n(month, 13)[0].start)
    facts = sales_facts(ledger, start, month.end, "invoiced")
    ledger.close()
    for name, sheets in books:
        wb = new_workbook(out / name, constant_memory=True)
        for sheet, rows in sheets:
            ws = wb.add_worksheet(sheet)
            for r, row in enumerate(rows):
                ws.write_row(r, 0, row)
        wb.close()
    print(json.dumps({"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "rows": len(facts)}))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=400_000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--report", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--floor", nargs=3, type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.report:
        report_in_process(args.report)
        return 0
    if args.floor:
        floor_in_process(*args.floor)
        return 0
    folder = Path(args.out or tempfile.mkdtemp(prefix="bench-sales-report-"))
    home = folder / "home"
    run_osb(home, "init", str(home))
    ledger = home / "state" / "ledger.sqlite"
    log(f"building {args.lines:,} invoice lines, {args.customers:,} customers, {args.people} people in {ledger}")
    seeded = build(ledger, args.customers, args.lines)
    add_people(ledger, args.customers, args.people)
    report_out = folder / "report.json"
    log("producing the month's sales part")
    peak = measure([sys.executable, __file__, "--report", str(home)], stdout_path=report_out)
    report = json.loads(report_out.read_text().strip().splitlines()[-1])
    if report["cents"] != seeded["invoiced_cents"]:
        raise SystemExit(f"the markets sum to {report['cents']} cents, seeded {seeded['invoiced_cents']}")
    log("reading back what it wrote (untimed)")
    dump, written = folder / "cells.pickle", folder / "floor"
    written.mkdir(exist_ok=True)
    cells = cells_of(home / "outbox" / f"报表-{PERIOD}", dump)
    floor_out = folder / "floor.json"
    log("the floor: the same facts read, the same cells written")
    floor_peak = measure([sys.executable, __file__, "--floor", str(ledger), str(dump), str(written)],
                         stdout_path=floor_out)
    floor = json.loads(floor_out.read_text().strip().splitlines()[-1])
    _print(args, seeded, report, floor, peak, floor_peak, cells)
    return 0


def _print(args, seeded: dict, report: dict, floor: dict, peak: dict, floor_peak: dict, cells: int) -> None:
    print(f"## The sales part of `report monthly`: {seeded['invoice_lines']:,} invoice lines, "
          f"{args.customers:,} customers, {args.people} people\n")
    print("| what | wall s | CPU s | peak MiB |")
    print("|---|---:|---:|---:|")
    print(f"| report: {report['files']} workbooks (national and scoped) | {report['seconds']:.1f} | "
          f"{report['cpu']:.1f} | {peak['maxrss_kb'] / 1024:.0f} |")
    print(f"| floor: {floor['rows']:,} fact rows read, the same {cells:,} cells written (constant_memory) | "
          f"{floor['seconds']:.1f} | {floor['cpu']:.1f} | {floor_peak['maxrss_kb'] / 1024:.0f} |")
    print(f"\nRatio report ÷ floor: {report['cpu'] / floor['cpu']:.2f} (CPU), "
          f"{report['seconds'] / floor['seconds']:.2f} (wall). The markets add up to the seeded invoices less returns.")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
