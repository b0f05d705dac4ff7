"""The daily order run end to end: orders as staff write them, through the CLI, read back from the manifest."""

from __future__ import annotations

from decimal import Decimal

from ..conftest import CUSTOMER_HEADER, write_xlsx

PRODUCTS = [["产品编码", "产品名称", "规格", "单位", "单价", "状态", "产品组"],
            ["P001", "空调", "KFR-35", "台", "1000.00", "在售", "空调"],
            ["P002", "冰箱", "BCD-200", "台", "2000.00", "在售", "冰箱"],
            ["P009", "旧款", "X", "台", "500.00", "停售", "空调"]]
ORDER_HEADER = ["订单号", "订单日期", "客户编码", "客户经理核实", "市场经理审批", "产品编码", "数量", "单价", "金额",
                "申请特别处理", "特别处理原因", "说明"]


def customer(code, market, region, limit, prepaid="否"):
    return [code, f"{code}公司", market, region, "王五", "赵六", limit, "30", prepaid]


def seed(osb, customers, opening=()):
    write_xlsx(osb.inbox / "a-客户.xlsx", [CUSTOMER_HEADER, *customers])
    write_xlsx(osb.inbox / "b-产品.xlsx", PRODUCTS)
    if opening:
        write_xlsx(osb.inbox / "c-期初.xlsx", [["客户编码", "期初单据号", "单据日期", "到期日", "金额"], *opening])
    osb.run("2026-11-25")


def order(no, customer_code, product="P001", qty="10", price="1000.00", amount=None, st="否", reason="", note=""):
    amount = amount or f"{int(qty) * float(price):.2f}"
    return [no, "2026年11月26日", customer_code, "王五", "李四", product, qty, price, amount, st, reason, note]


def by_no(manifest):
    return {o["order_no"]: o for o in manifest["orders"]}


def test_a_day_with_every_credit_path(osb):
    seed(osb, [customer("C1", "华东", "上海", "100,000.00"),
               customer("C2", "华东", "上海", "10000"),
               customer("C3", "华北", "北京", "100000"),
               customer("C4", "华北", "北京", "0", prepaid="是"),
               customer("C5", "华南", "广东", "10000")],
         opening=[["C3", "QC-1", "2026-09-01", "2026-10-01", "5000"]])
    write_xlsx(osb.inbox / "订单-1126.xlsx", [ORDER_HEADER,
        order("SO-1", "C1", qty="100"),               # exposure exactly at the limit: 5-2
        order("SO-2", "C2", qty="11"),                # 10 % over: 5-3
        order("SO-3", "C3"),                          # overdue: 5-4
        order("SO-4", "C3", st="是", reason="订货会"),  # overdue with ST: 5-5
        order("SO-5", "C4", qty="5"),                 # prepaid, shortfall 5,000: 5-7b
        order("SO-6", "C4", qty="50"),                # prepaid, shortfall large: 5-7c
        order("SO-7", "C5", qty="13"),                # 30 % over: 5-4
        order("SO-8", "C1", product="P009", price="500.00"),   # discontinued: rejected
    ], title="华东订单 2026-11-26")
    manifest = osb.run("2026-11-26")
    got = {no: (o["state"], o["case"]) for no, o in by_no(manifest).items()}
    assert got == {
        "SO-1": ("AWAITING_SIGNATURE", "5-2"),
        "SO-2": ("NEEDS_MANAGER_APPROVAL", "5-3"),
        "SO-3": ("PREPAY_REQUIRED", "5-4"),
        "SO-4": ("ST_PENDING", "5-5"),
        "SO-5": ("NEEDS_MANAGER_APPROVAL", "5-7b"),
        "SO-6": ("AWAITING_PAYMENT", "5-7c"),
        "SO-7": ("PREPAY_REQUIRED", "5-4"),
        "SO-8": ("REJECTED", ""),
    }
    assert by_no(manifest)["SO-1"]["amount"] == "100000.00"
    assert by_no(manifest)["SO-8"]["reasons"]


def test_approvals_returned_the_same_afternoon_issue_delivery_notes_once(osb):
    seed(osb, [customer("C1", "华东", "上海", "100000"), customer("C2", "华北", "北京", "100000")])
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-1", "C1"), order("SO-2", "C2")])
    osb.run("2026-11-26")
    approvals = [["订单号", "审批类型", "审批人", "决定", "签字时间"],
                 ["SO-1", "经理批准", "销售副总监", "同意", "2026-11-26 15:00"],
                 ["SO-2", "经理批准", "销售副总监", "同意", "2026-11-26 15:00"]]   # wrong signer for 华北
    write_xlsx(osb.inbox / "审批单.xlsx", approvals)
    manifest = osb.run("2026-11-26")
    orders = by_no(manifest)
    assert orders["SO-1"]["state"] == "NOTE_ISSUED" and orders["SO-1"]["note_no"]
    assert orders["SO-2"]["state"] == "AWAITING_SIGNATURE"
    assert manifest["counts"]["delivery_notes"] == 1
    again = osb.run("2026-11-26")
    assert by_no(again)["SO-1"]["note_no"] == orders["SO-1"]["note_no"]
    assert again["counts"]["delivery_notes"] == 0


def test_a_second_order_of_one_customer_sees_the_first_ones_exposure(osb):
    seed(osb, [customer("C1", "华东", "上海", "15000")])
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-1", "C1"), order("SO-2", "C1", qty="6")])
    manifest = osb.run("2026-11-26")
    assert (by_no(manifest)["SO-1"]["case"], by_no(manifest)["SO-2"]["case"]) == ("5-2", "5-3")


def test_the_approval_workbook_filled_and_dropped_back_approves_and_prints_a_note(osb):

    import openpyxl
    seed(osb, [customer("C1", "华东", "上海", "100000"), customer("C2", "华东", "上海", "9000")])
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-1", "C1"), order("SO-2", "C2")])
    manifest = osb.run("2026-11-26")
    outputs = {o["form"]: osb.home / o["file"] for o in manifest["outputs"]}
    assert {"order_register", "approval_requests", "exceptions"} <= set(outputs)
    request = next(osb.home / o["file"] for o in manifest["outputs"] if "销售副总监" in o["file"])
    wb = openpyxl.load_workbook(request)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    decision = next(i for i, h in enumerate(header, 1) if h.startswith("决定"))
    signed = next(i for i, h in enumerate(header, 1) if h.startswith("签字时间"))
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 1).value:
            ws.cell(row, decision).value = "同意" if ws.cell(row, 1).value == "SO-1" else "不同意"
            ws.cell(row, signed).value = "2026-11-26 16:00"
    wb.save(osb.inbox / "待审批单-已签.xlsx")
    manifest = osb.run("2026-11-26")
    orders = by_no(manifest)
    assert orders["SO-1"]["state"] == "NOTE_ISSUED"
    assert orders["SO-2"]["state"] == "REFUSED"
    notes = [osb.home / o["file"] for o in manifest["outputs"] if o["form"] == "delivery_notes"]
    assert len(notes) == 1
    printed = openpyxl.load_workbook(notes[0]).worksheets[0]
    assert any(orders["SO-1"]["note_no"] in str(c.value) for row in printed.iter_rows() for c in row if c.value)
    statuses = {i["file"]: (i["status"], i["errors"]) for i in manifest["inputs"]}
    assert statuses["inbox/待审批单-已签.xlsx"] == ("processed", 0)
    assert "um_notices" in {o["form"] for o in manifest["outputs"]}, "the refusal is told to the UM"


def test_status_shows_what_waits_for_whom(osb):
    import json
    seed(osb, [customer("C1", "华东", "上海", "100000"), customer("C2", "华北", "北京", "0", prepaid="是")])
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-1", "C1"), order("SO-2", "C2", qty="50")])
    osb.run("2026-11-26")
    found = json.loads(osb("status", "--json").output)
    assert [o["order_no"] for o in found["awaiting_signature"]["销售副总监"]] == ["SO-1"]
    assert [o["order_no"] for o in found["awaiting_payment"]] == ["SO-2"]
    assert "销售副总监: 1 单" in osb("status").output
    english = osb("--lang", "en", "status").output
    assert "Deputy sales director: 1 orders" in english and "Waiting for the customer's payment: 1 orders" in english


def test_a_prepaid_order_moves_on_when_the_payment_arrives(osb):
    seed(osb, [customer("C1", "华北", "北京", "0", prepaid="是")])
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-1", "C1", qty="30")])
    assert by_no(osb.run("2026-11-26"))["SO-1"]["state"] == "AWAITING_PAYMENT"
    receipts = [["银行流水号", "到款日期", "付款户名", "金额", "摘要"],
                ["B-1", "2026-11-27", "C1公司", "¥30,000.00", "货款"]]
    write_xlsx(osb.inbox / "银行到款.xlsx", receipts)
    manifest = osb.run("2026-11-27")
    assert (by_no(manifest)["SO-1"]["state"], by_no(manifest)["SO-1"]["case"]) == ("AWAITING_SIGNATURE", "5-7a")
    write_xlsx(osb.inbox / "银行到款-重复.xlsx", receipts + [["B-2", "2026-11-27", "陌生公司", "5", ""]])
    again = osb.run("2026-11-27")
    assert {i["file"]: i["status"] for i in again["inputs"]}["inbox/银行到款-重复.xlsx"] == "processed"
    with osb.ledger() as db:
        rows = db.execute("SELECT amount FROM receipts").fetchall()
    assert sorted(Decimal(a) for (a,) in rows) == [Decimal("5"), Decimal("30000.00")]


def test_a_run_killed_after_writing_delivery_notes_numbers_no_note_twice(osb):
    rules = osb.home / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("auto_sign_pass = false", "auto_sign_pass = true"),
                     encoding="utf-8")
    seed(osb, [customer("C1", "华东", "上海", "100000"), customer("C2", "华北", "北京", "100000")])
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-1", "C1"), order("SO-2", "C2")])
    killed = osb.subprocess("run", "--date", "2026-11-26", env={"OSB_FAULT": "before-commit"})
    assert killed.returncode == 137
    partial = list((osb.home / "outbox" / "2026-11-26").glob(".run-*.partial/送货单-*.xlsx"))
    assert partial, "the notes were written before the kill"
    manifest = osb.run("2026-11-26")
    numbers = sorted(o["note_no"] for o in manifest["orders"])
    assert numbers == ["SH20261126-00001", "SH20261126-00002"]
    assert not list((osb.home / "outbox" / "2026-11-26").glob(".run-*"))
    write_xlsx(osb.inbox / "订单2.xlsx", [ORDER_HEADER, order("SO-3", "C1")])
    killed = osb.subprocess("run", "--date", "2026-11-26", env={"OSB_FAULT": "after-commit"})
    assert killed.returncode == 137
    again = osb.run("2026-11-26")
    assert sorted(o["note_no"] for o in again["orders"]) == numbers + ["SH20261126-00003"]


def test_every_order_run_workbook_opens_and_prints_in_libreoffice(osb):
    import shutil

    import pytest

    from ..conftest import LO_CHECK, lo_check_failures
    if not shutil.which("soffice") or not LO_CHECK.exists():
        pytest.skip("LibreOffice or lo_check.py absent")
    rules = osb.home / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("auto_sign_pass = false", "auto_sign_pass = true"),
                     encoding="utf-8")
    seed(osb, [customer("C1", "华东", "上海", "100000"), customer("C2", "华北", "北京", "9000"),
               customer("C3", "华南", "广东", "100")])
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-1", "C1"), order("SO-2", "C2"), order("SO-3", "C3"),
                                       order("SO-4", "C1", product="P009", price="500.00")])
    osb.run("2026-11-26")
    manifest = osb.run("2026-11-27")
    note = next(o["note_no"] for o in manifest["orders"] if o["note_no"])
    write_xlsx(osb.inbox / "发运.xlsx", [["送货单号", "订单号", "收单时间", "发货时间", "发运准确"],
                                       [note, "SO-1", "2026-11-26 10:00", "2026-11-27 09:00", "是"]])
    manifest = osb.run("2026-11-27")
    first = osb.home / "outbox" / "2026-11-26" / "run-01"
    files = sorted({*first.glob("*.xlsx"), *(osb.home / o["file"] for o in manifest["outputs"]
                                              if o["file"].endswith(".xlsx"))})
    kinds = {f.name.split("-")[0] for f in files}
    assert {"订单备忘录", "待审批单", "送货单", "区域通知", "OSB问题记录表", "OSB指标", "异常清单"} <= kinds, kinds
    assert lo_check_failures(files) == []
