"""The demo week, in Chinese and in English, shows people no internal code.

Built through the CLI as a user builds it: ``demo --days 5`` (which runs each day), ``status``,
``reconcile``, and in a second folder ``demo`` (what each file and order should come to) then
``run`` (the terminal summary of a day with orders, exceptions and quarantined files). Every text people read is scanned
(tests/support/readable.py says what that is and what is left out on principle).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from osb_batch.messages import RULES
from osb_batch.rule_names import RULE_NAMES

from ..conftest import Osb, copy_of
from ..support.readable import Text, chinese_in_english, codes_shown, data_words, folder_texts

DAYS = [f"2026-11-{d}" for d in range(26, 31)]
# Chinese vouchers (delivery notes, statements) carry the amount in Chinese capitals (大写) in any
# language.
CAPITALS = re.compile(r"人民币 [零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+")


@pytest.fixture(scope="module", params=["zh", "en"])
def week(request, tmp_path_factory) -> tuple[str, Path, list[Text]]:
    lang = request.param
    root = tmp_path_factory.mktemp(f"readable-{lang}")
    if lang == "zh":      # the session's demo week (conftest.DEMO_WEEK) is this week in Chinese
        home, printed = request.getfixturevalue("demo_week")
        osb = copy_of(home, root / "week")
    else:
        osb = Osb(root / "week")
        printed = osb("--lang", lang, "demo", "--days", "5", "--date", DAYS[0]).output
    said = [("demo", printed),
            ("status", osb("--lang", lang, "status", "--date", DAYS[-1]).output),
            ("reconcile", osb("--lang", lang, "reconcile", "--period", "2026H2", "--date", "2026-12-01").output)]
    day = Osb(root / "day")
    said.append(("demo (one day)", day("--lang", lang, "demo", "--date", DAYS[0]).output))
    said.append(("run", day("--lang", lang, "run", "--date", DAYS[0]).output))
    texts = [*folder_texts(osb.home), *folder_texts(day.home), *(Text(f"osb-batch {cmd}", out) for cmd, out in said)]
    return lang, osb.home, texts


def test_the_scan_reads_every_kind_of_output(week):
    lang, _, texts = week
    where = " ".join(t.where for t in texts)
    for kind in ("异常清单", "订单备忘录", "区域通知", "OSB问题记录表", "OSB指标", "运行摘要", "退回修改件", "对账单",
                 "quarantine/", "osb-batch run", "osb-batch status"):
        assert kind in where, kind


def test_no_order_state_rule_slug_bare_case_or_problem_area_where_people_read(week):
    lang, _, texts = week
    found = codes_shown(texts, lang)
    assert not found, "\n".join(found)


def test_the_codes_the_scan_looks_for_are_found_where_they_are_shown():
    shown = [Text("x.xlsx:S!A1", "AWAITING_SIGNATURE", "x.xlsx:S"), Text("x.xlsx:S!A2", "invalid-money", "x.xlsx:S"),
             Text("x.xlsx:S!A3", "5-7c", "x.xlsx:S"), Text("x.xlsx:S!A4", "OP", "x.xlsx:S"),
             Text("y.xlsx:T!A1", "5-2", "y.xlsx:T"), Text("y.xlsx:T!A2", "5-2 额度内", "y.xlsx:T"),
             Text("z", "客户有逾期，订单需先款后货（5-4）。")]
    assert [line.split(": ")[1].split(" in ")[0] for line in codes_shown(shown, "zh")] == [
        "AWAITING_SIGNATURE", "invalid-money", "case 5-7c without a legend", "bare problem area 'OP'"]


def test_every_rule_has_a_name_in_both_languages_and_no_name_is_a_slug():
    assert set(RULE_NAMES) == set(RULES)
    for slug, (zh, en) in RULE_NAMES.items():
        assert zh and en and slug not in (zh, en) and not re.search(r"[\u4e00-\u9fff]", en), slug


def test_english_outputs_are_english_except_what_people_wrote(week):
    lang, home, texts = week
    if lang != "en":
        pytest.skip("the Chinese outputs are Chinese")
    checked = [t._replace(text=CAPITALS.sub("", t.text)) for t in texts if not t.copied]
    found = chinese_in_english(checked, data_words(home))
    assert not found, "\n".join(found)
