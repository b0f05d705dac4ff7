"""The followed workflows through ``osb-batch run`` (issue 15): workbooks as staff write them
(Chinese headers, a title row, numbers as text) over several days; items, findings and the to-do
workbooks read back from the manifest and the outbox."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from zoneinfo import ZoneInfo

import openpyxl

from ..conftest import CUSTOMER_HEADER, write_xlsx
from ..support.outputs import exception_rows, run_folder
from .test_orders_e2e import ORDER_HEADER, PRODUCTS, order

SHANGHAI = ZoneInfo("Asia/Shanghai")
REQUESTS = ["申请单号", "申请日期", "客户编码", "送货单号", "发票类型", "开票金额", "申请人"]
INVOICES = ["发票号", "送货单号", "客户编码", "开票日期", "金额"]
OUTBOUND = ["出库单号", "出库日期", "送货单号", "客户编码", "产品编码", "出库数量", "经办人"]
RECEIPTS = ["确认单号", "送货单号", "客户编码", "收货日期", "产品编码", "实收数量", "货物状况", "签收人"]
TICKETS = ["工单号", "受理时间", "客户编码", "客户名称", "问题类别", "问题描述", "处理人", "处理状态"]
RETURN_DETAIL = ["红字申请单号", "申请日期", "原单号", "客户编码", "产品编码", "退货数量", "退货金额", "退货原因",
                 "申请人", "审核人"]
RETURNS = ["退货单号", "原单号", "客户编码", "产品编码", "数量", "金额", "退货日期", "审核人"]
QUOTES = ["报价单号", "报价日期", "客户编码", "客户名称", "产品编码", "报价单价", "报价有效期至", "报价人", "审批人"]
BIDS = ["投标编号", "项目名称", "招标单位", "投标日期", "投标保证金", "负责人", "中标结果", "保证金已退"]


def arrive(path, text: str) -> None:
    """Set the file's arrival in the inbox (its modification time) to ``text`` in Shanghai time."""
    moment = dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()
    os.utime(path, (moment, moment))


def seed(osb) -> None:
    write_xlsx(osb.inbox / "a-客户.xlsx", [CUSTOMER_HEADER,
                                         ["C1", "C1公司", "华东", "上海", "王五", "赵六", "100000", "30", "否"]])
    write_xlsx(osb.inbox / "b-产品.xlsx", PRODUCTS)
    osb.run("2026-11-25")


def items(manifest: dict, chain: str) -> dict[str, dict]:
    return {i["key"]: i for i in manifest["open_items"] if i["chain"] == chain}


def rules_at(osb, manifest: dict) -> set[tuple[str, str, str]]:
    """(rule, file name as sent, cell) of the workflow findings (the archive's copy drops its hash prefix)."""
    return {(r["规则"], re.sub(r"^[0-9a-f]{16}-", "", r["文件"].rsplit("/", 1)[-1]), r["单元格"])
            for r in exception_rows(osb.home, manifest) if r["规则"].startswith("workflow-")}


def test_invoicing_on_time_late_and_with_another_amount(osb):
    seed(osb)
    requests = write_xlsx(osb.inbox / "开票申请.xlsx", [REQUESTS,
        ["IR-001", "2026-11-26", "C1", "DN-A", "增值税专用发票", "1,000.00", "王五"],
        ["IR-002", "2026-11-26", "C1", "DN-B", "增值税专用发票", "2000", "王五"],
        ["IR-003", "2026-11-26", "C1", "DN-C", "增值税专用发票", "3000", "王五"]], title="开票申请单（11月26日）")
    arrive(requests, "2026-11-26 09:00")
    first = osb.run("2026-11-26")
    assert {k: (i["status"], i["responsible"], i["due"]) for k, i in items(first, "invoicing").items()} == {
        "IR-001": ("open", "郑丽华", "2026-11-30"), "IR-002": ("open", "郑丽华", "2026-11-30"),
        "IR-003": ("open", "郑丽华", "2026-11-30")}
    assert ("workflow-note-not-shipped", "开票申请.xlsx", "D4") in rules_at(osb, first)

    write_xlsx(osb.inbox / "开票记录.xlsx", [INVOICES, ["INV-1", "DN-A", "C1", "2026-11-27", "1000"],
                                           ["INV-3", "DN-C", "C1", "2026-11-27", "3500"],
                                           ["INV-9", "DN-Z", "C1", "2026-11-27", "10"]])
    second = osb.run("2026-11-27")
    assert {k: i["status"] for k, i in items(second, "invoicing").items()} == {
        "IR-001": "closed", "IR-002": "open", "IR-003": "closed"}
    found = {rule for rule, *_ in rules_at(osb, second)}
    assert {"workflow-invoice-amount", "workflow-unmatched"} <= found

    third = osb.run("2026-12-01")
    assert items(third, "invoicing")["IR-002"] | {} == {
        "chain": "invoicing", "key": "IR-002", "responsible": "郑丽华", "opened": "2026-11-26", "due": "2026-11-30",
        "status": "overdue", "overdue_days": 1}
    assert "IR-001" not in items(third, "invoicing"), "closed on an earlier day: no longer listed"
    write_xlsx(osb.inbox / "开票记录-2.xlsx", [INVOICES, ["INV-2", "DN-B", "C1", "2026-12-02", "2000"],
                                             ["INV-4", "DN-A", "C1", "2026-12-02", "1000"]])
    fourth = osb.run("2026-12-02")
    assert items(fourth, "invoicing")["IR-002"]["status"] == "closed"
    assert "workflow-duplicate" in {rule for rule, *_ in rules_at(osb, fourth)}
    again = osb.run("2026-12-02")
    assert again["open_items"] == fourth["open_items"]
    assert not rules_at(osb, again), "a second run the same day tells nothing again"
    with osb.ledger() as db:
        late = db.execute("SELECT key, late, changed_run FROM workflow_items WHERE chain = 'invoicing' "
                          "ORDER BY key").fetchall()
        runs = db.execute("SELECT id FROM runs ORDER BY id").fetchall()
    assert [(k, lt) for k, lt, _ in late] == [("IR-001", 0), ("IR-002", 1), ("IR-003", 0)]
    assert max(r for *_, r in late) < runs[-1][0], "the second run of the day changed no item"


def test_the_to_do_workbooks_list_overdue_first_for_ssg_and_each_person(osb):
    seed(osb)
    write_xlsx(osb.inbox / "开票申请.xlsx", [REQUESTS,
        ["IR-001", "2026-11-26", "C1", "DN-A", "增值税专用发票", "1000", "王五"]])
    bids = write_xlsx(osb.inbox / "投标登记.xlsx", [BIDS,
        ["B-1", "学校空调", "某中学", "2026-11-20", "5000", "王五", "未中标", "否"]])
    arrive(bids, "2026-11-26 10:00")
    osb.run("2026-11-26")
    manifest = osb.run("2026-12-01")
    outputs = [o["file"] for o in manifest["outputs"] if o["form"] == "workflow_items"]
    names = sorted(f.rsplit("/", 1)[-1] for f in outputs)
    assert names == sorted(["待办事项-2026-12-01.xlsx", "待办事项-2026-12-01-郑丽华.xlsx", "待办事项-2026-12-01-王五.xlsx"])
    ssg = openpyxl.load_workbook(osb.home / next(f for f in outputs if f.endswith("12-01.xlsx"))).worksheets[0]
    rows = [[c.value for c in r] for r in ssg.iter_rows() if r[0].value]
    header = next(i for i, r in enumerate(rows) if r[0] == "负责人")
    listed = [(r[0], r[2]) for r in rows[header + 1:]]
    assert listed[0] == ("郑丽华", "IR-001"), "the overdue item first"
    assert ("王五", "B-1") in listed, "a lost bid's deposit waits for recovery"


STAFF = ["姓名", "岗位", "市场", "区域", "在职"]
APPROVALS = ["订单号", "审批类型", "审批人", "决定", "签字时间"]


SHIPMENTS = ["送货单号", "订单号", "收单时间", "发货时间", "发运准确"]


def kpi(osb, manifest: dict, name: str) -> tuple:
    """The KPI workbook's row of ``name`` for the month of the run."""
    path = run_folder(osb.home, manifest) / f"OSB指标-{manifest['business_date']}.xlsx"
    rows = openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)
    return next(r for r in rows if r and r[0] == manifest["business_date"][:7] and name in r)


def issue_note(osb) -> str:
    """A signed order of C1 (10 × P001 at 1,000.00) whose delivery note is issued on 2026-11-26."""
    write_xlsx(osb.inbox / "名册.xlsx", [STAFF, ["王五", "客户经理", "华东", "上海", "是"],
                                       ["赵六", "区域经理", "华东", "上海", "是"], ["孙伟", "市场经理", "华东", "", "是"]],
               title="销售人员名册")
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, order("SO-1", "C1")])
    osb.run("2026-11-26")
    write_xlsx(osb.inbox / "审批单.xlsx", [APPROVALS, ["SO-1", "经理批准", "销售副总监", "同意", "2026-11-26 15:00"]])
    manifest = osb.run("2026-11-26")
    return next(o["note_no"] for o in manifest["orders"] if o["order_no"] == "SO-1")


def ship(osb, qty: str) -> tuple[str, dict]:
    """SO-1's note goes out on 2026-11-27 with ``qty`` of its 10 × P001, shipped within 24 hours."""
    seed(osb)
    note = issue_note(osb)
    write_xlsx(osb.inbox / "销售出库.xlsx", [OUTBOUND, ["CK-1", "2026-11-27", note, "C1", "P001", qty, "仓管老李"]],
               title="销售出库单")
    write_xlsx(osb.inbox / "发运.xlsx", [SHIPMENTS, [note, "SO-1", "2026-11-26 17:00", "2026-11-27 09:00", "是"]])
    return note, osb.run("2026-11-27")


def test_proof_of_delivery_with_a_short_receipt_opens_an_after_sales_item(osb):
    note, second = ship(osb, "10")
    (item,) = items(second, "proof_of_delivery").values()
    assert (item["key"], item["responsible"], item["status"], item["due"]) == (note, "赵海涛", "open", "2026-12-11")
    assert not [p for p in second["problems"] if p["area"] == "SP"]

    write_xlsx(osb.inbox / "签收单.xlsx", [RECEIPTS, ["RC-1", note, "C1", "2026-11-30", "P001", "7", "短少", "客户张"]])
    third = osb.run("2026-11-30")
    assert items(third, "proof_of_delivery")[note]["status"] == "closed"
    after = items(third, "after_sales")["RC-1-P001"]
    assert (after["status"], after["responsible"], after["due"]) == ("open", "王五", "2026-12-01")
    assert ("workflow-receipt-short", "签收单.xlsx", "F2") in rules_at(osb, third)
    (miss,) = [p for p in third["problems"] if p["area"] == "SP"]
    assert (miss["note_no"], miss["order_no"], miss["status"]) == (note, "SO-1", "open")
    assert kpi(osb, third, "发运准确率")[5:7] == (0, 1), "shipped on time but short: not shipped correctly"
    again = osb.run("2026-11-30")
    assert [p["problem_no"] for p in again["problems"] if p["area"] == "SP"] == [miss["problem_no"]]


def test_a_complaint_informs_the_market_manager_and_a_closed_row_closes_the_ticket(osb):
    seed(osb)
    issue_note(osb)
    tickets = write_xlsx(osb.inbox / "客服工单.xlsx", [TICKETS,
        ["T-1", "2026-11-26 09:00", "C1", "C1公司", "投诉", "送货延误", "刘洋", "待处理"],
        ["T-2", "2026-11-26 09:30", "C1", "C1公司", "咨询", "发货安排", "刘洋", "处理中"]])
    arrive(tickets, "2026-11-26 17:00")
    first = osb.run("2026-11-26")
    complaint = [r for r in exception_rows(osb.home, first) if r["规则"] == "workflow-complaint"]
    assert [r["单元格"] for r in complaint] == ["E2"] and "孙伟" in complaint[0]["说明"]
    assert {k: (i["status"], i["due"]) for k, i in items(first, "service_tickets").items()} == {
        "T-1": ("open", "2026-11-27"), "T-2": ("open", "2026-12-01")}
    write_xlsx(osb.inbox / "客服工单-关闭.xlsx", [TICKETS,
        ["T-1", "2026-11-26 09:00", "C1", "C1公司", "投诉", "送货延误", "刘洋", "已关闭"]])
    second = osb.run("2026-11-27")
    assert {k: i["status"] for k, i in items(second, "service_tickets").items()} == {"T-1": "closed", "T-2": "open"}
    later = osb.run("2026-12-04")
    assert items(later, "service_tickets")["T-2"] | {} == {
        "chain": "service_tickets", "key": "T-2", "responsible": "刘洋", "opened": "2026-11-26",
        "due": "2026-12-01", "status": "overdue", "overdue_days": 3}


def test_returns_with_and_without_a_reviewed_requisition(osb):
    seed(osb)
    note = issue_note(osb)
    write_xlsx(osb.inbox / "退货详单.xlsx", [RETURN_DETAIL,
        ["RD-1", "2026-11-27", note, "C1", "P001", "2", "2000", "质量问题", "王五", "赵六"],
        ["RD-2", "2026-11-27", note, "C1", "P002", "1", "2000", "错发", "王五", ""],
        ["RD-3", "2026-11-27", note, "C1", "P001", "20", "20000", "客户退订", "王五", "王五"]], title="退货详单")
    first = osb.run("2026-11-27")
    found = rules_at(osb, first)
    assert ("workflow-return-exceeds", "退货详单.xlsx", "F5") in found
    assert ("workflow-reviewer-not-entitled", "退货详单.xlsx", "J5") in found
    assert {k: (i["status"], i["responsible"]) for k, i in items(first, "returns").items()} == {
        "RD-1|P001": ("open", "赵六"), "RD-2|P002": ("open", "王五"), "RD-3|P001": ("open", "王五")}
    write_xlsx(osb.inbox / "退货单.xlsx", [RETURNS, ["RT-1", note, "C1", "P001", "2", "2000", "2026-11-30", "赵六"],
                                         ["RT-2", note, "C1", "P002", "1", "2000", "2026-11-30", "赵六"]])
    second = osb.run("2026-11-30")
    assert items(second, "returns")["RD-1|P001"]["status"] == "closed"
    assert "workflow-return-unreviewed" in {rule for rule, *_ in rules_at(osb, second)}


def test_a_quote_under_the_list_price_needs_an_approver_and_a_lost_bid_its_deposit_back(osb):
    seed(osb)
    issue_note(osb)
    write_xlsx(osb.inbox / "报价单.xlsx", [QUOTES,
        ["Q-1", "2026-11-27", "C1", "C1公司", "P001", "850", "2026-12-31", "王五", ""],
        ["Q-2", "2026-11-27", "C1", "C1公司", "P002", "1700", "2026-12-31", "王五", "孙伟"],
        ["Q-3", "2026-11-27", "C1", "C1公司", "P002", "1950", "2026-11-30", "王五", ""]], title="报价单")
    write_xlsx(osb.inbox / "投标登记.xlsx", [BIDS,
        ["B-1", "学校空调", "某中学", "2026-11-20", "5,000.00", "王五", "未中标", "否"],
        ["B-2", "医院冰箱", "某医院", "2026-11-21", "", "王五", "中标", ""]])
    first = osb.run("2026-11-27")
    assert {(rule, cell) for rule, _, cell in rules_at(osb, first) if rule == "workflow-quote-unapproved"} == {
        ("workflow-quote-unapproved", "F3")}
    assert set(items(first, "bid_deposits")) == {"B-1"}
    assert {k: i["status"] for k, i in items(first, "bids").items()} == {"B-1": "closed", "B-2": "closed"}
    later = osb.run("2026-12-01")
    assert {k: i["status"] for k, i in items(later, "quotations").items()} == {
        "Q-1|P001": "open", "Q-2|P002": "open", "Q-3|P002": "closed"}, "Q-3 expired on 11-30: closed by this run"
    write_xlsx(osb.inbox / "投标登记-退款.xlsx", [BIDS,
        ["B-1", "学校空调", "某中学", "2026-11-20", "5000", "王五", "未中标", "是"]])
    refunded = osb.run("2026-12-02")
    assert items(refunded, "bid_deposits")["B-1"]["status"] == "closed"


def test_an_item_overdue_two_working_days_goes_to_the_manager_and_to_status(osb):
    seed(osb)
    issue_note(osb)                      # the roster: 王五 KAM, 赵六 UM, 孙伟 MM of 华东
    write_xlsx(osb.inbox / "退货详单.xlsx", [RETURN_DETAIL,
        ["RD-1", "2026-11-26", "DN-X", "C1", "P001", "1", "1000", "质量问题", "王五", ""]])
    osb.run("2026-11-26")
    one_day = osb.run("2026-12-01")      # review due 11-30: one working day overdue
    assert items(one_day, "returns")["RD-1|P001"]["overdue_days"] == 1
    assert not any("赵六" in o["file"] for o in one_day["outputs"] if o["form"] == "workflow_items")
    two_days = osb.run("2026-12-02")
    files = {o["file"].rsplit("/", 1)[-1] for o in two_days["outputs"] if o["form"] == "workflow_items"}
    assert "待办事项-2026-12-02-赵六.xlsx" in files, "the KAM's overdue item goes to the UM"
    status = json.loads(osb("status", "--date", "2026-12-02", "--json").output)
    assert [(i["key"], i["overdue_days"], i["escalate_to"]) for i in status["overdue_items"]["王五"]] == [
        ("RD-1|P001", 2, "赵六")]
    shown = osb("status", "--date", "2026-12-02").output
    assert "逾期待办事项" in shown and "退货 RD-1|P001 待审核" in shown, "the chain's and step's names, not their keys"
    assert "returns" not in shown and "reviewed" not in shown
    assert "returns RD-1|P001 waiting for reviewed" in osb("--lang", "en", "status", "--date", "2026-12-02").output


def test_the_to_do_workbooks_in_english(osb):
    seed(osb)
    (osb.home / "rules.toml").write_text((osb.home / "rules.toml").read_text(encoding="utf-8").replace(
        'lang = "zh"', 'lang = "en"'), encoding="utf-8")
    write_xlsx(osb.inbox / "开票申请.xlsx", [REQUESTS,
        ["IR-001", "2026-11-26", "C1", "DN-A", "增值税专用发票", "1000", "王五"]])
    manifest = osb.run("2026-12-01")
    path = next(osb.home / o["file"] for o in manifest["outputs"] if o["file"].endswith("To-do-2026-12-01.xlsx"))
    values = [c.value for r in openpyxl.load_workbook(path).worksheets[0].iter_rows() for c in r if c.value]
    assert {"Responsible", "invoicing", "invoiced", "open"} <= set(values)


def test_a_run_killed_before_its_commit_moves_no_item(osb):
    seed(osb)
    write_xlsx(osb.inbox / "开票申请.xlsx", [REQUESTS,
        ["IR-001", "2026-11-26", "C1", "DN-A", "增值税专用发票", "1000", "王五"]])
    osb.run("2026-11-26")
    write_xlsx(osb.inbox / "开票记录.xlsx", [INVOICES, ["INV-1", "DN-A", "C1", "2026-11-27", "1000"]])
    killed = osb.subprocess("run", "--date", "2026-11-27", env={"OSB_FAULT": "before-commit"})
    assert killed.returncode == 137
    with osb.ledger() as db:
        assert db.execute("SELECT status FROM workflow_items").fetchall() == [("open",)]
    redone = osb.run("2026-11-27")
    assert items(redone, "invoicing")["IR-001"]["status"] == "closed"


LEADS = ["客户名称", "市场", "跟进阶段", "跟进人", "登记日期"]


def test_the_month_figures_per_chain_tickets_quotes_bids_and_funnel(osb, tmp_path):
    from osb_batch.reports import period
    from osb_batch.reports.report import Basis
    from osb_batch.reports.workflow_report import PART
    from osb_batch.settings import load

    write_xlsx(osb.inbox / "a-客户.xlsx", [CUSTOMER_HEADER,
                                         ["C1", "C1公司", "华东", "上海", "王五", "赵六", "100000", "30", "否"]])
    write_xlsx(osb.inbox / "b-产品.xlsx", PRODUCTS)
    write_xlsx(osb.inbox / "目标客户.xlsx", [LEADS, ["C1公司", "华东", "有意向", "王五", "2026-10-15"],
                                           ["新客户", "华东", "初步接触", "王五", "2026-10-15"]])
    osb.run("2026-10-15")
    write_xlsx(osb.inbox / "开票申请.xlsx", [REQUESTS, *[[f"IR-00{n}", "2026-11-23", "C1", f"DN-{n}", "增值税专用发票",
                                                        "1000", "王五"] for n in (1, 2, 3)]])
    write_xlsx(osb.inbox / "报价单.xlsx", [QUOTES,
        ["Q-1", "2026-11-20", "C1", "C1公司", "P002", "1500", "2026-11-25", "王五", "孙伟"],
        ["Q-2", "2026-11-20", "C1", "C1公司", "P001", "1000", "2026-11-30", "王五", ""]])
    write_xlsx(osb.inbox / "投标登记.xlsx", [BIDS, ["B-1", "学校", "某中学", "2026-11-10", "5000", "王五", "未中标", "否"],
                                           ["B-2", "医院", "某医院", "2026-11-12", "", "王五", "中标", ""]])
    write_xlsx(osb.inbox / "客服工单.xlsx", [TICKETS,
        ["T-1", "2026-11-23 09:00", "C1", "C1公司", "投诉", "延误", "刘洋", "处理中"],
        ["T-2", "2026-11-23 10:00", "C1", "C1公司", "咨询", "价格", "刘洋", "待处理"]])
    write_xlsx(osb.inbox / "POP申请.xlsx", [POP, ["POP-1", "2026-11-23", "王五", "C1", "展架", "2", "2026-11-25", ""],
                                           ["POP-2", "2026-11-23", "王五", "C1", "海报", "50", "2026-11-24", ""],
                                           ["POP-3", "2026-10-30", "王五", "C1", "海报", "10", "", ""]])
    osb.run("2026-11-23")
    write_xlsx(osb.inbox / "POP申请-送达.xlsx", [POP, ["POP-1", "2026-11-23", "王五", "C1", "展架", "2", "2026-11-25",
                                                   "2026-11-24"],
                                                  ["POP-2", "2026-11-23", "王五", "C1", "海报", "50", "2026-11-24",
                                                   "2026-11-26"]])
    write_xlsx(osb.inbox / "开票记录.xlsx", [INVOICES, ["INV-1", "DN-1", "C1", "2026-11-24", "1000"]])
    osb.run("2026-11-24")
    issue_note(osb)                                   # SO-1: 10 × P001 at 1,000.00 on 11-26 wins Q-2
    write_xlsx(osb.inbox / "开票记录-2.xlsx", [INVOICES, ["INV-2", "DN-2", "C1", "2026-11-27", "1000"]])
    write_xlsx(osb.inbox / "客服工单-关闭.xlsx", [[*TICKETS, "客户满意度"],
        ["T-1", "2026-11-23 09:00", "C1", "C1公司", "投诉", "延误", "刘洋", "已关闭", "满意"]])
    osb.run("2026-11-27")

    ledger = osb.open_ledger(readonly=True)
    try:
        month = PART.build(Basis(ledger, load(osb.home / "rules.toml"), dt.date(2026, 12, 1)),
                             period.month(2026, 11), "zh")
    finally:
        ledger.close()
    figures = PART.as_json(month)
    assert figures["workflows"]["invoicing"] == {"opened": 3, "closed_on_time": 1, "closed_late": 1, "open": 1,
                                                 "median_days": 2.5}
    assert figures["tickets"] == {"by_category": {"complaint": 1, "inquiry": 1}, "by_channel": {"": 2},
                                  "satisfaction": {"satisfied": 100.0, "neutral": 0.0, "dissatisfied": 0.0}, "count": 2,
                                  "response_hours": 3.0, "closing_days": 4.0}, "T-1 handled by noon, closed on the 27th"
    assert figures["quotes"] == {"王五": {"count": 2, "won": 1, "lost": 1, "win_rate": 50.0}}
    assert figures["bids"] == {"王五": {"count": 2, "won": 1, "lost": 1, "win_rate": 50.0}}
    assert figures["funnel"] == {"E": {"stages": {"contact": 1, "interest": 1}, "converted": 1, "stale": 1}}, \
        "C1公司 is in the customers master: won, not stale"
    assert figures["pop"] == {"E": {"requested": 2, "requested_qty": 52, "delivered": 2, "delivered_qty": 52,
                                    "delivered_in_time": 1}}, "POP-3 was requested in October"
    (path, form), = PART.write(month, period.month(2026, 11), tmp_path, "zh", "test")
    assert (path.name, form) == ("跟进事项月报-2026-11.xlsx", "workflow_report")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["流程", "客服工单", "报价", "投标", "目标客户", "POP物料", "_osb"]
    assert [c.value for c in book["POP物料"][4]] == ["E", 2, 52, 2, 52, 1]
    times = {r[0]: r[1] for r in book["客服工单"].iter_rows(values_only=True) if r[0] and "中位数" in str(r[0])}
    assert times == {"响应时间（小时，中位数）": 3.0, "关闭所需工作日（中位数）": 4.0}
    assert [c.value for c in book["流程"][4]][:6] == ["开票", 3, 1, 1, 1, 2.5]
    assert all(ws._charts for ws in book.worksheets[:-1]), "every sheet with figures has its chart"


def test_a_contract_signed_while_the_customer_is_overdue_is_flagged_and_its_renewal_falls_due(osb):
    seed(osb)
    write_xlsx(osb.inbox / "开票记录.xlsx", [INVOICES, ["INV-OLD", "DN-OLD", "C1", "2026-09-01", "5000"]])
    contracts = [["合同编号", "签订日期", "客户编码", "客户名称", "合同金额", "合同截止日期", "签订人"],
                 ["HT-1", "2026-11-26", "C1", "C1公司", "50,000.00", "2026-12-31", "王五"]]
    write_xlsx(osb.inbox / "合同登记.xlsx", contracts, title="合同登记台账")
    first = osb.run("2026-11-26")
    assert ("workflow-contract-risk", "合同登记.xlsx", "C3") in rules_at(osb, first)
    assert items(first, "contracts")["HT-1"]["due"] == "2026-12-01"
    assert items(osb.run("2026-12-02"), "contracts")["HT-1"]["status"] == "overdue"
    # the first run after November closed made its contract register: HT-1 flagged there too (合同风险)
    sheet = openpyxl.load_workbook(osb.home / "outbox" / "报表-2026-11" / "销售合同登记-2026-11.xlsx").worksheets[0]
    header = next(r for r in sheet.iter_rows(values_only=True) if "合同风险" in r)
    row = next(r for r in sheet.iter_rows(values_only=True) if "HT-1" in r)
    assert row[header.index("合同风险")] == "签订时逾期 5,000.00，余额 5,000.00，信用额度 100,000.00"


def test_an_outbound_sent_the_day_its_note_was_issued_moves_the_item(osb):
    seed(osb)
    note = issue_note(osb)
    outbound = write_xlsx(osb.inbox / "销售出库.xlsx", [OUTBOUND, ["CK-1", "2026-11-26", note, "C1", "P001", "10", "老李"]])
    arrive(outbound, "2026-11-26 16:00")
    same_day = osb.run("2026-11-26")
    assert items(same_day, "proof_of_delivery")[note]["due"] == "2026-12-10", "waiting for the signed receipt"
    assert not rules_at(osb, same_day)


def test_an_outbound_short_of_its_note_is_a_finding_and_an_sp_accuracy_miss(osb):
    note, manifest = ship(osb, "8")
    assert ("workflow-outbound-qty", "销售出库.xlsx", "F3") in rules_at(osb, manifest)
    assert [(p["area"], p["note_no"]) for p in manifest["problems"] if p["area"] == "SP"] == [("SP", note)]
    assert kpi(osb, manifest, "发运准确率")[5:7] == (0, 1)


AFTER_SALES = ["申请单号", "申请日期", "客户编码", "产品编码", "服务类型", "问题描述", "期望处理日期", "申请人"]


def test_an_after_sales_request_is_handled_and_closed_by_its_tickets_and_an_exchange_opens_a_return(osb):
    seed(osb)
    note = issue_note(osb)
    requests = write_xlsx(osb.inbox / "售后申请.xlsx", [AFTER_SALES,
        ["AS-1", "2026-11-26", "C1", "P001", "维修", "不制冷", "2026-12-04", "王五"],
        ["AS-2", "2026-11-26", "C1", "P001", "换货", "外壳破损", "", "王五"]], title="售后服务申请表")
    arrive(requests, "2026-11-26 10:00")
    first = osb.run("2026-11-26")
    assert {k: (i["status"], i["responsible"], i["due"]) for k, i in items(first, "after_sales").items()} == {
        "AS-1": ("open", "王五", "2026-11-27"), "AS-2": ("open", "王五", "2026-11-27")}
    assert items(first, "returns") == {"AS-2|P001": items(first, "returns")["AS-2|P001"]}
    assert (items(first, "returns")["AS-2|P001"]["responsible"], items(first, "returns")["AS-2|P001"]["due"]) == (
        "王五", "2026-11-30"), "the exchange waits for its reviewed red requisition"

    write_xlsx(osb.inbox / "客服工单.xlsx", [[*TICKETS, "关联申请单号"],
        ["T-1", "2026-11-27 09:00", "C1", "C1公司", "售后", "上门维修", "刘洋", "处理中", "AS-1"],
        ["T-2", "2026-11-27 09:30", "C1", "C1公司", "售后", "换货", "刘洋", "已关闭", "AS-2"]])
    write_xlsx(osb.inbox / "退货详单.xlsx", [RETURN_DETAIL,
        ["RD-7", "2026-11-27", note, "C1", "P001", "1", "1000", "换货", "王五", "赵六"]], title="退货详单")
    second = osb.run("2026-11-27")
    after = items(second, "after_sales")
    assert (after["AS-1"]["status"], after["AS-1"]["responsible"], after["AS-1"]["due"]) == ("open", "刘洋", "2026-12-04")
    assert after["AS-2"]["status"] == "closed"
    assert set(items(second, "returns")) == {"AS-2|P001"}, "the requisition that followed moves the exchange's item"
    assert items(second, "returns")["AS-2|P001"]["responsible"] == "赵六"

    write_xlsx(osb.inbox / "退货单.xlsx", [RETURNS, ["RT-1", note, "C1", "P001", "1", "1000", "2026-11-30", "赵六"]])
    third = osb.run("2026-11-30")
    assert items(third, "returns")["AS-2|P001"]["status"] == "closed"
    assert "workflow-return-unreviewed" not in {rule for rule, *_ in rules_at(osb, third)}
    assert items(osb.run("2026-12-07"), "after_sales")["AS-1"]["status"] == "overdue"


VISITS = ["来访日期", "来访人", "来访单位", "客户编码", "来访事由", "接待人"]
CLAIMS = ["报销单号", "报销日期", "申请人", "费用类型", "报销金额", "费用说明"]
POP = ["申请单号", "申请日期", "申请人", "客户编码", "物料名称", "申请数量", "需求日期", "送达日期"]


def test_a_visit_waits_for_its_hosts_claim_and_a_claim_without_a_visit_is_told(osb):
    seed(osb)
    write_xlsx(osb.inbox / "来访登记.xlsx", [VISITS, ["2026-11-25", "张总", "C1公司", "C1", "商务洽谈", "王五"]],
               title="客户来访登记")
    visits = osb.run("2026-11-25")
    assert items(visits, "hospitality")["2026-11-25|张总|C1公司"]["status"] == "open"
    write_xlsx(osb.inbox / "报销单.xlsx", [CLAIMS, ["BX-1", "2026-11-26", "王五", "业务招待费", "600", "宴请张总"],
                                         ["BX-2", "2026-11-26", "赵六", "业务招待费", "400", "宴请"]], title="营销费用报销")
    manifest = osb.run("2026-11-26")
    (visit,) = items(manifest, "hospitality").values()
    assert (visit["key"], visit["status"], visit["responsible"]) == ("2026-11-25|张总|C1公司", "closed", "王五")
    told = {(rule, cell) for rule, _, cell in rules_at(osb, manifest)}
    assert ("workflow-claim-no-visit", "D4") in told and ("workflow-claim-no-visit", "D3") not in told


def test_pop_material_is_due_by_the_date_needed_and_closes_when_delivered(osb):
    seed(osb)
    write_xlsx(osb.inbox / "POP申请.xlsx", [POP, ["POP-1", "2026-11-26", "王五", "C1", "展架", "2", "2026-11-30", ""],
                                           ["POP-2", "2026-11-26", "王五", "C1", "海报", "50", "", ""]])
    first = osb.run("2026-11-26")
    assert {k: (i["status"], i["responsible"], i["due"]) for k, i in items(first, "pop").items()} == {
        "POP-1|展架": ("open", "王丽娜", "2026-11-30"), "POP-2|海报": ("open", "王丽娜", "2026-12-03")}
    write_xlsx(osb.inbox / "POP申请-送达.xlsx", [POP, ["POP-1", "2026-11-26", "王五", "C1", "展架", "2", "2026-11-30",
                                                   "2026-11-30"]])
    later = osb.run("2026-12-04")
    assert {k: i["status"] for k, i in items(later, "pop").items()} == {"POP-1|展架": "closed", "POP-2|海报": "overdue"}


def test_a_lead_is_stale_30_days_after_its_last_change_and_won_once_it_is_a_customer(osb):
    seed(osb)
    leads = write_xlsx(osb.inbox / "目标客户.xlsx", [LEADS, ["华山医院", "华东", "初步接触", "王五", "2026-11-02"],
                                                   ["瑞金医院", "华东", "初步接触", "王五", "2026-11-02"]])
    arrive(leads, "2026-11-02 10:00")
    osb.run("2026-11-02")
    update = write_xlsx(osb.inbox / "目标客户-更新.xlsx", [LEADS, ["瑞金医院", "华东", "洽谈中", "王五", "2026-11-02"]])
    arrive(update, "2026-11-20 10:00")
    osb.run("2026-11-20")
    december = osb.run("2026-12-03")
    assert {k: (i["status"], i["due"], i["responsible"]) for k, i in items(december, "target_customers").items()} == {
        "华山医院": ("overdue", "2026-12-02", "王五"), "瑞金医院": ("open", "2026-12-21", "王五")}
    write_xlsx(osb.inbox / "c-客户.xlsx", [CUSTOMER_HEADER,
                                         ["C1", "C1公司", "华东", "上海", "王五", "赵六", "100000", "30", "否"],
                                         ["C2", "华山医院", "华东", "上海", "王五", "赵六", "100000", "30", "否"]])
    won = osb.run("2026-12-04")
    assert items(won, "target_customers")["华山医院"]["status"] == "closed"
    again = osb.run("2026-12-04")
    assert again["open_items"] == won["open_items"]


def test_a_second_run_the_same_day_changes_no_item_of_any_chain(osb):
    seed(osb)
    note = issue_note(osb)
    write_xlsx(osb.inbox / "售后申请.xlsx", [AFTER_SALES, ["AS-1", "2026-11-27", "C1", "P001", "换货", "破损", "", "王五"]])
    write_xlsx(osb.inbox / "客服工单.xlsx", [TICKETS, ["T-1", "2026-11-27 09:00", "C1", "C1公司", "投诉", "延误", "刘洋",
                                                     "待处理"]])
    write_xlsx(osb.inbox / "销售出库.xlsx", [OUTBOUND, ["CK-1", "2026-11-27", note, "C1", "P001", "9", "老李"]])
    write_xlsx(osb.inbox / "报价单.xlsx", [QUOTES, ["Q-1", "2026-11-27", "C1", "C1公司", "P001", "800", "2026-12-31",
                                                  "王五", ""]])
    write_xlsx(osb.inbox / "投标登记.xlsx", [BIDS, ["B-1", "学校", "某中学", "2026-11-20", "5000", "王五", "未中标", "否"]])
    write_xlsx(osb.inbox / "POP申请.xlsx", [POP, ["POP-1", "2026-11-27", "王五", "C1", "展架", "2", "", ""]])
    write_xlsx(osb.inbox / "目标客户.xlsx", [LEADS, ["华山医院", "华东", "初步接触", "王五", "2026-11-27"]])
    write_xlsx(osb.inbox / "来访登记.xlsx", [VISITS, ["2026-11-27", "张总", "C1公司", "C1", "商务洽谈", "王五"]])
    first = osb.run("2026-11-27")
    assert {i["chain"] for i in first["open_items"]} >= {
        "after_sales", "returns", "service_tickets", "proof_of_delivery", "quotations", "bids", "bid_deposits", "pop",
        "target_customers", "hospitality"}
    assert rules_at(osb, first)
    with osb.ledger() as db:
        before = db.execute("SELECT * FROM workflow_items ORDER BY chain, key").fetchall()
    again = osb.run("2026-11-27")
    with osb.ledger() as db:
        after = db.execute("SELECT * FROM workflow_items ORDER BY chain, key").fetchall()
        problems = db.execute("SELECT COUNT(*) FROM problems WHERE area = 'SP'").fetchone()[0]
    assert after == before and again["open_items"] == first["open_items"]
    assert not rules_at(osb, again), "nothing is told twice"
    assert problems == 1, "the short outbound's problem is opened once"
