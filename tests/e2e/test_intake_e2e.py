"""End to end through the CLI: workbooks written the way staff write them, one run, outputs read back."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import openpyxl
import zhconv

from ..conftest import CUSTOMER_HEADER, REALWORLD, customer_rows, write_xlsx


def inputs_by_name(manifest: dict) -> dict[str, dict]:
    return {Path(i["file"]).name: i for i in manifest["inputs"]}


def ledger_customers(osb) -> dict[str, tuple]:
    with osb.ledger() as db:
        return {r[0]: r[1:] for r in db.execute(
            "SELECT customer_code, customer_name, market, region, credit_limit, prepaid FROM customers")}


def test_customers_with_title_row_and_columns_in_another_order_are_applied(osb):
    order = [6, 0, 2, 1, 3, 5, 4, 8, 7]
    rows = [[r[i] for i in order] for r in [CUSTOMER_HEADER, *customer_rows(4)]]
    write_xlsx(osb.inbox / "客户主数据.xlsx", rows, title="2026年客户主数据（华东提交）", notes=["注：带*为必填"])
    manifest = osb.run()
    assert inputs_by_name(manifest)["客户主数据.xlsx"] | {"sha256": ""} == {
        "file": "inbox/客户主数据.xlsx", "sha256": "", "form": "customers", "status": "processed",
        "rows": 4, "errors": 0}
    customers = ledger_customers(osb)
    assert customers["C001"] == ("测试客户1有限公司", "N", "北京", "500000.00", "0")
    assert len(customers) == 4
    assert not any(osb.inbox.iterdir()), "processed inputs leave the inbox"
    archived = list((osb.home / "archive" / "2026-11-26").glob("*客户主数据.xlsx"))
    assert len(archived) == 1


def test_traditional_chinese_headers_and_enum_values_are_read(osb):
    header = [zhconv.convert(h, "zh-hant") for h in CUSTOMER_HEADER]
    rows = customer_rows(2)
    rows[0][2] = "華東"
    rows[0][3] = "上海"
    write_xlsx(osb.inbox / "客戶主數據.xlsx", [header, *rows], title="客戶主數據")
    manifest = osb.run()
    assert manifest["inputs"][0]["status"] == "processed"
    assert manifest["inputs"][0]["errors"] == 0
    assert ledger_customers(osb)["C001"][1] == "E"


def test_a_later_customers_file_updates_without_erasing(osb):
    write_xlsx(osb.inbox / "a.xlsx", [CUSTOMER_HEADER + ["电话"], *[r + ["021-1"] for r in customer_rows(3)]])
    osb.run()
    row = customer_rows(3)[1]
    row[6] = "800000"
    write_xlsx(osb.inbox / "b.xlsx", [CUSTOMER_HEADER + ["电话"], row + [""]])
    manifest = osb.run()
    assert manifest["counts"]["customers.updated"] == 1
    with osb.ledger() as db:
        limit, phone = db.execute("SELECT credit_limit, phone FROM customers WHERE customer_code='C002'").fetchone()
        changes = db.execute("SELECT field, old, new FROM changes").fetchall()
    assert (limit, phone) == ("800000.00", "021-1")
    assert changes == [("credit_limit", "500000.00", "800000.00")]
    assert len(ledger_customers(osb)) == 3


TEN_FAULTS = {
    # (row offset in data, column label): rule
    (0, "信用额度"): "invalid-money",
    (1, "回款期(天)"): "out-of-range",
    (2, "先款后货"): "invalid-boolean",
    (3, "市场"): "invalid-choice",
    (4, "区域"): "unknown-region",
    (5, "客户名称"): "required-missing",
    (6, "客户编码"): "duplicate-key",
    (7, "客户编码"): "key-blank",
    (8, "信用额度"): "formula-no-cache",
    (9, "回款期(天)"): "formula-error",
}


def ten_fault_workbook(path: Path) -> dict[str, str]:
    """A customers file with ten faults; returns {A1 cell: rule} (header on row 2)."""
    rows = customer_rows(11)
    rows[0][6] = "abc"
    rows[1][7] = "400"
    rows[2][8] = "可能"
    rows[3][2] = "火星"
    rows[4][2], rows[4][3] = "华东", "纽约"
    rows[5][1] = None
    rows[6][0] = rows[0][0]
    rows[7][0] = None
    rows[8][6] = "=SUM(Z1:Z3)"
    rows[9][7] = "#N/A"
    write_xlsx(path, [CUSTOMER_HEADER, *rows], title="客户主数据（西南补充）")
    expected = {}
    for (offset, label), rule in TEN_FAULTS.items():
        column = "ABCDEFGHI"[CUSTOMER_HEADER.index(label)]
        expected[f"{column}{offset + 3}"] = rule
    return expected


def test_ten_faults_are_each_reported_at_their_cell_and_shown_red(osb):
    expected = ten_fault_workbook(osb.inbox / "客户主数据-西南补充.xlsx")
    manifest = osb.run()
    folder = osb.home / manifest["outputs"][0]["file"]
    run_dir = folder.parent
    ws = openpyxl.load_workbook(run_dir / f"异常清单-{manifest['business_date']}.xlsx").worksheets[0]
    header_row = next(r for r in ws.iter_rows(values_only=True) if r and "单元格" in r)
    col = {name: i for i, name in enumerate(header_row)}
    found = {}
    for r in ws.iter_rows(values_only=True):
        if r and r[col["单元格"]] and r[col["规则代码"]] and r[col["严重程度"]] in ("错误", "error"):
            found[r[col["单元格"]]] = r[col["规则代码"]]
    assert found == expected
    copy = openpyxl.load_workbook(run_dir / "退回修改件-客户主数据-西南补充.xlsx")
    sheet = copy.worksheets[0] if copy.worksheets[0].title != "退回说明" else copy.worksheets[1]
    red = {c.coordinate for row in sheet.iter_rows() for c in row
           if c.fill is not None and c.fill.fgColor is not None and c.fill.fill_type == "solid"
           and str(c.fill.fgColor.rgb).upper().endswith("C7CE")}
    assert red == set(expected)
    assert all(sheet[ref].comment is not None for ref in expected)
    good = set(ledger_customers(osb))
    assert good == {"C011"}, "only the faultless row is applied"


def test_the_same_file_twice_is_a_duplicate(osb):
    path = write_xlsx(osb.inbox / "客户.xlsx", [CUSTOMER_HEADER, *customer_rows(2)])
    shutil.copy(path, osb.inbox / "客户-副本.xlsx")
    manifest = osb.run()
    statuses = {i["file"]: i["status"] for i in manifest["inputs"]}
    assert statuses == {"inbox/客户.xlsx": "processed", "inbox/客户-副本.xlsx": "duplicate"}
    write_xlsx(osb.inbox / "again.xlsx", [CUSTOMER_HEADER, *customer_rows(2)])
    shutil.copy(osb.home / next((osb.home / "archive").rglob("*客户.xlsx")).relative_to(osb.home),
                osb.inbox / "客户-再次.xlsx")
    manifest = osb.run()
    statuses = {Path(i["file"]).name: i["status"] for i in manifest["inputs"]}
    assert statuses["客户-再次.xlsx"] == "duplicate"
    assert not any(osb.inbox.iterdir())


def test_unreadable_files_are_quarantined_with_a_reason(osb):
    (osb.inbox / "会议纪要.xlsx").write_bytes(bytes(range(256)) * 40)
    if REALWORLD.exists():
        shutil.copy(REALWORLD / "calamine" / "pass_protected.xlsx", osb.inbox / "加密.xlsx")
    write_xlsx(osb.inbox / "未知.xlsx", [["货号", "品名", "价钱", "单位"], ["X1", "杯子", 3, "个"]])
    write_xlsx(osb.inbox / "近似.xlsx", [["客户编码", "客户名称", "市场", "区域", "联系电话"], ["C1", "某公司", "华东", "上海", "1"]])
    manifest = osb.run()
    statuses = {Path(i["file"]).name: i["status"] for i in manifest["inputs"]}
    assert statuses["会议纪要.xlsx"] == "quarantined"
    assert statuses["未知.xlsx"] == "quarantined"
    quarantine = osb.home / "quarantine" / "2026-11-26"
    assert (quarantine / "会议纪要.xlsx").exists()
    assert "不是表格" in (quarantine / "会议纪要.xlsx.txt").read_text(encoding="utf-8")
    near = next(i for i in manifest["inputs"] if i["file"].endswith("近似.xlsx"))
    assert (near["status"], near["form"], near["errors"]) == ("rejected", "customers", 5)
    if REALWORLD.exists():
        assert statuses["加密.xlsx"] == "quarantined"
        assert "密码" in (quarantine / "加密.xlsx.txt").read_text(encoding="utf-8")
    assert not any(osb.inbox.iterdir())


def test_an_xls_and_an_ods_and_a_gb18030_csv_are_read(osb):
    fixtures = Path(__file__).parents[1] / "fixtures"
    shutil.copy(fixtures / "customers.xls", osb.inbox / "customers.xls")
    shutil.copy(fixtures / "customers.ods", osb.inbox / "customers-ods.ods")
    csv_rows = [CUSTOMER_HEADER, *customer_rows(2, start=20)]
    (osb.inbox / "客户.csv").write_bytes("\n".join(",".join(map(str, r)).replace("500,000.00", "500000")
                                                   for r in csv_rows).encode("gb18030"))
    manifest = osb.run()
    assert {i["status"] for i in manifest["inputs"]} == {"processed"}, manifest["inputs"]
    assert {"C020", "C021"} <= set(ledger_customers(osb))


def test_a_run_killed_while_writing_outputs_is_finished_once_by_the_next_run(osb):
    ten_fault_workbook(osb.inbox / "bad.xlsx")
    write_xlsx(osb.inbox / "good.xlsx", [CUSTOMER_HEADER, *customer_rows(3, start=30)])
    for point in ("after-output-1", "before-commit"):
        killed = osb.subprocess("run", "--date", "2026-11-26", env={"OSB_FAULT": point})
        assert killed.returncode == 137
        assert sorted(p.name for p in osb.inbox.iterdir()) == ["bad.xlsx", "good.xlsx"]
        assert ledger_customers(osb) == {}
    killed = osb.subprocess("run", "--date", "2026-11-26", env={"OSB_FAULT": "after-commit"})
    assert killed.returncode == 137
    manifest = osb.run()
    assert manifest["run"] == 2 and manifest["inputs"] == [], "the committed run is not redone"
    run1 = osb.home / "outbox" / "2026-11-26" / "run-01"
    first = json.loads((run1 / "manifest.json").read_text(encoding="utf-8"))
    assert {Path(i["file"]).name for i in first["inputs"]} == {"bad.xlsx", "good.xlsx"}
    assert all((osb.home / o["file"]).exists() for o in first["outputs"])
    assert not list((osb.home / "outbox" / "2026-11-26").glob(".*partial"))
    assert not any(osb.inbox.iterdir())
    assert set(ledger_customers(osb)) == {"C011", "C030", "C031", "C032"}
    with osb.ledger() as db:
        assert db.execute("SELECT COUNT(*) FROM inputs").fetchone()[0] == 2


def test_a_second_concurrent_run_exits_at_once(osb):
    from osb_batch.ledger import session
    from osb_batch.workspace import Home
    with session.locked(Home(osb.home), None, "pid 1, started 2026-11-26T08:00:00"):
        started = time.monotonic()
        second = osb.subprocess("run", "--date", "2026-11-26")
        assert second.returncode == 1
        assert "pid 1" in second.stderr
        assert time.monotonic() - started < 10


def test_two_real_runs_at_the_same_time_apply_the_inbox_once(osb):
    for i in range(3):
        write_xlsx(osb.inbox / f"c{i}.xlsx", [CUSTOMER_HEADER, *customer_rows(200, start=1 + i * 200)])
    import subprocess
    import sys
    cmd = [sys.executable, "-m", "osb_batch", "--home", str(osb.home), "run", "--date", "2026-11-26"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    codes = sorted(p.wait(timeout=120) for p in procs)
    assert codes in ([0, 1], [0, 0])
    assert len(ledger_customers(osb)) == 600
    with osb.ledger() as db:
        assert db.execute("SELECT COUNT(*) FROM inputs WHERE status='processed'").fetchone()[0] == 3


def test_other_forms_are_accepted_and_archived_but_not_yet_acted_on(osb):
    write_xlsx(osb.inbox / "银行到款.xlsx", [["银行流水号", "到款日期", "付款户名", "金额"],
                                          ["B001", "2026年11月25日", "某公司", "¥1,200.00"]])
    manifest = osb.run()
    assert manifest["inputs"][0]["form"] == "bank_receipts"
    assert manifest["inputs"][0]["status"] == "processed"
    assert list((osb.home / "archive").rglob("*银行到款.xlsx"))


def test_validate_touches_no_state_and_exits_1_on_error(osb, tmp_path):
    path = tmp_path / "bad.xlsx"
    expected = ten_fault_workbook(path)
    result = osb("validate", str(path), "--json", expect=1)
    findings = json.loads(result.output)
    errors = {f["cell"]: f["rule"] for f in findings if f["severity"] == "error"}
    assert errors == expected
    assert {"file", "form", "sheet", "cell", "field", "value", "rule", "severity", "message"} <= set(findings[0])
    assert not (osb.home / "state" / "ledger.sqlite").exists()
    good = write_xlsx(tmp_path / "good.xlsx", [CUSTOMER_HEADER, *customer_rows(2)])
    osb("validate", str(good), expect=0)
