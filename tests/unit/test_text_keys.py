"""The normalisation tables of osb_batch.text_keys: one case per row."""

from __future__ import annotations

import pytest

from osb_batch.settings import load
from osb_batch.text_keys import Matcher, code_key, region_key


@pytest.mark.parametrize(("typed", "key"), [
    ("河南", "河南"),
    ("河南省", "河南"),
    ("河 南 省", "河南"),
    ("河南省　", "河南"),                   # full-width space
    ("上海市", "上海"),
    ("内蒙古自治区", "内蒙古"),
    ("广西壮族自治区", "广西"),
    ("宁夏回族自治区", "宁夏"),
    ("新疆维吾尔自治区", "新疆"),
    ("香港特别行政区", "香港"),
    ("延边朝鲜族自治州", "延边朝鲜族"),
    ("黑龍江省", "黑龙江"),                  # Traditional
    ("沙市", "沙市"),                        # too short to lose its suffix
    ("Henan", "henan"),
])
def test_region_key(typed, key):
    assert region_key(typed) == key


@pytest.mark.parametrize(("typed", "key"), [
    ("C101", "C101"),
    (" C101 ", "C101"),
    ("Ｃ１０１", "C101"),
    ("C 101", "C101"),
    ("c101", "c101"),                        # case is kept: codes are case-sensitive
    ("ｃ１０１", "c101"),
])
def test_code_key(typed, key):
    assert code_key(typed) == key


KNOWN = {"C101", "C102", "C201", "P001"}


@pytest.mark.parametrize(("typed", "resolved", "suggested"), [
    ("C101", "C101", ()),
    ("Ｃ１０１", "C101", ()),
    ("C 101", "C101", ()),
    ("c101", None, ("C101",)),               # a case difference is suggested, never substituted
    ("ｃ１０１", None, ("C101",)),
    ("C1O1", None, ("C101",)),               # a typo: letter O for zero
    ("C10", None, ("C101", "C102")),
    ("X999", None, ()),
])
def test_matcher_resolves_width_and_suggests_case_and_typos(typed, resolved, suggested):
    matcher = Matcher(KNOWN)
    assert matcher.resolve(typed) == resolved
    if resolved is None:
        assert set(matcher.suggest(typed)[:len(suggested)]) == set(suggested)


def test_a_matcher_stops_comparing_after_its_budget():
    matcher = Matcher(KNOWN, budget=1)
    assert matcher.suggest("C1O1") == ("C101",)
    assert matcher.suggest("C1O2") == ()                     # no budget left for difflib
    assert matcher.suggest("c102") == ("C102",)              # the case-insensitive match is free


@pytest.mark.parametrize(("market", "typed", "named"), [
    ("C", "河南", "河南"),
    ("C", "河南省", "河南"),
    ("华中", "湖北省", "湖北"),
    ("C", "广东省", None),                   # a region of 华南
    (None, "广东省", "广东"),                # no market: any market's
    ("E", "上海市", "上海"),
    ("C", "火星", None),
])
def test_settings_name_a_region_by_its_configured_spelling(market, typed, named):
    assert load(None).region_named(market, typed) == named


def test_a_region_without_market_takes_the_spelling_of_a_market_that_lists_it():
    from osb_batch.settings import parse
    any_region = '[markets.X]\nzh = "其他"\nen = "Other"\nsigner = "gm"\nregions = []\n'
    listed = '[markets.E]\nzh = "华东"\nen = "East"\nsigner = "deputy"\nregions = ["上海", "江苏"]\n'
    roles = "".join(f'[roles.{c}]\ncsr = "甲"\nscr = "乙"\nbcr = "丙"\n' for c in "XE")
    settings = parse(any_region + listed + roles)
    assert settings.region_named(None, "上海市") == "上海"
    assert settings.region_named(None, "纽约") == "纽约"          # the market of any region takes it as written
    assert settings.region_named("X", "上海市") == "上海市"
