"""Who receives which output (rules/recipients): every output form with its receivers, one row each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osb_batch import catalogue
from osb_batch.rules.recipients import CONSOLIDATED, ROUTES, Receivers, by_person, recipients, submitter
from osb_batch.writers.sales_sheets import FORMS as SALES_FORMS
from osb_batch.writers.sales_workbooks import SCOPED_FORM

RECEIVERS = Receivers({"ssg": ["秘书组"], "slt": ["总经理", "销售总监", "销售副总监"], "finance": ["财务部"],
                       "warehouse": ["仓库"]}, kams=["王敏", "李强"])
SLT = ["总经理", "销售总监", "销售副总监"]

#: (form, the person the file is for, the owners of its findings, who receives it)
TABLE = [
    ("exceptions", None, ["曹俊杰", "江娜"], ["秘书组", "曹俊杰", "江娜"]),
    ("returned_copies", "王敏", None, ["王敏"]),
    ("returned_copies", None, None, ["秘书组"]),
    ("order_register", None, None, ["秘书组"]),
    ("approval_requests", "销售副总监", None, ["销售副总监"]),
    ("delivery_notes", None, None, ["财务部", "仓库"]),
    ("um_notices", "曹俊杰", None, ["曹俊杰"]),
    ("problem_log", None, None, [*SLT, "秘书组"]),
    ("receivables", None, None, ["秘书组", "财务部", "王敏", "李强"]),
    ("receipts_pool", None, None, ["秘书组", "王敏", "李强"]),
    ("kpi", None, None, SLT),
    ("reminders", "李强", None, ["李强"]),
    ("reminders", None, None, ["秘书组"]),
    ("workflow_items", "王敏", None, ["王敏"]),
    ("workflow_items", None, None, ["秘书组"]),
    ("summary", None, None, SLT),
    ("statements", "王敏", None, ["王敏"]),
    ("statements", None, None, ["秘书组"]),
    ("reconciliation", None, None, ["财务部"]),
    ("credit_grades", None, None, [*SLT, "秘书组"]),
    ("credit_limit_proposal", None, None, SLT),
    ("credit_limit_decisions", None, None, SLT),
    ("workflow_report", None, None, [*SLT, "秘书组"]),
    ("reporting_matrix", None, None, ["秘书组"]),
    ("budget_execution", None, None, [*SLT, "秘书组", "财务部"]),
    ("contract_register", None, None, ["秘书组", "财务部"]),
    ("shipping_info", None, None, ["秘书组", "仓库"]),
    ("osb_meeting", None, None, [*SLT, "秘书组"]),
    ("sales_scoped", "董丽", None, ["董丽"]),
    ("monthly_sales_stats", None, None, [*SLT, "秘书组"]),
    ("weekly_sales_stats", None, None, [*SLT, "秘书组"]),
    ("regional_sales_stats", None, None, [*SLT, "秘书组"]),
    ("salesperson_weekly_stats", None, None, [*SLT, "秘书组"]),
    ("salesperson_monthly_stats", None, None, [*SLT, "秘书组"]),
    ("dealer_purchase_stats", None, None, [*SLT, "秘书组"]),
    ("dealer_monthly_summary", None, None, [*SLT, "秘书组"]),
    ("monthly_plan", None, None, [*SLT, "秘书组"]),          # a consolidation of what staff send
]


@pytest.mark.parametrize("form, person, owners, expected", TABLE)
def test_each_output_form_goes_to_the_people_forms_md_names(form, person, owners, expected):
    entry = {"form": form, **({"person": person} if person else {}), **({"owners": owners} if owners else {})}
    assert recipients(entry, RECEIVERS) == expected


def test_every_output_form_the_batch_writes_is_in_the_table():
    """A new output form fails here until ROUTES (and TABLE above) say whom it is for."""
    written = {f.key for f in catalogue.load().of_kind("output")} | {"summary", SCOPED_FORM}
    written |= {form for kinds in SALES_FORMS.values() for form in kinds.values()}
    written |= {"contract_register", "credit_grades", "credit_limit_decisions", "osb_meeting", "shipping_info",
                "budget_execution", "reporting_matrix"}
    assert written - set(ROUTES) == set()
    assert {form for form, *_ in TABLE} >= set(ROUTES)


def test_a_form_without_a_route_is_a_consolidation_for_slt_and_ssg():
    assert CONSOLIDATED == ("slt", "ssg")
    assert recipients({"form": "weekly_work_plan"}, RECEIVERS) == [*SLT, "秘书组"]


def test_each_person_gets_only_the_entries_meant_for_them():
    entries = [{"form": "um_notices", "person": "曹俊杰", "file": "a"}, {"form": "um_notices", "person": "江娜", "file": "b"},
               {"form": "kpi", "file": "c"}, {"form": "delivery_notes", "file": "d"}]
    mine = {name: [e["file"] for e in got] for name, got in by_person(entries, RECEIVERS).items()}
    assert mine == {"曹俊杰": ["a"], "江娜": ["b"], "总经理": ["c"], "销售总监": ["c"], "销售副总监": ["c"],
                    "财务部": ["d"], "仓库": ["d"]}


@pytest.mark.parametrize("people, file_name, known, expected", [
    (["王敏", "王敏"], "费用申请.xlsx", ["李强"], "王敏"),              # the person column of its rows
    ([None, " ", "李强"], "费用申请.xlsx", [], "李强"),                 # the first row that names one
    ([], "周报-李强-W48.xlsx", ["李强", "王敏"], "李强"),               # else the name in the file
    ([], "周报-欧阳明月.xlsx", ["欧阳明", "欧阳明月"], "欧阳明月"),     # the longest name that fits
    ([], "订单-2026-11-26.xlsx", ["李强"], None),                       # else nobody: SSG receives it
])
def test_a_returned_copy_goes_back_to_its_submitter(people, file_name, known, expected):
    assert submitter(people, file_name, known) == expected


def test_every_form_the_golden_demo_week_writes_has_a_route_or_is_a_consolidation_of_a_staff_form():
    """The forms the demo week really wrote (its golden manifests, the 报表-W48 files included)."""
    golden = Path(__file__).resolve().parents[1] / "golden" / "demo_week"
    written = {o["form"] for path in golden.rglob("manifest.json.txt")
               for manifest in [json.loads(path.read_text(encoding="utf-8"))]
               for o in manifest.get("outputs", manifest.get("files", []))}
    staff_forms = {f.key for kind in ("input", "other") for f in catalogue.load().of_kind(kind)}
    assert {"approval_requests", "sales_scoped", "statements", "market_weekly_status"} <= written
    assert written - set(ROUTES) <= staff_forms, "a new output form needs its receivers in ROUTES"
