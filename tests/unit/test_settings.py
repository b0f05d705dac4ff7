"""rules.toml: defaults, the shipped file, and every kind of problem named with its key and line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

import pytest

from osb_batch import settings as settings_mod
from osb_batch.catalogue import Choice
from osb_batch.settings import (
    DEFAULT_RULES_TEXT,
    SECTIONS,
    TOP_LEVEL,
    Calendar,
    Credit,
    Deadlines,
    Duty,
    General,
    Intake,
    Ma,
    Market,
    People,
    Qc,
    Quota,
    Reporting,
    Roles,
    SettingsError,
    Slt,
    load,
    parse,
)
from osb_batch.settings.values import convert

REPO = Path(__file__).resolve().parents[2]

MARKET_E = '[markets.E]\nzh = "华东"\nen = "East"\nsigner = "deputy"\nregions = ["上海", "江苏"]\n'
DUTY = ('[[reporting.duties]]\nform = "visit_plan"\nwho = ["KAM", "SR"]\ncycle = "weekly"\n'
        'due = "sat 12:00"\ncovers = "next"\n')
ROLES_E = '[roles.E]\ncsr = "刘婷"\nscr = "赵海涛"\nbcr = "郑丽华"\n'


def problems_of(text: str) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        parse(text)
    return caught.value.problems


def test_defaults_load_when_there_is_no_file(tmp_path):
    for settings in (load(None), load(tmp_path / "rules.toml")):
        assert settings.general == General() and settings.intake == Intake() and settings.slt == Slt()
        assert [m.code for m in settings.markets] == ["NE", "N", "NW", "C", "SD", "E", "S", "SW"]
        assert [r.code for r in settings.roles] == [m.code for m in settings.markets]


def test_the_shipped_rules_toml_is_the_packaged_default_byte_for_byte():
    packaged = REPO / "osb_batch" / "default_rules.toml"
    assert (REPO / "rules.toml").read_bytes() == packaged.read_bytes()
    assert DEFAULT_RULES_TEXT == packaged.read_text(encoding="utf-8")


def test_the_shipped_file_loads_and_agrees_with_the_declared_defaults():
    settings = load(REPO / "rules.toml")
    assert [*SECTIONS, "markets", "roles"] == sorted(TOP_LEVEL, key=lambda n: n in ("markets", "roles"))
    for name, cls in SECTIONS.items():
        assert getattr(settings, name) == cls(), name


def test_the_defaults_are_the_numbers_of_the_domain():
    settings = load(None)
    assert settings.qc == Qc(30, Decimal("0.005"), Decimal("0.01"))
    assert settings.quota.when_missing == "unlimited"
    assert settings.credit == Credit(Decimal("0.20"), Decimal("10000.00"))
    assert settings.ma == Ma(auto_sign_pass=False)
    assert settings.deadlines == Deadlines(st_working_days=1, shipping_target_hours=24, shipping_breach_hours=48,
                                           shipping_accuracy_target=Decimal("0.98"),
                                           collection_target=Decimal("0.90"), collection_window_days=5,
                                           op_same_day=True)
    assert settings.calendar == Calendar((), ())
    assert len(settings.people.secretaries) == 3


def test_every_default_market_has_its_csr_scr_and_bcr():
    settings = load(None)
    secretaries = set(settings.people.secretaries)
    for market in settings.markets:
        roles = settings.roles_of(market.zh)
        assert roles.code == market.code and roles.csr and roles.scr and roles.bcr
        assert roles.csr in secretaries              # the SSG members take turns as CSRs
    assert settings.roles_of("華東") == settings.roles_of("E") == settings.roles_of("east")
    assert settings.roles_of("火星") is None and settings.roles_of(None) is None


@pytest.mark.parametrize("zh, code, signer", [
    ("东北", "NE", "director"), ("华北", "N", "director"), ("西北", "NW", "director"),
    ("华中", "C", "director"), ("山东", "SD", "deputy"), ("华东", "E", "deputy"),
    ("华南", "S", "deputy"), ("西南", "SW", "deputy"),
])
def test_default_markets_and_signers_follow_the_domain(zh, code, signer):
    market = load(None).market(zh)
    assert (market.code, market.signer) == (code, signer)
    assert 3 <= len(market.regions) <= 5


def test_every_key_is_documented_and_present_in_the_default_file():
    reference = (REPO / "docs" / "rules-reference.md").read_text(encoding="utf-8")
    keys = [f"{section}.{f.name}" for section, cls in SECTIONS.items()
            for f in fields(cls) if "check" in f.metadata]
    keys += [f"markets.<CODE>.{f.name}" for f in fields(Market) if "check" in f.metadata]
    keys += [f"roles.<CODE>.{f.name}" for f in fields(Roles) if "check" in f.metadata]
    for key in keys:
        assert f"`{key}`" in reference, key
        assert re.search(rf"^{re.escape(key.rsplit('.', 1)[1])} = ", DEFAULT_RULES_TEXT, re.M), key


@pytest.mark.parametrize("text, expected", [
    # (rules.toml text, (problem kind, dotted key, line, extra words))
    ("[receivables]\nageing_buckets = [60, 30]\n",
     ("invalid value for", "receivables.ageing_buckets", 2, "increasing")),
    ("[receivables]\nageing_buckets = [\"30\"]\n",
     ("wrong type for", "receivables.ageing_buckets", 2, "a list of whole numbers")),
    ("[reconciliation]\nperiod_ends = [\"06-31\", \"12-31\"]\n",
     ("invalid value for", "reconciliation.period_ends", 2, "MM-DD")),
    ("[reconciliation]\nperiod_ends = [\"06-30\"]\n",
     ("invalid value for", "reconciliation.period_ends", 2, "two period ends")),
    ("[general]\nlang = \"zh\"\n\n[qcc]\nmax_order_age_days = 3\n",
     ("unknown section", "qcc", 4, "did you mean 'qc'?")),
    ("[nonsense]\n", ("unknown section", "nonsense", 1,
                      "expected one of general, intake, markets, slt, qc, quota, credit, ma, deadlines, "
                      "receivables, reconciliation, calendar, roles, people, credit_grade, credit_limits, budget, "
                      "reports, reporting")),
    ("[qc]\nmax_order_agee_days = 3\n",
     ("unknown key", "qc.max_order_agee_days", 2, "did you mean 'max_order_age_days'?")),
    ("[qc]\nmax_order_age_days = 0\n", ("invalid value for", "qc.max_order_age_days", 2, "greater than 0")),
    ("[qc]\nprice_tolerance = \"-0.01\"\n", ("invalid value for", "qc.price_tolerance", 2, "at least 0")),
    ("[qc]\namount_tolerance = \"一分\"\n", ("wrong type for", "qc.amount_tolerance", 2, "expected a number")),
    ("[quota]\nwhen_missing = \"none\"\n", ("invalid value for", "quota.when_missing", 2, "'unlimited', 'zero'")),
    ("[credit]\ntolerance = 10.5\n", ("invalid value for", "credit.tolerance", 2, "between 0 and 10 (got 10.5)")),
    ("[credit]\nprepay_shortfall_cap = -1\n",
     ("invalid value for", "credit.prepay_shortfall_cap", 2, "at least 0")),
    ("[ma]\nauto_sign_pass = \"true\"\n", ("wrong type for", "ma.auto_sign_pass", 2, "true or false")),
    ("[deadlines]\nst_working_days = -1\n", ("invalid value for", "deadlines.st_working_days", 2, "at least 0")),
    ("[deadlines]\nshipping_target_hours = 0\n",
     ("invalid value for", "deadlines.shipping_target_hours", 2, "greater than 0")),
    ("[deadlines]\nshipping_target_hours = 24\nshipping_breach_hours = 12\n",
     ("invalid value for", "deadlines.shipping_breach_hours", 3, "not be less than shipping_target_hours (24)")),
    ("[deadlines]\nshipping_target_hours = 72\n",
     ("invalid value for", "deadlines.shipping_breach_hours", 1, "(72)")),
    ("[deadlines]\nshipping_accuracy_target = 98\n",
     ("invalid value for", "deadlines.shipping_accuracy_target", 2, "between 0 and 1")),
    ("[deadlines]\ncollection_target = \"90%\"\n",
     ("wrong type for", "deadlines.collection_target", 2, "")),
    ("[deadlines]\ncollection_window_days = 5.5\n",
     ("wrong type for", "deadlines.collection_window_days", 2, "expected an integer, got float 5.5")),
    ("[deadlines]\nop_same_day = 1\n", ("wrong type for", "deadlines.op_same_day", 2, "true or false")),
    ("[calendar]\nholidays = [\"2027-02-30\"]\n",
     ("invalid value for", "calendar.holidays", 2, '"2027-02-30" is not a real date')),
    ("[calendar]\nworkdays = [\"2027/2/20\"]\n",
     ("invalid value for", "calendar.workdays", 2, "not a date written as YYYY-MM-DD")),
    ("[calendar]\nholidays = [2027-02-06T08:00:00]\n", ("wrong type for", "calendar.holidays", 2, "list of dates")),
    ("[calendar]\nholidays = \"2027-02-06\"\n", ("wrong type for", "calendar.holidays", 2, "list of dates")),
    ("[calendar]\nholidays = [20270206]\n", ("wrong type for", "calendar.holidays", 2, "")),
    ("[calendar]\nholidays = [2027-02-06, \"2027-02-06\"]\n",
     ("invalid value for", "calendar.holidays", 2, "2027-02-06 is listed twice")),
    ("[calendar]\nholidays = [2027-02-06]\nworkdays = [\"2027-02-06\"]\n",
     ("invalid value for", "calendar.workdays", 3, "2027-02-06 is also listed in holidays")),
    ("[people]\nsecretaries = []\n", ("invalid value for", "people.secretaries", 2, "at least one")),
    ("[people]\nsecretaries = [\"王丽娜\", \" 王丽娜\"]\n",
     ("invalid value for", "people.secretaries", 2, "'王丽娜' is listed twice")),
    ("[people]\nsecretaries = [\"王丽娜\", \"\"]\n", ("invalid value for", "people.secretaries", 2, "empty")),
    ("[credit_grade]\nb_on_time = \"0.96\"\n",
     ("invalid value for", "credit_grade.b_on_time", 2, "between c_on_time and a_on_time")),
    ("[credit_grade]\nc_oldest_days = 20\n",
     ("invalid value for", "credit_grade.c_oldest_days", 2, "not be less than b_oldest_days (30)")),
    ("[credit_grade]\ninitial = \"E\"\n", ("invalid value for", "credit_grade.initial", 2, "'A', 'B', 'C', 'D'")),
    ("[credit_limits]\ngrowth_min = \"1.5\"\n",
     ("invalid value for", "credit_limits.growth_max", 1, "not be less than growth_min (1.5)")),
    ("[credit_limits]\nrounding_step = 0\n", ("invalid value for", "credit_limits.rounding_step", 2, "greater than 0")),
    ("[budget]\nclaim_tolerance = \"-0.1\"\n", ("invalid value for", "budget.claim_tolerance", 2, "between 0 and 10")),
    (MARKET_E + ROLES_E.replace('"刘婷"', '"  "'), ("invalid value for", "roles.E.csr", 7, "must not be empty")),
    (MARKET_E + ROLES_E.replace('bcr = "郑丽华"\n', ""), ("missing key", "roles.E.bcr", 6, "")),
    (MARKET_E + ROLES_E + "fax = \"021\"\n", ("unknown key", "roles.E.fax", 10, "")),
    (MARKET_E + ROLES_E + ROLES_E.replace("E]", "X]"), ("unknown market", "roles.X", 10, "expected one of E")),
    (MARKET_E + ROLES_E + ROLES_E.replace("E]", "EE]"), ("unknown market", "roles.EE", 10, "did you mean 'E'?")),
    (MARKET_E + "[roles]\nE = \"刘婷\"\n", ("wrong type for", "roles.E", 7, "expected a table")),
    (MARKET_E + "[markets.Z]\nzh = \"总部\"\nen = \"HQ\"\nsigner = \"gm\"\n",
     ("missing table", "roles.Z", 6, "market Z, declared on this line, needs a [roles.Z] table")),
    (MARKET_E + "[markets.Z]\nzh = \"总部\"\nen = \"HQ\"\nsigner = \"gm\"\n" + ROLES_E,
     ("missing table", "roles.Z", 6, "")),
    ("[intake]\nmax_rows = 10\nheader_serch_rows = 5\n",
     ("unknown key", "intake.header_serch_rows", 3, "did you mean 'header_search_rows'?")),
    (MARKET_E + "colour = \"red\"\n",
     ("unknown key", "markets.E.colour", 6, "")),
    ("[intake]\nheader_search_rows = \"20\"\n",
     ("wrong type for", "intake.header_search_rows", 2, "expected an integer, got string \"20\"")),
    ("[intake]\nmax_rows = true\n", ("wrong type for", "intake.max_rows", 2, "boolean true")),
    ("[intake]\nheader_search_rows = 0\n", ("invalid value for", "intake.header_search_rows", 2, "between 1 and 100")),
    ("[intake]\nmax_compression_ratio = 1\n", ("invalid value for", "intake.max_compression_ratio", 2, "")),
    ("[general]\nlang = \"fr\"\n", ("invalid value for", "general.lang", 2, "'zh', 'en'")),
    ("[general]\ntimezone = \"Asia/Shangai\"\n", ("invalid value for", "general.timezone", 2, "Asia/Shangai")),
    (MARKET_E.replace("deputy", "boss"), ("invalid value for", "markets.E.signer", 4, "'gm', 'director', 'deputy'")),
    (MARKET_E.replace('signer = "deputy"\n', ""), ("missing key", "markets.E.signer", 1, "")),
    (MARKET_E.replace("[markets.E]", "[markets.e]"), ("invalid market code", "markets.e", 1, "")),
    (MARKET_E.replace('"上海"', '"上海", ""'), ("invalid value for", "markets.E.regions", 5, "")),
    (MARKET_E + MARKET_E.replace("E]", "S]").replace("华东", "华南").replace("East", "South")
     .replace('"江苏"', '"广东"'),
     ("duplicate region in", "markets.S.regions", 10, "'上海' is already a region of market E")),
    (MARKET_E.replace('"江苏"', '"江蘇", "江苏"'), ("duplicate region in", "markets.E.regions", 5, "twice")),
    (MARKET_E + MARKET_E.replace("E]", "S]").replace("East", "South").replace("上海\", \"江苏", "广东"),
     ("duplicate market name", "markets.S.zh", 7, "market E")),
    ("[markets]\n", ("no markets in", "markets", 1, "")),
    ("slt = \"总经理\"\n", ("wrong type for", "slt", 1, "expected a table")),
    ("[reporting]\nremind_hours = 0\n", ("invalid value for", "reporting.remind_hours", 2, "between 1 and 336")),
    (DUTY + DUTY.replace("sat 12:00", "周八 12:00"),
     ("invalid value for", "reporting.duties[2].due", 11, '"sat 12:00" (a day of the week)')),
    (DUTY.replace("sat 12:00", "25日 18:00"),
     ("invalid value for", "reporting.duties[1].due", 5, "a day of the month does not fit a weekly duty")),
    (DUTY.replace("sat 12:00", "sat 12"), ("invalid value for", "reporting.duties[1].due", 5, "HH:MM")),
    (DUTY.replace('"visit_plan"', '"visit_plans"'),
     ("invalid value for", "reporting.duties[1].form", 2, "key of a catalogue form")),
    (DUTY.replace('["KAM", "SR"]', '["KAM", "经理"]'),
     ("invalid value for", "reporting.duties[1].who", 3, "'经理' is not a role; use SLT, SSG, MM, UM, KAM, SR")),
    (DUTY.replace('["KAM", "SR"]', '[]'), ("invalid value for", "reporting.duties[1].who", 3, "at least one")),
    (DUTY.replace('"weekly"', '"daily"'), ("invalid value for", "reporting.duties[1].cycle", 4, "'quarterly'")),
    (DUTY.replace('"next"', '"last"'), ("invalid value for", "reporting.duties[1].covers", 6, "'previous'")),
    (DUTY.replace('covers = "next"\n', ""), ("missing key", "reporting.duties[1].covers", 1, "")),
    (DUTY + "owner = \"SSG\"\n", ("unknown key", "reporting.duties[1].owner", 7, "")),
    ("[reporting]\nduties = \"weekly\"\n", ("wrong type for", "reporting.duties", 2, "an array of tables")),
    ("[ledger]\nurl = \"postgresql://osb:secret@db:5432/osb\"\n",
     ("invalid value for", "ledger.url", 2, "must not contain a password")),
    ("[ledger]\nurl = \"mysql://osb@db/osb\"\n", ("invalid value for", "ledger.url", 2, "a PostgreSQL URL")),
])
def test_each_problem_names_its_key_and_line(text, expected):
    kind, key, line, extra = expected
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{kind} '{key}' (line {line})"), problems[0]
    assert extra in problems[0]


def test_several_problems_are_reported_together_in_file_order():
    text = ("[general]\nlang = \"fr\"\ntimezone = \"Mars/Olympus\"\n"
            "[intake]\nmax_rows = -1\n" + MARKET_E.replace("deputy", "boss") + "[slt]\ngm = \"\"\n")
    with pytest.raises(SettingsError) as caught:
        parse(text)
    keys = [re.search(r"'([^']+)' \(line (\d+)\)", p).groups() for p in caught.value.problems]
    assert keys == [("general.lang", "2"), ("general.timezone", "3"), ("intake.max_rows", "5"),
                    ("markets.E.signer", "9"), ("slt.gm", "12")]
    assert str(caught.value).count("\n") == 4


@pytest.mark.parametrize("text", ["[general\nlang = \"zh\"\n", "[general]\nlang = zh\n"])
def test_a_toml_syntax_error_is_a_settings_error_with_its_position(text):
    problems = problems_of(text)
    assert problems[0].startswith("TOML syntax error") and "line" in problems[0]


def test_a_file_that_is_not_utf8_is_reported_with_its_line(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_bytes('[slt]\ngm = "总经理"\n'.encode("gbk"))
    with pytest.raises(SettingsError, match="line 2"):
        load(path)


def test_a_file_saved_with_a_bom_by_notepad_loads(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_bytes(b'\xef\xbb\xbf[general]\nlang = "en"\n')
    assert load(path).general.lang == "en"


def test_a_partial_file_keeps_the_defaults_for_what_it_leaves_out():
    settings = parse("[intake]\nmax_rows = 500\n")
    assert settings.intake.max_rows == 500 and settings.intake.header_search_rows == 20
    assert settings.markets == load(None).markets


def test_markets_replace_the_defaults_in_file_order():
    text = MARKET_E.replace("E]", "Z]").replace("华东", "总部").replace("East", "HQ").replace(
        '["上海", "江苏"]', "[]") + MARKET_E + ROLES_E + ROLES_E.replace("E]", "Z]").replace("刘婷", "王丽娜")
    settings = parse(text)
    assert [m.code for m in settings.markets] == ["Z", "E"]
    assert settings.market_choices() == (Choice("Z", "总部", "HQ"), Choice("E", "华东", "East"))
    assert [(r.code, r.csr) for r in settings.roles] == [("Z", "王丽娜"), ("E", "刘婷")]   # in market order


def test_markets_without_roles_keep_the_default_roles_of_their_codes():
    settings = parse(MARKET_E)
    assert settings.roles == (load(None).roles_of("E"),)


def test_roles_replace_the_default_roles_as_a_whole():
    problems = problems_of(ROLES_E)
    assert len(problems) == 7 and all(p.startswith("missing table 'roles.") for p in problems)
    assert "replaces the default roles as a whole" in problems[0]
    assert parse(MARKET_E + ROLES_E.replace("刘婷", "马雪")).roles_of("E") == Roles("E", "马雪", "赵海涛", "郑丽华")


def test_calendar_dates_may_be_toml_dates_or_iso_strings():
    settings = parse('[calendar]\nholidays = [2031-10-06, " 2031-10-07 "]\nworkdays = ["2031-09-28"]\n')
    assert settings.calendar == Calendar((dt.date(2031, 10, 6), dt.date(2031, 10, 7)), (dt.date(2031, 9, 28),))


def test_a_partial_section_keeps_the_defaults_of_its_other_keys():
    settings = parse('[credit]\ntolerance = 0.3\n[deadlines]\nop_same_day = false\n[ma]\nauto_sign_pass = true\n')
    assert settings.credit == Credit(tolerance=Decimal("0.3"))
    assert settings.deadlines == Deadlines(op_same_day=False) and settings.ma.auto_sign_pass is True
    assert settings.people == People() and settings.qc == Qc() and settings.quota == Quota()


@pytest.mark.parametrize("label, code", [
    ("华东", "E"), ("華東", "E"), ("E", "E"), ("e", "E"), ("east", "E"), (" East ", "E"),
    ("東北", "NE"), ("Shandong", "SD"), ("SW", "SW"),
    ("火星", None), ("", None), (None, None), ("西藏区", None),
])
def test_a_market_is_found_by_code_or_either_name(label, code):
    market = load(None).market(label)
    assert (market.code if market else None) == code


@pytest.mark.parametrize("market, region, known", [
    ("E", "上海", True), ("E", "江蘇", True), ("华东", " 浙江 ", True), ("E", "广东", False),
    ("SD", "青岛", True), ("SD", "山东", False),
    (None, "广东", True), ("火星", "广东", True), (None, "纽约", False),
])
def test_a_region_is_known_within_its_market(market, region, known):
    assert load(None).region_known(market, region) is known


def test_a_market_without_regions_accepts_any_region():
    settings = parse(MARKET_E.replace('["上海", "江苏"]', "[]"))
    assert settings.region_known("E", "纽约")


def test_decimal_settings_read_floats_and_strings_exactly():
    for value in (0.2, "0.20", " 0.2 ", 3):
        assert convert("Decimal", value) == Decimal(str(value).strip())
    for value in ("abc", "NaN", True, [1]):
        with pytest.raises(TypeError):
            convert("Decimal", value)


def test_today_is_the_date_in_the_configured_time_zone():
    import datetime as dt
    from zoneinfo import ZoneInfo

    for zone in ("Asia/Shanghai", "Pacific/Kiritimati", "Pacific/Pago_Pago"):
        settings = parse(f'[general]\ntimezone = "{zone}"\n')
        assert settings.today() in {dt.datetime.now(ZoneInfo(zone)).date(),
                                    (dt.datetime.now(ZoneInfo(zone)) - dt.timedelta(seconds=5)).date()}


def test_reconciliation_periods_follow_the_configured_first_half_end():
    rec = settings_mod.Reconciliation()
    assert rec.period("2026H1") == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert rec.period("2026h2") == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert rec.period("2026Q1") is None
    moved = settings_mod.Reconciliation(period_ends=("03-31", "12-31"))
    assert moved.period("2027H2") == (dt.date(2027, 4, 1), dt.date(2027, 12, 31))
    assert rec.period_of(dt.date(2026, 6, 30)) == "2026H1"
    assert rec.period_of(dt.date(2026, 7, 1)) == "2026H2"


def test_reporting_duties_in_the_file_replace_the_defaults_as_a_whole():
    settings = parse("[reporting]\nremind_hours = 48\n\n" + DUTY + DUTY.replace("visit_plan", "weekly_work_plan"))
    assert settings.reporting.remind_hours == 48
    assert settings.reporting.duties == (Duty("visit_plan", ("KAM", "SR"), "weekly", "sat 12:00", "next"),
                                         Duty("weekly_work_plan", ("KAM", "SR"), "weekly", "sat 12:00", "next"))
    assert parse("[reporting]\nremind_hours = 12\n").reporting.duties == Reporting().duties
    assert parse("[reporting]\nduties = []\n").reporting.duties == ()


def test_the_roster_roles_of_the_settings_are_those_of_the_management_records():
    from osb_batch.rules.management_records import ROLES
    from osb_batch.settings.checks import ROSTER_ROLES
    assert ROSTER_ROLES == ROLES
