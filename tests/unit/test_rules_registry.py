"""The rules registry lists every rule module's entry point, and rules stay pure."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import osb_batch.rules as rules

RULES_DIR = Path(rules.__file__).parent
ADAPTERS = {"sqlite3", "openpyxl", "click", "osb_batch.ledger", "osb_batch.readers", "osb_batch.writers",
            "osb_batch.settings", "osb_batch.workspace"}


def test_every_rule_module_has_one_entry_in_the_registry():
    modules = sorted(m.name for m in pkgutil.iter_modules([str(RULES_DIR)])
                     if m.name != "management_records")      # the shared records, not a rule
    assert sorted(r.key for r in rules.RULES) == modules


def test_every_entry_point_is_a_function_of_its_own_module():
    for rule in rules.RULES:
        assert callable(rule.decide) and rule.decide.__module__ == f"osb_batch.rules.{rule.key}", rule.key
        assert rule.decide.__doc__, rule.key
        assert rule.step, rule.key


def test_rules_import_no_adapter():
    for path in RULES_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert not any(name == a or name.startswith(a + ".") for a in ADAPTERS), f"{path.name}: {name}"
