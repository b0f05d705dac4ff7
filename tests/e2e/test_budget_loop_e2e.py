"""The marketing budget loop through ``osb-batch run`` (issue 12, item 6): budgets for two markets,
requests at and over the remaining budget, claims at and over the tolerance and the small-claim
limit, a duplicate claim number and a type without a budget row, written as staff write them;
the refusals at their cells, the decisions kept, and the execution workbook read back."""

from __future__ import annotations

import re
from copy import deepcopy
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from osb_batch.reports.budget_execution import BUDGET_REPORT, file_name
from osb_batch.reports.period import parse
from osb_batch.reports.report import Basis, produce
from osb_batch.settings import load
from osb_batch.workspace import Home

from ..conftest import CUSTOMER_HEADER, LO_CHECK, Osb, copy_of, lo_check_failures, write_xlsx
from ..support.outputs import exception_rows, red_cells

STAFF = ["姓名", "岗位", "市场", "区域", "在职", "起始日期"]
BUDGET = ["月份", "市场", "费用类型", "预算金额"]
REQUESTS = ["申请单号", "申请日期", "申请人", "市场", "客户编码", "费用类型", "申请金额", "用途说明", "预计发生日期",
            "审批人"]
CLAIMS = ["报销单号", "报销日期", "原申请单号", "申请人", "费用类型", "报销金额", "费用说明"]


def request(no: str, day: str, market: str, kind: str, amount: str, by: str, who: str = "王敏",
            customer: str = "") -> list:
    return [no, day, who, market, customer, kind, amount, "订货会物料", "", by]


def claim(no: str, day: str, request_no: str, kind: str, amount: str, who: str = "王敏") -> list:
    return [no, day, request_no, who, kind, amount, "场地费"]


@pytest.fixture(scope="module")
def budget_days(tmp_path_factory):
    """The month's runs, once for the module: the folder and the manifests of the requests' and
    claims' days and of the day things were sent again."""
    osb = Osb(tmp_path_factory.mktemp("budget") / "work")
    osb("init", str(osb.home))
    write_xlsx(osb.inbox / "名册.xlsx", [STAFF, ["张伟", "市场经理", "华东", "", "是", "2026-10-01"],
                                        ["李娜", "市场经理", "华北", "", "是", "2026-10-01"],
                                        ["周建国", "销售领导小组", "", "", "是", "2026-10-01"],
                                        ["王敏", "客户经理", "华东", "上海", "是", "2026-10-01"],
                                        ["刘洋", "客户经理", "华北", "北京", "是", "2026-10-01"]])
    write_xlsx(osb.inbox / "营销费用预算.xlsx", [BUDGET, ["2026-11", "华东", "促销费", "10,000.00"],
                                               ["2026-11", "华北", "促销费", "5000"],
                                               ["2026-11", "华东", "差旅费", "2,000.00"],
                                               ["2026-09", "华东", "促销费", "2000"]],
               title="2026年11月营销费用预算")
    write_xlsx(osb.inbox / "客户.xlsx", [CUSTOMER_HEADER, ["C001", "C001公司", "华东", "上海", "王敏", "李强",
                                                         "100000", "30", "否"]])
    osb.run("2026-11-02")
    write_xlsx(osb.inbox / "费用申请-11月.xlsx", [
        REQUESTS,
        request("FY-0", "2026-09-01", "华东", "促销费", "500", "张伟", customer="C001"),   # never claimed: stale
        request("FY-1", "2026-11-03", "华东", "促销费", "6,000.00", "张伟"),
        request("FY-2", "2026-11-04", "华东", "促销费", "4000.00", "张伟"),          # exactly the rest
        request("FY-3", "2026-11-04", "华北", "促销费", "5,000.01", "李娜", who="刘洋"),   # a cent over
        request("FY-4", "2026-11-05", "华东", "促销费", "3,000.00", "周建国"),       # over, SLT approved
        request("FY-5", "2026-11-05", "华东", "广告费", "1,000.00", "张伟"),         # no budget row
    ], title="营销费用申请单")
    requests = osb.run("2026-11-05")
    write_xlsx(osb.inbox / "报销-11月.xlsx", [
        CLAIMS,
        claim("BX-1", "2026-11-20", "FY-1", "促销费", "6,600.00"),     # exactly at the 10 % tolerance
        claim("BX-2", "2026-11-21", "FY-2", "促销费", "4,400.01"),     # a cent over it
        claim("BX-3", "2026-11-22", "", "差旅费", "500.00"),            # no request, at the small-claim limit
        claim("BX-4", "2026-11-22", "", "差旅费", "500.01"),
    ], title="营销费用报销汇总")
    claims = osb.run("2026-11-25")
    write_xlsx(osb.inbox / "报销-补交.xlsx", [CLAIMS, claim("BX-1", "2026-11-20", "FY-1", "促销费", "6,600.00")],
               title="营销费用报销（补交）")
    write_xlsx(osb.inbox / "费用申请-改.xlsx", [      # a refused request sent again within the budget stands;
        REQUESTS,                                   # one that stands keeps its first decision
        request("FY-3", "2026-11-04", "华北", "促销费", "5,000.00", "李娜", who="刘洋"),
        request("FY-1", "2026-11-03", "华东", "促销费", "1.00", "张伟")])
    again = osb.run("2026-11-26")
    return osb.home, requests, claims, again


@pytest.fixture
def budget_home(budget_days, tmp_path):
    """Each test its own copy of the month's folder (a test may run it again)."""
    home, *manifests = deepcopy(budget_days)
    return copy_of(home, tmp_path / "budget"), *manifests


def _refusals(home, manifest) -> dict[str, tuple[str, str]]:
    """{rule: (the inbox file's name, cell)} of the budget findings (the exceptions list names the archived copy)."""
    return {r["规则"]: (re.sub(r"^[0-9a-f]{16}-", "", r["文件"].rsplit("/", 1)[-1]), r["单元格"])
            for r in exception_rows(home, manifest)
            if str(r["规则"]).startswith("budget-")}


def test_requests_and_claims_are_decided_as_they_arrive_and_refusals_reach_their_cells(budget_home):
    osb, requests, claims, again = budget_home
    told = _refusals(osb.home, requests)
    assert {rule: cell for rule, (_, cell) in told.items()} == {
        "budget-over-refused": "G6", "budget-over-approved": "G7", "budget-no-row": "F8"}
    assert {name for name, _ in told.values()} == {"费用申请-11月.xlsx"}
    red = red_cells(osb.home, requests, "费用申请-11月.xlsx")
    assert {"G6", "F8"} <= {ref.split("!")[1] for ref in red}
    errors = next(i["errors"] for i in requests["inputs"] if i["file"].endswith("费用申请-11月.xlsx"))
    assert errors == 2
    assert {rule: cell for rule, (_, cell) in _refusals(osb.home, claims).items()} == {
        "budget-claim-over-request": "F4", "budget-claim-no-request": "F6"}
    assert _refusals(osb.home, again) == {"budget-claim-duplicate": ("报销-补交.xlsx", "A3")}


def _read_sheet(path, index: int) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(index).to_python()


def _figures(rows: list[list]) -> dict[tuple[str, str], tuple[Decimal, ...]]:
    at = next(n for n, r in enumerate(rows) if "预算" in r and "已报销" in r)
    header = rows[at]
    cols = [header.index(h) for h in ("预算", "已占用", "已报销", "剩余")]
    return {(r[0], r[1]): tuple(Decimal(str(r[c])).quantize(Decimal("0.01")) for c in cols)
            for r in rows[at + 1:] if r and r[0] and r[1]}


def _decisions(osb) -> list[tuple]:
    with osb.ledger() as conn:
        return conn.execute("SELECT document_id, status, accepted FROM budget_decisions ORDER BY id").fetchall()


def _produce(osb, lang: str = "zh"):
    settings = load(osb.home / "rules.toml")
    period = parse("monthly", "2026-11", settings)
    ledger = osb.open_ledger()
    try:
        return period, produce(Home(osb.home), BUDGET_REPORT, Basis(ledger, settings, period.end), period, lang)
    finally:
        ledger.close()


def test_the_execution_workbook_shows_the_budget_figures_and_stays_as_it_was(budget_home):
    osb, *_ = budget_home
    decided = _decisions(osb)
    assert len(decided) == 12          # six requests, FY-3 again, five claims (the duplicate once)
    rerun = osb.run("2026-11-26")          # the same day again: nothing new, nothing decided again
    assert not _refusals(osb.home, rerun) and _decisions(osb) == decided
    period, first = _produce(osb)
    _, second = _produce(osb)
    assert first.result == second.result
    budget = {(b["market"], b["expense_type"]): b for b in first.result["budget"]}
    # independently: promotion E: 10,000 budget; FY-4 (3,000) still open; BX-1 6,600 + BX-2 4,400.00 claimed
    claimed = Decimal("6600.00") + Decimal("4400.00")
    committed = Decimal("3000.00")
    assert budget["E", "促销费"] == {"market": "E", "expense_type": "促销费", "budget": "10000.00",
                                        "committed": f"{committed:.2f}", "claimed": f"{claimed:.2f}",
                                        "remaining": f"{Decimal(10000) - committed - claimed:.2f}"}
    assert (budget["E", "差旅费"]["claimed"], budget["E", "差旅费"]["remaining"]) == ("500.00", "1500.00")
    assert (budget["N", "促销费"]["committed"], budget["N", "促销费"]["remaining"]) == ("5000.00", "0.00")
    path = first.folder / file_name(period)
    shown = _figures(_read_sheet(path, 0))
    assert shown["华东", "促销费"] == (Decimal("10000.00"), committed, claimed, Decimal(10000) - committed - claimed)
    assert shown["华东", "差旅费"] == (Decimal("2000.00"), Decimal("0.00"), Decimal("500.00"), Decimal("1500.00"))
    assert shown["华北", "促销费"] == (Decimal("5000.00"), Decimal("5000.00"), Decimal("0.00"), Decimal("0.00"))
    ytd = _figures(_read_sheet(path, 1))       # September's 2,000 budget and FY-0's 500 added
    assert ytd["华东", "促销费"] == (Decimal("12000.00"), committed + 500, claimed, Decimal(12000) - committed - 500 - claimed)
    assert {k: v for k, v in ytd.items() if k != ("华东", "促销费")} == {
        k: v for k, v in shown.items() if k != ("华东", "促销费")}
    stale = _read_sheet(path, 2)
    assert [r[0] for r in stale if str(r[0]).startswith("FY-")] == ["FY-0"]
    evaluation = _read_sheet(path, 3)
    assert [r[:2] for r in evaluation if str(r[0]).startswith("FY-")] == [["FY-0", "C001"]]


def test_the_over_budget_row_is_red_and_the_workbook_prints_in_both_languages(budget_home, tmp_path):
    import shutil

    import openpyxl
    osb, *_ = budget_home
    period, zh = _produce(osb)
    path = zh.folder / file_name(period)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    red = {c.coordinate for row in sheet.iter_rows() for c in row
           if c.fill is not None and c.fill.fill_type == "solid" and str(c.fill.fgColor.rgb).upper().endswith("C7CE")}
    row = next(c.row for c in sheet["B"] if c.value == "促销费" and sheet.cell(c.row, 1).value == "华东")
    assert {f"F{row}", f"G{row}", f"H{row}"} <= red
    assert not any(ref.endswith(str(r)) for ref in red for r in range(4, sheet.max_row + 1) if r != row)
    copy = tmp_path / "zh.xlsx"
    shutil.copy(path, copy)
    _, en = _produce(osb, "en")
    titles = [ws.title for ws in openpyxl.load_workbook(en.folder / file_name(period)).worksheets]
    assert titles[:5] == ["Month", "Year to date", "Stale requests", "Evaluation", "Expense rates"]
    if not shutil.which("soffice") or not LO_CHECK.exists():
        pytest.skip("LibreOffice or lo_check.py absent")
    assert lo_check_failures([copy, en.folder / file_name(period)]) == []
