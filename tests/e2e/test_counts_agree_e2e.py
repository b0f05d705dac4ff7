"""One count of exceptions everywhere a person reads it, and each file named where it is after the
run (issue 10, item 10): exceptions are errors and warnings; infos are listed but not counted."""

from __future__ import annotations

import json
import re

import openpyxl

from ..support.outputs import exception_rows, run_folder


def test_terminal_manifest_html_and_workbook_give_one_count_and_files_are_named_where_they_are(osb):
    osb("demo", "--date", "2026-11-26")
    terminal = osb("run", "--date", "2026-11-26").output
    manifest = json.loads((osb.home / "outbox/2026-11-26/run-01/manifest.json").read_text(encoding="utf-8"))
    rows = exception_rows(osb.home, manifest)
    listed = sum(1 for r in rows if r["严重程度"] in {"错误", "警告"})
    assert listed == manifest["counts"]["exceptions"] > 0
    assert any(r["严重程度"] == "提示" for r in rows)          # infos are listed, not counted
    assert f"异常：{listed} 条" in terminal, terminal
    tally = [c.value for c in openpyxl.load_workbook(
        run_folder(osb.home, manifest) / "异常清单-2026-11-26.xlsx").worksheets[0][2]]
    assert tally[tally.index("异常合计") + 1] == listed
    html = (run_folder(osb.home, manifest) / "运行摘要-2026-11-26.html").read_text(encoding="utf-8")
    assert re.search(rf"异常</td><td[^>]*>{listed}</td>", html), "the HTML summary gives another count"
    # a quarantined file is one error (why it could not be read), its move an info
    quarantined = [i for i in manifest["inputs"] if i["status"] == "quarantined"]
    assert quarantined and all(i["errors"] == 1 for i in quarantined)
    # the inbox is emptied: each file is named in archive/ or quarantine/, where it now is
    assert not any(r["文件"].startswith("inbox/") for r in rows)
    for r in rows:
        assert (osb.home / r["文件"]).is_file(), r["文件"]
    assert {r["文件"].split("/")[0] for r in rows} == {"archive", "quarantine"}


def test_the_terminal_says_how_many_orders_were_accepted_are_waiting_and_were_rejected(osb):
    osb("demo", "--date", "2026-11-26")
    terminal = osb("run", "--date", "2026-11-26").output
    # the demo day: one order refused by QC, the others waiting for a signature, approval or payment
    assert "订单：12 笔（已接受 0，等待审批或付款 11，已拒绝 1）" in terminal, terminal
    # the next day nobody signed: the orders still open are counted as waiting
    terminal = osb("--lang", "en", "run", "--date", "2026-11-27").output
    assert "Orders: 11 (0 accepted, 11 waiting for approval or payment, 0 rejected)" in terminal, terminal
