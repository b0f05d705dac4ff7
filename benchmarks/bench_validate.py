"""Benchmark ``osb-batch validate`` against a bare python-calamine read of the same file.

Usage:
    python benchmarks/bench_validate.py [--sizes 10000 100000] [--out benchmarks/out] [--reps 3]
                                        [--no-master]

For each size (number of order lines) this generates, once (``_validate_inputs.py``), an
``orders`` (订单) workbook with realistic values and ~1 % deliberately faulty rows, caches it in
--out, and then measures, each
in a fresh subprocess wrapped by ``benchmarks/_peak.py`` (so peak RSS is that command's own):

  (a) the floor: python-calamine opening the file and reading sheet 0 with ``to_python()``;
  (b) ``osb-batch --home HOME validate FILE --json``;
  (c) only if ``frictionless`` is importable: the same field checks done by frictionless-py.

HOME is, by default, a temporary working folder seeded (unmeasured) with the master data the
orders refer to: customers C001-C060 and products P001-P040 are written into HOME/inbox/, then
``osb-batch --home HOME init HOME`` and ``osb-batch --home HOME run --date 2026-11-26`` put them
in the ledger, so validate reports only the injected faults (~1 % of lines). With --no-master
HOME is an empty folder instead: every line's customer and product is then unknown, a stress
case with about two findings per line.

Every measurement is repeated --reps times; the table shows the median wall time and the largest
peak RSS. It is a script, not a test: nothing here asserts, it prints a Markdown table.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    MB,
    ORDER_KEYS,
    log,
    measure,
    osb_batch_command,
    run_osb,
    save_results,
    write_sheet,
)
from _validate_inputs import CUSTOMERS, HEADERS, MASTER_KEYS, PRODUCTS, ensure_input, master_data

from osb_batch import catalogue as catalogue_mod

HERE = Path(__file__).resolve().parent

TARGET_SIZE = 100_000
TARGET_RATIO = 1.5
TARGET_PEAK_MB = 500

SEED_DATE = "2026-11-26"       # business date of the (unmeasured) run that loads the master data

BARE_READ = (
    "import sys\n"
    "from python_calamine import CalamineWorkbook\n"
    "wb = CalamineWorkbook.from_path(sys.argv[1])\n"
    "rows = wb.get_sheet_by_index(0).to_python()\n"
    "print(len(rows))\n"
)

# frictionless-py doing the same per-field checks (types, required, enum, booleans); it has no
# ledger, so no reference checks. Only run when frictionless is importable (never installed here).
FRICTIONLESS = r'''
import json, sys
import frictionless
from frictionless import Resource, Schema
fields = json.loads(sys.argv[2])
schema = Schema.from_descriptor({"fields": fields})
resource = Resource(path=sys.argv[1], schema=schema)
try:
    report = resource.validate(limit_errors=10**9)
except TypeError:
    report = resource.validate()
stats = report.stats
print(stats["errors"] if isinstance(stats, dict) else stats.errors)
'''


FRICTIONLESS_TYPES = {"date": "date", "integer": "integer", "quantity": "integer", "money": "number"}


def frictionless_fields() -> list[dict]:
    """A Table Schema for the orders sheet, from the catalogue's ``orders`` form."""
    form = catalogue_mod.load()["orders"]
    fields = []
    for name, key in zip(HEADERS, ORDER_KEYS, strict=True):
        f = form.field(key)
        d = {"name": name, "type": FRICTIONLESS_TYPES.get(f.type, "string")}
        if f.type == "boolean":
            d["type"], d["trueValues"], d["falseValues"] = "boolean", ["是"], ["否"]
        constraints = {}
        if f.required:
            constraints["required"] = True
        if f.choices:
            constraints["enum"] = [c.zh for c in f.choices]
        if constraints:
            d["constraints"] = constraints
        fields.append(d)
    return fields


# ----------------------------------------------------------------------------------------------
# Master data and the seeded home


def seed_home(home: Path) -> dict:
    """Write the master data into home/inbox/, then init and run once (not timed).

    Returns what the ledger holds afterwards; raises if it lacks a customer or product.
    """
    customers, products = master_data()
    inbox = home / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for name, form_key, rows in (("客户主数据.xlsx", "customers", customers), ("产品价格表.xlsx", "products", products)):
        missing = [f.key for f in catalogue_mod.load()[form_key].required if f.key not in MASTER_KEYS[form_key]]
        assert not missing, f"{form_key}: required fields not written: {missing}"
        write_sheet(inbox / name, form_key, MASTER_KEYS[form_key], rows)
    t0 = time.perf_counter()
    run_osb(home, "init", str(home))
    proc = run_osb(home, "run", "--date", SEED_DATE)
    seconds = time.perf_counter() - t0
    ledger = home / "state" / "ledger.sqlite"
    con = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    try:
        known_c = {r[0] for r in con.execute("SELECT customer_code FROM customers")}
        known_p = {r[0] for r in con.execute("SELECT product_code FROM products")}
    finally:
        con.close()
    lacking = sorted(set(CUSTOMERS) - known_c) + sorted(set(PRODUCTS) - known_p)
    if lacking:
        raise RuntimeError(f"after the seeding run the ledger lacks {len(lacking)} codes, e.g. "
                           f"{lacking[:5]}; run output:\n{proc.stdout[-3000:]}")
    log(f"seeded {home}: {len(known_c)} customers, {len(known_p)} products in the ledger "
        f"(init + run {seconds:.1f} s, not timed)")
    return {"customers": len(known_c), "products": len(known_p), "seed_s": seconds}


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """relative path -> (size, mtime_ns) of every file under folder.

    SQLite's ``*-shm`` (the WAL index) is left out: any reader of a WAL database, even one
    opened with ``mode=ro``, writes to it, which changes nothing the ledger holds.
    """
    return {p.relative_to(folder).as_posix(): (st.st_size, st.st_mtime_ns)
            for p in folder.rglob("*")
            if p.is_file() and not p.name.endswith("-shm") and (st := p.stat())}


# ----------------------------------------------------------------------------------------------
# Measurement


def repeat(label: str, reps: int, cmd: list[str], stdout_path: Path | None = None,
           ok_rcs: tuple[int, ...] = (0,), json_list: bool = False) -> dict:
    runs = []
    for i in range(reps):
        r = measure(cmd, stdout_path, ok_rcs, json_list)
        log(f"  {label} {i + 1}/{reps}: {r['wall_s']:.3f} s, peak {r['maxrss_kb'] / 1024:.0f} MB")
        runs.append(r)
    return {"median_s": statistics.median(r["wall_s"] for r in runs),
            "median_cpu_s": statistics.median(r["cpu_s"] for r in runs),
            "peak_mb": max(r["maxrss_kb"] for r in runs) / 1024,
            "runs": runs}


def stands_for(f: dict) -> int:
    """How many findings one printed finding stands for: a ``more-of-rule`` summary its count."""
    return int(f["params"]["count"]) if f.get("rule") == "more-of-rule" else 1


def summarize_findings(path: Path) -> dict:
    """Findings by severity and by (severity, rule, field), a summary counted as what it stands for."""
    data = json.loads(path.read_text(encoding="utf-8") or "[]")
    severities, rules = collections.Counter(), collections.Counter()
    for f in data:
        severities[f.get("severity", "?")] += stands_for(f)
        rule = f.get("params", {}).get("folded_rule") or f.get("rule", "?")
        rules[(f.get("severity", "?"), rule, f.get("field", ""))] += stands_for(f)
    return {"total": sum(severities.values()), "listed": len(data), "severities": dict(severities),
            "by_rule": [[sev, rule, field, n] for (sev, rule, field), n in rules.most_common()]}


def bench_size(lines: int, out: Path, reps: int, regenerate: bool, with_frictionless: bool,
               home: Path | None) -> dict:
    """Measure one size; ``home`` is the seeded working folder, or None for a fresh empty one."""
    path, meta = ensure_input(out, lines, regenerate)
    size_mb = path.stat().st_size / MB
    log(f"{lines:,} lines: {path} ({size_mb:.1f} MB, {meta['orders']:,} orders, "
        f"{meta['faulty_rows']} faulty rows)")

    # Sanity check, unmeasured: the floor reads every row.
    check = subprocess.run([sys.executable, "-c", BARE_READ, str(path)],
                           capture_output=True, text=True, check=True)
    if int(check.stdout.strip()) != lines + 1:
        raise RuntimeError(f"calamine read {check.stdout.strip()} rows, expected {lines + 1}")

    result: dict = {"lines": lines, "file": str(path), "file_mb": size_mb, "input": meta}
    result["bare"] = repeat("bare calamine read", reps, [sys.executable, "-c", BARE_READ, str(path)])

    findings_path = out / f"validate-{lines}{'' if home else '-nomaster'}.json"
    with tempfile.TemporaryDirectory(prefix="osb-bench-home-") as empty:
        where = home or working_folder(Path(empty))
        before = snapshot(where)
        cmd = osb_batch_command() + ["--home", str(where), "validate", str(path), "--json"]
        # validate exits 1 when it found an error, which it will (the injected faults).
        result["validate"] = repeat("validate", reps, cmd, findings_path, ok_rcs=(0, 1), json_list=True)
        after = snapshot(where)
    # validate should touch no state: expect []
    result["home_written"] = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    result["findings"] = summarize_findings(findings_path)

    if with_frictionless:
        try:
            fr_out = out / f"frictionless-{lines}.txt"
            result["frictionless"] = repeat(
                "frictionless", reps,
                [sys.executable, "-c", FRICTIONLESS, str(path),
                 json.dumps(frictionless_fields(), ensure_ascii=False)], fr_out)
            result["frictionless"]["errors"] = fr_out.read_text(encoding="utf-8").strip()
        except RuntimeError as exc:
            log(f"  frictionless failed: {exc}")
            result["frictionless"] = None
    return result


# ----------------------------------------------------------------------------------------------
# The flood case (issue 9): the largest file in an empty --home, findings folded per rule

FLOOD_TARGET_RATIO = 2.0


def working_folder(folder: Path) -> Path:
    """A new working folder without master data (validate needs its rules.toml)."""
    subprocess.run(osb_batch_command() + ["init", str(folder)], check=True, capture_output=True)
    return folder


def bench_flood(result: dict, out: Path, reps: int) -> dict:
    """Validate ``result``'s file in an empty --home: ~2 findings per line, folded by validate."""
    flood_path = out / f"validate-{result['lines']}-flood.json"
    with tempfile.TemporaryDirectory(prefix="osb-bench-empty-") as empty:
        cmd = osb_batch_command() + ["--home", str(working_folder(Path(empty))), "validate", result["file"], "--json"]
        flood = repeat("validate, empty --home (flood)", reps, cmd, flood_path, ok_rcs=(0, 1), json_list=True)
    listed = json.loads(flood_path.read_text(encoding="utf-8"))
    flood["listed"] = len(listed)
    flood["stands_for"] = sum(map(stands_for, listed))
    return flood


def print_flood(results: list[dict]) -> None:
    for r in results:
        if r.get("flood"):
            flood, bare = r["flood"], r["bare"]["median_s"]
            ratio = flood["median_s"] / bare
            print(f"flood case, {r['lines']:,} lines in an empty --home (every customer and product unknown): "
                  f"validate {flood['median_s']:.2f} s, ratio {ratio:.1f}, peak {flood['peak_mb']:.0f} MB, "
                  f"{flood['listed']:,} findings listed standing for {flood['stands_for']:,}; "
                  f"target under {FLOOD_TARGET_RATIO:.0f}× the bare read: "
                  + ("met" if ratio < FLOOD_TARGET_RATIO else "NOT met"))


# ----------------------------------------------------------------------------------------------
# Report


def fmt_findings(f: dict, lines: int) -> str:
    sev = f["severities"]
    parts = [f"{sev[k]:,} {k}" for k in ("error", "warning", "info") if sev.get(k)]
    return (f"{f['total']:,} = {100 * f['total'] / lines:.1f} % of lines"
            + (f" ({', '.join(parts)})" if parts else ""))


def table_row(r: dict, with_frictionless: bool) -> list[str]:
    bare, val = r["bare"], r["validate"]
    cells = [f"{r['lines']:,}", f"{r['file_mb']:.1f}", f"{bare['median_s']:.2f}",
             f"{val['median_s']:.2f}", f"{val['median_s'] / bare['median_s']:.1f}",
             f"{bare['peak_mb']:.0f}", f"{val['peak_mb']:.0f}", fmt_findings(r["findings"], r["lines"])]
    if with_frictionless:
        fr = r.get("frictionless")
        cells += [f"{fr['median_s']:.2f}", f"{fr['peak_mb']:.0f}", fr["errors"]] if fr else ["failed", "", ""]
    return cells


def print_report(results: list[dict], with_frictionless: bool, reps: int, master: dict | None) -> None:
    print(f"Machine: {os.cpu_count()} CPUs, {platform.platform()}, "
          f"Python {platform.python_version()} ({platform.machine()})")
    print(f"Each figure: median wall time / max peak RSS of {reps} runs, each in a fresh process. "
          f"MB = MiB.")
    if master:
        print(f"--home: seeded with master data ({master['customers']} customers, "
              f"{master['products']} products in the ledger).")
    else:
        print("--home: empty (--no-master): every customer and product is unknown.")
    print()
    cols = ["lines", "file MB", "bare calamine read s", "validate s", "ratio",
            "calamine peak MB", "validate peak MB", "findings"]
    if with_frictionless:
        cols += ["frictionless s", "frictionless peak MB", "frictionless errors"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("---:" for _ in cols) + "|")
    for r in results:
        print("| " + " | ".join(table_row(r, with_frictionless)) + " |")
    print()
    print(f"target at {TARGET_SIZE // 1000}k: ratio ≤ {TARGET_RATIO}, peak < {TARGET_PEAK_MB} MB")
    for r in results:
        if r["lines"] == TARGET_SIZE:
            ratio = r["validate"]["median_s"] / r["bare"]["median_s"]
            peak = r["validate"]["peak_mb"]
            verdict = "met" if ratio <= TARGET_RATIO and peak < TARGET_PEAK_MB else "NOT met"
            print(f"at {TARGET_SIZE:,} lines: ratio {ratio:.2f}, peak {peak:.0f} MB: {verdict}")
            cpu = r["validate"]["median_cpu_s"] / r["bare"]["median_cpu_s"]
            print(f"  CPU time (user + sys, both threads of validate): {r['bare']['median_cpu_s']:.2f} s bare, "
                  f"{r['validate']['median_cpu_s']:.2f} s validate, ratio {cpu:.2f}")
    print_flood(results)

    print()
    print("Findings by severity, rule and field (validate, "
          + ("--home with master data):" if master else
             "empty --home: customers and products are unknown):"))
    for r in results:
        inp = r["input"]
        print()
        print(f"{r['lines']:,} lines, {inp['orders']:,} orders; injected faults "
              f"({inp['faulty_rows']} rows): "
              + ", ".join(f"{k} {v}" for k, v in inp["faults"].items()))
        for sev, rule, field, n in r["findings"]["by_rule"][:25]:
            print(f"  {n:>8,}  {sev:<8} {rule}" + (f" [{field}]" if field else ""))
        if len(r["findings"]["by_rule"]) > 25:
            print(f"  ... {len(r['findings']['by_rule']) - 25} more (see {r['lines']}-lines JSON)")
        if r["home_written"]:
            print(f"  note: validate changed files in --home: {', '.join(r['home_written'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000],
                    help="order lines per generated workbook (default: 10000 100000)")
    ap.add_argument("--out", type=Path, default=HERE / "out",
                    help="where inputs and results are cached (default: benchmarks/out)")
    ap.add_argument("--reps", type=int, default=3, help="runs per measurement (default: 3)")
    ap.add_argument("--regenerate", action="store_true", help="rewrite the inputs even if cached")
    ap.add_argument("--no-master", action="store_true",
                    help="validate against an empty --home (no master data: every customer and "
                         "product unknown, ~2 findings per line; a stress case)")
    args = ap.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    with_frictionless = importlib.util.find_spec("frictionless") is not None
    with tempfile.TemporaryDirectory(prefix="osb-bench-seeded-") as tmp:
        home = None if args.no_master else Path(tmp)
        master = None if home is None else seed_home(home)
        results = [bench_size(n, args.out, args.reps, args.regenerate, with_frictionless, home)
                   for n in args.sizes]
        if home is not None:        # with --no-master the table is the flood case already
            results[-1]["flood"] = bench_flood(results[-1], args.out, args.reps)
    save_results(args.out, "results", results, "" if master else "-nomaster", master=master)
    print_report(results, with_frictionless, args.reps, master)
    return 0


if __name__ == "__main__":
    sys.exit(main())
