"""An order every line of which the quotas cut to 0 ends at once (issue 9): rejected as fully cut,
told in the order register and its UM's notice, with no approval request and no delivery note.

Quotas, customers and orders are written as staff write them; the CLI runs; the outputs are read back.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from osb_batch import messages
from osb_batch.writers.list_sheet import form_headers
from osb_batch.writers.notices import KEYS as NOTICE_KEYS
from osb_batch.writers.register import HEADERS as REGISTER_HEADERS
from osb_batch.writers.register import KEYS as REGISTER_KEYS

from ..conftest import write_xlsx
from .test_orders_e2e import ORDER_HEADER, by_no, customer, order, seed

QUOTA_HEADER = ["月份", "级别", "市场", "区域", "客户编码", "产品编码", "配额数量"]


def outputs(home: Path, manifest: dict, form: str) -> list[Path]:
    return [home / o["file"] for o in manifest["outputs"] if o["form"] == form]


def table(ws, keys, headers) -> list[dict]:
    """The rows under the header row whose cells are ``headers``, keyed by ``keys``; stops at a blank order number."""
    rows = list(ws.iter_rows(values_only=True))
    top = next(n for n, row in enumerate(rows) if list(row[:len(headers)]) == list(headers))
    out = []
    for row in rows[top + 1:]:
        if not row[0] or not row[keys.index("order_no")]:
            break
        out.append(dict(zip(keys, row, strict=False)))
    return out


@pytest.fixture
def cut_day(osb):
    """上海 has 12 of P001 and none of P002 this month: SO-1 takes 10, SO-4 gets the last 2 of its 6,
    SO-2 and SO-3 are cut to nothing (SO-3's customer is overdue: it would have waited for prepayment)."""
    seed(osb, [customer("C1", "华东", "上海", "1,000,000"), customer("C3", "华东", "上海", "1,000,000")],
         opening=[["C3", "QC-1", "2026-09-01", "2026-10-01", "5000"]])
    write_xlsx(osb.inbox / "配额.xlsx", [QUOTA_HEADER, ["2026-11", "区域", "华东", "上海", "", "P001", "12"],
                                        ["2026-11", "区域", "华东", "上海", "", "P002", "0"]])
    write_xlsx(osb.inbox / "订单.xlsx", [
        ORDER_HEADER, order("SO-1", "C1", qty="10"), order("SO-4", "C1", qty="6"),
        order("SO-2", "C1", qty="5"), order("SO-2", "C1", product="P002", qty="3", price="2000.00"),
        order("SO-3", "C3", product="P002", qty="4", price="2000.00")])
    return osb


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_fully_cut_order_is_rejected_and_told_in_the_register_and_the_um_notice(cut_day, lang):
    osb = cut_day
    manifest = json.loads(osb("--lang", lang, "run", "--date", "2026-11-26", "--json").output)
    orders = by_no(manifest)
    assert {no: (o["state"], o["case"], o["amount"]) for no, o in orders.items()} == {
        "SO-1": ("AWAITING_SIGNATURE", "5-2", "10000.00"),
        "SO-2": ("REJECTED", "", "0.00"),
        "SO-3": ("REJECTED", "", "0.00"),
        "SO-4": ("AWAITING_SIGNATURE", "5-2", "2000.00"),
    }
    assert [(c["product_code"], c["requested"], c["qty"], c["cut"]) for c in orders["SO-2"]["cut_lines"]] == [
        ("P001", "5", "0", "5"), ("P002", "3", "0", "3")]
    fully = messages.render("quota-fully-cut", lang, {"lines": 2, "cut": 8})
    assert orders["SO-2"]["reasons"][-1] == fully

    register = openpyxl.load_workbook(outputs(osb.home, manifest, "order_register")[0]).worksheets[0]
    rows = {r["order_no"]: r for r in table(register, REGISTER_KEYS, REGISTER_HEADERS[lang])}
    assert rows["SO-2"]["state"] == messages.state_label("REJECTED", lang)
    assert fully in rows["SO-2"]["reason"] and "REJECTED" not in rows["SO-2"]["reason"]
    assert rows["SO-3"]["case"] is None, "a fully cut order never reaches the credit check"

    notice_files = outputs(osb.home, manifest, "um_notices")
    assert [p.name for p in notice_files] == ["区域通知-赵六-2026-11-26.xlsx"]
    sheet = openpyxl.load_workbook(notice_files[0]).worksheets[0]
    notices = table(sheet, NOTICE_KEYS, form_headers("um_notices", NOTICE_KEYS, lang))
    so2 = [n for n in notices if n["order_no"] == "SO-2"]
    assert [(n["result"], n["reason"], n["action"]) for n in so2[:1]] == [
        (messages.state_label("REJECTED", lang), fully, messages.action("quota-fully-cut", lang, {}))]
    assert [(n["product_code"], n["ordered_qty"], n["allowed_qty"], n["cut_qty"]) for n in so2[1:]] == [
        ("P001", 5, 0, 5), ("P002", 3, 0, 3)]
    assert {n["order_no"] for n in notices} == {"SO-2", "SO-3", "SO-4"}, "SO-4 is told its cut line"
    tally = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert [v for v in tally if isinstance(v, int)] == [2, 1, 3], "rejected, awaiting signature, orders: once each"

    waiting = [openpyxl.load_workbook(p).worksheets[0] for p in outputs(osb.home, manifest, "approval_requests")]
    asked = {c for ws in waiting for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert {"SO-1", "SO-4"} <= asked and not {"SO-2", "SO-3"} & asked, "no approval row for a fully cut order"
    assert manifest["counts"]["delivery_notes"] == 0 and not orders["SO-2"]["note_no"]


def test_a_fully_cut_order_stays_rejected_on_the_next_runs_and_may_be_resubmitted(cut_day):
    osb = cut_day
    first = by_no(osb.run("2026-11-26"))
    again = osb.run("2026-11-26")
    assert [o["order_no"] for o in again["orders"]] == ["SO-1", "SO-4"], "nothing changed, nothing touched"
    assert all(first[o["order_no"]] == o for o in again["orders"])
    transfer = [["调拨单号", "月份", "调出区域", "调入区域", "产品编码", "数量", "调出区域经理同意"],
                ["DB-1", "2026-11", "江苏", "上海", "P002", "10", "是"]]
    write_xlsx(osb.inbox / "调拨.xlsx", transfer)
    write_xlsx(osb.inbox / "订单-重交.xlsx", [ORDER_HEADER, order("SO-3", "C3", product="P002", qty="4",
                                                                  price="2000.00")])
    resubmitted = by_no(osb.run("2026-11-27"))["SO-3"]
    assert (resubmitted["state"], resubmitted["case"], Decimal(resubmitted["amount"])) == (
        "PREPAY_REQUIRED", "5-4", Decimal("8000"))
