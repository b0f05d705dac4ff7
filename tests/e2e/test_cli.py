"""The command line: help for every command, the catalogue commands, exit codes, languages."""

from __future__ import annotations

import json

from osb_batch.cli import main

from ..conftest import CUSTOMER_HEADER, customer_rows, write_xlsx

COMMANDS = sorted(main.commands)


def test_forms_lists_the_catalogue_and_shows_one_form(osb):
    listing = osb("forms").output
    assert "customers" in listing and "客户主数据" in listing
    forms = json.loads(osb("forms", "--json").output)
    assert sum(1 for f in forms if f["kind"] == "input") == 19
    one = json.loads(osb("forms", "customers", "--json").output)
    assert [f["key"] for f in one["fields"]][:3] == ["customer_code", "customer_name", "market"]
    assert osb("forms", "客户主数据").output.startswith("customers")
    assert osb("forms", "nonsense", expect=2).exit_code == 2


def test_templates_check_fails_when_a_template_is_missing_or_stale(osb):
    osb("templates", "--check")
    target = osb.home / "templates" / "xlsx" / "订单.xlsx"
    target.unlink()
    result = osb("templates", "--check", expect=1)
    assert "订单.xlsx" in result.output
    osb("templates")
    osb("templates", "--check")


def test_an_invalid_rules_toml_exits_2_naming_the_key(osb):
    rules = osb.home / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("header_search_rows", "header_serch_rows"),
                     encoding="utf-8")
    result = osb("run", "--date", "2026-11-26", expect=2)
    assert "header_serch_rows" in result.output


def test_english_messages_with_lang_en(osb, tmp_path):
    rows = customer_rows(1)
    rows[0][6] = "abc"
    path = write_xlsx(tmp_path / "c.xlsx", [CUSTOMER_HEADER, *rows])
    result = osb("--lang", "en", "validate", str(path), expect=1)
    assert "must be an amount" in result.output
    zh = osb("validate", str(path), expect=1)
    assert "应为金额" in zh.output


def test_the_readme_documents_every_rules_toml_key():
    from pathlib import Path

    from osb_batch.settings import DEFAULT_RULES_TEXT
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    import tomllib
    data = tomllib.loads(DEFAULT_RULES_TEXT)
    for section, values in data.items():
        if section in ("markets", "roles"):
            continue
        for key in values:
            assert f"`{section}.{key}`" in readme, f"{section}.{key}"
