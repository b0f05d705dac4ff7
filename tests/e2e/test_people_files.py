"""End to end through the CLI: the files people leave behind and the folders they mistype.

A workbook still open in Excel, WPS or LibreOffice waits in the inbox; a mistyped --home is an
error, not a new empty working folder; quarantine notes open in Notepad; the demo refuses a used
folder; the docs people are sent to ship with the repository and are current.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from osb_batch.cli import main
from osb_batch.writers.exceptions import KEYS
from osb_batch.writers.list_sheet import HEADER_ROW

from ..conftest import CUSTOMER_HEADER, REPO, Osb, customer_rows, write_xlsx


def excel_owner_file(path: Path, user: str) -> Path:
    """The owner file Excel writes beside a workbook it has open: ``~$`` + name, 165 bytes."""
    acp = user.encode("gbk")
    wide = user.encode("utf-16-le")
    data = bytes([len(acp)]) + acp + b" " * (54 - len(acp)) + len(user).to_bytes(2, "little") + wide
    owner = path.with_name("~$" + path.name)
    owner.write_bytes(data + b" \x00" * ((165 - len(data)) // 2) + b" " * ((165 - len(data)) % 2))
    return owner


def libreoffice_lock_file(path: Path, line: str) -> Path:
    owner = path.with_name(f".~lock.{path.name}#")
    owner.write_text(line, encoding="utf-8")
    return owner


def exception_rows(osb: Osb, manifest: dict) -> list[dict]:
    """The rows of the exceptions list's first sheet (every finding), as {column key: value}."""
    exceptions = next(o["file"] for o in manifest["outputs"] if o["form"] == "exceptions")
    ws = openpyxl.load_workbook(osb.home / exceptions).worksheets[0]
    rows = ws.iter_rows(min_row=HEADER_ROW + 2, values_only=True)
    return [dict(zip(KEYS, r, strict=False)) for r in rows if r and r[KEYS.index("rule")]]


def test_a_workbook_open_in_excel_waits_for_the_next_run_which_names_who_has_it(osb):
    held = write_xlsx(osb.inbox / "客户主数据-华东.xlsx", [CUSTOMER_HEADER, *customer_rows(2)])
    owner = excel_owner_file(held, "王磊")
    write_xlsx(osb.inbox / "客户主数据-华北.xlsx", [CUSTOMER_HEADER, *customer_rows(1, start=5)])
    manifest = osb.run()
    assert [i["file"] for i in manifest["inputs"]] == ["inbox/客户主数据-华北.xlsx"], "neither the open file nor its owner file is an input"
    [found] = exception_rows(osb, manifest)
    assert (found["file"], found["rule"], found["severity"]) == ("inbox/客户主数据-华东.xlsx", "file-open-elsewhere", "警告")
    assert "王磊" in found["message"] and "~$客户主数据-华东.xlsx" in found["action"]
    assert held.exists() and owner.exists(), "both stay in the inbox"
    assert not list((osb.home / "quarantine").rglob("*")), "an owner file is never quarantined"
    with osb.ledger() as db:
        assert [r[0] for r in db.execute("SELECT customer_code FROM customers")] == ["C005"]

    rows = customer_rows(2)
    rows[1][6] = "800,000.00"            # corrected, saved and closed a minute later
    write_xlsx(held, [CUSTOMER_HEADER, *rows])
    owner.unlink()
    manifest = osb.run()
    assert [(i["file"], i["status"], i["errors"]) for i in manifest["inputs"]] == [
        ("inbox/客户主数据-华东.xlsx", "processed", 0)]
    assert not held.exists()
    with osb.ledger() as db:
        limit = db.execute("SELECT credit_limit FROM customers WHERE customer_code='C002'").fetchone()[0]
    assert limit == "800000.00", "the version taken is the corrected one"


def test_a_calc_lock_file_names_its_user_in_english_too(osb):
    held = write_xlsx(osb.inbox / "sub" / "customers.xlsx", [CUSTOMER_HEADER, *customer_rows(1)])
    libreoffice_lock_file(held, ",wanglei,DESKTOP-7,26.11.2026 14:05,file:///C:/Users/wanglei/AppData;")
    manifest = json.loads(osb("--lang", "en", "run", "--date", "2026-11-26", "--json").output)
    assert manifest["inputs"] == [] and manifest["counts"]["exceptions"] == 1
    [found] = exception_rows(osb, manifest)
    assert (found["file"], found["rule"]) == ("inbox/sub/customers.xlsx", "file-open-elsewhere")
    assert "wanglei" in found["message"] and "open" in found["message"]
    assert held.exists()


def test_an_owner_file_left_behind_is_an_info_line_and_stays(osb):
    stale = osb.inbox / "~$订单-已处理.xlsx"
    stale.write_bytes(b"\x02ab" + b" " * 162)
    manifest = osb.run()
    assert manifest["inputs"] == []
    assert [(r["file"], r["rule"], r["severity"]) for r in exception_rows(osb, manifest)] == [
        ("inbox/~$订单-已处理.xlsx", "owner-file-left", "提示")]
    assert stale.exists()


def test_a_mistyped_home_is_an_error_that_creates_nothing(tmp_path):
    typo = tmp_path / "srv" / "osbb"
    runner = Osb(typo)
    for args in (["run", "--date", "2026-11-26"], ["status"], ["templates"], ["templates", "--check"],
                 ["reconcile", "--period", "2026H1"], ["validate", str(REPO / "pyproject.toml")]):
        result = runner(*args, expect=2)
        assert "osb-batch init" in result.output and str(typo) in result.output, args
    assert not (tmp_path / "srv").exists(), "no folder is created, parents included"
    runner("forms")
    empty = tmp_path / "empty"
    empty.mkdir()
    Osb(empty)("run", expect=2)
    assert not any(empty.iterdir())


def test_a_home_from_the_environment_is_checked_the_same_way(tmp_path):
    result = CliRunner().invoke(main, ["status"], env={**os.environ, "OSB_HOME": str(tmp_path / "nope")})
    assert result.exit_code == 2 and "rules.toml" in result.output


def test_a_quarantine_note_opens_in_notepad_on_chinese_windows(osb):
    (osb.inbox / "订单-损坏.xlsx").write_bytes(b"this is not a workbook\n" * 4)
    osb.run()
    [note] = (osb.home / "quarantine").rglob("*.txt")
    data = note.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, or Notepad guesses GBK"
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert "订单-损坏.xlsx" in data.decode("utf-8-sig")


def test_the_demo_refuses_a_used_folder_unless_forced(tmp_path):
    runner = Osb(tmp_path / "demo")
    runner("demo", "--date", "2026-11-26")
    files = sorted(p.name for p in runner.inbox.iterdir())
    again = runner("demo", "--date", "2026-11-26", expect=2)
    assert "--force" in again.output and "收件箱" in again.output
    assert sorted(p.name for p in runner.inbox.iterdir()) == files, "nothing added"
    runner("run", "--date", "2026-11-26")
    assert "台账" in runner("demo", "--days", "2", expect=2).output
    runner("demo", "--date", "2026-11-27", "--force")


def test_the_forms_guide_in_docs_is_current():
    printed = CliRunner().invoke(main, ["forms", "--markdown"]).output
    shipped = (REPO / "docs" / "forms-guide.md").read_text(encoding="utf-8")
    assert printed == shipped, "docs/forms-guide.md is out of date: osb-batch forms --markdown > docs/forms-guide.md"
    for heading in ("### 订单 / Orders (`orders`)", "### 审批单 / Approvals (`approvals`)"):
        assert heading in shipped
    assert "| 订单号* |" in shipped


def test_the_decision_table_ships_with_every_case_and_setting_it_names():
    from osb_batch.rules.credit import STATE_OF_CASE
    table = (REPO / "docs" / "credit-decisions.md").read_text(encoding="utf-8")
    reference = (REPO / "docs" / "rules-reference.md").read_text(encoding="utf-8")
    assert {m for m in re.findall(r"\*\*(5-\w+)\*\*", table)} == set(STATE_OF_CASE)
    for key in set(re.findall(r"`((?:credit|ma|deadlines)\.\w+)", table)):
        assert f"`{key}`" in reference, key


def test_nothing_people_read_points_at_the_internal_spec():
    texts = [(REPO / "README.md").read_text(encoding="utf-8")]
    texts += [CliRunner().invoke(main, [*command, "--help"]).output
              for command in ([], ["init"], ["demo"], ["run"], ["reconcile"], ["validate"], ["status"],
                              ["forms"], ["templates"])]
    for text in texts:
        assert "domain.md" not in text and "interface.md" not in text
