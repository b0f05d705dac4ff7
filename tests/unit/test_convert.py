"""Cell conversion: one table row per case the spec names (forms.md, "Types")."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osb_batch.catalogue import Choice, Field
from osb_batch.readers.cell_values import Invalid, check_range, converter, display, is_blank, normalize_label

MARKETS = (Choice("E", "华东", "East"), Choice("N", "华北", "North"), Choice("S", "华南", "South"))


def field(type_: str, **kw) -> Field:
    return Field(key="f", zh="字段", en="Field", type=type_, **kw)


def convert(type_: str, value, *, date1904: bool = False, **kw):
    return converter(field(type_, **kw), date1904=date1904)(value)


# --- normalize_label / is_blank ---------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("客戶編碼（必填）", "客户编码"),
    (" 客户编码* ", "客户编码"),
    ("*客户编码", "客户编码"),
    ("客户编码(必填)", "客户编码"),
    ("客户编码（必填项）", "客户编码"),
    ("客户\n编码", "客户编码"),
    ("客　户 编 码", "客户编码"),
    ("ＣＵＳＴＯＭＥＲ＿ＣＯＤＥ", "customer_code"),
    ("Customer Code", "customercode"),
    ("回款期(天)", "回款期（天）"),
    ("華東", "华东"),
])
def test_normalize_label_equal(a, b):
    assert normalize_label(a) == normalize_label(b)


@pytest.mark.parametrize("text, expected", [
    (" 客户编码* ", "客户编码"),
    ("客戶編碼（必填）", "客户编码"),
    ("Unit Price*", "unitprice"),
    ("*", "*"),
    (12, "12"),
    (True, "true"),
])
def test_normalize_label(text, expected):
    assert normalize_label(text) == expected


@pytest.mark.parametrize("value, blank", [
    (None, True), ("", True), ("   ", True), ("\u3000", True), (" \t\n\u3000 ", True),
    ("\u200b", True), ("x", False), (0, False), (0.0, False), (False, False), (" 0 ", False),
])
def test_is_blank(value, blank):
    assert is_blank(value) is blank


# --- valid conversions ------------------------------------------------------------------------

D = Decimal

VALID = [
    # text
    ("text", "  张三  ", "张三"),
    ("text", "\u3000备注\u3000", "备注"),
    ("text", 12.0, "12"),
    ("text", 12, "12"),
    ("text", 0.1, "0.1"),
    ("text", 213.23999999999998, "213.24"),
    ("text", date(2026, 11, 26), "2026-11-26"),
    ("text", datetime(2026, 11, 26, 14, 30), "2026-11-26 14:30:00"),
    ("text", datetime(2026, 11, 26), "2026-11-26"),
    # code
    ("code", " Ab-001 ", "Ab-001"),
    ("code", 1001.0, "1001"),
    ("code", 1001, "1001"),
    ("code", 13800138000.0, "13800138000"),
    # integer
    ("integer", 30, 30),
    ("integer", 30.0, 30),
    ("integer", 30.000000000000004, 30),
    ("integer", "12", 12),
    ("integer", "１２", 12),
    ("integer", "1,200", 1200),
    ("integer", "1，200", 1200),
    ("integer", " -5 ", -5),
    ("integer", "12.0", 12),
    # money
    ("money", 1200.0, D("1200.00")),
    ("money", 1200, D("1200.00")),
    ("money", 12.5, D("12.50")),
    ("money", 213.23999999999998, D("213.24")),
    ("money", 0.30000000000000004, D("0.30")),
    ("money", -0.0, D("0.00")),
    ("money", "¥1,200.00", D("1200.00")),
    ("money", "￥1,200.00", D("1200.00")),
    ("money", "１２００", D("1200.00")),
    ("money", "１，２００．５", D("1200.50")),
    ("money", "(1,200.00)", D("-1200.00")),
    ("money", "（1,200.00）", D("-1200.00")),
    ("money", "-1200", D("-1200.00")),
    ("money", "−1200", D("-1200.00")),
    ("money", "1,200", D("1200.00")),
    ("money", "1 200 元", D("1200.00")),
    ("money", "RMB 1,200", D("1200.00")),
    ("money", "1200CNY", D("1200.00")),
    ("money", "-¥1,200", D("-1200.00")),
    ("money", "¥-1,200", D("-1200.00")),
    ("money", "(¥1,200.00)", D("-1200.00")),
    ("money", "1,234,567.89", D("1234567.89")),
    ("money", ".5", D("0.50")),
    ("money", "213.23999999999998", D("213.24")),
    ("money", 12345678901.23, D("12345678901.23")),
    # quantity
    ("quantity", 12.0, D(12)),
    ("quantity", 12, D(12)),
    ("quantity", 2.5, D("2.5")),
    ("quantity", 0.30000000000000004, D("0.3")),
    ("quantity", "1,200.5", D("1200.5")),
    ("quantity", "１２", D(12)),
    ("quantity", "(3)", D(-3)),
    # date
    ("date", date(2026, 11, 26), date(2026, 11, 26)),
    ("date", datetime(2026, 11, 26, 14, 30), date(2026, 11, 26)),
    ("date", 46352.0, date(2026, 11, 26)),
    ("date", 46352, date(2026, 11, 26)),
    ("date", 46352.75, date(2026, 11, 26)),
    ("date", 1, date(1900, 1, 1)),
    ("date", 59, date(1900, 2, 28)),
    ("date", 61, date(1900, 3, 1)),
    ("date", 2958465, date(9999, 12, 31)),
    ("date", 20220101, date(2022, 1, 1)),
    ("date", 20220101.0, date(2022, 1, 1)),
    ("date", "2026-11-26", date(2026, 11, 26)),
    ("date", "2026/11/26", date(2026, 11, 26)),
    ("date", "2026.11.26", date(2026, 11, 26)),
    ("date", "2026年11月26日", date(2026, 11, 26)),
    ("date", "2026年11月26号", date(2026, 11, 26)),
    ("date", "2026年1月6日", date(2026, 1, 6)),
    ("date", "2026-1-6", date(2026, 1, 6)),
    ("date", "20261126", date(2026, 11, 26)),
    ("date", "2026-11-26 00:00:00", date(2026, 11, 26)),
    ("date", "２０２６年１１月２６日", date(2026, 11, 26)),
    ("date", " 2026/11/26 ", date(2026, 11, 26)),
    # datetime
    ("datetime", datetime(2026, 11, 26, 14, 30), datetime(2026, 11, 26, 14, 30)),
    ("datetime", date(2026, 11, 26), datetime(2026, 11, 26)),
    ("datetime", "2026-11-26 14:30", datetime(2026, 11, 26, 14, 30)),
    ("datetime", "2026/11/26 14:30:05", datetime(2026, 11, 26, 14, 30, 5)),
    ("datetime", "2026年11月26日 14时30分", datetime(2026, 11, 26, 14, 30)),
    ("datetime", "2026年11月26日14时30分05秒", datetime(2026, 11, 26, 14, 30, 5)),
    ("datetime", "2026-11-26T14:30", datetime(2026, 11, 26, 14, 30)),
    ("datetime", "2026-11-26", datetime(2026, 11, 26)),
    ("datetime", 46352.604166666664, datetime(2026, 11, 26, 14, 30)),
    ("datetime", 46352, datetime(2026, 11, 26)),
    # month
    ("month", "2026-11", "2026-11"),
    ("month", "2026/11", "2026-11"),
    ("month", "2026.11", "2026-11"),
    ("month", "2026年11月", "2026-11"),
    ("month", "2026年1月", "2026-01"),
    ("month", "202611", "2026-11"),
    ("month", "2026-11-26", "2026-11"),
    ("month", date(2026, 11, 26), "2026-11"),
    ("month", datetime(2026, 11, 1), "2026-11"),
    ("month", 202611, "2026-11"),
    ("month", 202611.0, "2026-11"),
    # period
    ("period", "2026H1", "2026H1"),
    ("period", "2026h2", "2026H2"),
    ("period", "2026年上半年", "2026H1"),
    ("period", "2026上半年", "2026H1"),
    ("period", "2026年下半年", "2026H2"),
    ("period", "2026-H1", "2026H1"),
    # quarter
    ("quarter", "2026Q4", "2026Q4"),
    ("quarter", "2026q4", "2026Q4"),
    ("quarter", "2026年第四季度", "2026Q4"),
    ("quarter", "2026年第4季度", "2026Q4"),
    ("quarter", "2026年4季度", "2026Q4"),
    ("quarter", "2026-Q4", "2026Q4"),
    ("quarter", "2026年第一季度", "2026Q1"),
    # boolean
    *[("boolean", v, True) for v in
      (True, 1, 1.0, "是", "Y", "y", "yes", "true", "TRUE", "1", "√", "✓", "✔", "对", "T", "Ｙ", " 是 ", "相符", "一致")],
    *[("boolean", v, False) for v in
      (False, 0, 0.0, "否", "N", "no", "false", "0", "×", "✗", "✘", "x", "X", "错", "F", "不符", "不相符", "不一致")],
]


@pytest.mark.parametrize("type_, value, expected", VALID)
def test_valid(type_, value, expected):
    result = convert(type_, value)
    assert result == expected
    assert type(result) is type(expected)
    if isinstance(expected, Decimal) and type_ == "money":
        assert str(result) == str(expected)        # always exactly two decimals


def test_date1904():
    assert convert("date", 0, date1904=True) == date(1904, 1, 1)
    assert convert("date", 0.0, date1904=True) == date(1904, 1, 1)
    assert convert("date", 44890.0, date1904=True) == date(2026, 11, 26)
    assert convert("date", 20220101, date1904=True) == date(2022, 1, 1)
    with pytest.raises(Invalid):
        convert("date", 0)


# --- invalid values ---------------------------------------------------------------------------

ERRORS = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]

INVALID = [
    ("integer", 12.5, "invalid-integer"),
    ("integer", "12.5", "invalid-integer"),
    ("integer", "abc", "invalid-integer"),
    ("integer", "1,20", "invalid-integer"),
    ("integer", True, "invalid-integer"),
    ("integer", date(2026, 1, 1), "invalid-integer"),
    ("money", 12.345, "invalid-money"),
    ("money", "12.345", "invalid-money"),
    ("money", "1,20", "invalid-money"),
    ("money", "12,00.00", "invalid-money"),
    ("money", "1200-", "invalid-money"),
    ("money", "(-1200)", "invalid-money"),
    ("money", "十二元", "invalid-money"),
    ("money", "Infinity", "invalid-money"),
    ("money", "1_000", "invalid-money"),
    ("money", "1e3", "invalid-money"),
    ("money", "٣", "invalid-money"),
    ("money", float("inf"), "invalid-money"),
    ("money", float("nan"), "invalid-money"),
    ("money", True, "invalid-money"),
    ("money", "¥", "invalid-money"),
    ("money", date(2026, 1, 1), "invalid-money"),
    ("quantity", "abc", "invalid-number"),
    ("quantity", "¥12", "invalid-number"),
    ("quantity", float("nan"), "invalid-number"),
    ("quantity", False, "invalid-number"),
    ("date", "2026-02-30", "invalid-date"),
    ("date", "2026年13月1日", "invalid-date"),
    ("date", "20260230", "invalid-date"),
    ("date", 20260230, "invalid-date"),
    ("date", "2026-11", "invalid-date"),
    ("date", "26/11/2026", "invalid-date"),
    ("date", "2026-11/26", "invalid-date"),
    ("date", "明天", "invalid-date"),
    ("date", 60, "invalid-date"),
    ("date", 0, "invalid-date"),
    ("date", -5.0, "invalid-date"),
    ("date", 3000000, "invalid-date"),
    ("date", 20220101.5, "invalid-date"),
    ("date", True, "invalid-date"),
    ("date", time(14, 30), "invalid-date"),
    ("date", timedelta(days=1), "invalid-date"),
    ("datetime", "2026-11-26 25:00", "invalid-datetime"),
    ("datetime", "2026-02-30 10:00", "invalid-datetime"),
    ("datetime", time(14, 30), "invalid-datetime"),
    ("datetime", "下午两点", "invalid-datetime"),
    ("month", "2026-13", "invalid-month"),
    ("month", "202613", "invalid-month"),
    ("month", 202613, "invalid-month"),
    ("month", 46352.0, "invalid-month"),
    ("month", "十一月", "invalid-month"),
    ("period", "2026H3", "invalid-period"),
    ("period", "2026", "invalid-period"),
    ("period", 2026, "invalid-period"),
    ("quarter", "2026Q5", "invalid-quarter"),
    ("quarter", "2026-4", "invalid-quarter"),
    ("quarter", "2026年第五季度", "invalid-quarter"),
    ("boolean", "可能", "invalid-boolean"),
    ("boolean", 2, "invalid-boolean"),
    ("boolean", 0.5, "invalid-boolean"),
    ("boolean", date(2026, 1, 1), "invalid-boolean"),
    *[(t, e, "formula-error") for e in ERRORS for t in
      ("text", "code", "integer", "money", "quantity", "date", "datetime", "month", "period",
       "quarter", "boolean")],
]


@pytest.mark.parametrize("type_, value, rule", INVALID)
def test_invalid(type_, value, rule):
    with pytest.raises(Invalid) as caught:
        convert(type_, value)
    assert caught.value.rule == rule
    assert caught.value.params == {}


def test_invalid_rejects_unknown_slug():
    with pytest.raises(KeyError):
        Invalid("no-such-rule")


# --- enums and lists --------------------------------------------------------------------------

@pytest.mark.parametrize("value, key", [
    ("華東", "E"), ("华东", "E"), ("E", "E"), ("e", "E"), ("east", "E"), ("EAST", "E"),
    (" 华北 ", "N"), ("Ｓｏｕｔｈ", "S"),
])
def test_enum(value, key):
    assert convert("enum", value, choices=MARKETS) == key


@pytest.mark.parametrize("value", ["华西", "West", 1, "#N/A"])
def test_enum_invalid(value):
    with pytest.raises(Invalid) as caught:
        convert("enum", value, choices=MARKETS)
    if value == "#N/A":
        assert caught.value.rule == "formula-error"
    else:
        assert caught.value.rule == "invalid-choice"
        assert caught.value.params == {"allowed": "华东/华北/华南"}


def test_enum_numeric_keys():
    grades = (Choice("1", "一级", "Grade 1"), Choice("2", "二级", "Grade 2"))
    assert convert("enum", 2.0, choices=grades) == "2"
    assert convert("enum", "一級", choices=grades) == "1"


def test_enum_unresolved_choices_passes_text():
    assert convert("enum", " 华东 ", choices_from="markets") == "华东"


@pytest.mark.parametrize("type_, value, expected", [
    ("text", "张三公司;李四公司", ("张三公司", "李四公司")),
    ("text", "甲；乙，丙、丁,戊\n己\r\n庚", ("甲", "乙", "丙", "丁", "戊", "己", "庚")),
    ("text", " 甲 ; ; 乙 ;", ("甲", "乙")),
    ("text", "甲", ("甲",)),
    ("code", 1001.0, ("1001",)),
    ("code", "INV001;INV002", ("INV001", "INV002")),
])
def test_list(type_, value, expected):
    assert convert(type_, value, list=True) == expected


def test_list_element_errors():
    with pytest.raises(Invalid) as caught:
        convert("integer", "1;x", list=True)
    assert caught.value.rule == "invalid-integer"
    with pytest.raises(Invalid) as caught:
        convert("code", "#REF!", list=True)
    assert caught.value.rule == "formula-error"


# --- ranges and display -----------------------------------------------------------------------

@pytest.mark.parametrize("kw, value, expected", [
    ({"min": D(0)}, D("0.00"), None),
    ({"min": D(0)}, D("-0.01"), {"range": "≥ 0"}),
    ({"min": D(0), "min_exclusive": True}, D("0.00"), {"range": "> 0"}),
    ({"min": D(0), "min_exclusive": True}, D("0.01"), None),
    ({"min": D(0), "max": D(365)}, 365, None),
    ({"min": D(0), "max": D(365)}, 366, {"range": "0–365"}),
    ({"min": D(0), "max": D(365)}, -1, {"range": "0–365"}),
    ({"max": D("100.0")}, D("100.5"), {"range": "≤ 100"}),
    ({"min": D(0)}, "text", None),
    ({"min": D(0)}, (D(1), D(-1)), {"range": "≥ 0"}),
    ({}, D(-5), None),
])
def test_check_range(kw, value, expected):
    assert check_range(value, field("money", **kw)) == expected


@pytest.mark.parametrize("value, shown", [
    ("  x ", "  x "), (12.0, "12"), (213.23999999999998, "213.24"), (0.1, "0.1"), (7, "7"),
    (True, "是"), (False, "否"), (date(2026, 11, 26), "2026-11-26"),
    (datetime(2026, 11, 26, 14, 30), "2026-11-26 14:30:00"), (datetime(2026, 11, 26), "2026-11-26"),
    (time(14, 30), "14:30:00"), (None, ""), (D("12.50"), "12.50"),
])
def test_display(value, shown):
    assert display(value) == shown


# --- property: every way of writing an amount means the same amount ---------------------------

@given(st.integers(min_value=-10**12, max_value=10**12))
def test_money_spellings_agree(cents):
    d = Decimal(cents).scaleb(-2)
    money = converter(field("money"))
    expected = d.quantize(Decimal("0.01"))
    for spelling in (str(d), f"{d:,}", "¥" + f"{d:,}", float(d)):
        assert money(spelling) == expected, spelling


# --- a whole column at once (readers/columns.py) ----------------------------------------------

def _outcome(value):
    """A read value, or the rule of the problem read instead."""
    from osb_batch.readers.columns import Problem
    return ("problem", value.rule) if isinstance(value, Problem) else (type(value), value)


@pytest.mark.parametrize("type_, raws", [
    ("boolean", [True, False, 1.0, 0, "是", "否", "", None, True]),     # True == 1: kept apart
    ("quantity", [1.0, True, 2, "三", "", 1.0, float("nan"), 5]),
    ("money", [1234.56, "1,234.56", "待定", 1234.56, None, "  ", 0.1 + 0.2]),
    ("date", [date(2026, 11, 26), datetime(2026, 11, 26), 46000.0, "2026-13-45", "2026-11-26"]),
    ("code", ["C001", " C001 ", 12.0, "#N/A", "", "C001"]),
    ("integer", [1, 1.0, True, "1", 2.5]),
])
def test_a_column_read_at_once_gives_what_each_cell_read_alone_gives(type_, raws):
    from osb_batch.readers.columns import cell_reader
    one_by_one = [_outcome(cell_reader(field(type_), False)(raw)) for raw in raws]
    whole = [_outcome(v) for v in cell_reader(field(type_), False).column(raws)]
    assert [(t, str(v)) for t, v in whole] == [(t, str(v)) for t, v in one_by_one]


@given(st.lists(st.one_of(st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True), st.text(max_size=3),
                          st.none()), max_size=30))
def test_any_quantity_column_reads_the_same_at_once_as_cell_by_cell(raws):
    from osb_batch.readers.columns import cell_reader
    one_by_one = [_outcome(cell_reader(field("quantity"), False)(raw)) for raw in raws]
    whole = [_outcome(v) for v in cell_reader(field("quantity"), False).column(raws)]
    assert [(t, str(v)) for t, v in whole] == [(t, str(v)) for t, v in one_by_one]
