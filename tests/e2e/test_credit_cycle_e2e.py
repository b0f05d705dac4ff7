"""A quarter of history through the inbox -> the month's credit grades -> the quarter's credit-limit
proposal -> the proposal signed and dropped back -> the next day's order judged on the new limit
(management.md "Monthly duties", "Quarterly: credit limits"; issue 12 items 1 and 5).

History (payment term 30 days, BC grace 5 days): C1 is invoiced 60,000 on 2026-10-01 and on
2026-11-01 and pays both before their due dates; C2 is invoiced the same, pays the first 20 days
late and leaves the second open; C3 pays in advance and owes nothing.

By hand, for December 2026 (window July–December):
- C1: due 120,000, on time 120,000, ratio 1.0000, nothing overdue: A (November's grade too);
- C2: due 120,000, on time 0, ratio 0.0000, INV-202 overdue 30 days: D;
- C3: nothing due: keeps its grade, the initial B.

For 2027Q1 (sales July–December, growth factor 1 as July–September had none):
- C1: 120,000 ÷ 6 = 20,000 × (30 ÷ 30 + 1) × 1.2 (A) = 48,000, rounded up to 50,000;
- C2: × 0 (D) = 0; C3: prepaid, 0.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from osb_batch.reports import credit_grades, credit_limits
from osb_batch.reports.period import calendar_period
from osb_batch.reports.report import Basis, produce
from osb_batch.settings import load as load_settings
from osb_batch.workspace import Home

from ..conftest import CUSTOMER_HEADER, Osb, copy_of, write_xlsx
from ..support.outputs import exception_rows, red_cells
from .test_orders_e2e import ORDER_HEADER, PRODUCTS, by_no, customer

INVOICES = ["发票号", "送货单号", "客户编码", "开票日期", "金额"]
RECEIPTS = ["银行流水号", "到款日期", "付款户名", "金额", "摘要"]


def history(osb) -> None:
    write_xlsx(osb.inbox / "a-客户.xlsx", [CUSTOMER_HEADER, customer("C1", "华东", "上海", "100000"),
                                          customer("C2", "华东", "上海", "100000"),
                                          customer("C3", "华东", "上海", "0", prepaid="是")])
    write_xlsx(osb.inbox / "b-产品.xlsx", PRODUCTS)
    osb.run("2026-09-01")
    write_xlsx(osb.inbox / "开票-10.xlsx", [INVOICES, ["INV-101", "DN-H1", "C1", "2026-10-01", "60000"],
                                           ["INV-201", "DN-H2", "C2", "2026-10-01", "60000"]])
    write_xlsx(osb.inbox / "到款-10.xlsx", [RECEIPTS, ["B-1", "2026-10-30", "付款人甲", "60000", "INV-101"]])
    osb.run("2026-10-31")
    write_xlsx(osb.inbox / "开票-11.xlsx", [INVOICES, ["INV-102", "DN-H3", "C1", "2026-11-01", "60000"],
                                           ["INV-202", "DN-H4", "C2", "2026-11-01", "60000"]])
    write_xlsx(osb.inbox / "到款-11.xlsx", [RECEIPTS, ["B-2", "2026-11-20", "付款人乙", "60000", "INV-201"],
                                           ["B-3", "2026-11-25", "付款人甲", "60000", "INV-102"]])
    osb.run("2026-11-25")
    osb.run("2026-12-31")


def produce_part(osb, part, kind: str, label: str, today: str) -> dict:
    """The part produced alone (as the `report` command will), its manifest read back."""
    home = Home(osb.home)
    ledger = osb.open_ledger()
    try:
        basis = Basis(ledger, load_settings(osb.home / "rules.toml"), dt.date.fromisoformat(today))
        produced = produce(home, part, basis, calendar_period(kind, label), "zh")
    finally:
        ledger.close()
    manifest = json.loads((produced.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"], "the part wrote no workbook"
    return produced.result


def customer_column(osb, column: str) -> dict[str, str]:
    with osb.ledger() as db:
        return dict(db.execute(f"SELECT customer_code, {column} FROM customers").fetchall())


def limits(osb) -> dict[str, Decimal]:
    return {code: Decimal(limit) for code, limit in customer_column(osb, "credit_limit").items()}


@pytest.fixture(scope="module")
def graded_home(tmp_path_factory) -> tuple[Path, dict]:
    """The history run and December graded, once for the module: (the folder, the grades' result)."""
    osb = Osb(tmp_path_factory.mktemp("graded") / "work")
    osb("init", str(osb.home))
    history(osb)
    return osb.home, produce_part(osb, credit_grades.PART, "month", "2026-12", "2027-01-04")


@pytest.fixture
def graded(graded_home, tmp_path):
    """Each test its own copy of the graded folder, to run more days in."""
    home, result = graded_home
    return copy_of(home, tmp_path / "graded"), copy.deepcopy(result)


def test_the_month_grades_customers_as_computed_by_hand(graded):
    osb, result = graded
    got = {g["customer_code"]: (g["grade"], g["previous"], g["on_time_ratio"]) for g in result["credit_grades"]}
    # the 2026-12-31 run closed September to November and graded them (the first run after a month
    # closes produces its report): December's previous grade is November's, the same by hand
    assert got == {"C1": ("A", "A", "1.0000"), "C2": ("D", "D", "0.0000"), "C3": ("B", "B", None)}
    assert customer_column(osb, "credit_grade") == {"C1": "A", "C2": "D", "C3": "B"}
    with osb.ledger() as db:
        causes = db.execute("SELECT form, row_key, new FROM changes WHERE field = 'credit_grade' "
                            "ORDER BY id").fetchall()
    assert {form for form, _, _ in causes} == {"credit_grades"}
    assert {code: new for _, code, new in causes} == {"C1": "A", "C2": "D", "C3": "B"}     # the latest of each
    book = openpyxl.load_workbook(osb.home / "outbox" / "报表-2026-12" / "客户信用等级一览表-2026-12.xlsx")
    rows = list(book.worksheets[0].iter_rows(min_row=4, values_only=True))
    assert [(r[1], r[6], r[7]) for r in rows] == [("C1", "A", "A"), ("C2", "D", "D"), ("C3", "B", "B")]


def test_a_re_request_of_the_month_changes_no_grade(graded):
    osb, first = graded
    with osb.ledger() as db:
        before = db.execute("SELECT * FROM changes ORDER BY id").fetchall()
    write_xlsx(osb.inbox / "到款-12.xlsx", [RECEIPTS, ["B-4", "2026-12-20", "付款人乙", "60000", "INV-202"]])
    osb.run("2027-01-05")           # a late receipt would grade C2 better, had December not been graded
    again = produce_part(osb, credit_grades.PART, "month", "2026-12", "2027-01-06")
    assert again == first
    with osb.ledger() as db:
        assert db.execute("SELECT * FROM changes WHERE field = 'credit_grade' ORDER BY id").fetchall() == \
            [c for c in before if c[5] == "credit_grade"]
    assert customer_column(osb, "credit_grade") == {"C1": "A", "C2": "D", "C3": "B"}


def signed_copy(osb, source, target) -> None:
    """SLT fills the proposal: C1 approved by the GM, C2 by someone outside the SLT, C3 left blank."""
    book = openpyxl.load_workbook(source)
    ws = book.worksheets[0]
    header = [str(c.value or "").rstrip("*") for c in ws[4]]
    col = {name: header.index(name) + 1 for name in ("客户编码", "批准额度", "批准人")}
    for r in range(5, ws.max_row + 1):
        code = ws.cell(r, col["客户编码"]).value
        if code == "C1":
            ws.cell(r, col["批准额度"]).value = 50000
            ws.cell(r, col["批准人"]).value = "总经理"
        elif code == "C2":
            ws.cell(r, col["批准额度"]).value = 80000
            ws.cell(r, col["批准人"]).value = "李四"
    book.save(target)


def test_the_quarter_proposal_comes_back_signed_and_the_next_order_meets_the_new_limit(graded):
    osb, _ = graded
    result = produce_part(osb, credit_limits.PART, "quarter", "2027Q1", "2027-01-04")
    assert result["credit_limits"] == [
        {"customer_code": "C1", "current": "100000.00", "proposed": "50000.00", "grade": "A"},
        {"customer_code": "C2", "current": "100000.00", "proposed": "0.00", "grade": "D"},
        {"customer_code": "C3", "current": "0.00", "proposed": "0.00", "grade": "B"}]
    assert limits(osb)["C1"] == Decimal("100000")        # nothing changes before approval
    proposal = osb.home / "outbox" / "报表-2027Q1" / "信用额度建议-2027Q1.xlsx"
    signed_copy(osb, proposal, osb.inbox / "信用额度建议-2027Q1-已批.xlsx")
    manifest = osb.run("2027-01-05")

    assert limits(osb) == {"C1": Decimal("50000"), "C2": Decimal("100000"), "C3": Decimal("0")}
    with osb.ledger() as db:
        kept = db.execute("SELECT quarter, customer_code, old_limit, formula, adjustment, new_limit, approved_by, "
                          "run_id FROM credit_limit_changes").fetchall()
        run_id = db.execute("SELECT id FROM runs WHERE business_date = '2027-01-05'").fetchone()[0]
    assert kept == [("2027Q1", "C1", "100000.00", "50000.00", None, "50000.00", "总经理", run_id)]
    rows = exception_rows(osb.home, manifest)
    by_rule = {}
    for row in rows:
        by_rule.setdefault(row["规则"], []).append(row)
    assert [r["原值"] for r in by_rule["credit-limit-wrong-signer"]] == ["李四"]
    assert len(by_rule["credit-limit-blank"]) == 1
    wrong = by_rule["credit-limit-wrong-signer"][0]
    assert any(wrong["单元格"] in cell for cell in red_cells(osb.home, manifest, "信用额度建议-2027Q1-已批.xlsx"))

    # 55,000 on a limit of 50,000 (nothing open): 10 % over, within the tolerance -> 5-3; on the old
    # limit of 100,000 it would have been 5-2
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, ["SO-N1", "2027-01-06", "C1", "王五", "李四", "P001", "55",
                                                      "1000.00", "55000.00", "否", "", ""]])
    order = by_no(osb.run("2027-01-06"))["SO-N1"]
    assert order["case"] == "5-3"


def test_a_re_request_of_the_quarter_changes_no_proposal(graded):
    osb, _ = graded
    first = produce_part(osb, credit_limits.PART, "quarter", "2027Q1", "2027-01-04")
    folder = osb.home / "outbox" / "报表-2027Q1"
    shutil.rmtree(folder)
    write_xlsx(osb.inbox / "开票-12.xlsx", [INVOICES, ["INV-103", "DN-H5", "C1", "2026-12-15", "600000"]])
    osb.run("2027-01-05")
    assert produce_part(osb, credit_limits.PART, "quarter", "2027Q1", "2027-01-06") == first
    # the report of the quarter that closed carries the proposal for the quarter that starts
    assert produce_part(osb, credit_limits.FOLLOWING_PART, "quarter", "2026Q4", "2027-01-06") == first
    assert (osb.home / "outbox" / "报表-2026Q4" / "信用额度建议-2027Q1.xlsx").exists()
    assert Decimal(first["credit_limits"][0]["proposed"]) == Decimal("50000")
