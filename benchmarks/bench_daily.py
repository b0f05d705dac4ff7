"""Benchmark a whole daily order run against the floor of reading its inputs and writing its outputs.

Usage:
    python benchmarks/bench_daily.py [--lines 100000] [--out benchmarks/out] [--reps 3]
                                     [--regenerate] [--no-profile]

For each size (order lines; default 100,000, ``--lines 10000`` is the quick mode) this generates,
once, three workbooks with xlsxwriter (constant_memory; ``_daily_inputs.py``) and caches them in --out:

  - customers: 5,000 customers over the eight markets and their regions of the default rules.toml,
    every required field, credit limits set against what each customer orders that day so the
    run meets every credit case (within the limit, a little over, far over, ST, prepaid);
  - products: 500 products with list prices (a few discontinued, never ordered);
  - orders: N lines (~N/5 orders of 1-9 lines), all dated the business date 2026-11-26, at the
    list price, amount = qty x price exactly, ~1 % of the lines with one deliberate fault.

It then measures, each in a fresh process run through ``benchmarks/_peak.py``, --reps times:

  (a) the floor: one Python process that reads the three input workbooks with python-calamine
      (``get_sheet_by_index(0).to_python()``) and writes, with xlsxwriter constant_memory,
      workbooks of the shape of the run's outputs (same workbooks, sheets, rows x columns,
      cell values cycled from the real output's first rows);
  (b) the run: a copy of a working folder seeded once (``osb-batch init``, then an untimed
      ``osb-batch run --date 2026-11-25`` with the customers and products workbooks), the orders
      workbook dropped into inbox/, then ``osb-batch run --date 2026-11-26``.

(a) needs the shape of (b)'s outputs, so (b) runs first; its manifest.json names the outputs and
python-calamine counts their rows and columns. Unless --no-profile, the run is done once more
under cProfile (``OUT/daily-N.prof``) and the osb_batch functions with the largest cumulative time
are printed. It is a script, not a test: it asserts nothing and prints a Markdown report.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    MB,
    log,
    measure,
    osb_batch_command,
    print_profile,
    profile_top,
    run_osb,
    save_results,
)
from _daily_inputs import N_CUSTOMERS, N_PRODUCTS, RUN_DATE, ensure_inputs

HERE = Path(__file__).resolve().parent

SEED_DATE = "2026-11-25"       # the untimed run that loads the master data

TARGET_LINES = 100_000
TARGET_RATIO = 1.5
TARGET_PEAK_MB = 500

# The floor, one process: read the inputs, write workbooks shaped like the run's outputs.
FLOOR = r'''
import datetime as dt, json, sys
from python_calamine import CalamineWorkbook
import xlsxwriter
spec = json.load(open(sys.argv[1], encoding="utf-8"))
read = 0
for path in spec["inputs"]:
    read += len(CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python())
written = 0
for n, book in enumerate(spec["outputs"]):
    wb = xlsxwriter.Workbook(f"{spec['dir']}/floor-{n:03d}.xlsx", {"constant_memory": True})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for sheet in book["sheets"]:
        ws = wb.add_worksheet(sheet["name"])
        samples = [[dt.datetime.fromisoformat(v["d"]) if isinstance(v, dict) else v for v in row]
                   for row in sheet["samples"]] or [[]]
        for r in range(sheet["rows"]):
            for c, v in enumerate(samples[r % len(samples)]):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                elif isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                elif isinstance(v, dt.datetime):
                    ws.write_datetime(r, c, v, date_fmt)
                else:
                    ws.write_number(r, c, v)
        written += sheet["rows"]
    wb.close()
print(read, written)
'''
SAMPLE_ROWS = 50               # the floor cycles through an output sheet's first rows


# ----------------------------------------------------------------------------------------------
# The working folder, the run and the floor


def seed_home(home: Path, paths: dict[str, Path]) -> dict:
    """init, then the untimed master-data run; raises unless the ledger holds every code."""
    t0 = time.perf_counter()
    run_osb(home, "init", str(home))
    shutil.copy(paths["customers"], home / "inbox" / "客户主数据.xlsx")
    shutil.copy(paths["products"], home / "inbox" / "产品价格表.xlsx")
    run_osb(home, "run", "--date", SEED_DATE)
    con = sqlite3.connect(f"file:{home / 'state' / 'ledger.sqlite'}?mode=ro", uri=True)
    try:
        n_c = con.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
        n_p = con.execute("SELECT COUNT(*) FROM products").fetchone()[0]
    finally:
        con.close()
    if (n_c, n_p) != (N_CUSTOMERS, N_PRODUCTS):
        raise RuntimeError(f"after the seeding run the ledger holds {n_c} customers and {n_p} products")
    seconds = time.perf_counter() - t0
    log(f"  seeded {home}: {n_c:,} customers, {n_p} products (init + run {seconds:.1f} s, not timed)")
    return {"customers": n_c, "products": n_p, "seed_s": round(seconds, 1)}


def fresh_home(template: Path, where: Path, orders: Path) -> Path:
    """A copy of the seeded folder with the orders workbook in its inbox."""
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(template, where, symlinks=True)
    shutil.copy(orders, where / "inbox" / f"订单-{RUN_DATE.replace('-', '')}.xlsx")
    return where


def run_manifest(home: Path) -> dict:
    runs = sorted((home / "outbox" / RUN_DATE).glob("run-*/manifest.json"))
    if not runs:
        raise RuntimeError(f"no manifest.json under {home / 'outbox' / RUN_DATE}")
    return json.loads(runs[-1].read_text(encoding="utf-8"))


def _sample(v: object) -> object:
    if isinstance(v, dt.datetime | dt.date):
        return {"d": (v if isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time())).isoformat()}
    if isinstance(v, dt.time | dt.timedelta):
        return 0.5
    if v == "":
        return None
    return v


def output_shapes(home: Path, manifest: dict) -> list[dict]:
    """For each output of the run: its sheets' rows x columns, and first rows for the floor to cycle."""
    from python_calamine import CalamineWorkbook

    shapes = []
    for o in manifest["outputs"]:
        path = home / o["file"]
        entry = {"file": o["file"], "form": o["form"], "bytes": path.stat().st_size, "sheets": []}
        if path.suffix.lower() == ".xlsx":
            wb = CalamineWorkbook.from_path(str(path))
            for name in wb.sheet_names:
                rows = wb.get_sheet_by_name(name).to_python()
                entry["sheets"].append({"name": name, "rows": len(rows),
                                        "cols": max((len(r) for r in rows), default=0),
                                        "samples": [[_sample(v) for v in r] for r in rows[:SAMPLE_ROWS]]})
        shapes.append(entry)
    return shapes


def repeat(label: str, reps: int, make_cmd, after=None) -> dict:
    """--reps measurements; ``make_cmd(i)`` prepares and returns the command, ``after(i)`` checks it."""
    runs = []
    for i in range(reps):
        cmd, stdout_path = make_cmd(i)
        r = measure(cmd, stdout_path)
        log(f"  {label} {i + 1}/{reps}: {r['wall_s']:.2f} s, peak {r['maxrss_kb'] / 1024:.0f} MB")
        if after:
            after(i)
        runs.append(r)
    return {"median_s": statistics.median(r["wall_s"] for r in runs),
            "median_cpu_s": statistics.median(r["cpu_s"] for r in runs),
            "peak_mb": max(r["maxrss_kb"] for r in runs) / 1024, "runs": runs}


def day_mix(manifest: dict) -> dict:
    orders = manifest["orders"]
    return {"orders": len(orders),
            "states": dict(collections.Counter(o["state"] for o in orders).most_common()),
            "cases": dict(sorted(collections.Counter(o["case"] or "-" for o in orders).items())),
            "exceptions": manifest["counts"].get("exceptions"), "errors": manifest["counts"].get("errors"),
            "inputs": [(i["file"], i["status"], i["rows"], i["errors"]) for i in manifest["inputs"]]}


def measure_floor(paths: dict[str, Path], shapes: list[dict], tmp: Path, floor_out: Path, reps: int) -> dict:
    """The floor, --reps times: read the inputs, write workbooks of the outputs' ``shapes``."""
    floor_dir = tmp / "floor"
    floor_dir.mkdir()
    spec_path = tmp / "floor-spec.json"
    spec = {"inputs": [str(paths[k]) for k in ("customers", "products", "orders")], "dir": str(floor_dir),
            "outputs": [{"sheets": s["sheets"]} for s in shapes if s["sheets"]]}
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    floor = repeat("floor", reps, lambda i: ([sys.executable, "-c", FLOOR, str(spec_path)], floor_out))
    read, written = map(int, floor_out.read_text().split())
    expected = sum(sh["rows"] for s in shapes for sh in s["sheets"])
    if written != expected:
        raise RuntimeError(f"the floor wrote {written} rows, the run's outputs hold {expected}")
    floor["rows_read"], floor["rows_written"] = read, written
    return floor


def profiled_run(home: Path, prof: Path) -> dict | None:
    """The run once more under cProfile; its top osb_batch functions, None when it failed."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), *osb_batch_command(),
                           "--home", str(home), "run", "--date", RUN_DATE], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        log(f"  profiled run exited {proc.returncode}: {proc.stderr[-2000:]}")
        return None
    log(f"  profiled run: {seconds:.1f} s -> {prof}")
    return {"file": str(prof), "wall_s": round(seconds, 2), "top": profile_top(prof)}


def bench_size(lines: int, out: Path, reps: int, regenerate: bool, profile: bool) -> dict:
    paths, meta = ensure_inputs(out, lines, regenerate)
    log(f"{lines:,} lines: {meta['orders']:,} orders, {meta['faulty_lines']} faulty lines in "
        f"{meta['faulty_orders']} orders; customers ordering today: {meta['customers_ordering']:,}")
    result: dict = {"lines": lines, "input": meta,
                    "input_mb": {k: round(p.stat().st_size / MB, 2) for k, p in paths.items()}}
    with tempfile.TemporaryDirectory(prefix="osb-bench-daily-") as tmp:
        tmp = Path(tmp)
        template = tmp / "seeded"
        result["seed"] = seed_home(template, paths)
        osb_cmd = osb_batch_command()
        homes = [tmp / f"home-{i}" for i in range(reps)]
        manifests: list[dict] = []

        def run_cmd(i: int):
            home = fresh_home(template, homes[i], paths["orders"])
            return osb_cmd + ["--home", str(home), "run", "--date", RUN_DATE], out / f"daily-{lines}-run.txt"

        def keep_manifest(i: int) -> None:
            manifests.append(run_manifest(homes[i]))
            if i > 0:       # keep the first home (its outputs are counted), drop the others
                shutil.rmtree(homes[i])

        result["run"] = repeat("run", reps, run_cmd, keep_manifest)
        manifest = manifests[0]
        (out / f"daily-{lines}-manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                                          encoding="utf-8")
        outputs_of = [sorted((o["form"], Path(o["file"]).name) for o in m["outputs"]) for m in manifests]
        if any(o != outputs_of[0] for o in outputs_of):
            log("  note: the repetitions did not write the same outputs")
        result["mix"] = day_mix(manifest)
        shapes = output_shapes(homes[0], manifest)
        result["outputs"] = [{k: v for k, v in s.items() if k != "sheets"}
                             | {"sheets": [{k: v for k, v in sh.items() if k != "samples"} for sh in s["sheets"]]}
                             for s in shapes]

        result["floor"] = measure_floor(paths, shapes, tmp, out / f"daily-{lines}-floor.txt", reps)
        if profile and (top := profiled_run(fresh_home(template, tmp / "home-profile", paths["orders"]),
                                            out / f"daily-{lines}.prof")):
            result["profile"] = top
    return result


# ----------------------------------------------------------------------------------------------
# Report


def fmt_outputs(outputs: list[dict]) -> str:
    books = [o for o in outputs if o["sheets"]]
    rows = sum(sh["rows"] for o in books for sh in o["sheets"])
    other = len(outputs) - len(books)
    return f"{len(books)} xlsx{f' + {other} other' if other else ''}, {rows:,} rows"


def print_report(results: list[dict], reps: int) -> None:
    print(f"Machine: {os.cpu_count()} CPUs, {platform.platform()}, "
          f"Python {platform.python_version()} ({platform.machine()})")
    print(f"Each figure: median wall time / max peak RSS of {reps} runs, each in a fresh process. MB = MiB.")
    print(f"Master data: {N_CUSTOMERS:,} customers, {N_PRODUCTS} products, loaded by an untimed run of "
          f"{SEED_DATE}; timed: `osb-batch run --date {RUN_DATE}` with the orders workbook in inbox/.")
    print("Floor: one process reading the three input workbooks with python-calamine and writing "
          "workbooks of the outputs' shape with xlsxwriter constant_memory.")
    print()
    cols = ["lines", "orders", "floor s", "run s", "ratio", "floor peak MB", "run peak MB", "outputs (files, rows)"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("---:" for _ in cols) + "|")
    for r in results:
        f, run = r["floor"], r["run"]
        print("| " + " | ".join([f"{r['lines']:,}", f"{r['input']['orders']:,}", f"{f['median_s']:.2f}",
                                 f"{run['median_s']:.2f}", f"{run['median_s'] / f['median_s']:.2f}",
                                 f"{f['peak_mb']:.0f}", f"{run['peak_mb']:.0f}", fmt_outputs(r["outputs"])]) + " |")
    print()
    print(f"target at {TARGET_LINES // 1000}k lines: ratio ≤ {TARGET_RATIO}, peak < {TARGET_PEAK_MB} MB")
    for r in results:
        if r["lines"] == TARGET_LINES:
            ratio = r["run"]["median_s"] / r["floor"]["median_s"]
            peak = r["run"]["peak_mb"]
            verdict = "met" if ratio <= TARGET_RATIO and peak < TARGET_PEAK_MB else "NOT met"
            print(f"at {TARGET_LINES:,} lines: ratio {ratio:.2f}, peak {peak:.0f} MB: {verdict}")
            cpu = r["run"]["median_cpu_s"] / r["floor"]["median_cpu_s"]
            print(f"  CPU time (user + sys): floor {r['floor']['median_cpu_s']:.2f} s, "
                  f"run {r['run']['median_cpu_s']:.2f} s, ratio {cpu:.2f}")

    for r in results:
        print_size(r)


def print_size(r: dict) -> None:
    """One size's inputs, decisions, outputs and profile."""
    inp, mix = r["input"], r["mix"]
    print()
    print(f"### {r['lines']:,} lines")
    print()
    print(f"Input: {inp['orders']:,} orders from {inp['customers_ordering']:,} customers, "
          f"{inp['st_orders']} with ST; {inp['faulty_lines']} faulty lines in {inp['faulty_orders']} orders ("
          + ", ".join(f"{k} {v}" for k, v in inp["faults"].items()) + "); files "
          + ", ".join(f"{k} {v} MB" for k, v in r["input_mb"].items()) + ".")
    print("Clean orders by the customer's credit class: "
          + ", ".join(f"{k} {v:,}" for k, v in inp["clean_orders_by_credit_class"].items()) + ".")
    print(f"Run: {mix['orders']:,} orders in the manifest; states "
          + ", ".join(f"{k} {v:,}" for k, v in mix["states"].items()) + "; cases "
          + ", ".join(f"{k} {v:,}" for k, v in mix["cases"].items())
          + f"; {mix['exceptions']:,} exceptions ({mix['errors']:,} errors).")
    print()
    print("| output | form | sheets (rows × cols) | KB |")
    print("|---|---|---|---:|")
    for o in r["outputs"]:
        sheets = ", ".join(f"{s['name']} {s['rows']:,}×{s['cols']}" for s in o["sheets"]) or "-"
        print(f"| {Path(o['file']).name} | {o['form']} | {sheets} | {o['bytes'] / 1024:,.0f} |")
    prof = r.get("profile")
    if prof:
        print()
        print(f"Where the time goes (one more run under cProfile, {prof['wall_s']:.1f} s with the profiler; "
              f"{prof['file']}), top osb_batch functions by cumulative time:")
        print()
        print_profile(prof["top"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", nargs="+", type=int, default=[TARGET_LINES],
                    help="order lines of the day (default: 100000; 10000 is the quick mode)")
    ap.add_argument("--out", type=Path, default=HERE / "out",
                    help="where inputs and results are cached (default: benchmarks/out)")
    ap.add_argument("--reps", type=int, default=3, help="runs per measurement (default: 3)")
    ap.add_argument("--regenerate", action="store_true", help="rewrite the inputs even if cached")
    ap.add_argument("--no-profile", dest="profile", action="store_false",
                    help="skip the extra run under cProfile")
    args = ap.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    results = [bench_size(n, args.out, args.reps, args.regenerate, args.profile) for n in args.lines]
    save_results(args.out, "daily-results", results)
    print_report(results, args.reps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
