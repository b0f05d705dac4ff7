"""The half-year reconciliation's writers: statements of account and the reconciliation workbook."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal as D

import openpyxl
import pytest

from osb_batch.writers.account_records import (
    CustomerRef,
    DiffItem,
    FinanceRow,
    ReconciliationReport,
    ReconciliationRow,
    StatementLine,
    StatementView,
)
from osb_batch.writers.reconciliation import (
    DIFF_HEADERS,
    SIDES,
    TEXT,
    reconciliation_file_name,
    write_reconciliation,
)
from osb_batch.writers.statements import statement_file_name, write_statement

from ..conftest import LO_CHECK, lo_check_failures

VERSION = "2026.1"
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
MONEY = "#,##0.00"
CENT = D("0.01")
GREEN, RED, AMBER = "FFC6EFCE", "FFFFC7CE", "FFFFEB9C"


def _customer(code: str, name: str, market: str = "华东", kam: str = "李娜") -> CustomerRef:
    return CustomerRef(code=code, name=name, market=market, region="上海", account_manager=kam,
                       unit_manager="张伟")


def _statement(customer: CustomerRef, opening: D, docs: list[tuple[str, str, D]]) -> StatementView:
    """A statement from (kind, doc_no, signed amount) documents, one every day from START."""
    lines, balance = [], opening
    for i, (kind, doc_no, amount) in enumerate(docs):
        balance += amount
        lines.append(StatementLine(date=START + dt.timedelta(days=i % 180), kind=kind, doc_no=doc_no,
                                   reference=f"DN-{i:04d}" if kind == "invoice" else "",
                                   debit=max(amount, D(0)), credit=max(-amount, D(0)), balance=balance))
    debits = sum((ln.debit for ln in lines), D(0))
    credits = sum((ln.credit for ln in lines), D(0))
    return StatementView(period="2026H1", start=START, end=END, customer=customer,
                         address="上海市浦东新区世纪大道 100 号 A 座 2501 室", contact="王芳",
                         phone="021-5888 0000", opening=opening, lines=tuple(lines), debits=debits,
                         credits=credits, closing=opening + debits - credits, company="东方农资股份有限公司",
                         reply_by=dt.date(2026, 7, 20))


def _long_statement() -> StatementView:
    kinds = ("invoice", "receipt", "return", "opening")
    docs = []
    for i in range(300):
        kind = kinds[i % 4]
        amount = D(f"{1234567 + i * 37}.{i % 100:02d}") if kind in ("invoice", "opening") \
            else -D(f"{400000 + i}.05")
        docs.append((kind, f"{kind[:3].upper()}-2026-{i:05d}", amount))
    return _statement(_customer("C001", "上海浦东贸易有限公司"), D("10000.00"), docs)


def _credit_statement() -> StatementView:
    docs = [("invoice", "INV-1", D("5000.00")), ("receipt", "RC-1", D("-8000.00")),
            ("return", "RET-1", D("-234.50"))]
    return _statement(_customer("C002", "=1+1"), D("2000.00"), docs)


def _report(finance: bool = True, ledger_total: D | None = None) -> ReconciliationReport:
    rows = (
        ReconciliationRow(_customer("C001", "上海浦东贸易有限公司"), D("12345678.90"), D("2000000.00"),
                          D("1000000.00"), D("13345678.90"), D("13345678.90"), D("0.00"), D("0.00"),
                          D("0.00"), "agreed", "张伟", ""),
        ReconciliationRow(_customer("C002", "=1+1", "华北", "@SUM(A1)"), D("500.00"), D("1000.00"),
                          D("1734.50"), D("-234.50"), D("765.50"), D("-1000.00"), D("-1000.00"), D("0.00"),
                          "differs", "赵敏", "客户未入账退货 RET-1，收款 RC-1 客户记为 2026-07-02；" * 3),
        ReconciliationRow(_customer("C003", "广州天河农资", "华南", "周杰"), D("0.00"), D("9999.99"),
                          D("0.00"), D("9999.99"), None, None, D("0.00"), None, "no_reply", "", ""),
    )
    diffs = (
        DiffItem("C002", "ours", "RET-1", dt.date(2026, 6, 28), D("-234.50"), "客户未入账"),
        DiffItem("C002", "theirs", "X-9", None, D("1000.00"), "我方无此单据"),
        DiffItem("C002", "shifted", "RC-1", dt.date(2026, 7, 2), D("-765.50"), "日期不同"),
        DiffItem("C009", "amount", "INV-7", dt.date(2026, 3, 1), D("0.50"), ""),
    )
    fin = (
        FinanceRow("C001", "上海浦东贸易有限公司", END, D("13345678.90"), D("13345678.90"), D("0.00")),
        FinanceRow("C002", "=1+1", END, D("-234.50"), D("0.00"), D("-234.50")),
        FinanceRow("C008", "财务独有客户", END, None, D("300.00"), D("-300.00")),
    ) if finance else ()
    statements_total = sum((r.closing for r in rows), D(0))
    return ReconciliationReport(period="2026H1", start=START, end=END, rows=rows, differences=diffs,
                                finance=fin, ledger_total=statements_total if ledger_total is None else ledger_total,
                                statements_total=statements_total)


def _dec(value: float) -> D:
    return D(repr(value)).quantize(CENT)


def _row_of(ws, column: int, value: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value == value)


def _texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


# -- statements ------------------------------------------------------------------------------------

def test_statement_file_name_is_built_from_safe_parts():
    assert statement_file_name("2026H1", "C001", "上海浦东贸易") == "对账单-2026H1-C001-上海浦东贸易.xlsx"
    assert statement_file_name("2026H1", "C/9", "a..b:c") == "对账单-2026H1-C_9-a_b_c.xlsx"
    assert statement_file_name("2026H1", "C002", " ") == "对账单-2026H1-C002.xlsx"      # no master data


def test_a_long_statement_lists_every_line_with_totals_from_the_decimals(tmp_path):
    view = _long_statement()
    out = tmp_path / statement_file_name(view.period, view.customer.code, view.customer.name)
    write_statement(view, out, version=VERSION)
    assert not list(tmp_path.glob(".*.tmp"))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["对账单", "_osb"] and wb["_osb"]["B1"].value == "statements"
    assert wb["_osb"].sheet_state == "hidden"
    ws = wb["对账单"]
    texts = _texts(ws)
    assert "东方农资股份有限公司" in texts and "对账单" in texts
    assert "对账期间：2026H1（2026-01-01 至 2026-06-30）" in texts
    assert {"上海浦东贸易有限公司", "C001", "王芳", "021-5888 0000"} <= set(texts)
    head = _row_of(ws, 1, "日期")
    assert [ws.cell(head, c).value for c in range(1, 8)] == [
        "日期", "单据类型", "单据号", "关联单据", "借方(应收增加)", "贷方(应收减少)", "余额"]
    assert ws.cell(head + 1, 2).value == "期初余额" and _dec(ws.cell(head + 1, 7).value) == view.opening
    first = head + 2
    assert ws.cell(first, 1).value.date() == view.lines[0].date
    assert [ws.cell(first + i, 2).value for i in range(4)] == ["发票", "收款", "退货", "期初单据"]
    assert ws.cell(first, 4).value == "DN-0000"
    for i, line in enumerate(view.lines):
        assert ws.cell(first + i, 3).value == line.doc_no
        assert _dec(ws.cell(first + i, 7).value) == line.balance
        assert ws.cell(first + i, 5).number_format == MONEY
    total = first + len(view.lines)
    assert ws.cell(total, 2).value == "本期合计"
    assert _dec(ws.cell(total, 5).value) == sum((ln.debit for ln in view.lines), D(0))
    assert _dec(ws.cell(total, 6).value) == sum((ln.credit for ln in view.lines), D(0))
    assert ws.cell(total + 1, 2).value == "期末余额" and _dec(ws.cell(total + 1, 7).value) == view.closing
    assert ws.cell(total + 1, 7).number_format == MONEY
    assert ws.cell(total + 2, 3).value == "人民币 壹亿贰仟陆佰万零贰仟肆佰壹拾陆元柒角伍分"
    assert f"□ 相符：贵我双方截至 2026-06-30 的余额 {view.closing:,.2f} 元无误。" in texts
    # prints: A4 portrait, one page wide, header row on every page, print area, page numbers
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth or 1) == 1          # absent: Excel's default, one page wide
    assert int(ws.page_setup.fitToHeight) == 0              # as many pages tall as the lines need
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert ws.print_title_rows == f"${head}:${head}"
    assert str(ws.print_area).endswith(f"!$A$1:$G${ws.max_row}")
    assert "&P" in ws.oddFooter.center.text


def test_a_credit_balance_is_named_and_input_text_stays_text(tmp_path):
    view = _credit_statement()
    assert view.closing == D("-1234.50")
    out = tmp_path / "c.xlsx"
    write_statement(view, out, version=VERSION)
    ws = openpyxl.load_workbook(out)["对账单"]
    name = next(c for row in ws.iter_rows() for c in row if c.value == "=1+1")
    assert name.data_type == "s"
    texts = _texts(ws)
    closing = _row_of(ws, 2, "期末余额（贷方余额）")
    assert _dec(ws.cell(closing, 7).value) == D("-1234.50")
    assert "贷方余额 人民币 壹仟贰佰叁拾肆元伍角" in texts
    assert any(t.startswith("□ 相符：贵我双方截至 2026-06-30 的贷方余额 1,234.50 元") for t in texts)
    assert any(t.startswith("□ 不符：请列明不符的单据") for t in texts)
    assert any("2026-07-20" in t and "东方农资股份有限公司" in t for t in texts)
    assert {"客户签章：", "我方签章：", "日期："} <= set(texts)
    list_head = _row_of(ws, 1, "单据号")
    boxes = [ws.cell(r, 1) for r in range(list_head + 1, list_head + 7)]
    assert all(c.value is None and c.border.left.style == "thin" for c in boxes)


def test_the_statement_speaks_english(tmp_path):
    out = tmp_path / "en.xlsx"
    write_statement(_credit_statement(), out, lang="en", version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Statement", "_osb"]
    texts = _texts(wb["Statement"])
    assert "Statement of account" in texts and "Closing balance (credit balance)" in texts
    assert any("a credit balance of CNY 1,234.50 in your favour" in t for t in texts)
    assert {"Date", "Document type", "Invoice", "Receipt", "Return"} <= set(texts)


# -- the reconciliation workbook -------------------------------------------------------------------

def test_the_summary_lists_every_customer_with_status_and_totals(tmp_path):
    report = _report()
    out = tmp_path / reconciliation_file_name(report.period)
    assert out.name == "对账汇总-2026H1.xlsx"
    write_reconciliation(report, out, version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["对账汇总", "差异明细", "销售vs财务", "_osb"]
    assert wb["_osb"]["B1"].value == "reconciliation"
    ws = wb["对账汇总"]
    assert ws["A1"].value == "对账汇总 2026H1（2026-01-01 至 2026-06-30）"
    assert ws["A2"].value.startswith("总账应收余额") and ws["I2"].value == "一致"
    assert _dec(ws["H2"].value) == report.ledger_total and _dec(ws["H3"].value) == report.statements_total
    assert [ws.cell(4, c).value for c in range(5, 13)] == ["相符", 1, "不符", 1, "未回函", 1, "合计", 3]
    assert [c.value for c in ws[6]] == ["客户编码", "客户名称", "市场", "客户经理", "期初余额", "本期借方", "本期贷方",
                                        "我方余额", "客户确认余额", "差异", "已解释差异", "未解释差异", "状态", "签章人",
                                        "说明"]
    assert [ws.cell(r, 13).value for r in (7, 8, 9)] == ["相符", "不符", "未回函"]
    assert [ws.cell(r, 13).fill.fgColor.rgb for r in (7, 8, 9)] == [GREEN, RED, AMBER]
    assert ws["B8"].value == "=1+1" and ws["B8"].data_type == "s" and ws["D8"].value == "@SUM(A1)"
    assert ws["I9"].value is None and ws["J9"].value is None and ws["L9"].value is None
    assert ws["I7"].number_format == MONEY and _dec(ws["H7"].value) == D("13345678.90")
    assert ws["A10"].value == "合计"
    fields = ("opening", "debits", "credits", "closing", "confirmed", "difference", "explained", "unexplained")
    for col, field in enumerate(fields, start=5):
        want = sum((getattr(r, field) for r in report.rows if getattr(r, field) is not None), D(0))
        assert _dec(ws.cell(10, col).value) == want, field
        assert ws.cell(10, col).number_format == MONEY
    assert ws.freeze_panes == "A7" and ws.auto_filter.ref == "A6:O9"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$6:$6"
    widths = {k: ws.column_dimensions[k].width for k in "EFGHIJKL"}
    assert all(w >= len("13,345,678.90") for w in widths.values()), widths


def test_differences_and_finance_sheets(tmp_path):
    report = _report()
    out = tmp_path / "r.xlsx"
    write_reconciliation(report, out, version=VERSION)
    wb = openpyxl.load_workbook(out)
    ws = wb[TEXT["zh"]["differences"]]
    assert [c.value for c in ws[3]] == list(DIFF_HEADERS["zh"])
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=7)]
    assert [r[2] for r in rows] == [SIDES["zh"][k] for k in ("ours", "theirs", "shifted", "amount")]
    assert rows[0][1] == "=1+1" and rows[3][1] is None          # C009 is no customer of the report
    assert rows[1][4] is None and rows[0][4].date() == dt.date(2026, 6, 28)
    assert [_dec(r[5]) for r in rows] == [d.amount for d in report.differences]
    assert ws.max_row == 7                                      # no totals row under signed amounts
    fin = wb["销售vs财务"]
    assert [c.value for c in fin[3]] == ["客户编码", "客户名称", "截止日期", "销售余额", "财务余额", "差异"]
    assert fin["D6"].value is None and fin["A7"].value == "合计"
    for col, field in ((4, "ours"), (5, "finance"), (6, "difference")):
        want = sum((getattr(f, field) for f in report.finance if getattr(f, field) is not None), D(0))
        assert _dec(fin.cell(7, col).value) == want
    assert fin["A4"].fill.fgColor.rgb in (None, "00000000")
    assert fin["A5"].fill.fgColor.rgb == AMBER and fin["F5"].fill.fgColor.rgb == RED


def test_a_report_without_finance_or_differences_and_a_failed_control(tmp_path):
    report = _report(finance=False, ledger_total=D("1.00"))
    report = ReconciliationReport(**{**{f: getattr(report, f) for f in report.__slots__}, "differences": ()})
    out = tmp_path / "r.xlsx"
    write_reconciliation(report, out, lang="en", version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Differences", "_osb"]
    ws = wb["Summary"]
    assert ws["I2"].value == "Do not agree" and ws["I2"].fill.fgColor.rgb == RED
    assert [ws.cell(r, 13).value for r in (7, 8, 9)] == ["Agreed", "Differs", "No reply"]
    assert ws["A10"].value == "Total"
    assert wb["Differences"]["A2"].value == "No differences"


# -- LibreOffice -----------------------------------------------------------------------------------

def _write(kind: str, tmp_path):
    if kind.startswith("statement"):
        view = _long_statement() if kind == "statement-long" else _credit_statement()
        out = tmp_path / statement_file_name(view.period, view.customer.code, view.customer.name)
        write_statement(view, out, lang="en" if kind == "statement-en" else "zh", version=VERSION)
    else:
        out = tmp_path / reconciliation_file_name("2026H1")
        write_reconciliation(_report(), out, lang="en" if kind == "reconciliation-en" else "zh", version=VERSION)
    return out


@pytest.mark.parametrize("kind", ["statement-long", "statement-credit", "statement-en", "reconciliation",
                                  "reconciliation-en"])
def test_outputs_open_and_print_in_libreoffice(tmp_path, kind):
    if not shutil.which("soffice") or not LO_CHECK.exists():
        pytest.skip("LibreOffice or lo_check.py absent")
    out = _write(kind, tmp_path)
    assert lo_check_failures([out]) == []
