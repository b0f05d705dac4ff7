"""Benchmark a whole daily order run against the floor of reading its inputs and writing its outputs.

Usage:
    python benchmarks/bench_daily.py [--lines 100000] [--out benchmarks/out] [--reps 3]
                                     [--regenerate] [--no-profile]

For each size (order lines; default 100,000, ``--lines 10000`` is the quick mode) this generates,
once, three workbooks with xlsxwriter (constant_memory) and caches them in --out:

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
import math
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
    MMS,
    ORDER_KEYS,
    ORDER_WIDTHS,
    PRODUCT_NAMES,
    REMARKS,
    ST_NOTES,
    ST_REASONS,
    TRADES,
    StreamedSheet,
    headers,
    log,
    measure,
    order_line,
    osb_batch_command,
    person,
    print_profile,
    profile_top,
    run_osb,
    save_results,
    write_sheet,
)

from osb_batch import settings as settings_mod

HERE = Path(__file__).resolve().parent
GENERATOR_VERSION = 2          # bump when a generated workbook changes, to invalidate caches

N_CUSTOMERS = 5_000
N_PRODUCTS = 500
N_DISCONTINUED = 10            # the last products are 停售; orders only name them as a fault
SEED_DATE = "2026-11-25"       # the untimed run that loads the master data
RUN_DATE = "2026-11-26"        # the timed run, and every order's date

TARGET_LINES = 100_000
TARGET_RATIO = 1.5
TARGET_PEAK_MB = 500

CUSTOMER_KEYS = ["customer_code", "customer_name", "market", "region", "account_manager", "unit_manager",
                 "credit_limit", "payment_term_days", "prepaid", "credit_grade", "shipping_station",
                 "contact", "phone", "address"]
PRODUCT_KEYS = ["product_code", "product_name", "spec", "unit", "unit_price", "status", "product_group"]
# Credit classes of a customer that orders today, by what its limit is against the day's total T.
# (share, low, high): limit = T x U(low, high); "prepaid" has limit 0 and 先款后货 = 是.
CREDIT_CLASSES = {"ample": (0.62, 1.3, 4.0),      # every order within the limit: 5-2
                  "tight": (0.14, 0.86, 0.97),    # the day's last orders a little over: 5-3
                  "over": (0.14, 0.30, 0.70),     # later orders far over: 5-4 (5-5 with ST)
                  "prepaid": (0.10, 0.0, 0.0)}    # no receipts: shortfall <= 10,000 5-7b, else 5-7c

# One fault per faulty line (~1 %). All make the order fail QC (or the reader) and be REJECTED.
FAULTS = ["qty_text", "price_text", "customer_blank", "kam_blank", "bool_invalid", "amount_mismatch",
          "price_off", "product_unknown", "product_discontinued"]
FAULT_RATE = 0.01

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
# Input generation


def plan_day(lines: int, rng: random.Random, products: list[dict]) -> list[dict]:
    """The day's orders, fault-free: customer index, lines (product index, qty), ST and remarks."""
    orderable = [i for i, p in enumerate(products) if p["status"] == "在售"]
    # Few customers order a lot, many a little, some not at all: Pareto weights.
    weights = [rng.paretovariate(1.2) for _ in range(N_CUSTOMERS)]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    orders, left = [], lines
    while left > 0:
        n_lines = min(rng.randint(1, 9), left)   # mean 5 lines per order
        left -= n_lines
        st = rng.random() < 0.03
        orders.append({
            "customer": rng.choices(range(N_CUSTOMERS), cum_weights=cum)[0],
            "lines": [(p, rng.choice([rng.randint(1, 10), rng.randint(1, 30), rng.randrange(10, 101, 10)]))
                      for p in rng.sample(orderable, n_lines)],
            "st": st, "st_reason": rng.choice(ST_REASONS) if st else None,
            "st_note": rng.choice(ST_NOTES) if st else None, "over_quota": rng.random() < 0.01,
            "remark": rng.choice(REMARKS) if rng.random() < 0.05 else None,
        })
    return orders


def master_data(rng: random.Random, plan: list[dict] | None, products: list[dict]) -> list[dict]:
    """5,000 customers over every market and region; limits set against the day's orders."""
    settings = settings_mod.load(None)
    regions = [(m.zh, r) for m in settings.markets for r in m.regions]
    names: set[str] = set()
    # One or two unit managers (区域经理) per region, ~150 account managers (客户经理).
    ums = {mr: [person(rng, names) for _ in range(rng.choice([1, 1, 2]))] for mr in regions}
    kams = KAMS + [person(rng, names) for _ in range(150 - len(KAMS))]
    day_total = collections.Counter()
    for o in plan or ():
        day_total[o["customer"]] += sum(qty * products[p]["cents"] for p, qty in o["lines"])
    classes = list(CREDIT_CLASSES)
    shares = [CREDIT_CLASSES[c][0] for c in classes]
    customers = []
    for i in range(N_CUSTOMERS):
        market, region = regions[i % len(regions)]
        assert settings.region_known(market, region), (market, region)
        total = day_total.get(i, 0) / 100
        kind = rng.choices(classes, weights=shares)[0]
        if kind == "prepaid":
            limit = 0
        elif total:
            _, low, high = CREDIT_CLASSES[kind]
            limit = total * rng.uniform(low, high)
            limit = max(1000, (math.ceil if kind == "ample" else math.floor)(limit / 1000) * 1000)
        else:
            limit = rng.randrange(50, 2001) * 1000
        contact = person(rng, set())
        customers.append({
            "customer_code": f"C{i + 1:05d}",
            "customer_name": f"{region}{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司{i + 1:04d}",
            "market": market, "region": region, "account_manager": kams[i % len(kams)],
            "unit_manager": ums[(market, region)][i % len(ums[(market, region)])],
            "credit_limit": limit, "payment_term_days": rng.choice([0, 15, 30, 45, 60]),
            "prepaid": "是" if kind == "prepaid" else "否", "credit_grade": rng.choice("ABCD"),
            "shipping_station": f"{region}{rng.choice(['东站', '西站', '南站', '北站', '物流园'])}托运站",
            "contact": contact, "phone": f"1{rng.randrange(3, 10)}{rng.randrange(10**8, 10**9)}",
            "address": f"{region}{rng.choice(['人民路', '解放路', '建设路', '中山路', '和平路'])}"
                       f"{rng.randrange(1, 999)}号",
            "_mm": MMS[i % len(MMS)], "_kind": kind if total else "idle",
        })
    return customers


def make_products(rng: random.Random) -> list[dict]:
    products = []
    for i in range(N_PRODUCTS):
        cents = rng.randrange(500, 60_000)                       # 5.00 .. 599.99 yuan
        name, unit = PRODUCT_NAMES[i % len(PRODUCT_NAMES)]
        products.append({
            "product_code": f"P{i + 1:04d}", "product_name": f"{name} {i + 1:03d}型",
            "spec": f"{rng.choice([6, 12, 24])}件/{unit}", "unit": unit, "unit_price": cents / 100,
            "cents": cents, "status": "停售" if i >= N_PRODUCTS - N_DISCONTINUED else "在售",
            "product_group": f"G{i // 20 + 1:02d}",
        })
    return products


def write_orders(path: Path, plan: list[dict], customers: list[dict], products: list[dict],
                 rng: random.Random) -> tuple[collections.Counter, set[int]]:
    """The orders workbook; returns the faults injected and the indexes of orders that carry one."""
    sheet = StreamedSheet(path, "orders", ORDER_KEYS, sheet="订单", widths=ORDER_WIDTHS)
    day = dt.datetime.fromisoformat(RUN_DATE)
    discontinued = [p for p in products if p["status"] == "停售"]
    faults: collections.Counter[str] = collections.Counter()
    faulty_orders: set[int] = set()
    for n, o in enumerate(plan):
        c = customers[o["customer"]]
        order = {"order_no": f"SO-{day:%Y%m%d}-{n + 1:05d}", "order_date": day, "customer_code": c["customer_code"],
                 "kam_verified": c["account_manager"], "mm_approved": c["_mm"],
                 "st_requested": "是" if o["st"] else "否", "st_reason": o["st_reason"], "st_note": o["st_note"],
                 "over_quota_requested": "是" if o["over_quota"] else "否", "remark": o["remark"]}
        for p_index, qty in o["lines"]:
            product = products[p_index]
            code, cents = product["product_code"], product["cents"]
            fault = rng.choice(FAULTS) if rng.random() < FAULT_RATE else None
            if fault:
                faults[fault] += 1
                faulty_orders.add(n)
            if fault == "product_unknown":
                code = f"P{rng.randrange(9000, 10000)}"
            elif fault == "product_discontinued":
                d = rng.choice(discontinued)
                code, cents = d["product_code"], d["cents"]
            elif fault == "price_off":
                cents = round(cents * rng.choice([0.9, 0.95, 1.05]))
            sheet.write(order_line({**order, "product_code": code, "qty": qty, "unit_price": cents,
                                    "amount": qty * cents}, fault, rng))
    sheet.close()
    return faults, faulty_orders


def header_signature() -> dict:
    return {"customers": headers("customers", CUSTOMER_KEYS), "products": headers("products", PRODUCT_KEYS),
            "orders": headers("orders", ORDER_KEYS)}


def ensure_inputs(out: Path, lines: int, regenerate: bool) -> tuple[dict[str, Path], dict]:
    """The three workbooks of a size, generated when missing or stale; returns paths and meta."""
    paths = {form: out / f"daily-{lines}-{form}.xlsx" for form in ("customers", "products", "orders")}
    meta_path = out / f"daily-{lines}.json"
    meta = None
    if not regenerate and meta_path.exists() and all(p.exists() for p in paths.values()):
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = None
        if meta and (meta.get("generator") != GENERATOR_VERSION or meta.get("headers") != header_signature()):
            meta = None
    if meta is None:
        t0 = time.perf_counter()
        log(f"generating daily-{lines}-*.xlsx ({N_CUSTOMERS:,} customers, {N_PRODUCTS} products, "
            f"{lines:,} order lines) ...")
        rng = random.Random(lines)
        products = make_products(rng)
        plan = plan_day(lines, rng, products)
        customers = master_data(rng, plan, products)
        write_sheet(paths["customers"], "customers", CUSTOMER_KEYS, customers)
        write_sheet(paths["products"], "products", PRODUCT_KEYS, products)
        faults, faulty_orders = write_orders(paths["orders"], plan, customers, products, rng)
        kinds = collections.Counter(customers[o["customer"]]["_kind"] for n, o in enumerate(plan)
                                    if n not in faulty_orders)
        meta = {"generator": GENERATOR_VERSION, "headers": header_signature(), "lines": lines,
                "orders": len(plan), "customers": N_CUSTOMERS, "products": N_PRODUCTS,
                "customers_ordering": len({o["customer"] for o in plan}),
                "st_orders": sum(o["st"] for o in plan),
                "clean_orders_by_credit_class": dict(sorted(kinds.items())),
                "faulty_lines": sum(faults.values()), "faulty_orders": len(faulty_orders),
                "faults": dict(sorted(faults.items())), "generate_s": round(time.perf_counter() - t0, 1)}
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return paths, meta


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
            "peak_mb": max(r["maxrss_kb"] for r in runs) / 1024, "runs": runs}


def day_mix(manifest: dict) -> dict:
    orders = manifest["orders"]
    return {"orders": len(orders),
            "states": dict(collections.Counter(o["state"] for o in orders).most_common()),
            "cases": dict(sorted(collections.Counter(o["case"] or "-" for o in orders).items())),
            "exceptions": manifest["counts"].get("exceptions"), "errors": manifest["counts"].get("errors"),
            "inputs": [(i["file"], i["status"], i["rows"], i["errors"]) for i in manifest["inputs"]]}


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

        floor_dir = tmp / "floor"
        floor_dir.mkdir()
        spec_path = tmp / "floor-spec.json"
        spec = {"inputs": [str(paths[k]) for k in ("customers", "products", "orders")], "dir": str(floor_dir),
                "outputs": [{"sheets": s["sheets"]} for s in shapes if s["sheets"]]}
        spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        floor_out = out / f"daily-{lines}-floor.txt"
        result["floor"] = repeat("floor", reps, lambda i: ([sys.executable, "-c", FLOOR, str(spec_path)], floor_out))
        read, written = map(int, floor_out.read_text().split())
        expected = sum(sh["rows"] for s in shapes for sh in s["sheets"])
        if written != expected:
            raise RuntimeError(f"the floor wrote {written} rows, the run's outputs hold {expected}")
        result["floor"]["rows_read"], result["floor"]["rows_written"] = read, written

        if profile:
            home = fresh_home(template, tmp / "home-profile", paths["orders"])
            prof = out / f"daily-{lines}.prof"
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), *osb_cmd, "--home", str(home),
                                   "run", "--date", RUN_DATE], capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - t0
            if proc.returncode != 0:
                log(f"  profiled run exited {proc.returncode}: {proc.stderr[-2000:]}")
            else:
                log(f"  profiled run: {seconds:.1f} s -> {prof}")
                result["profile"] = {"file": str(prof), "wall_s": round(seconds, 2), "top": profile_top(prof)}
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
                                 f"{run['median_s']:.2f}", f"{run['median_s'] / f['median_s']:.1f}",
                                 f"{f['peak_mb']:.0f}", f"{run['peak_mb']:.0f}", fmt_outputs(r["outputs"])]) + " |")
    print()
    print(f"target at {TARGET_LINES // 1000}k lines: ratio ≤ {TARGET_RATIO}, peak < {TARGET_PEAK_MB} MB")
    for r in results:
        if r["lines"] == TARGET_LINES:
            ratio = r["run"]["median_s"] / r["floor"]["median_s"]
            peak = r["run"]["peak_mb"]
            verdict = "met" if ratio <= TARGET_RATIO and peak < TARGET_PEAK_MB else "NOT met"
            print(f"at {TARGET_LINES:,} lines: ratio {ratio:.1f}, peak {peak:.0f} MB: {verdict}")

    for r in results:
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
