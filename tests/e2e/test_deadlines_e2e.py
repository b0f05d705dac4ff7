"""Deadlines in Chinese working days and the OSB problem log, through the CLI."""

from __future__ import annotations

import pytest

from ..conftest import CUSTOMER_HEADER, write_xlsx
from .test_orders_e2e import ORDER_HEADER, PRODUCTS, customer

OPENING = ["客户编码", "期初单据号", "单据日期", "到期日", "金额"]


def st_order(no: str, day: str) -> list:
    return [no, day, "C1", "王五", "李四", "P001", "1", "1000.00", "1000.00", "是", "订货会", ""]


def seed(osb, day: str):
    write_xlsx(osb.inbox / "a.xlsx", [CUSTOMER_HEADER, customer("C1", "华东", "上海", "100000"),
                                      customer("C2", "华东", "上海", "100000")])
    write_xlsx(osb.inbox / "b.xlsx", PRODUCTS)
    write_xlsx(osb.inbox / "c.xlsx", [OPENING, ["C1", "QC-1", "2026-01-01", "2026-02-01", "100"]])   # overdue
    osb.run(day)


def problems(manifest, rule_area="OP"):
    return [(p["order_no"], p["responsible"], p["status"]) for p in manifest["problems"] if p["area"] == rule_area]


@pytest.mark.parametrize("accepted, quiet_days, breach_day", [
    ("2026-11-27", ["2026-11-28", "2026-11-29", "2026-11-30"], "2026-12-01"),   # Friday, across a weekend
    ("2026-09-30", ["2026-10-01", "2026-10-05", "2026-10-08"], "2026-10-09"),   # National Day holiday
    ("2026-10-09", ["2026-10-10"], "2026-10-11"),                               # Saturday 10-10 is a working day
])
def test_an_st_left_undecided_opens_one_problem_after_the_next_working_day(osb, accepted, quiet_days, breach_day):
    seed(osb, accepted)
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, st_order("SO-ST", accepted)])
    first = osb.run(accepted)
    assert first["orders"][0]["state"] == "ST_PENDING"
    for day in quiet_days:
        assert problems(osb.run(day)) == [], day
    breached = osb.run(breach_day)
    assert problems(breached) == [("SO-ST", "SLT", "open")]
    again = osb.run(breach_day)
    assert [p["problem_no"] for p in again["problems"]] == [p["problem_no"] for p in breached["problems"]]


def test_an_order_left_unsigned_past_its_day_is_the_signers_problem_until_explained(osb):
    seed(osb, "2026-11-26")
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, ["SO-1", "2026-11-26", "C2", "王五", "李四", "P001", "1",
                                                        "1000.00", "1000.00", "否", "", ""]])
    assert osb.run("2026-11-26")["problems"] == []
    manifest = osb.run("2026-11-27")
    assert problems(manifest) == [("SO-1", "销售副总监", "open")]
    number = manifest["problems"][0]["problem_no"]
    write_xlsx(osb.inbox / "问题反馈.xlsx", [["问题编号", "书面说明", "已解决", "处理人", "解决时间"],
                                          [number, "出差未及时签字", "是", "销售副总监", "2026-11-27 17:00"]])
    closed = osb.run("2026-11-27")
    assert [(p["problem_no"], p["status"]) for p in closed["problems"]] == [(number, "resolved")]
    assert osb.run("2026-11-28")["problems"] == []


def test_a_note_not_shipped_48_hours_after_receipt_is_the_warehouses_problem(osb):
    rules = osb.home / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("auto_sign_pass = false", "auto_sign_pass = true"),
                     encoding="utf-8")
    seed(osb, "2026-11-26")
    write_xlsx(osb.inbox / "订单.xlsx", [ORDER_HEADER, ["SO-1", "2026-11-26", "C2", "王五", "李四", "P001", "1",
                                                        "1000.00", "1000.00", "否", "", ""]])
    note = osb.run("2026-11-26")["orders"][0]["note_no"]
    assert note
    write_xlsx(osb.inbox / "发运.xlsx", [["送货单号", "订单号", "收单时间", "发货时间", "发运准确"],
                                       [note, "SO-1", "2026-11-26 10:00", "", "是"]])
    assert problems(osb.run("2026-11-27"), "SP") == []
    assert problems(osb.run("2026-11-28"), "SP") == [("SO-1", "warehouse", "open")]
    write_xlsx(osb.inbox / "发运2.xlsx", [["送货单号", "订单号", "收单时间", "发货时间", "发运准确"],
                                        [note, "SO-1", "2026-11-26 10:00", "2026-11-28 12:00", "是"]])
    manifest = osb.run("2026-11-28")
    assert manifest["orders"][0]["state"] == "SHIPPED"
    assert len(problems(manifest, "SP")) == 1
