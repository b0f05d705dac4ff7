"""The reconciliation benchmark's ledger: every customer's documents and replies, inserted
straight into ``state/ledger.sqlite`` with sqlite3 (the benchmark measures reconcile, not intake).

:func:`seed_documents` returns what the reconciliation must then report (closing balances,
statuses, the receipts left out of partial document lists), which ``bench_reconcile.py`` checks.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
from pathlib import Path

from _common import person

PERIOD = "2026H1"
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
FIRST_INVOICE = dt.date(2025, 12, 1)
JULY = (dt.date(2026, 7, 1), dt.date(2026, 7, 4))

# Shares of a customer's documents (the rest are invoices); JULY_SHARE more are dated in July.
OPENING_SHARE, RECEIPT_SHARE, RETURN_SHARE, JULY_SHARE = 0.03, 0.30, 0.05, 0.03
REPLY_SHARE = 0.30             # customers that reply; half agree, half confirm a wrong balance
DOCLIST_SHARE = 0.02           # customers whose reply lists their documents
BATCH = 250                    # customers per executemany batch


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
        code = c["customer_code"]
        opening = self._opening(code)
        numbered, period = self._period(c)
        self._july(c, numbered)
        opening += sum(p[3] for p in period if p[2] < START)          # December's documents
        period = [p for p in period if p[2] >= START]
        closing = opening + sum(p[3] for p in period)
        self.closing[code] = closing
        self.status[code] = reply or "no_reply"
        self.counts["july"] += self.plan["july"]
        for kind in ("opening", "invoices", "receipts", "returns"):
            self.counts[kind] += self.plan[kind]
        if reply is not None:
            self._reply(code, period, closing, reply, doc_list)

    def _opening(self, code: str) -> int:
        """Opening documents of 2025; returns their total in cents."""
        total = 0
        for k in range(self.plan["opening"]):
            day = _day(self.rng, dt.date(2025, 6, 1), dt.date(2025, 11, 30))
            cents = self.rng.randint(1_000_00, 50_000_00)
            self.rows["opening"].append((code, f"QC-{code}-{k + 1}", day.isoformat(),
                                         (day + dt.timedelta(days=30)).isoformat(), money(cents), None))
            total += cents
        return total

    def _period(self, c: dict) -> tuple[list[tuple[str, dt.date, int]], list[tuple[str, str, dt.date, int]]]:
        """Invoices, the receipts paying the oldest and returns against them: (invoices as
        (number, date, cents), every document as (kind, number, date, signed cents))."""
        rng, plan, code = self.rng, self.plan, c["customer_code"]
        period: list[tuple[str, str, dt.date, int]] = []
        invoices = sorted((_day(rng, FIRST_INVOICE, END), rng.randint(500_00, 80_000_00))
                          for _ in range(plan["invoices"]))
        numbered = []
        for day, cents in invoices:
            no = self.number("FP")
            self.rows["invoices"].append((no, "SH" + no[2:], code, day.isoformat(), money(cents), None, self.run_id))
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
        return numbered, period

    def _july(self, c: dict, numbered: list[tuple[str, dt.date, int]]) -> None:
        """Documents dated after the period end, which the statements leave out."""
        code = c["customer_code"]
        for k in range(self.plan["july"]):
            day = _day(self.rng, *JULY)
            cents = self.rng.randint(500_00, 80_000_00)
            if k % 3 == 0:
                no = self.number("FP")
                self.rows["invoices"].append((no, "SH" + no[2:], code, day.isoformat(), money(cents), None,
                                              self.run_id))
            elif k % 3 == 1:
                self.receipt(c, self.number("BK"), day, cents, numbered[-1][0])
            else:
                self.ret(code, self.number("TH"), numbered[-1][0], day, cents // 10)

    def _reply(self, code: str, period: list[tuple[str, str, dt.date, int]], closing: int, reply: str,
               doc_list: bool) -> None:
        """The customer's confirmation, and with ``doc_list`` the documents it lists."""
        rng = self.rng
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
                                           person(rng, set()), None, self.run_id))
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

