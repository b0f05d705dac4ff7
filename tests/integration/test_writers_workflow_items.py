"""The to-do workbooks (待办事项): SSG's list overdue first, each person's own with what escalates to them."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from osb_batch.writers.workflow_items import items_by_person, write_todo

from ..conftest import LO_CHECK, lo_check_failures

DAY = dt.date(2026, 12, 2)
NAMES = {"invoicing": "开票", "returns": "退货", "returns.reviewed": "审核"}


def item(chain, key, responsible, status, due, overdue_days=0, escalate_to=None, step="invoiced"):
    return {"chain": chain, "key": key, "step": "" if status == "closed" else step, "responsible": responsible,
            "opened": "2026-11-26T09:00:00+08:00", "due": due, "status": status, "overdue_days": overdue_days,
            "escalate_to": escalate_to}


ITEMS = [
    item("returns", "RD-1|P001", "王五", "overdue", "2026-11-30T23:59:59+08:00", 2, "赵六", "reviewed"),
    item("invoicing", "IR-002", "郑丽华", "overdue", "2026-12-01T23:59:59+08:00", 1),
    item("invoicing", "IR-003", "郑丽华", "open", "2026-12-04T10:00:00+08:00"),
    item("invoicing", "IR-001", "郑丽华", "closed", "2026-11-30T23:59:59+08:00"),
]


def rows(path):
    return [[c.value for c in r] for r in openpyxl.load_workbook(path).worksheets[0].iter_rows()]


def test_ssg_sees_everything_and_each_person_their_own_plus_what_escalates_to_them(tmp_path):
    paths = write_todo(tmp_path, ITEMS, DAY, NAMES)
    assert [p.name for p in paths] == ["待办事项-2026-12-02.xlsx", "待办事项-2026-12-02-王五.xlsx",
                                       "待办事项-2026-12-02-赵六.xlsx", "待办事项-2026-12-02-郑丽华.xlsx"]
    ssg = rows(paths[0])
    assert ssg[0][0] == "待办事项 2026-12-02"
    assert ssg[1][:6] == ["逾期", 2, "待办", 1, "本次完成", 1]
    assert ssg[2] == ["负责人", "流程", "事项", "待办步骤", "开始", "到期", "状态", "逾期工作日", "已上报"]
    assert ssg[3] == ["王五", "退货", "RD-1|P001", "审核", "2026-11-26", "2026-11-30", "逾期", 2, "赵六"]
    assert ssg[5][5] == "2026-12-04 10:00", "a due in hours shows its time"
    assert [r[2] for r in rows(paths[2])[3:]] == ["RD-1|P001"], "the UM gets the escalated item"
    assert [r[2] for r in rows(paths[3])[3:]] == ["IR-002", "IR-003"], "closed items are in SSG's list only"


def test_nobody_with_items_is_one_file_saying_so(tmp_path):
    (path,) = write_todo(tmp_path, [], DAY, NAMES, lang="en")
    assert path.name == "To-do-2026-12-02.xlsx" and rows(path)[1][0] == "No open items"
    assert items_by_person(ITEMS[3:]) == {}


@pytest.mark.parametrize("kind", ["ssg", "person", "ssg_en"])
def test_the_to_do_workbooks_open_and_print_in_libreoffice(tmp_path, kind):
    if not shutil.which("soffice") or not LO_CHECK.exists():
        pytest.skip("LibreOffice or lo_check.py absent")
    paths = write_todo(tmp_path, ITEMS * 20, DAY, NAMES, lang="en" if kind.endswith("_en") else "zh")
    assert lo_check_failures([paths[0] if kind.startswith("ssg") else paths[-1]]) == []
