"""The receivables workbook (应收款记录) and the receipts pool (到款池), which reads back as claims."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from osb_batch import catalogue
from osb_batch.messages import state_label
from osb_batch.readers import workbook as reader
from osb_batch.readers.row_checks import Known, validate
from osb_batch.writers import pool, receivables
from osb_batch.writers.account_records import (
    AgeingRow,
    AppliedReceipt,
    Candidate,
    LedgerEntry,
    OverdueItem,
    PoolReceipt,
    PoolReport,
    ReceivablesReport,
    Replenishment,
)
from osb_batch.writers.pool import pool_file_name, write_pool
from osb_batch.writers.receivables import receivables_file_name, write_receivables

from ..conftest import assert_list_layout
from .test_writers_exceptions import _lo_check

AS_OF = dt.date(2026, 11, 26)
SINCE = dt.date(2026, 7, 1)
VERSION = "2026.1"
BUCKETS = ("未到期", "1-30天", "31-60天", "61-90天", "91-180天", ">180天")
HR = receivables.HEADER_ROW + 1             # 1-based header row of the list sheets
SHEETS = ["账龄-客户", "账龄-客户经理", "账龄-市场", "逾期清单", "应收款记录", "补货记录", "_osb"]


def _ageing(label, name, kam, market, limit, buckets, unapplied="0.00") -> AgeingRow:
    buckets = tuple(D(b) for b in buckets)
    open_amount = sum(buckets, D("0.00"))
    return AgeingRow(label, name, kam, market, limit, open_amount, D(unapplied), open_amount - D(unapplied),
                     buckets, sum(buckets[1:], D("0.00")))


def _report(*, overdue: bool = True) -> ReceivablesReport:
    customers = (
        _ageing("C001", "上海浦东贸易有限公司", "王磊", "华东", D("500000.00"),
                ("1200.50", "300.00", "0.00", "0.00", "0.00", "0.00")),
        _ageing("C002", "=1+1", "王磊", "华东", D("100000.00"),
                ("0.00", "0.00", "800.25", "0.00", "0.00", "0.00"), unapplied="5000.00"),   # negative balance
        _ageing("C003", "北京朝阳商贸", "李娜", "华北", None,
                ("0.00", "0.00", "0.00", "700.00", "650.00", "99.99")),
    )
    kams = (_ageing("王磊", "", "王磊", "华东", None, ("1200.50", "300.00", "800.25", "0", "0", "0"), "5000.00"),
            _ageing("李娜", "", "李娜", "华北", None, ("0", "0", "0", "700.00", "650.00", "99.99")))
    markets = (_ageing("华东", "", "", "华东", None, ("1200.50", "300.00", "800.25", "0", "0", "0"), "5000.00"),
               _ageing("华北", "", "", "华北", None, ("0", "0", "0", "700.00", "650.00", "99.99")))
    items = (
        OverdueItem("王磊", "C001", "上海浦东贸易有限公司", "FP-001", dt.date(2026, 10, 1), dt.date(2026, 10, 31),
                    26, D("1000.00"), D("300.00"), "1-30天"),
        OverdueItem("王磊", "C002", "=1+1", "FP-002", dt.date(2026, 9, 1), dt.date(2026, 10, 1), 56,
                    D("800.25"), D("800.25"), "31-60天"),
        OverdueItem("李娜", "C003", "北京朝阳商贸", "FP-003", dt.date(2026, 4, 1), dt.date(2026, 5, 1), 209,
                    D("99.99"), D("99.99"), ">180天"),
    ) if overdue else ()
    entries = (
        LedgerEntry("C001", "上海浦东贸易有限公司", SINCE, "brought_forward", "", "", None, D(0), D(0),
                    D("500.00"), None),
        LedgerEntry("C001", "上海浦东贸易有限公司", dt.date(2026, 10, 1), "invoice", "FP-001", "DN-001",
                    dt.date(2026, 10, 31), D("1000.00"), D(0), D("1500.00"), D("300.00")),
        LedgerEntry("C001", "上海浦东贸易有限公司", dt.date(2026, 11, 2), "receipt", "BR-1", "", None, D(0),
                    D("700.00"), D("800.00"), None),
        LedgerEntry("C002", "=1+1", dt.date(2026, 7, 2), "opening", "OP-1", "", dt.date(2026, 8, 1),
                    D("800.25"), D(0), D("800.25"), D("800.25")),
        LedgerEntry("C002", "=1+1", dt.date(2026, 8, 3), "return", "RT-1", "FP-000", None, D(0),
                    D("5000.00"), D("-4199.75"), None),
    )
    reps = (
        Replenishment("C001", "上海浦东贸易有限公司", "DN-001", dt.date(2026, 9, 30), "SO-001", D("1000.00"),
                      dt.datetime(2026, 10, 1, 9, 30), "FP-001", D("1000.00"), "INVOICED"),
        Replenishment("C002", "=1+1", "DN-002", dt.date(2026, 11, 25), "SO-002", D("250.50"), None, "",
                      D("0.00"), "NOTE_ISSUED"),
    )
    return ReceivablesReport(AS_OF, SINCE, BUCKETS, customers, kams, markets, items, entries, reps)


def _rows(ws, first: int = HR + 1) -> list[list]:
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def _header(ws) -> list:
    return [c.value for c in ws[HR]]


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))


# -- receivables ----------------------------------------------------------------------------------

def test_file_names():
    assert receivables_file_name(AS_OF) == "应收款记录-2026-11-26.xlsx"
    assert pool_file_name(AS_OF) == "到款池-2026-11-26.xlsx"


def test_ageing_by_customer_lists_every_bucket_with_decimal_totals(tmp_path):
    report = _report()
    out = tmp_path / receivables_file_name(AS_OF)
    write_receivables(report, out, version=VERSION)
    assert not list(tmp_path.glob(".*.tmp"))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS and wb.active.title == "账龄-客户"
    osb = wb["_osb"]
    assert osb.sheet_state == "hidden" and osb["B1"].value == "receivables" and osb["B2"].value == VERSION
    assert [osb.cell(r, 2).value for r in range(4, 4 + 15)] == list(receivables.osb_keys(BUCKETS))

    ws = wb["账龄-客户"]
    assert ws["A1"].value == "账龄-客户（截至 2026-11-26）"
    assert len(_header(ws)) == 9 + len(BUCKETS) and _header(ws)[8:-1] == list(BUCKETS)    # wording: golden
    rows = _rows(ws)
    assert [r[0] for r in rows] == ["C001", "C002", "C003"]
    assert rows[1][:8] == ["C002", "=1+1", "王磊", "华东", 100000, 800.25, 5000, -4199.75]
    assert ws.cell(HR + 2, 2).data_type == "s"
    assert rows[2][4] is None                       # no credit limit
    assert rows[2][8:] == pytest.approx([0, 0, 0, 700, 650, 99.99, 1449.99])
    # the totals line above the header: the Decimal sums, written as numbers
    totals = [c.value for c in ws[2]]
    assert totals[0] == "合计（3 户）" and totals[4] is None       # credit limits are not added up
    for c, attr in ((5, "open_amount"), (6, "unapplied"), (7, "balance"), (14, "overdue")):
        assert D(str(totals[c])) == sum((getattr(r, attr) for r in report.customers), D(0))
    for i in range(len(BUCKETS)):
        assert D(str(totals[8 + i])) == sum((r.buckets[i] for r in report.customers), D(0))
    assert all(ws.cell(HR + 1, c).number_format == "#,##0.00" for c in range(5, 16))
    assert ws.cell(2, 6).number_format == "#,##0.00" and ws.cell(2, 6).font.b
    assert_list_layout(ws, 15, 3, header_row=HR)
    # overdue buckets and the overdue column are highlighted, "not due" is not
    ranges = {str(r.sqref) for r in ws.conditional_formatting}
    assert ranges == {f"{col}4:{col}6" for col in "JKLMNO"}
    assert "<f>" not in _sheet_xml(out)


def test_ageing_by_kam_and_market(tmp_path):
    report = _report()
    out = tmp_path / "r.xlsx"
    write_receivables(report, out, version=VERSION)
    wb = openpyxl.load_workbook(out)
    kams, markets = wb["账龄-客户经理"], wb["账龄-市场"]
    assert _header(kams)[2:] == _header(markets)[1:] == _header(wb["账龄-客户"])[5:]     # the same money columns
    assert _header(kams)[:2] == _header(wb["账龄-客户"])[2:4] and _header(markets)[0] == _header(kams)[1]
    assert [r[:2] for r in _rows(kams)] == [["王磊", "华东"], ["李娜", "华北"]]
    assert [r[0] for r in _rows(markets)] == ["华东", "华北"]
    assert kams["A2"].value == "合计（2 人）" and markets["A2"].value == "合计（2 个）"
    assert D(str(kams["E2"].value)) == sum((r.balance for r in report.kams), D(0))
    assert D(str(markets["K2"].value)) == sum((r.overdue for r in report.markets), D(0))
    assert_list_layout(kams, 12, 2, header_row=HR)
    assert_list_layout(markets, 11, 2, header_row=HR)


def test_overdue_list_is_grouped_by_kam_with_subtotals(tmp_path):
    report = _report()
    out = tmp_path / "r.xlsx"
    write_receivables(report, out, version=VERSION)
    ws = openpyxl.load_workbook(out)["逾期清单"]
    assert len(_header(ws)) == 10                                                    # wording: golden
    rows = _rows(ws)
    assert [r[:2] for r in rows] == [["王磊", "小计（2 笔）"], ["王磊", "C001"], ["王磊", "C002"],
                                     ["李娜", "小计（1 笔）"], ["李娜", "C003"]]
    assert rows[0][7:9] == [1800.25, 1100.25] and ws.cell(HR + 1, 1).font.b
    assert rows[2][3:] == ["FP-002", dt.datetime(2026, 9, 1), dt.datetime(2026, 10, 1), 56, 800.25, 800.25,
                           "31-60天"]
    assert ws.cell(HR + 2, 5).number_format == "yyyy-mm-dd"
    assert ws["A2"].value == "合计（3 笔）"
    assert D(str(ws["I2"].value)) == sum((i.open_amount for i in report.overdue), D(0)) == D("1200.24")
    assert D(str(ws["H2"].value)) == D("1900.24")
    assert ws.conditional_formatting
    assert_list_layout(ws, 10, 5, header_row=HR)


def test_receivables_record_and_replenishments(tmp_path):
    report = _report()
    out = tmp_path / "r.xlsx"
    write_receivables(report, out, version=VERSION)
    wb = openpyxl.load_workbook(out)
    ws = wb["应收款记录"]
    assert ws["A2"].value == "自 2026-07-01 起 · 合计（5 行）"
    assert len(_header(ws)) == 11                                                    # wording: golden
    rows = _rows(ws)
    assert [r[3] for r in rows] == ["上期结转", "发票", "收款", "期初单据", "退货"]
    assert rows[0][7:] == [None, None, 500, None]
    assert rows[4] == ["C002", "=1+1", dt.datetime(2026, 8, 3), "退货", "RT-1", "FP-000", None, None, 5000,
                       -4199.75, None]
    assert D(str(ws["H2"].value)) == D("1800.25") and D(str(ws["I2"].value)) == D("5700.00")
    assert ws["J2"].value is None and D(str(ws["K2"].value)) == D("1100.25")
    # a line above the first row of the next customer
    assert [ws.cell(r, 1).border.top.style for r in range(HR + 1, HR + 6)] == [None, None, None, "thin", None]
    assert_list_layout(ws, 11, 5, header_row=HR)

    ws = wb["补货记录"]
    assert len(_header(ws)) == 10                                                    # wording: golden
    rows = _rows(ws)
    assert rows[0] == ["C001", "上海浦东贸易有限公司", "DN-001", dt.datetime(2026, 9, 30), "SO-001", 1000,
                       dt.datetime(2026, 10, 1, 9, 30), "FP-001", 1000, state_label("INVOICED")]
    assert rows[1][6:] == [None, None, 0, state_label("NOTE_ISSUED")]
    assert ws.cell(HR + 1, 7).number_format == "yyyy-mm-dd hh:mm"
    assert ws["A2"].value == "合计（2 张）" and D(str(ws["F2"].value)) == D("1250.50")
    assert_list_layout(ws, 10, 2, header_row=HR)


def test_receivables_in_english_with_nothing_overdue(tmp_path):
    out = tmp_path / "r.xlsx"
    write_receivables(_report(overdue=False), out, lang="en", version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Ageing by customer", "Ageing by KAM", "Ageing by market", "Overdue by KAM",
                             "Receivables record", "Replenishment record", "_osb"]
    assert _header(wb["Ageing by customer"])[:8] == ["Customer code", "Customer name", "Account manager",
                                                     "Market", "Credit limit", "Open amount",
                                                     "Unapplied credit", "Balance"]
    ws = wb["Overdue by KAM"]
    assert ws["A1"].value == "Overdue by KAM as of 2026-11-26"
    assert ws["A2"].value == "No overdue receivables" and _rows(ws) == []
    assert_list_layout(ws, 10, 0, header_row=HR)
    assert [r[3] for r in _rows(wb["Receivables record"])][:2] == ["Brought forward", "Invoice"]
    assert wb["Receivables record"]["A2"].value == "Since 2026-07-01 · Total (5 lines)"
    assert _rows(wb["Replenishment record"])[0][9] == state_label("INVOICED", "en") == "Invoiced"


def test_five_thousand_customers_and_thirty_thousand_entries(tmp_path):
    customers = tuple(_ageing(f"C{i:05d}", f"测试客户{i}有限公司", f"客户经理{i % 40}", "华东", D("100000.00"),
                              ("100.00", "10.00", "0.00", "0.00", "0.00", "1.01")) for i in range(5000))
    entries = tuple(LedgerEntry(f"C{i // 6:05d}", f"测试客户{i // 6}有限公司", dt.date(2026, 8, 1), "invoice",
                                f"FP-{i:06d}", f"DN-{i:06d}", dt.date(2026, 9, 1), D("111.11"), D(0),
                                D("111.11") * (i % 6 + 1), D("111.11")) for i in range(30000))
    report = ReceivablesReport(AS_OF, SINCE, BUCKETS, customers, (), (), (), entries, ())
    out = tmp_path / "big.xlsx"
    write_receivables(report, out, version=VERSION)
    with zipfile.ZipFile(out) as z:     # the sheets' extent, without parsing 400,000 cells back
        dimensions = [re.search(r'<dimension ref="([^"]+)"', z.read(f"xl/worksheets/sheet{n}.xml").decode()[:2000])[1]
                      for n in (1, 5)]
    assert dimensions == [f"A1:O{HR + 5000}", f"A1:K{HR + 30000}"]


# -- receipts pool --------------------------------------------------------------------------------

def _pool(*, unmatched: bool = True, tie: bool = True) -> PoolReport:
    receipts = (
        PoolReceipt("BR-20261125-001", dt.date(2026, 11, 25), "上海浦东贸易", D("1200.50"), "工商银行浦东支行",
                    "货款", 1, (Candidate("C001", "上海浦东贸易有限公司", "付款户名相似：上海浦东贸易"),
                               Candidate("C009", "浦东贸易", "金额等于发票 FP-001 的未收金额"))),
        PoolReceipt("BR-20261120-007", dt.date(2026, 11, 20), "=1+1", D("300.00"), "建设银行", "=SUM(A1)",
                    6, ()),
    ) if unmatched else ()
    matched = (AppliedReceipt("BR-20261126-002", dt.date(2026, 11, 26), "北京朝阳商贸", D("1000.00"), "C003",
                              "北京朝阳商贸", "收款申请单", "FP-003 99.99；FP-004 800.00", D("899.99"), D("100.01")),)
    unmatched_total = sum((r.amount for r in receipts), D(0))
    return PoolReport(AS_OF, receipts, matched, D("1000.00") + unmatched_total + (0 if tie else D("0.01")),
                      D("899.99"), D("100.01"), unmatched_total)


def test_pool_workbook(tmp_path):
    report = _pool()
    out = tmp_path / pool_file_name(AS_OF)
    write_pool(report, out, version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["待认领", "本次已匹配", "汇总", "_osb"] and wb.active.title == "待认领"
    osb = wb["_osb"]
    assert osb["B1"].value == "collection_claims" and osb["B2"].value == VERSION
    assert [osb.cell(r, 2).value for r in range(4, 16)] == list(pool.KEYS)
    assert [k for k in pool.KEYS if not k.startswith("~")] == ["bank_ref", "amount", *pool.TO_FILL]

    ws = wb["待认领"]
    header = pool.HEADER_ROW + 1
    assert ws["A1"].value == "到款池 — 待认领（截至 2026-11-26）"
    assert ws["A2"].value == "合计（2 笔）" and D(str(ws["D2"].value)) == D("1500.50")
    assert "黄色列" in ws["A3"].value
    claims = catalogue.load()["collection_claims"]                 # the claim fields are headed by the catalogue
    heads = [c.value for c in ws[header]]
    assert len(heads) == len(pool.KEYS) and heads[8:] == [claims.field(k).header() for k in pool.TO_FILL]
    assert (heads[0], heads[3]) == (claims.field("bank_ref").zh, claims.field("amount").zh)
    rows = [list(r) for r in ws.iter_rows(min_row=header + 1, values_only=True)]
    assert rows[0][:8] == ["BR-20261125-001", dt.datetime(2026, 11, 25), "上海浦东贸易", 1200.5, "工商银行浦东支行",
                           "货款", 1, "C001 上海浦东贸易有限公司：付款户名相似：上海浦东贸易\n"
                                      "C009 浦东贸易：金额等于发票 FP-001 的未收金额"]
    assert rows[1][7] is None and rows[1][2] == "=1+1" and ws.cell(header + 2, 6).data_type == "s"
    assert all(v is None for r in rows for v in r[8:])
    fill = ws.cell(header + 1, 9).fill.fgColor.rgb
    assert fill.endswith("FFF2CC") and ws.cell(header + 2, 12).fill.fgColor.rgb == fill
    assert ws.cell(header, 9).fill.fgColor.rgb == fill
    assert ws.cell(header + 1, 8).alignment.wrap_text and ws.cell(header + 1, 4).number_format == "#,##0.00"
    assert ws.row_dimensions[header + 1].height >= 34 and ws.row_dimensions[header + 2].height is None
    assert ws.freeze_panes == f"A{header + 1}" and ws.auto_filter.ref == f"A{header}:L{header + 2}"

    ws = wb["本次已匹配"]
    assert len(_header(ws)) == 10                                                    # wording: golden
    assert _rows(ws) == [["BR-20261126-002", dt.datetime(2026, 11, 26), "北京朝阳商贸", 1000, "C003", "北京朝阳商贸",
                          "收款申请单", "FP-003 99.99；FP-004 800.00", 899.99, 100.01]]
    assert ws["A2"].value == "合计（1 笔）" and D(str(ws["I2"].value)) == D("899.99")

    ws = wb["汇总"]
    assert [[c.value for c in r] for r in ws["A4:B7"]] == [["到款合计", 2500.5], ["已核销", 899.99],
                                                           ["转预收", 100.01], ["未认领", 1500.5]]
    assert ws["B4"].number_format == "#,##0.00"
    assert ws["A9"].value == "到款合计 = 已核销 + 转预收 + 未认领" and ws["B9"].value == "相符"
    assert "<f>" not in _sheet_xml(out)


def test_pool_without_unmatched_receipts_and_not_tying(tmp_path):
    out = tmp_path / "p.xlsx"
    write_pool(_pool(unmatched=False, tie=False), out, lang="en", version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["To claim", "Matched this run", "Summary", "_osb"]
    ws = wb["To claim"]
    assert ws["A2"].value == "No receipts to claim" and ws["A3"].value is None
    assert [c.value for c in ws[pool.HEADER_ROW + 1]][8:] == ["Claim number*", "Customer code*",
                                                             "Invoices to settle", "Claimed by*"]
    assert ws.max_row == pool.HEADER_ROW + 1
    assert wb["Summary"]["B9"].value == "Does not tie: difference 0.01"


def test_pool_reads_back_as_collection_claims(tmp_path):
    out = tmp_path / pool_file_name(AS_OF)
    write_pool(_pool(), out, version=VERSION)
    cat = catalogue.load()
    result = reader.read(out, cat)
    assert result.form == "collection_claims" and result.status == "read"
    assert [t.sheet for t in result.tables] == ["待认领"]        # the other sheets are not claims
    assert not [f for f in result.findings if f.is_error]
    assert not [f for f in result.findings if f.rule == "column-unknown"]   # `~` columns are ignored
    assert list(result.rows) == []                              # nothing claimed yet: every row skipped
    assert [f.rule for f in result.findings if f.rule == "unfilled-rows-skipped"] == ["unfilled-rows-skipped"]

    # a salesperson claims the first receipt and drops the file back into the inbox
    wb = openpyxl.load_workbook(out)
    ws = wb["待认领"]
    row = pool.HEADER_ROW + 2
    col = {k.lstrip("~"): i + 1 for i, k in enumerate(pool.KEYS)}
    ws.cell(row, col["claim_no"], "CL-20261126-001")
    ws.cell(row, col["customer_code"], "C001")
    ws.cell(row, col["claimed_by"], "王磊")
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = reader.read(filled, cat)
    validate([result], cat, Known(customers={"C001"}))
    assert result.form == "collection_claims"
    rows = [r for _, r in result.rows]
    assert rows[0].ok and {k: rows[0].values[k] for k in cat["collection_claims"].keys} == {
        "claim_no": "CL-20261126-001", "bank_ref": "BR-20261125-001", "customer_code": "C001",
        "amount": D("1200.50"), "invoice_nos": None, "claimed_by": "王磊"}
    # the receipt left unclaimed is skipped, not an error
    assert len(rows) == 1 and not [f for f in result.findings if f.is_error]
    skipped = next(f for f in result.findings if f.rule == "unfilled-rows-skipped")
    assert dict(skipped.params)["rows"] == str(row + 1)


# -- LibreOffice ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["receivables", "receivables_en", "pool"])
def test_outputs_open_and_print_in_libreoffice(tmp_path, kind):
    script = _lo_check()
    if kind == "pool":
        out = tmp_path / pool_file_name(AS_OF)
        write_pool(_pool(), out, version=VERSION)
    else:
        out = tmp_path / receivables_file_name(AS_OF)
        write_receivables(_report(overdue=kind == "receivables"), out, version=VERSION,
                          lang="en" if kind.endswith("_en") else "zh")
    proc = subprocess.run([sys.executable, str(script), str(out), "--pdf"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
