"""The command line speaks Chinese by default and English when asked, from --help to usage errors.

The language is known before the arguments are parsed: --lang on the command line, else
$OSB_LANG, else general.lang in the working folder's rules.toml, else Chinese.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from osb_batch.cli import main

from ..conftest import CUSTOMER_HEADER, Osb, customer_rows, write_xlsx

CHINESE = re.compile(r"[\u4e00-\u9fff]")
COMMANDS = sorted(main.commands)


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env or {"OSB_LANG": None, "OSB_HOME": None})


@pytest.fixture
def english_folder(tmp_path) -> Osb:
    osb = Osb(tmp_path / "en-work")
    osb("init", str(osb.home))
    rules = osb.home / "rules.toml"
    rules.write_text(re.sub(r'(?m)^lang = "zh"', 'lang = "en"', rules.read_text(encoding="utf-8")), encoding="utf-8")
    return osb


def test_help_is_chinese_by_default_and_english_with_lang_en(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    zh = invoke("--help")
    assert zh.exit_code == 0
    assert zh.output.startswith("用法：") and "命令" in zh.output and "显示本帮助并退出" in zh.output
    assert "Usage:" not in zh.output and "Show this message" not in zh.output
    en = invoke("--lang", "en", "--help")
    assert en.output.startswith("Usage:") and "Commands:" in en.output and not CHINESE.search(en.output)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_in_both_languages(command):
    zh = invoke(command, "--help")
    assert zh.exit_code == 0 and "示例：" in zh.output and "用法：" in zh.output
    body = zh.output.split("\n\n", 1)[1]
    assert CHINESE.search(body.split("示例：")[0]), "the description is Chinese"
    en = invoke("--lang", "en", command, "--help")
    assert en.exit_code == 0 and "Example:" in en.output and "Usage:" in en.output


def test_a_date_in_the_wrong_format_is_refused_in_the_language_of_the_folder(osb, english_folder):
    zh = osb("run", "--date", "2026-13-01", expect=2)
    assert "错误：" in zh.output and "'--date' 的值无效" in zh.output and "2026-13-01" in zh.output
    assert "run --help' 查看帮助" in zh.output and "Error" not in zh.output and "Usage" not in zh.output
    en = osb("--lang", "en", "run", "--date", "2026-13-01", expect=2)
    assert "Error: Invalid value for '--date'" in en.output and not CHINESE.search(en.output)
    folder = english_folder("run", "--date", "2026-13-01", expect=2)
    assert "Error: Invalid value for '--date'" in folder.output, "rules.toml general.lang = en"
    asked = english_folder("--lang", "zh", "run", "--date", "2026-13-01", expect=2)
    assert "错误：" in asked.output, "--lang wins over rules.toml"


def test_unknown_options_and_missing_arguments_are_said_in_chinese(osb):
    unknown = osb("run", "--dat", "2026-11-26", expect=2)
    assert "没有选项 '--dat'" in unknown.output and "--date" in unknown.output
    missing = invoke("init")
    assert missing.exit_code == 2 and "缺少参数 'DIRECTORY'" in missing.output
    extra = osb("status", "now", expect=2)
    assert "多余的参数（now）" in extra.output


def test_osb_lang_chooses_english_before_the_folder_is_read(tmp_path):
    result = invoke("status", "--help", env={"OSB_LANG": "en", "OSB_HOME": None})
    assert result.output.startswith("Usage:") and "Example:" in result.output


def test_init_speaks_the_language_of_the_command_line(tmp_path):
    zh = invoke("init", str(tmp_path / "a"))
    assert zh.exit_code == 0 and "已创建" in zh.output and "created" not in zh.output
    en = invoke("--lang", "en", "init", str(tmp_path / "b"))
    lines = en.output.splitlines()
    assert en.exit_code == 0 and all(line.startswith(f"created {tmp_path}") for line in lines[:-1])


def test_a_real_process_reads_its_language_from_its_own_arguments(osb):
    zh = osb.subprocess("run", "--date", "2026-13-01")
    assert zh.returncode == 2 and "错误：" in zh.stderr
    help_en = subprocess.run([sys.executable, "-m", "osb_batch", "--lang", "en", "--help"],
                             capture_output=True, text=True)
    assert help_en.returncode == 0 and help_en.stdout.startswith("Usage:")


def test_validate_prints_findings_in_words_and_json_keeps_the_rule_slug(osb, tmp_path):
    rows = customer_rows(1)
    rows[0][6] = "abc"
    path = write_xlsx(tmp_path / "c.xlsx", [CUSTOMER_HEADER, *rows])
    zh = osb("validate", str(path), expect=1).output
    assert ": 错误: " in zh and "[金额格式错误]" in zh and "invalid-money" not in zh
    en = osb("--lang", "en", "validate", str(path), expect=1).output
    assert ": error: " in en and "[Invalid amount]" in en and "invalid-money" not in en
    assert '"rule": "invalid-money"' in osb("validate", str(path), "--json", expect=1).output
