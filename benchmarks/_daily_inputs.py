"""The daily-run benchmark's inputs: 5,000 customers, 500 products and a day of N order lines,
written once with xlsxwriter ``constant_memory`` (:class:`_common.StreamedSheet`) and cached.

Credit limits are set against what each customer orders that day, so the run meets every credit
case; about 1 % of the lines carry one deliberate fault. ``bench_daily.py`` describes the shapes
in full.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import math
import random
import time
from pathlib import Path

from _common import (
    BRANDS,
    KAMS,
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
    order_line,
    person,
    write_sheet,
)

from osb_batch import settings as settings_mod

GENERATOR_VERSION = 2          # bump when a generated workbook changes, to invalidate caches

N_CUSTOMERS = 5_000
N_PRODUCTS = 500
N_DISCONTINUED = 10            # the last products are 停售; orders only name them as a fault
RUN_DATE = "2026-11-26"        # the timed run, and every order's date

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

