"""A flood of identical findings: listed up to intake.max_findings_per_rule, then summarised;
the returned copy still marks every bad cell and `validate --all` still prints every finding."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from osb_batch.rule_names import rule_name
from osb_batch.writers.exceptions import KEYS

from ..conftest import write_xlsx
from .test_orders_e2e import ORDER_HEADER, order

LINES = 30
LIMIT = 4


def flood_workbook(path: Path) -> Path:
    """Orders of customers and products nobody knows yet: two findings per line."""
    rows = [order(f"SO-{n:03d}", f"ZZ{n:05d}", product=f"PX{n:03d}") for n in range(1, LINES + 1)]
    return write_xlsx(path, [ORDER_HEADER, *rows])


def set_limit(osb, limit: int) -> None:
    rules = osb.home / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    assert "max_findings_per_rule = 200" in text
    rules.write_text(text.replace("max_findings_per_rule = 200", f"max_findings_per_rule = {limit}"), encoding="utf-8")


def listed_rows(path: Path) -> tuple[list[dict], list]:
    """The first sheet of the exceptions workbook: its rows as dicts by column key, and its tally row."""
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    at = next(n for n, r in enumerate(rows) if r and "unknown-customer" in r) - 1     # the header row
    return [dict(zip(KEYS, r, strict=True)) for r in rows[at + 1:] if any(r)], rows[at - 1]


def red_cells(path: Path) -> set[str]:
    book = openpyxl.load_workbook(path)
    sheet = next(ws for ws in book.worksheets if ws.title != "退回说明")
    return {c.coordinate for row in sheet.iter_rows() for c in row
            if c.fill is not None and c.fill.fill_type == "solid" and str(c.fill.fgColor.rgb).upper().endswith("C7CE")}


def test_a_run_lists_a_flood_up_to_the_limit_and_the_returned_copy_marks_every_cell(osb):
    set_limit(osb, LIMIT)
    flood_workbook(osb.inbox / "订单-洪水.xlsx")
    printed = osb("--lang", "en", "run", "--date", "2026-11-26").output.splitlines()
    run_dir = Path(printed[-1])
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert f"{2 * (LINES - LIMIT)} of them in summary rows" in printed[2]
    rows, tally = listed_rows(run_dir / "异常清单-2026-11-26.xlsx")
    by_rule = {}
    for r in rows:
        by_rule.setdefault(r["rule"], []).append(r)
    assert len(by_rule["unknown-customer"]) == len(by_rule["unknown-product"]) == LIMIT
    summaries = {rule: r for r in by_rule["more-of-rule"] for rule in ("unknown-customer", "unknown-product")
                 if f"({rule_name(rule, 'en')}, e.g." in r["message"]}
    assert len(summaries) == len(by_rule["more-of-rule"]) == 2
    assert all(r["severity"] == "error" and f"{LINES - LIMIT}" in r["message"] for r in summaries.values())
    assert f"ZZ{LIMIT + 1:05d}" in summaries["unknown-customer"]["value"]
    assert 2 * LINES in tally, "the tally counts every finding, not the rows"
    counts = manifest["counts"]
    assert (counts["errors"], counts["exceptions_summarised"]) == (2 * LINES, 2 * (LINES - LIMIT))
    assert counts["exceptions"] >= 2 * LINES
    red = red_cells(run_dir / "退回修改件-订单-洪水.xlsx")
    customer, product = "C", "F"      # the columns of 客户编码 and 产品编码
    assert {f"{col}{n}" for n in range(2, LINES + 2) for col in (customer, product)} <= red


def test_validate_summarises_a_flood_and_all_prints_every_finding(osb, tmp_path):
    set_limit(osb, LIMIT)
    path = flood_workbook(tmp_path / "订单.xlsx")
    folded = json.loads(osb("validate", str(path), "--json", expect=1).output)
    rules = [f["rule"] for f in folded]
    assert rules.count("unknown-customer") == rules.count("unknown-product") == LIMIT
    summaries = {f["params"]["folded_rule"]: f for f in folded if f["rule"] == "more-of-rule"}
    assert {k: (int(f["params"]["count"]), f["severity"]) for k, f in summaries.items()} == {
        "unknown-customer": (LINES - LIMIT, "error"), "unknown-product": (LINES - LIMIT, "error")}
    every = json.loads(osb("validate", str(path), "--json", "--all", expect=1).output)
    assert sorted(f["rule"] for f in every) == ["unknown-customer"] * LINES + ["unknown-product"] * LINES
    text = osb("--lang", "en", "validate", str(path), expect=1).output.splitlines()
    assert len(text) == 2 * LIMIT + 2 + 1
    assert text[-1] == f"1 file(s), {2 * LINES} error(s), 0 note(s)"
    assert sum("more with the same problem" in line for line in text) == 2
