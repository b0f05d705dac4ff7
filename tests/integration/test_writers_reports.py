"""The report writers: UM notices (区域通知), the OSB problem log, the KPI workbook and the HTML
summary of a run."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal as D
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from osb_batch.catalogue import load
from osb_batch.messages import state_label
from osb_batch.writers import kpi, notices, problems
from osb_batch.writers.kpi import write_kpi
from osb_batch.writers.notices import notice_file_name, write_um_notices
from osb_batch.writers.problems import write_problem_log
from osb_batch.writers.records import KpiFigure, Notice, ProblemView, RunSummary
from osb_batch.writers.summary_html import relative_href, render_html_summary, write_html_summary

from ..conftest import assert_list_layout

DAY = dt.date(2026, 11, 26)
VERSION = "2026.1"
HEADER_ROW = 3          # 1-based: title, totals, header
LO_CHECK = Path(__file__).resolve().parents[3] / "shared/tools/lo_check.py"
ODD_UM = "李娜/华南[2]:*?" + "很长的名字" * 8


def _notices() -> list[Notice]:
    return [
        Notice("张伟", "SO-1", "C001", "=1+1", "REJECTED", "产品 P9 已停售", "修改订单后重新提交", D("1200.50")),
        Notice(ODD_UM, "SO-2", "C002", "上海浦东贸易", "PREPAY_REQUIRED", "客户有逾期应收", "通知客户先付款",
               D("50000")),
        Notice("张伟", "SO-3", "C003", "<script>alert(1)</script>", "REFUSED", "销售总监不同意", "与客户协商",
               D("3000")),
        Notice("", "SO-4", "C004", "@SUM(A1)", "REJECTED", "缺少市场经理审批", "补签后重新提交", D("10")),
    ]


def _problems() -> list[ProblemView]:
    return [
        ProblemView(3, dt.date(2026, 11, 20), "SP", "SO-1", "DN-1", "warehouse", "收单48小时后仍未发货",
                    "resolved", "托运站车辆延误，已加急", "王强", dt.datetime(2026, 11, 25, 10, 30)),
        ProblemView(7, dt.date(2026, 11, 26), "OP", "SO-9", "", "销售总监", "=当日未开送货单", "open"),
        ProblemView(5, dt.date(2026, 11, 24), "OP", "SO-5", "", "SSG", "订单当日未处理", "open"),
        ProblemView(1, dt.date(2026, 11, 2), "BC", "", "", "finance", "回款超期", "resolved", "已催收",
                    "刘洋", None),
    ]


def _figures() -> list[KpiFigure]:
    figures = [KpiFigure(m, "op_same_day", "订单当日开单率", D(n), D(10), D("0.95"))
               for m, n in (("2026-09", 10), ("2026-10", 9), ("2026-11", 10))]
    # sp_accuracy: no figure at all for 2026-10, a figure without shipments for 2026-11
    figures += [KpiFigure("2026-09", "sp_accuracy", "发运准确率", D(99), D(100), D("0.98")),
                KpiFigure("2026-11", "sp_accuracy", "发运准确率", D(0), D(0), D("0.98"))]
    figures += [KpiFigure(m, "bc_5day", "到期5天内回款率", D(a), D("100000.00"), D("0.90"))
                for m, a in (("2026-11", "85000.00"), ("2026-10", "95000.50"))]
    return figures


def _rows(ws, first: int = HEADER_ROW + 1, width: int | None = None) -> list[list]:
    rows = []
    for row in ws.iter_rows(min_row=first, max_col=width or ws.max_column, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(list(row))
    return rows


def _labels(form_key: str, keys, lang: str = "zh") -> list[str]:
    """The output form's column labels in the catalogue, in the order of ``keys``."""
    form = load()[form_key]
    return [form.field(k).en if lang == "en" else form.field(k).zh for k in keys]


def _assert_osb(wb, form: str, keys) -> None:
    osb = wb["_osb"]
    assert osb.sheet_state == "hidden"
    assert osb["B1"].value == form and osb["B2"].value == VERSION
    assert [osb.cell(r, 2).value for r in range(4, 4 + len(keys))] == list(keys)


def _assert_text_cells(ws, texts: set[str]) -> None:
    """Input text that looks like a formula was written as a string, never as a formula."""
    seen = set()
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            if cell.value in texts:
                assert cell.data_type == "s", cell.coordinate
                seen.add(cell.value)
    assert seen == texts


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))


# -- catalogue -------------------------------------------------------------------------------------

@pytest.mark.parametrize("module", [notices, problems, kpi])
def test_columns_are_catalogue_fields_of_an_output_form(module):
    form = load()[module.FORM_KEY]
    assert form.kind == "output"
    assert set(module.KEYS) <= set(form.keys)


# -- UM notices ------------------------------------------------------------------------------------

def test_um_notices_workbook(tmp_path):
    out = tmp_path / notice_file_name(None, DAY)
    write_um_notices(_notices(), out, business_date=DAY, version=VERSION)
    assert out.name == "区域通知-2026-11-26.xlsx"
    assert out.exists() and not list(tmp_path.glob(".*.tmp"))
    wb = openpyxl.load_workbook(out)
    names = wb.sheetnames
    text = notices.TEXT["zh"]
    assert names[0] == text["all"] and names[1] == "张伟" and names[-2:] == [text["unassigned"], "_osb"]
    odd = names[2]
    assert odd.startswith("李娜_华南_2_") and len(odd) <= 31 and not set(odd) & set('[]:*?/\\')

    ws = wb[text["all"]]
    assert ws["A1"].value.endswith(DAY.isoformat())
    assert [c.value for c in ws[HEADER_ROW]] == _labels("um_notices", notices.KEYS)
    rows = _rows(ws, width=12)
    assert rows[-1][0] == text["total"] and rows[-1][4] == pytest.approx(54210.50)
    rows = rows[:-1]
    # UMs in name order (unassigned last), the run's order within one UM
    assert [(r[0], r[1]) for r in rows] == [("张伟", "SO-1"), ("张伟", "SO-3"), (ODD_UM, "SO-2"), (None, "SO-4")]
    assert rows[0] == ["张伟", "SO-1", "C001", "=1+1", 1200.5, state_label("REJECTED", "zh"), None, None, None,
                       None, "产品 P9 已停售", "修改订单后重新提交"]
    assert [r[5] for r in rows] == [state_label(s, "zh") for s in ("REJECTED", "REFUSED", "PREPAY_REQUIRED",
                                                                   "REJECTED")]
    assert ws.cell(HEADER_ROW + 1, 5).number_format == "#,##0.00"
    assert [c.value for c in ws[2]][:6] == [state_label("REJECTED", "zh"), 2, state_label("REFUSED", "zh"), 1,
                                            state_label("PREPAY_REQUIRED", "zh"), 1]
    assert ws["K4"].alignment.wrap_text
    assert ws.conditional_formatting
    assert_list_layout(ws, 12, 4, header_row=HEADER_ROW)
    _assert_text_cells(ws, {"=1+1", "@SUM(A1)"})

    mine = wb["张伟"]
    assert [c.value for c in mine[HEADER_ROW]] == _labels("um_notices", notices.KEYS[1:])
    assert mine["A1"].value.endswith("张伟")
    assert [r[0] for r in _rows(mine, width=7)] == ["SO-1", "SO-3", text["total"]]
    assert _rows(mine, width=7)[1][2] == "<script>alert(1)</script>"
    assert_list_layout(mine, 11, 2, header_row=HEADER_ROW)
    assert [r[0] for r in _rows(wb[odd], width=7)] == ["SO-2", text["total"]]
    assert [r[0] for r in _rows(wb[text["unassigned"]], width=7)] == ["SO-4", text["total"]]
    _assert_osb(wb, "um_notices", notices.KEYS)
    assert "<f>" not in _sheet_xml(out)


def test_um_notices_empty_and_english(tmp_path):
    out = tmp_path / "empty.xlsx"
    write_um_notices([], out, business_date=DAY, version=VERSION)
    wb = openpyxl.load_workbook(out)
    text = notices.TEXT["zh"]
    assert wb.sheetnames == [text["all"], "_osb"]
    assert wb[text["all"]]["A2"].value == text["none"]
    assert _rows(wb[text["all"]]) == []

    out = tmp_path / "en.xlsx"
    write_um_notices(_notices()[:1], out, business_date=DAY, lang="en", version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [notices.TEXT["en"]["all"], "张伟", "_osb"]
    ws = wb[notices.TEXT["en"]["all"]]
    assert [c.value for c in ws[HEADER_ROW]] == _labels("um_notices", notices.KEYS, "en")
    assert ws["F4"].value == state_label("REJECTED", "en")


def test_notice_file_name():
    assert notice_file_name("张伟", DAY) == "区域通知-张伟-2026-11-26.xlsx"
    assert notice_file_name("", "2026-11-26") == "区域通知-2026-11-26.xlsx"
    name = notice_file_name("../李娜/华南:*", DAY)
    assert "/" not in name and ".." not in name and ":" not in name and "*" not in name
    assert name.startswith("区域通知-") and name.endswith("-2026-11-26.xlsx")


# -- problem log -----------------------------------------------------------------------------------

def test_problem_log(tmp_path):
    out = tmp_path / "OSB问题记录表-2026-11-26.xlsx"
    write_problem_log(_problems(), out, business_date=DAY, version=VERSION)
    assert not list(tmp_path.glob(".*.tmp"))
    wb = openpyxl.load_workbook(out)
    sheet = problems.TEXT["zh"]["sheet"]
    assert wb.sheetnames == [sheet, "_osb"]
    ws = wb[sheet]
    assert ws["A1"].value.endswith(DAY.isoformat())
    assert [c.value for c in ws[HEADER_ROW]] == _labels("problem_log", problems.KEYS)
    status = problems.STATUS_LABEL["zh"]
    assert [c.value for c in ws[2]][:6] == [status["open"], 2, status["resolved"], 2, problems.TEXT["zh"]["total"], 4]
    rows = _rows(ws, width=11)
    # open first, then resolved, each by number
    assert [(r[0], r[7]) for r in rows] == [(5, status["open"]), (7, status["open"]), (1, status["resolved"]),
                                            (3, status["resolved"])]
    responsible = problems.RESPONSIBLE_LABEL["zh"]
    assert rows[0][:8] == [5, dt.datetime(2026, 11, 24), "OP 订单处理", "SO-5", None, responsible["SSG"], "订单当日未处理",
                           status["open"]]
    assert rows[1][5] == "销售总监" and rows[1][6] == "=当日未开送货单"       # an unknown department as given
    assert rows[3][5] == responsible["warehouse"] and rows[3][8] == "托运站车辆延误，已加急" and rows[3][9] == "王强"
    assert rows[3][10] == dt.datetime(2026, 11, 25, 10, 30)
    assert ws.cell(HEADER_ROW + 4, 11).number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(HEADER_ROW + 1, 2).number_format == "yyyy-mm-dd"
    assert rows[2][10] is None
    # the explanation of an open entry is blank and highlighted; a resolved one is not highlighted
    for r in (HEADER_ROW + 1, HEADER_ROW + 2):
        cell = ws.cell(r, 9)
        assert cell.value is None and cell.fill.fgColor.rgb.endswith("FFF2CC")
    assert not ws.cell(HEADER_ROW + 4, 9).fill.fgColor.rgb.endswith("FFF2CC")
    assert ws.conditional_formatting
    assert_list_layout(ws, 11, 4, header_row=HEADER_ROW)
    _assert_text_cells(ws, {"=当日未开送货单"})
    _assert_osb(wb, "problem_log", problems.KEYS)


def test_problem_log_empty(tmp_path):
    out = tmp_path / "p.xlsx"
    write_problem_log([], out, business_date=DAY, version=VERSION)
    ws = openpyxl.load_workbook(out)[problems.TEXT["zh"]["sheet"]]
    assert [c.value for c in ws[2]][:7] == [problems.STATUS_LABEL["zh"]["open"], 0,
                                            problems.STATUS_LABEL["zh"]["resolved"], 0, problems.TEXT["zh"]["total"], 0,
                                            problems.TEXT["zh"]["none"]]
    assert _rows(ws) == []


# -- KPIs ------------------------------------------------------------------------------------------

def test_kpi_workbook(tmp_path):
    out = tmp_path / "OSB指标-2026-11-26.xlsx"
    write_kpi(_figures(), out, business_date=DAY, version=VERSION)
    wb = openpyxl.load_workbook(out)
    text = kpi.TEXT["zh"]
    assert wb.sheetnames == [text["sheet"], "_osb"]
    ws = wb[text["sheet"]]
    assert [c.value for c in ws[HEADER_ROW]] == _labels("kpi", kpi.KEYS)
    rows = _rows(ws, width=11)
    # every KPI shows every month, KPIs in the fixed order, months ascending
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("2026-09", "OP 订单处理", "订单当日开单率"), ("2026-10", "OP 订单处理", "订单当日开单率"), ("2026-11", "OP 订单处理", "订单当日开单率"),
        ("2026-09", "SP 发货", "发运准确率"), ("2026-10", "SP 发货", "发运准确率"), ("2026-11", "SP 发货", "发运准确率"),
        ("2026-09", "BC 收款", "到期5天内回款率"), ("2026-10", "BC 收款", "到期5天内回款率"), ("2026-11", "BC 收款", "到期5天内回款率"),
    ]
    assert rows[0][3:10] == [pytest.approx(95), 100, 10, 10, None, None, text["met"]]
    assert rows[1][3:10] == [pytest.approx(95), pytest.approx(90), 9, 10, None, None, text["missed"]]
    # no data: a blank value (not 0 %), the target still drawn, a remark
    assert rows[4][3:] == [pytest.approx(98), None, None, None, None, None, None, text["no_data"]]
    assert rows[5][3:] == [pytest.approx(98), None, 0, 0, None, None, None, text["no_data"]]
    # counts and yuan in columns of their own: the BC rate fills the amount pair only
    assert rows[7][4] == pytest.approx(95.00050) and rows[7][5:7] == [None, None]
    assert rows[7][7] == pytest.approx(95000.5)
    assert rows[8][9] == text["missed"]
    r = HEADER_ROW + 1
    assert ws.cell(r, 4).number_format == '0.0"%"' and ws.cell(r, 5).number_format == '0.0"%"'
    assert ws.cell(r + 7, 8).number_format == "#,##0.00" and ws.cell(r, 6).number_format == "#,##0"
    missed = ws.cell(r + 1, 10)
    assert missed.fill.fgColor.rgb.endswith("FFC7CE") and ws.cell(r + 1, 5).fill.fgColor.rgb.endswith("FFC7CE")
    assert not ws.cell(r, 10).fill.fgColor.rgb.endswith("FFC7CE")
    # the latest month's tally
    assert [c.value for c in ws[2]][:7] == ["2026-11", text["n_missed"], 1, text["n_met"], 1, text["n_empty"], 1]
    assert_list_layout(ws, 11, 9, header_row=HEADER_ROW)
    _assert_osb(wb, "kpi", kpi.KEYS)

    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        charts = sorted(n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/charts/chart3.xml"]
        sheet_rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
        assert "drawing1.xml" in sheet_rels
        drawing = z.read("xl/drawings/drawing1.xml").decode()
        assert drawing.count("<c:chart ") == 3
        anchors = [int(c) for c in re.findall(r"<xdr:from><xdr:col>(\d+)</xdr:col>", drawing)]
        assert anchors and all(c > len(kpi.KEYS) - 1 for c in anchors)        # beside the table
        refs = [re.findall(r"<c:f>(.*?)</c:f>", z.read(n).decode()) for n in charts]
    sheet = f"{text['sheet']}!"
    # one line chart per KPI: the actual values and the target over that KPI's block of months
    for ref, (first, last) in zip(refs, ((4, 6), (7, 9), (10, 12)), strict=True):
        assert f"{sheet}$A${first}:$A${last}" in ref        # months
        assert f"{sheet}$E${first}:$E${last}" in ref        # actual
        assert f"{sheet}$D${first}:$D${last}" in ref        # target
        assert f"{sheet}$C${first}" in ref                  # title: the KPI's name
    with zipfile.ZipFile(out) as z:
        chart1 = z.read("xl/charts/chart1.xml").decode()
    assert "<c:lineChart>" in chart1 and 'dispBlanksAs val="zero"' not in chart1    # a gap, not 0 %


def test_kpi_empty_and_duplicates(tmp_path):
    out = tmp_path / "k.xlsx"
    write_kpi([], out, business_date=DAY, version=VERSION)
    wb = openpyxl.load_workbook(out)
    assert wb[kpi.TEXT["zh"]["sheet"]]["A2"].value == kpi.TEXT["zh"]["none"]
    with zipfile.ZipFile(out) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/charts/")]
    twice = _figures()[:1] * 2
    with pytest.raises(ValueError, match="op_same_day"):
        write_kpi(twice, tmp_path / "d.xlsx", business_date=DAY, version=VERSION)
    assert not (tmp_path / "d.xlsx").exists() and not list(tmp_path.glob(".*.tmp"))


# -- HTML summary ----------------------------------------------------------------------------------

class _Checker(HTMLParser):
    """Balanced tags, no script, no style element, no event handler attributes."""

    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        assert not any(name.startswith("on") for name, _ in attrs)
        self.hrefs += [v for n, v in attrs if n == "href"]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, (tag, self.stack)


def _summary() -> RunSummary:
    return RunSummary(
        business_date=DAY, run=2,
        counts={"orders": 57, "exceptions": 3, "delivery_notes": 41, "odd<key>": 1},
        waiting_by_signer={"销售总监": 3, "销售副总监": 0, "gm": 1},
        open_problems=2,
        outputs=[("送货单", "送货单-2026-11-26.xlsx"), ("区域通知 <b>", "sub/区域通知-张伟-2026-11-26.xlsx"),
                 ("bad", "javascript:alert(1)"), ("abs", "/etc/passwd"), ("host", "//evil.example/x")],
        notes=["客户 <script>alert('x')</script> & Co 的订单已暂停", 'a "quoted" note'],
    )


def test_html_summary(tmp_path):
    out = tmp_path / "运行摘要.html"
    write_html_summary(_summary(), out)
    assert not list(tmp_path.glob(".*.tmp"))
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert checker.doctype.lower() == "doctype html" and checker.stack == []
    assert checker.tags[:4] == ["html", "head", "meta", "meta"] and 'lang="zh-CN"' in html
    assert '<meta charset="utf-8">' in html
    assert "script" not in checker.tags and "style" not in checker.tags
    assert "<title>OSB日报 2026-11-26 第 2 次运行</title>" in html
    # counts, who is waiting (a signer with nothing waiting is left out), open problems
    assert ">订单</td>" in html and ">57<" in html and ">送货单</td>" in html
    assert ">销售总监</td>" in html and ">总经理</td>" in html and "销售副总监" not in html
    assert "共 2 个" in html
    # input text is escaped, never markup
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co" in html
    assert "odd&lt;key&gt;" in html and "区域通知 &lt;b&gt;" in html and "&#34;quoted&#34;" in html
    # links: relative and percent-encoded; anything else is shown without a link
    assert checker.hrefs == [relative_href("送货单-2026-11-26.xlsx"),
                             relative_href("sub/区域通知-张伟-2026-11-26.xlsx")]
    assert checker.hrefs[0] == "%E9%80%81%E8%B4%A7%E5%8D%95-2026-11-26.xlsx"
    assert "javascript:alert(1)" in html and 'href="javascript' not in html
    assert "/etc/passwd" in html and 'href="/' not in html


def test_relative_href():
    assert relative_href("a b/c.xlsx") == "a%20b/c.xlsx"
    assert relative_href("sub\\x.xlsx") == "sub/x.xlsx"
    assert relative_href("../archive/x.xlsx") == "../archive/x.xlsx"
    for bad in ("javascript:alert(1)", "JavaScript:x", "data:text/html,x", "http://x/y", "//x/y", "/abs",
                "C:\\x.xlsx", "", "a\nb"):
        assert relative_href(bad) is None, bad


def test_html_summary_english_and_empty():
    html = render_html_summary(RunSummary(DAY, 1, {}, {}, 0), lang="en")
    assert 'lang="en"' in html and "OSB run 2026-11-26 #1" in html
    assert "No order waits for a signature." in html and "No open OSB problems." in html
    assert "This run wrote no outputs." in html


# -- LibreOffice -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["notices", "problems", "kpi"])
def test_reports_open_and_print_in_libreoffice(tmp_path, kind):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    if not LO_CHECK.exists():
        pytest.skip(f"{LO_CHECK} not available")
    out = tmp_path / f"{kind}.xlsx"
    if kind == "notices":
        write_um_notices(_notices(), out, business_date=DAY, version=VERSION)
    elif kind == "problems":
        write_problem_log(_problems(), out, business_date=DAY, version=VERSION)
    else:
        write_kpi(_figures(), out, business_date=DAY, version=VERSION)
    proc = subprocess.run([sys.executable, str(LO_CHECK), str(out), "--pdf"], capture_output=True, text=True,
                          timeout=300)
    output = proc.stdout + proc.stderr
    assert "PDF" in output, output
    assert proc.returncode == 0, output


def test_um_notice_of_a_quota_cut_lists_each_product_and_totals_each_order_once(tmp_path):
    cut = [Notice("张伟", "SO-7", "C001", "客户", "AWAITING_SIGNATURE", f"超出配额被削减：{p}", "提交超配额审批",
                  D("900"), p, D(ordered), D(allowed), D(ordered) - D(allowed))
           for p, ordered, allowed in (("P1", "10", "6"), ("P2", "5", "4.5"))]
    out = tmp_path / "n.xlsx"
    write_um_notices(cut, out, business_date=DAY, version=VERSION)
    ws = openpyxl.load_workbook(out)["张伟"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1)]
    keys = notices.KEYS[1:]
    assert [[r[keys.index(k)] for k in ("product_code", "ordered_qty", "allowed_qty", "cut_qty")] for r in rows[:2]] \
        == [["P1", 10, 6, 4], ["P2", 5, 4.5, 0.5]]
    assert rows[-1][0] == "合计" and rows[-1][keys.index("amount")] == 900
