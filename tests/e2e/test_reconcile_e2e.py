"""Receivables and the half-year reconciliation through the CLI, with a seeded half year of ~30 customers.

Workbooks are written the way finance and sales staff write them: Chinese headers under a title
row, amounts as text with thousands separators. Expected balances are summed here, independently
of the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal as D

import openpyxl
import pytest

from osb_batch import catalogue

from ..conftest import CUSTOMER_HEADER, customer_rows, write_xlsx

PRODUCTS = [["产品编码", "产品名称", "规格", "单位", "单价", "状态", "产品组"],
            ["P001", "洗衣粉", "1kg", "袋", "10.00", "在售", "日化"]]
END = dt.date(2026, 6, 30)


def header(form: str) -> list[str]:
    return [f.zh + ("*" if f.required else "") for f in catalogue.load()[form].fields]


def text(amount: D) -> str:
    return f"{amount:,.2f}"


class HalfYear:
    """A seeded half year: opening balances, invoices, returns, receipts (claimed, by remark, unmatched)."""

    def __init__(self, seed: int = 20260630, customers: int = 30):
        rng = random.Random(seed)
        self.codes = [f"C{i:03d}" for i in range(1, customers + 1)]
        self.opening, self.invoices, self.returns, self.receipts, self.claims = [], [], [], [], []
        self.expected = {c: D(0) for c in self.codes}       # balance at END by document dates
        n = 0
        for i, code in enumerate(self.codes):
            if i % 3 == 0:
                amount = D(rng.randint(1_000_00, 50_000_00)) / 100
                self.opening.append([code, f"QC-{code}", "2025-12-15", "2026-01-14", text(amount)])
                self.expected[code] += amount
            invoices = []
            for _ in range(rng.randint(2, 6)):
                n += 1
                day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 175))
                amount = D(rng.randint(500_00, 80_000_00)) / 100
                invoices.append((f"FP{n:05d}", day, amount))
                self.invoices.append([f"FP{n:05d}", f"SH-手工-{n}", code, day.isoformat(), text(amount)])
                self.expected[code] += amount
            if i % 4 == 1:                                  # a return against the first invoice
                no, day, amount = invoices[0]
                back = (amount / 10).quantize(D("0.01"))
                when = max(day, dt.date(2026, 2, 1)) + dt.timedelta(days=3)
                self.returns.append([f"TH-{code}", no, code, "P001", "5", text(back), when.isoformat(), "财务李", "破损"])
                self.expected[code] -= back
            for k, (no, day, amount) in enumerate(invoices[:-1]):    # most invoices get paid
                paid = day + dt.timedelta(days=rng.randint(10, 40))
                if paid > dt.date(2026, 6, 29):
                    paid = dt.date(2026, 6, 29)
                ref = f"BK{len(self.receipts) + 1:05d}"
                if k % 2 == 0:                              # matched by the invoice number in the remark
                    self.receipts.append([ref, paid.isoformat(), f"某某付款人{i}", text(amount), "基本户", f"付货款 {no}"])
                else:                                       # matched by a collection claim
                    self.receipts.append([ref, paid.isoformat(), f"代付单位{i}", text(amount), "基本户", "货款"])
                    self.claims.append([f"SQ-{ref}", ref, code, text(amount), no, "王经理"])
                self.expected[code] -= amount
        # after the period end: must stay out of 2026H1
        self.invoices.append(["FP99999", "SH-手工-x", "C001", "2026-07-02", "9,999.00"])
        self.receipts.append(["BK99999", "2026-07-02", "某某付款人0", "1,000.00", "基本户", "付货款 FP00001"])
        self.receipts.append(["BK88888", "2026-06-20", "不认识的公司", "777.77", "基本户", "货款"])   # unmatched

    def write(self, inbox) -> None:
        write_xlsx(inbox / "客户资料.xlsx", [CUSTOMER_HEADER, *customer_rows(len(self.codes))], title="客户资料")
        write_xlsx(inbox / "产品.xlsx", PRODUCTS, title="产品目录")
        write_xlsx(inbox / "期初应收.xlsx", [header("opening_balances"), *self.opening], title="期初应收")
        write_xlsx(inbox / "开票记录-上半年.xlsx", [header("invoices"), *self.invoices], title="开票记录 2026 上半年")
        write_xlsx(inbox / "退货单.xlsx", [header("returns"), *self.returns], title="退货单")
        write_xlsx(inbox / "银行到款.xlsx", [header("bank_receipts"), *self.receipts], title="银行到款明细")
        write_xlsx(inbox / "收款申请单.xlsx", [header("collection_claims"), *self.claims], title="收款申请单")


def reconcile(osb, *extra) -> dict:
    result = osb("reconcile", "--period", "2026H1", "--date", "2026-07-03", "--json", *extra)
    return json.loads(result.stdout)


def confirmation(inbox, name: str, rows: list[list]) -> None:
    write_xlsx(inbox / name, [header("confirmations"), *rows], title="对账确认函")


@pytest.fixture(scope="module")
def half_year():
    return HalfYear()


def test_half_year_reconciliation_ties_and_classifies_every_reply(osb, half_year):
    half_year.write(osb.inbox)
    manifest = osb.run("2026-07-03")
    assert all(i["status"] == "processed" for i in manifest["inputs"]), manifest["inputs"]
    forms = {o["form"] for o in manifest["outputs"]}
    assert {"receivables", "receipts_pool"} <= forms

    first = reconcile(osb)
    assert first["control"]["ok"] and first["control"]["ledger_total"] == first["control"]["statements_total"]
    closing = {c["customer_code"]: D(c["closing"]) for c in first["customers"]}
    assert closing == {c: v for c, v in half_year.expected.items()}          # to the cent, FP99999 left out
    assert D(first["control"]["ledger_total"]) == sum(half_year.expected.values())
    for c in first["customers"]:
        assert D(c["closing"]) == D(c["opening"]) + D(c["debits"]) - D(c["credits"])
        assert c["status"] == "no_reply"

    # replies: C001 agrees; C002 never booked its return; C003 dated its last payment two days
    # later, after the period end; everyone else stays silent
    ours = {c["customer_code"]: c for c in first["customers"]}
    confirmation(osb.inbox, "回函-C001.xlsx", [["2026年上半年", "C001", ours["C001"]["closing"], "是", None, None, None, "张三"]])
    c2_return = next(r for r in half_year.returns if r[2] == "C002")
    c2_balance = D(ours["C002"]["closing"]) + D(c2_return[5].replace(",", ""))
    c2_docs = _their_docs(osb, "C002", skip={c2_return[0]})
    confirmation(osb.inbox, "回函-C002.xlsx", [["2026H1", "C002", text(c2_balance), "否", *doc, "李四"] for doc in c2_docs])
    c3_docs = _their_docs(osb, "C003")
    last_payment = max((d for d in c3_docs if D(d[2].replace(",", "")) < 0), key=lambda d: d[1])
    last_payment[1] = (dt.date.fromisoformat(last_payment[1]) + dt.timedelta(days=2)).isoformat()
    moved = dt.date.fromisoformat(last_payment[1]) > END
    c3_balance = D(ours["C003"]["closing"]) - (D(last_payment[2].replace(",", "")) if moved else 0)
    confirmation(osb.inbox, "回函-C003.xlsx", [["2026H1", "C003", text(c3_balance), "否", *doc, "王五"] for doc in c3_docs])

    second = reconcile(osb)          # takes the replies in through a daily run first
    got = {c["customer_code"]: c for c in second["customers"]}
    assert got["C001"]["status"] == "agreed" and got["C001"]["difference"] == "0.00"
    assert got["C002"]["status"] == "differs"
    assert got["C002"]["unmatched_ours"] == [c2_return[0]] and got["C002"]["unexplained"] == "0.00"
    assert D(got["C002"]["explained"]) == -D(c2_return[5].replace(",", ""))
    if moved:
        assert got["C003"]["status"] == "differs" and got["C003"]["unexplained"] == "0.00"
    else:
        assert got["C003"]["status"] == "agreed"
    assert got["C003"]["unmatched_ours"] == [] and got["C003"]["unmatched_theirs"] == []
    assert {c["status"] for code, c in got.items() if code not in ("C001", "C002", "C003")} == {"no_reply"}
    assert len(second["customers"]) == len(first["customers"])
    summary = openpyxl.load_workbook(osb.home / "outbox" / "对账-2026H1" / "对账汇总-2026H1.xlsx", read_only=True)
    c001 = next(r for r in summary.worksheets[0].iter_rows(values_only=True) if r and r[0] == "C001")
    assert not [v for v in c001 if isinstance(v, str) and "余额" in v]     # ticked 是 and agrees: no note

    # a later reply replaces nothing else and duplicates nothing
    confirmation(osb.inbox, "回函-C004.xlsx", [["2026H1", "C004", got["C004"]["closing"], "是", None, None, None, "赵六"]])
    third = reconcile(osb)
    assert {c["customer_code"]: c["status"] for c in third["customers"]} == {
        **{c: s["status"] for c, s in got.items()}, "C004": "agreed"}
    folder = osb.home / "outbox" / "对账-2026H1"
    statements = sorted(p.name for p in folder.glob("对账单-2026H1-*.xlsx"))
    assert len(statements) == len(third["customers"])
    summary = openpyxl.load_workbook(folder / "对账汇总-2026H1.xlsx", read_only=True)
    assert summary.sheetnames[0] in ("对账汇总", "Summary")


def _their_docs(osb, code: str, skip=()) -> list[list]:
    """The customer's own list: every document of our statement for 2026H1, as they would type it."""
    con = osb.ledger()
    rows = []
    for no, day, amount in con.execute("SELECT invoice_no, invoice_date, amount FROM invoices WHERE customer_code = ? "
                                       "AND invoice_date BETWEEN '2026-01-01' AND '2026-06-30'", (code,)):
        rows.append([no, day, text(D(amount))])
    for no, day, amount in con.execute("SELECT return_no, return_date, amount FROM returns WHERE customer_code = ?", (code,)):
        rows.append([no, day, text(-D(amount))])
    for no, day, amount in con.execute("SELECT bank_ref, receipt_date, amount FROM receipts WHERE customer_code = ? "
                                       "AND receipt_date <= '2026-06-30'", (code,)):
        rows.append([f"付款{no[-3:]}", day, text(-D(amount))])       # their own payment numbers
    return [r for r in rows if r[0] not in skip]


def test_the_control_total_stops_a_reconciliation_that_does_not_tie(osb, half_year, monkeypatch):
    half_year.write(osb.inbox)
    osb.run("2026-07-03")
    from osb_batch.ledger import receivables
    real = receivables.ledger_total
    monkeypatch.setattr(receivables, "ledger_total", lambda ledger, end: real(ledger, end) + D("0.01"))
    result = osb("reconcile", "--period", "2026H1", "--date", "2026-07-03", expect=1)
    assert "未写出任何文件" in result.output and "nothing was written" not in result.output
    assert not (osb.home / "outbox" / "对账-2026H1").exists()


def test_a_wrong_period_is_a_usage_error(osb):
    result = osb("reconcile", "--period", "2026Q3", expect=2)
    assert "2026H1" in result.output


def test_receipts_pool_and_receivables_are_written_each_run(osb, half_year):
    half_year.write(osb.inbox)
    manifest = osb.run("2026-07-03")
    out = {o["form"]: osb.home / o["file"] for o in manifest["outputs"]}
    pool = openpyxl.load_workbook(out["receipts_pool"], read_only=True)
    first = pool.worksheets[0]
    refs = [c.value for row in first.iter_rows() for c in row if c.value == "BK88888"]
    assert refs == ["BK88888"]                      # the one receipt nobody claimed
    ar = openpyxl.load_workbook(out["receivables"], read_only=True)
    assert len(ar.sheetnames) >= 5
    kpi = openpyxl.load_workbook(out["kpi"], read_only=True).worksheets[0]
    bc = [r for r in kpi.iter_rows(values_only=True) if "回款率" in r]
    assert bc and all(r[5] is None and r[7] is not None for r in bc)   # BC counts money, in the 金额 columns
    status = json.loads(osb("status", "--date", "2026-07-03", "--json").stdout)
    assert [r["bank_ref"] for r in status["unmatched_receipts"]] == ["BK88888"]
    overdue = {c["customer_code"]: D(c["overdue"]) for c in status["overdue_customers"]}
    assert overdue and all(v > 0 for v in overdue.values())
    assert set(overdue) <= {c for c, v in half_year.expected.items() if v > 0}


def test_many_statements_are_shared_among_processes_with_the_same_result(osb, half_year, monkeypatch):
    half_year.write(osb.inbox)
    osb.run("2026-07-03")
    serial = reconcile(osb)
    folder = osb.home / "outbox" / "对账-2026H1"
    before = {p.name: openpyxl.load_workbook(p, read_only=True).worksheets[0].max_row for p in folder.glob("对账单-*")}
    from osb_batch.reports import reconciliation as reconcile_mod
    monkeypatch.setattr(reconcile_mod, "PARALLEL_FROM", 2)
    monkeypatch.setattr(reconcile_mod.os, "cpu_count", lambda: 2)
    assert reconcile(osb) == serial
    after = {p.name: openpyxl.load_workbook(p, read_only=True).worksheets[0].max_row for p in folder.glob("对账单-*")}
    assert after == before and len(after) == len(serial["customers"])


def test_a_bank_reference_or_invoice_repeated_in_one_file_is_warned_about_and_applied_once(osb):
    write_xlsx(osb.inbox / "客户资料.xlsx", [CUSTOMER_HEADER, *customer_rows(2)], title="客户资料")
    write_xlsx(osb.inbox / "开票.xlsx", [header("invoices"), ["FP1", "SH-x", "C001", "2026-03-01", "1,000.00"],
                                       ["FP1", "SH-x", "C001", "2026-03-01", "1,000.00"]], title="开票记录")
    write_xlsx(osb.inbox / "到款.xlsx", [header("bank_receipts"), ["BK1", "2026-03-05", "某人", "400.00", None, "FP1"],
                                       ["BK1", "2026-03-05", "某人", "400.00", None, "FP1"]], title="银行到款")
    manifest = osb.run("2026-07-03")
    assert all(i["errors"] == 0 for i in manifest["inputs"]), manifest["inputs"]
    con = osb.ledger()
    assert con.execute("SELECT count(*) FROM invoices").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM receipts").fetchone()[0] == 1
    result = reconcile(osb)
    assert {c["customer_code"]: c["closing"] for c in result["customers"]} == {"C001": "600.00"}
    exceptions = next(osb.home / o["file"] for o in manifest["outputs"] if o["form"] == "exceptions")
    text = " ".join(str(v) for row in openpyxl.load_workbook(exceptions, read_only=True).worksheets[0]
                    .iter_rows(values_only=True) for v in row if v)
    assert "FP1" in text and "BK1" in text and "本文件" in text


def test_reconcile_exits_at_once_while_a_run_holds_the_lock(osb):
    from osb_batch.ledger import session
    from osb_batch.workspace import Home
    with session.locked(Home(osb.home), None, "pid 1, started 2026-07-03T08:00:00"):
        busy = osb.subprocess("reconcile", "--period", "2026H1")
    assert busy.returncode == 1 and "pid 1" in busy.stderr
    assert not (osb.home / "outbox" / "对账-2026H1").exists()
