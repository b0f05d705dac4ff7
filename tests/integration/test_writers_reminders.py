"""Reminders (催报通知) and the monthly reporting record (上报情况) written from constructed people and
submissions, read back as people see them (calamine for the values, openpyxl for fills and layout)."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
import python_calamine as pc

from osb_batch.rules.duties import ReminderPolicy, reminders
from osb_batch.rules.duty_calendar import TZ
from osb_batch.rules.duty_matrix import monthly_matrix
from osb_batch.rules.management_records import Person, Submission
from osb_batch.settings.sections import DEFAULT_DUTIES
from osb_batch.workdays import WorkCalendar
from osb_batch.writers.palette import AMBER_FILL, GREEN_FILL, RED_FILL
from osb_batch.writers.reminders import write_reminders
from osb_batch.writers.reporting_matrix import write_matrix

from ..conftest import LO_CHECK, assert_list_layout, lo_check_failures

NOW = dt.datetime(2026, 11, 24, 19, 0, tzinfo=TZ)         # a Tuesday evening


def person(name, role, since, active=True) -> Person:
    return Person(name, role, "E", "上海", None, None, active, dt.date.fromisoformat(since))


def sent(form, name, period, when) -> Submission:
    return Submission(form, name, period, dt.datetime.fromisoformat(when).replace(tzinfo=TZ))


PEOPLE = [person("王敏", "KAM", "2026-11-16"), person("李强", "UM", "2026-11-16"), person("赵刚", "MM", "2026-11-16"),
          person("刘芳", "KAM", "2026-11-16", active=False)]
SUBMISSIONS = [
    sent("weekly_work_plan", "王敏", "2026-W47", "2026-11-16T09:30"),     # on time
    sent("weekly_work_plan", "王敏", "2026-W48", "2026-11-23T10:00"),     # on time, at the due minute
    sent("visit_plan", "王敏", "2026-W49", "2026-11-23T18:00"),           # early: nothing owed
    sent("weekly_work_plan", "李强", "2026-W47", "2026-11-17T08:00"),     # late
    sent("weekly_work_plan", "李强", "2026-W49", "2026-11-23T09:00"),     # the wrong week: W48 stays missing
    sent("market_weekly_status", "李强", "2026-W47", "2026-11-23T11:00"),
]


def _reminders(now=NOW):
    return reminders(DEFAULT_DUTIES, PEOPLE, SUBMISSIONS, now, WorkCalendar(), ReminderPolicy(24))


def _rows(path, sheet=0) -> list[list]:
    return pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(sheet).to_python()


def _fill(cell) -> str:
    return "#" + str(cell.fill.fgColor.rgb)[-6:].upper()


def test_the_ssg_list_has_every_report_owed_overdue_first(tmp_path):
    paths = write_reminders(tmp_path, _reminders(), "zh")
    assert [p.name for p in paths] == ["催报通知-2026-11-24.xlsx", "催报通知-2026-11-24-李强.xlsx",
                                       "催报通知-2026-11-24-王敏.xlsx", "催报通知-2026-11-24-赵刚.xlsx"]
    rows = _rows(paths[0])
    assert rows[0][0] == "催报通知 2026-11-24 19:00"
    assert rows[1][:4] == ["逾期", 2.0, "即将到期", 1.0]
    assert rows[2] == ["姓名", "岗位", "报表", "期间", "到期时间", "状态", "逾期工作日"]
    assert rows[3:] == [
        ["王敏", "KAM", "客户拜访计划", "2026-W48", dt.datetime(2026, 11, 21, 12, 0), "逾期未交", 2.0],
        ["李强", "UM", "周工作计划表", "2026-W48", dt.datetime(2026, 11, 23, 10, 0), "逾期未交", 1.0],
        ["赵刚", "MM", "月度计划", "2026-12", dt.datetime(2026, 11, 25, 18, 0), "即将到期", ""],
    ]
    ws = openpyxl.load_workbook(paths[0]).worksheets[0]
    assert_list_layout(ws, 7, 3, header_row=3)
    assert (_fill(ws["F4"]), _fill(ws["F6"])) == (RED_FILL, AMBER_FILL)
    assert ws["E4"].number_format == "yyyy-mm-dd hh:mm"


def test_each_person_gets_their_own_list_only(tmp_path):
    paths = write_reminders(tmp_path, _reminders(), "zh")
    own = _rows(tmp_path / "催报通知-2026-11-24-王敏.xlsx")
    assert own[0][0] == "催报通知 王敏 2026-11-24 19:00"
    assert own[2] == ["报表", "期间", "到期时间", "状态", "逾期工作日"]
    assert own[3:] == [["客户拜访计划", "2026-W48", dt.datetime(2026, 11, 21, 12, 0), "逾期未交", 2.0]]
    assert all("刘芳" not in p.name for p in paths)                        # inactive: owes nothing


def test_a_submission_stops_the_reminder(tmp_path):
    late = sent("visit_plan", "王敏", "2026-W48", "2026-11-24T18:00")
    result = reminders(DEFAULT_DUTIES, PEOPLE, [*SUBMISSIONS, late], NOW, WorkCalendar(), ReminderPolicy(24))
    paths = write_reminders(tmp_path, result, "zh")
    assert [p.name for p in paths] == ["催报通知-2026-11-24.xlsx", "催报通知-2026-11-24-李强.xlsx",
                                       "催报通知-2026-11-24-赵刚.xlsx"]


def test_the_english_list_has_english_texts_and_names(tmp_path):
    paths = write_reminders(tmp_path, _reminders(), "en")
    assert paths[0].name == "Reminders-2026-11-24.xlsx"
    rows = _rows(paths[0])
    assert rows[2] == ["Name", "Role", "Report", "Period", "Due", "Status", "Working days overdue"]
    assert [r[2] for r in rows[3:]] == ["Customer visit plan", "Weekly work plan", "Monthly plan"]
    assert [r[5] for r in rows[3:]] == ["overdue", "overdue", "due soon"]
    assert not any(ch in str(cell) for row in rows for cell in row for ch in "，。：（）")


def test_nothing_owed_writes_the_ssg_list_saying_so(tmp_path):
    result = reminders(DEFAULT_DUTIES, [], [], NOW, WorkCalendar(), ReminderPolicy(24))
    paths = write_reminders(tmp_path, result, "zh")
    assert [p.name for p in paths] == ["催报通知-2026-11-24.xlsx"]
    assert _rows(paths[0])[1][0] == "没有待交的报表"


def _matrix_file(tmp_path, lang="zh"):
    result = _reminders(dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    matrix = monthly_matrix(result.records, "2026-11", result.forms)
    return write_matrix(tmp_path, matrix, result.rates(dt.date(2026, 11, 1), dt.date(2026, 11, 30)), lang)


def test_the_monthly_record_shows_each_cell_and_rate(tmp_path):
    path = _matrix_file(tmp_path)
    assert path.name == "上报情况-2026-11.xlsx"
    rows = _rows(path)
    assert rows[0][0] == "上报情况 2026-11"
    assert rows[2][:6] == ["", "", "客户拜访计划", "", "周工作计划表", ""]
    assert rows[3] == ["姓名", "岗位", "2026-W48", "2026-W49", "2026-W47", "2026-W48", "2026-W49", "2026-W47",
                       "2026-W48", "2026-12", "应交", "按时", "迟交", "未交", "准时率"]
    assert rows[4:] == [
        ["赵刚", "MM", "", "", "", "", "", "", "", "未交", 1.0, 0.0, 0.0, 1.0, 0.0],
        ["李强", "UM", "", "", "迟交", "未交", "按时", "按时", "未交", "", 5.0, 2.0, 1.0, 2.0, 40.0],
        ["王敏", "KAM", "未交", "按时", "按时", "按时", "未交", "", "", "", 5.0, 3.0, 0.0, 2.0, 60.0],
    ]
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert (_fill(ws["E6"]), _fill(ws["F6"]), _fill(ws["G6"])) == (AMBER_FILL, RED_FILL, GREEN_FILL)
    assert ws["O6"].number_format == '0.0"%"'
    assert "C3:D3" in {str(r) for r in ws.merged_cells.ranges}
    rates = _rows(path, 1)
    assert rates[2] == ["姓名", "岗位", "报表", "应交", "按时", "迟交", "未交", "准时率"]
    assert ["李强", "UM", "周工作计划表", 3.0, 1.0, 1.0, 1.0, 33.33] in rates[3:]      # W49's plan sent early


@pytest.mark.parametrize("kind", ["ssg", "person", "matrix", "ssg_en", "matrix_en"])
def test_the_workbooks_open_and_print_in_libreoffice(tmp_path, kind):
    if not shutil.which("soffice") or not LO_CHECK.exists():
        pytest.skip("LibreOffice or lo_check.py absent")
    lang = "en" if kind.endswith("_en") else "zh"
    if kind.startswith("matrix"):
        out = _matrix_file(tmp_path, lang)
    else:
        paths = write_reminders(tmp_path, _reminders(), lang)
        out = paths[0] if kind.startswith("ssg") else paths[-1]
    assert lo_check_failures([out]) == []
