"""The words people read for internal codes: problem texts, credit cases, problem areas, KPIs."""

from __future__ import annotations

import pytest

from osb_batch.messages import (
    AREA_LABEL,
    CASE_LABEL,
    area_label,
    case_label,
    kpi_name,
    problem_text,
)
from osb_batch.rules.credit import STATE_OF_CASE


@pytest.mark.parametrize(("rule", "params", "lang", "expected"), [
    ("op-same-day", {"order_no": "SO-1", "accepted": "2026-11-26 10:00", "state": "AWAITING_SIGNATURE"}, "zh",
     "订单 SO-1 于 2026-11-26 10:00 受理，当日未开出送货单（待签字）"),
    ("op-same-day", {"order_no": "SO-1", "accepted": "2026-11-26 10:00", "state": "NEEDS_MANAGER_APPROVAL"}, "en",
     "Order SO-1 accepted 2026-11-26 10:00: no delivery note issued that day (Needs manager approval)"),
    ("st-deadline", {"order_no": "SO-2", "accepted": "2026-11-26", "days": "1"}, "zh",
     "特别处理申请 SO-2（2026-11-26 受理）未在 1 个工作日内审批完毕"),
    ("st-deadline", {"order_no": "SO-2", "accepted": "2026-11-26", "days": "1"}, "en",
     "Special treatment request SO-2 (accepted 2026-11-26) not decided within 1 working day(s)"),
    ("sp-48h", {"note_no": "DN-1", "received": "2026-11-27 09:10", "hours": "48", "late": "unshipped"}, "zh",
     "送货单 DN-1 于 2026-11-27 09:10 收到，至今未发货超过 48 小时"),
    ("sp-48h", {"note_no": "DN-1", "received": "2026-11-27 09:10", "hours": "48", "late": "shipped"}, "en",
     "Delivery note DN-1 received 2026-11-27 09:10: shipped after more than 48 hours"),
    ("sp-48h", {}, "en", None),                        # an entry written before its parameters were kept
    ("no-such-rule", {"order_no": "SO-1"}, "zh", None),
])
def test_a_problem_entry_is_said_in_the_language_asked(rule, params, lang, expected):
    assert problem_text(rule, params, lang) == expected


@pytest.mark.parametrize(("code", "lang", "expected"), [
    ("OP", "zh", "OP 订单处理"), ("SP", "en", "SP shipping"), ("BC", "zh", "BC 收款"), ("XX", "en", "XX"),
])
def test_a_problem_area_is_shown_with_its_name(code, lang, expected):
    assert area_label(code, lang) == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_credit_case_has_a_label_that_starts_with_it(lang):
    assert set(CASE_LABEL[lang]) == set(STATE_OF_CASE)
    for case in STATE_OF_CASE:
        label = case_label(case, lang)
        assert label.startswith(f"{case} ") and len(label) > len(case) + 1
    assert case_label("9-9", lang) == "9-9"


def test_areas_have_the_same_codes_in_both_languages():
    assert set(AREA_LABEL["zh"]) == set(AREA_LABEL["en"]) == {"OP", "SP", "BC"}


@pytest.mark.parametrize(("key", "name", "lang", "expected"), [
    ("sp_accuracy", "发运准确率", "zh", "发运准确率"),
    ("sp_accuracy", "发运准确率", "en", "Shipping accuracy"),
    ("unknown_kpi", "某指标", "en", "某指标"),
])
def test_a_kpi_keeps_its_chinese_name_and_has_an_english_one(key, name, lang, expected):
    assert kpi_name(key, name, lang) == expected


@pytest.mark.parametrize(("lang", "said", "not_said"), [
    ("zh", "对账中止：各对账单期末余额合计 100.00 与台账应收合计 90.00 不符", "Reconciliation"),
    ("en", "Reconciliation stopped: the statements add up to 100.00, the ledger's receivables are 90.00", "对账"),
])
def test_a_control_total_that_does_not_tie_is_said_in_one_language(lang, said, not_said):
    from decimal import Decimal

    from osb_batch.commands.reconcile import control_total_message
    from osb_batch.reports.reconciliation import ControlTotalError
    text = control_total_message(ControlTotalError(Decimal("90.00"), Decimal("100.00")), lang)
    assert said in text and not_said not in text
