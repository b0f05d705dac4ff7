"""Folding floods of findings: a summary per file and rule beyond the limit, nothing lost."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osb_batch.findings import SUMMARY_RULE, Cap, Finding, finding, fold, weight

RULES = ["unknown-customer", "unknown-product", "quota-cut", "example-row-skipped"]   # error, error, warning, info



def findings_of(rules: list[str], files: list[str], max_size: int):
    return st.lists(
        st.builds(lambda rule, file, row, value, owner: finding(rule, file=file, sheet="订单", row=row, column=3,
                                                                cell=f"C{row}", value=value, owner=owner),
                  st.sampled_from(rules), st.sampled_from(files), st.integers(2, 500),
                  st.sampled_from(["", "ZZ00001", "ZZ00002", "ZZ00003", "ZZ00004", "ZZ00005", "ZZ00006"]),
                  st.sampled_from(["SSG", "区域经理1"])),
        max_size=max_size)


findings_lists = findings_of(RULES, ["a.xlsx", "b.xlsx", ""], 60)


def stands_for(findings: list[Finding]) -> Counter:
    """(file, rule, severity) -> how many findings the list stands for."""
    counts: Counter = Counter()
    for f in findings:
        rule = dict(f.params)["folded_rule"] if f.rule == SUMMARY_RULE else f.rule
        counts[(f.file, rule, f.severity)] += weight(f)
    return counts


@given(findings_lists, st.integers(1, 5))
def test_folding_keeps_every_rule_and_severity_and_the_counts_add_up(findings, limit):
    folded = fold(findings, limit)
    assert stands_for(folded) == stands_for(findings)
    assert any(f.is_error for f in folded) == any(f.is_error for f in findings)


@given(findings_lists, st.integers(1, 5))
def test_folding_lists_at_most_the_limit_per_file_and_rule_and_one_summary(findings, limit):
    folded = fold(findings, limit)
    listed = Counter((f.file, f.rule) for f in folded if f.rule != SUMMARY_RULE)
    summaries = Counter((f.file, dict(f.params)["folded_rule"]) for f in folded if f.rule == SUMMARY_RULE)
    assert all(n <= limit for n in listed.values())
    assert all(n == 1 for n in summaries.values())
    assert set(summaries) == {key for key, n in Counter((f.file, f.rule) for f in findings).items() if n > limit}
    seen: Counter = Counter()
    first = []
    for f in findings:
        seen[(f.file, f.rule)] += 1
        if seen[(f.file, f.rule)] <= limit:
            first.append(f)
    assert [f for f in folded if f.rule != SUMMARY_RULE] == first, "the first ones, in their order"


@given(findings_lists, st.integers(1, 5))
def test_folding_twice_changes_nothing(findings, limit):
    once = fold(findings, limit)
    assert fold(once, limit) == once


@given(findings_of(RULES[:2], ["a.xlsx"], 40), st.integers(1, 5))
def test_findings_a_cap_did_not_let_be_built_are_counted_in_the_summaries(findings, limit):
    cap = Cap(limit)
    built = [f for f in findings if cap.allows(f.file, f.rule, f.value or None, f.sheet, f.field)]
    capped, whole = fold(built, limit, cap=cap), fold(findings, limit)
    assert [(f.rule, f.file, f.params, f.severity) for f in capped] == [(f.rule, f.file, f.params, f.severity)
                                                                        for f in whole]


@pytest.mark.parametrize("owners, mixed, expected", [
    # (owners of the findings left out, mixed_owner, the summary's owner)
    (["王五", "王五"], "SSG", "王五"),
    (["王五", "赵六"], "SSG", "SSG"),
    (["王五", "赵六"], "", ""),
])
def test_a_summary_takes_the_owner_its_findings_share(owners, mixed, expected):
    given_ = [finding("unknown-customer", file="a.xlsx", row=2, owner="SSG")]
    given_ += [finding("unknown-customer", file="a.xlsx", row=3 + n, owner=o) for n, o in enumerate(owners)]
    summary = fold(given_, 1, mixed_owner=mixed)[1]
    assert (summary.rule, summary.owner, weight(summary)) == (SUMMARY_RULE, expected, len(owners))


def test_a_summary_names_the_count_the_rule_and_the_first_cells_and_values():
    flood = [finding("unknown-customer", file="a.xlsx", sheet="订单", row=r, column=3, cell=f"C{r}",
                     field="customer_code", value=f"ZZ{r:05d}") for r in range(2, 100_002)]
    folded = fold(flood, 200)
    summary = folded[200]
    assert (len(folded), summary.severity, summary.sheet, summary.field) == (201, "error", "订单", "customer_code")
    message = summary.message("en")
    assert "99,800 more" in message and "(Unknown customer, e.g." in message and "C202 ZZ00202" in message
    assert "unknown-customer" not in message and dict(summary.params)["folded_rule"] == "unknown-customer"
    assert "99,800" in summary.message("zh") and "ZZ00206" in summary.message("zh")
    assert "validate --all" in summary.action("en")


@pytest.mark.parametrize("values, expected", [
    # (values of the findings left out, the summary's value)
    (["C047", "C047", "C008", "C047", "C013"], "C047, C008, C013"),
    (["", "", "C008"], "C008"),
    ([f"ZZ{n}" for n in range(9)], "ZZ0, ZZ1, ZZ2, ZZ3, ZZ4"),
])
def test_a_summary_names_distinct_values(values, expected):
    given_ = [finding("unknown-customer", file="a.xlsx", row=2, cell="C2", value="C001")]
    given_ += [finding("unknown-customer", file="a.xlsx", row=3 + n, cell=f"C{3 + n}", value=v)
               for n, v in enumerate(values)]
    assert fold(given_, 1)[1].value == expected
