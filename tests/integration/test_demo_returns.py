"""The demo's returned copies of what the batch writes: read from the batch's workbook in outbox/
(header found by the catalogue's labels, totals left out, the unscoped workbook preferred), written
back as the form people return, and read by the batch's own reader without an error; skipped with
one line when the batch has not written it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from osb_batch import catalogue as catalogue_mod
from osb_batch.demo.demo_data import build
from osb_batch.demo.management_rows import sales_force
from osb_batch.demo.returns import Returns
from osb_batch.readers.workbook import read
from osb_batch.settings.loader import load
from osb_batch.workspace import Home

START = dt.date(2026, 11, 26)


def _batch_workbook(path: Path, form_key: str, keys: list[str], rows: list[list], *, lang: str = "zh",
                    notes_first: bool = False) -> None:
    """A workbook laid out as a report: a title row, then the labels of ``keys``, then ``rows``
    (after a sheet of notes when ``notes_first``)."""
    form = catalogue_mod.load()[form_key]
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    if notes_first:
        wb.active.title = "说明"
        wb.active.append(["本表由系统生成，请区域经理填写期末库存后退回"])
    ws = wb.create_sheet(form.zh) if notes_first else wb.active
    ws.append([f"{form.zh} {path.stem}"])
    ws.append([getattr(form.field(k), lang) for k in keys])
    for row in rows:
        ws.append(row)
    wb.save(path)


@pytest.fixture
def demo(tmp_path):
    settings = load(None)
    data = build(settings, START)
    lines: list[str] = []
    returns = Returns(Home(tmp_path), settings, data, sales_force(data, settings, ["甲乙", "丙丁"]),
                      echo=lines.append, lang="zh")
    return Home(tmp_path), data, returns, lines


def _rows(path: Path, form_key: str) -> list[dict]:
    result = read(path, catalogue_mod.load())
    assert (result.form, result.errors) == (form_key, 0), [f.rule for f in result.findings]
    return [row.values for _, row in result.rows]


def test_the_dealer_statistics_come_back_with_the_stock_filled(demo):
    home, data, returns, lines = demo
    keys = ["month", "customer_code", "customer_name", "product_code", "purchase_qty", "purchase_amount",
            "stock_qty", "last_month_qty"]
    c1, c2 = data.customers[:2]
    folder = home.outbox / "报表-2026-11"
    _batch_workbook(folder / "经销商进货情况统计表-2026-11.xlsx", "dealer_purchase_stats", keys, [
        ["2026-11", c1.code, c1.name, "P031", 40, 15960, None, 10],
        ["2026-11", c2.code, c2.name, "P037", 12, 4188, None, None],
        ["合计", None, None, None, 52, 20148, None, None]], notes_first=True)
    _batch_workbook(folder / "经销商进货情况统计表-2026-11-华东-张伟.xlsx", "dealer_purchase_stats", keys,
                    [["2026-11", c2.code, c2.name, "P037", 12, 4188, None, None]])
    assert returns.due(dt.date(2026, 12, 1)) == []          # the day the reports are written
    (path,) = returns.due(dt.date(2026, 12, 2))
    rows = _rows(path, "dealer_purchase_stats")
    assert [(r["customer_code"], r["product_code"], r["purchase_qty"]) for r in rows] == [
        (c1.code, "P031", Decimal(40)), (c2.code, "P037", Decimal(12))]
    assert all(r["stock_qty"] is not None and r["stock_qty"] <= r["purchase_qty"] for r in rows)
    assert returns.due(dt.date(2026, 12, 3)) == [] and lines == []


def test_the_credit_limit_proposal_comes_back_signed_with_a_wrong_signer_and_blanks(demo):
    home, data, returns, _ = demo
    credit = [c for c in data.customers if not c.prepaid][:6]
    prepaid = next(c for c in data.customers if c.prepaid)
    keys = ["quarter", "customer_code", "customer_name", "current_limit", "proposed_limit", "manual_adjustment",
            "approved_limit", "approved_by"]
    rows = [["2027Q1", c.code, c.name, float(c.credit_limit), 100_000 + 10_000 * n, None, None, None]
            for n, c in enumerate(credit)]
    rows[3][4] = "130,000.00"                                       # a figure written as text
    rows.insert(2, ["2027Q1", prepaid.code, prepaid.name, 0, 0, None, None, None])
    _batch_workbook(home.outbox / "报表-2027Q1" / "信用额度建议-2027Q1.xlsx", "credit_limit_proposal", keys, rows,
                    lang="en")
    (path,) = returns.due(dt.date(2027, 1, 4))
    signed = {r["customer_code"]: r for r in _rows(path, "credit_limit_decisions")}
    assert len(signed) == 7 and {r["quarter"] for r in signed.values()} == {"2027Q1"}
    by = [signed[c.code]["approved_by"] for c in credit]
    assert by[0] == credit[0].kam                                   # not an SLT member: to be refused
    assert "代" in by[2] and by[4:] == [None, None]                  # on behalf; the last two blank
    assert signed[prepaid.code]["approved_limit"] is None
    assert signed[credit[1].code]["approved_limit"] == signed[credit[1].code]["proposed_limit"] + 50_000
    assert signed[credit[3].code]["approved_limit"] == Decimal(130_000)


def test_a_workbook_the_batch_has_not_written_is_skipped_with_one_line(demo):
    _, _, returns, lines = demo
    assert returns.due(dt.date(2027, 1, 4)) == [] and returns.due(dt.date(2027, 1, 5)) == []
    assert lines == ["2027-01-04：outbox/ 中没有经销商进货情况统计表（2026-12），本次演示不退回",
                     "2027-01-04：outbox/ 中没有信用额度建议（2027Q1），本次演示不退回"]
