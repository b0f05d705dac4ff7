"""Benchmark the sales figures of a month (osb_batch.reports.sales_figures) on a large facts frame.

Usage:
    python benchmarks/bench_figures.py [--rows 400000] [--customers 5000] [--people 200] [--reps 3]

The issue's size: 5,000 customers, 200 people, a month of 400,000 invoice lines. This builds, in
memory and untimed, a facts frame with the columns of ``FACT_COLUMNS``: ``--rows`` sales lines in
November 2026, a tenth as many again in October (环比) and in November 2025 (同比), and one
collection row per 20 sales lines; 5 markets of 4 regions, 40 products, customers spread over the
regions with one of the KAMs of their market; a monthly plan row per region and product owned by a
KAM. It then times, --reps times, the figures of the national report (``build``: every table) and,
separately, the scoped copies (``restrict``, on the facts prepared once) for every market, region
and KAM, and checks that
the regions add up to the total to the cent. It prints a Markdown report; no files are written.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import sys
import time
from decimal import Decimal

import numpy as np
import pandas as pd

from osb_batch.reports.figure_frames import prepare
from osb_batch.reports.figure_scope import Scope, restrict
from osb_batch.reports.period import calendar_period
from osb_batch.reports.sales_figures import FigureInputs, build
from osb_batch.rules.management_records import FACT_COLUMNS, Person, PlanRow
from osb_batch.rules.targets import Targets
from osb_batch.workdays import WorkCalendar

MARKETS = ("E", "N", "S", "W", "C")
PRODUCTS = tuple(f"P{i:03d}" for i in range(1, 41))


def roster(people: int) -> list[Person]:
    """An MM per market, a UM per region, the rest KAMs spread over the markets."""
    since = dt.date(2026, 1, 1)
    staff = [Person(f"MM{m}", "MM", m, None, None, None, True, since) for m in MARKETS]
    staff += [Person(f"UM{m}{r}", "UM", m, f"{m}{r}", None, None, True, since) for m in MARKETS for r in range(4)]
    kams = people - len(staff)
    staff += [Person(f"KAM{i:03d}", "KAM", MARKETS[i % len(MARKETS)], None, None, None, True, since)
              for i in range(kams)]
    return staff


def facts_frame(rows: int, customers: int, people: list[Person], rng: np.random.Generator) -> pd.DataFrame:
    """The facts: November's sales, a tenth more in October and in November 2025, collections."""
    kams = [p for p in people if p.role == "KAM"]
    codes = np.array([f"C{i:05d}" for i in range(customers)], dtype=object)
    market_of = np.array([MARKETS[i % len(MARKETS)] for i in range(customers)], dtype=object)
    region_of = np.array([f"{market_of[i]}{(i // len(MARKETS)) % 4}" for i in range(customers)], dtype=object)
    kam_of = np.array([kams[(i // len(MARKETS)) % (len(kams) // len(MARKETS)) * len(MARKETS) + i % len(MARKETS)].name
                       for i in range(customers)], dtype=object)
    um_of = np.array([f"UM{region_of[i]}" for i in range(customers)], dtype=object)
    parts = []
    for start, days, count in ((dt.date(2026, 11, 1), 30, rows), (dt.date(2026, 10, 1), 31, rows // 10),
                               (dt.date(2025, 11, 1), 30, rows // 10)):
        who = rng.integers(0, customers, count)
        sales = count - count // 20
        kinds = np.array(["sales"] * sales + ["collection"] * (count - sales), dtype=object)
        products = np.where(kinds == "sales", np.array(PRODUCTS, dtype=object)[rng.integers(0, 40, count)], None)
        parts.append(pd.DataFrame({
            "kind": kinds,
            "date": pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days, count), unit="D"),
            "doc_no": [f"INV-{i}" for i in range(count)], "customer_code": codes[who],
            "product_code": products, "market": market_of[who], "region": region_of[who],
            "kam": kam_of[who], "um": um_of[who],
            "qty": np.where(kinds == "sales", rng.integers(1, 50, count), 0).astype("float64"),
            "cents": rng.integers(100, 2_000_000, count).astype("int64"),
            "order_no": np.where(kinds == "sales", [f"SO-{i // 5}" for i in range(count)], None),
        }))
    return pd.concat(parts, ignore_index=True)[list(FACT_COLUMNS)]


def plans(people: list[Person]) -> list[PlanRow]:
    kams = {m: [p.name for p in people if p.role == "KAM" and p.market == m] for m in MARKETS}
    return [PlanRow("month", "2026-11", m, f"{m}{r}", product, Decimal(1_500_000 + 1000 * i), None, None, None,
                    kams[m][i % len(kams[m])])
            for m in MARKETS for r in range(4) for i, product in enumerate(PRODUCTS)]


def timed(action) -> tuple[tuple[float, float], object]:
    """(wall seconds, CPU seconds of this process) of ``action()``, and its result."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    return (time.perf_counter() - started, time.process_time() - cpu), result


def _national(inputs: FigureInputs) -> tuple[FigureInputs, object]:
    """The facts prepared once (as a report making scoped copies would) and the national figures."""
    prepared = dataclasses.replace(inputs, facts=prepare(inputs.facts))
    return prepared, build(prepared)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(11)
    people = roster(args.people)
    facts = facts_frame(args.rows, args.customers, people, rng)
    period = calendar_period("month", "2026-11")
    first_orders = {f"C{i:05d}": dt.date(2026, 11, 1) + dt.timedelta(days=i % 60) for i in range(args.customers)}
    inputs = FigureInputs(facts, period, Targets(plans(people), WorkCalendar()), people, first_orders)
    scopes = [Scope(m) for m in MARKETS] + [Scope(m, f"{m}{r}") for m in MARKETS for r in range(4)] \
        + [Scope(kam=p.name) for p in people if p.role == "KAM"]
    national_times, scoped_times = [], []
    for _ in range(args.reps):
        seconds, (prepared, national) = timed(lambda: _national(inputs))
        national_times.append(seconds)
        seconds, _copies = timed(lambda n=national, p=prepared: [restrict(n, p, scope) for scope in scopes])
        scoped_times.append(seconds)
    total = national.total.amount
    if sum(r.amount for r in national.regions) != total or sum(m.amount for m in national.markets) != total:
        sys.exit("regions or markets do not add up to the total")
    print(f"# Sales figures: {len(facts):,} fact rows ({args.rows:,} in the month), "
          f"{args.customers:,} customers, {len(people)} people\n")
    print(f"Python {platform.python_version()}, pandas {pd.__version__}, {platform.machine()}, best of {args.reps}\n")
    print(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time suffers from a busy "
          "machine; CPU time much less)\n")
    print("| what | wall s | CPU s |\n|---|---|---|")
    for what, times in (("national figures (facts prepared once, every table)", national_times),
                        (f"{len(scopes)} scoped copies (markets, regions, KAMs)", scoped_times)):
        wall, cpu = min(times)
        print(f"| {what} | {wall:.2f} | {cpu:.2f} |")
    print(f"\n{len(national.lines)} lines, {len(national.people)} people, {len(national.dealers)} dealers; "
          f"total {total} yuan")


if __name__ == "__main__":
    main()
