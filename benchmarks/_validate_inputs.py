"""The validate benchmark's inputs: the master data (customers C001-C060, products P001-P040, the
same for every size) and an ``orders`` workbook of N lines with ~1 % deliberately faulty rows,
written with xlsxwriter ``constant_memory`` (:class:`_common.StreamedSheet`) and cached with what
was put in it. ``bench_validate.py`` describes the shapes in full.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import random
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
    UMS,
    StreamedSheet,
    headers,
    log,
    order_line,
)

from osb_batch import settings as settings_mod

GENERATOR_VERSION = 3          # bump when the generated workbook changes, to invalidate caches

HEADERS = headers("orders", ORDER_KEYS)

# Master data, the same for every size: customers C001-C060, products P001-P040.
CUSTOMERS = [f"C{i:03d}" for i in range(1, 61)]
PRODUCTS = [f"P{i:03d}" for i in range(1, 41)]
MASTER_SEED = 20261126

# Deliberate faults, one per faulty row. All but amount_mismatch are field errors the reader must
# report; amount_mismatch is a QC rule (line amount = qty x price) that validate may or may not do.
FAULTS = ["qty_text", "price_text", "date_text_invalid", "customer_blank", "kam_blank",
          "bool_invalid", "amount_mismatch"]
FAULT_RATE = 0.01


def master_data() -> tuple[list[dict], list[dict]]:
    """Customer and product rows (field key -> value), the same for every size and run.

    Markets and regions are rules.toml's defaults (``settings.load(None)``), customers spread
    over all markets; each customer's account manager is the KAM the orders name, and each
    product's price is the one the orders use.
    """
    rng = random.Random(MASTER_SEED)
    settings = settings_mod.load(None)
    markets = settings.markets
    customers = []
    for i, code in enumerate(CUSTOMERS):
        market = markets[i % len(markets)]
        region = market.regions[(i // len(markets)) % len(market.regions)]
        assert settings.region_known(market.zh, region), (market.zh, region)
        customers.append({
            "customer_code": code,
            "customer_name": f"{region}{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司{i + 1:02d}",
            "market": market.zh, "region": region,
            "account_manager": KAMS[i % len(KAMS)], "unit_manager": UMS[i % len(UMS)],
            "credit_limit": rng.randrange(50, 2001) * 1000, "payment_term_days": rng.choice([0, 15, 30, 45, 60]),
            "prepaid": "是" if rng.random() < 0.2 else "否", "credit_grade": rng.choice("ABCD"),
        })
    products = []
    for i, code in enumerate(PRODUCTS):
        cents = rng.randrange(500, 60_000)                       # 5.00 .. 599.99 yuan
        name, unit = PRODUCT_NAMES[i % len(PRODUCT_NAMES)]
        products.append({
            "product_code": code, "product_name": f"{name} {i + 1:02d}型", "spec": f"{rng.choice([6, 12, 24])}件/箱",
            "unit": unit, "unit_price": cents / 100, "status": "在售", "product_group": f"G{i // 10 + 1:02d}",
        })
    return customers, products


MASTER_KEYS = {
    "customers": ["customer_code", "customer_name", "market", "region", "account_manager",
                  "unit_manager", "credit_limit", "payment_term_days", "prepaid", "credit_grade"],
    "products": ["product_code", "product_name", "spec", "unit", "unit_price", "status",
                 "product_group"],
}


def generate_orders(path: Path, lines: int, seed: int) -> dict:
    """Write an orders workbook with ``lines`` data rows; return what was put in it."""
    rng = random.Random(seed)
    master_customers, master_products = master_data()
    customers = [c["customer_code"] for c in master_customers]
    products = [p["product_code"] for p in master_products]
    price_cents = {p["product_code"]: round(p["unit_price"] * 100) for p in master_products}
    kam_of = {c["customer_code"]: c["account_manager"] for c in master_customers}
    mm_of = {c: MMS[i % len(MMS)] for i, c in enumerate(customers)}
    start = dt.date(2026, 11, 1)
    days = 26                                  # dates spread over 2026-11-01 .. 2026-11-26
    n_orders_est = max(1, lines // 5)

    sheet = StreamedSheet(path, "orders", ORDER_KEYS, sheet="订单", widths=ORDER_WIDTHS)
    faults: collections.Counter[str] = collections.Counter()
    order_seq = 0
    while sheet.row <= lines:
        order_seq += 1
        day = start + dt.timedelta(days=min(days - 1, (order_seq - 1) * days // n_orders_est))
        customer = rng.choice(customers)
        st = rng.random() < 0.03
        over = rng.random() < 0.02
        order = {"order_no": f"SO-{day:%Y%m%d}-{order_seq:05d}", "order_date": dt.datetime(day.year, day.month, day.day),
                 "customer_code": customer, "kam_verified": kam_of[customer], "mm_approved": mm_of[customer],
                 "st_requested": "是" if st else "否", "st_reason": rng.choice(ST_REASONS) if st else None,
                 "st_note": rng.choice(ST_NOTES) if st else None, "over_quota_requested": "是" if over else "否"}
        n_lines = min(rng.randint(1, 9), lines - sheet.row + 1)   # mean 5 lines per order
        # One line per product: (order_no, product_code) is the form's row key.
        for product in rng.sample(products, n_lines):
            qty = rng.choice([rng.randint(1, 20), rng.randint(1, 200), rng.randrange(10, 1001, 10)])
            cents = price_cents[product]
            fault = rng.choice(FAULTS) if rng.random() < FAULT_RATE else None
            if fault:
                faults[fault] += 1
            line = order_line({**order, "product_code": product, "qty": qty, "unit_price": cents,
                               "amount": qty * cents}, fault, rng)
            line["remark"] = rng.choice(REMARKS) if rng.random() < 0.05 else None
            sheet.write(line)
    sheet.close()
    return {"generator": GENERATOR_VERSION, "headers": HEADERS, "lines": lines, "orders": order_seq, "seed": seed,
            "faulty_rows": sum(faults.values()), "faults": dict(sorted(faults.items()))}


def ensure_input(out: Path, lines: int, regenerate: bool) -> tuple[Path, dict]:
    path = out / f"orders-{lines}.xlsx"
    meta_path = out / f"orders-{lines}.json"
    meta = None
    if path.exists() and meta_path.exists() and not regenerate:
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = None
        # Regenerate when the generator changed or the catalogue's labels did.
        if meta and (meta.get("generator") != GENERATOR_VERSION or meta.get("headers") != HEADERS):
            meta = None
    if meta is None:
        log(f"generating {path} ({lines:,} lines) ...")
        meta = generate_orders(path, lines, seed=lines)
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return path, meta


