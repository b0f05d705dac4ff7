"""Where each receiver's message goes, and what its body asks of them: one row per case."""

from __future__ import annotations

import datetime as dt

import pytest

from osb_batch.delivery.letters import body
from osb_batch.delivery.people import addresses_of, receivers_of
from osb_batch.rules.management_records import Person
from osb_batch.settings import SettingsError, parse

SETTINGS = parse('[delivery]\nssg = ["秘书组", "秘书组无邮箱"]\n'
                 'addresses = ["财务部 <finance@example.com>", "销售总监 <director@example.com>"]\n')
SINCE = dt.date(2026, 1, 1)


def _person(name: str, role: str, email: str | None, active: bool = True) -> Person:
    return Person(name, role, None, None, email, None, active, SINCE)


ROSTER = [
    _person("王敏", "KAM", "wangmin@example.com"),
    _person("李强", "KAM", None),
    _person("赵离职", "KAM", "gone@example.com", active=False),
    _person("王丽娜", "SSG", "ssg1@example.com"),
    _person("陈晓燕", "SSG", "ssg2@example.com"),
    _person("总经理", "SLT", "gm@example.com"),
    _person("秘书组无邮箱", "SSG", None),
    _person("销售总监", "SLT", "roster-director@example.com"),
]


@pytest.mark.parametrize("name, expected", [
    ("王敏", ["wangmin@example.com"]),                           # the roster's address for the name
    ("李强", []),                                                 # none: their folder only
    ("赵离职", []),                                               # no longer active
    ("财务部", ["finance@example.com"]),                          # not in the roster: [delivery] addresses
    ("销售总监", ["roster-director@example.com"]),                # the roster wins over addresses
    ("秘书组无邮箱", []),                                           # a group name in the roster without one
    ("总经理", ["gm@example.com"]),
    ("秘书组", ["ssg1@example.com", "ssg2@example.com"]),         # a group name: the role's active people
    ("销售副总监", ["gm@example.com", "roster-director@example.com"]),  # an SLT name nobody holds: SLT's
    ("仓库", []),
])
def test_each_receiver_is_mailed_where_the_roster_or_rules_toml_says(name, expected):
    assert addresses_of(name, SETTINGS, ROSTER) == expected


def test_an_address_not_of_the_form_name_angle_address_is_refused_naming_the_key():
    with pytest.raises(SettingsError, match="delivery.addresses"):
        parse('[delivery]\naddresses = ["finance@example.com"]\n')


def test_a_mail_host_needs_a_sender_address():
    with pytest.raises(SettingsError, match="mail.sender"):
        parse('[mail]\nhost = "smtp.example.com"\n')


@pytest.mark.parametrize("form, due, expected", [
    ("approval_requests", "2026-11-26 23:59", "请在 2026-11-26 23:59 前审批"),
    ("returned_copies", None, "请按红色单元格的批注改正"),
    ("um_notices", None, "《区域通知》"),
    ("delivery_notes", None, "请打印《送货单》"),
    ("statements", None, "发给客户确认"),
    ("kpi", None, None),                                         # to read: nothing to do
])
def test_the_body_lists_the_files_and_what_to_do_with_them(form, due, expected):
    rows = [{"file": f"outbox/2026-11-26/run-01/{form}.xlsx", "form": form, "due": due}]
    text = body("王敏", rows, [], "本公司")
    assert f"{form}.xlsx" in text
    assert ("需要您做的" in text) == (expected is not None)
    if expected:
        assert expected in text


def test_the_body_lists_the_reports_a_person_owes_with_their_deadlines():
    owed = [{"form": "weekly_work_plan", "person": "王敏", "period": "2026-W48", "due": "2026-11-23T10:00",
             "status": "missing"}]
    text = body("王敏", [{"file": "a/催报通知-2026-11-26-王敏.xlsx", "form": "reminders"}], owed, "本公司")
    assert "周工作计划表 2026-W48，截止 2026-11-23 10:00（逾期未交）" in text


@pytest.mark.parametrize("text, group, expected", [
    ("", "ssg", ("秘书组",)),                                        # the default: one folder for SSG
    ('[delivery]\nssg = ["SSG"]\n', "ssg", ("王丽娜", "陈晓燕", "秘书组无邮箱")),  # a role: its people, each
    ('[delivery]\nslt = ["SLT", "总经理"]\n', "slt", ("总经理", "销售总监")),
    ('[delivery]\nfinance = ["王会计", "财务部"]\n', "finance", ("王会计", "财务部")),   # names as they are
])
def test_a_group_names_people_or_a_roster_role(text, group, expected):
    receivers = receivers_of(parse(text), ROSTER)
    assert receivers.groups[group] == expected
    assert receivers.kams == ("王敏", "李强")                          # active KAMs only
