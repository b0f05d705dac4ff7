"""The receipts pool: bank receipts once per reference, claims, matching, unapplied money."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osb_batch import catalogue
from osb_batch import settings as settings_mod
from osb_batch.ledger import receipts
from osb_batch.ledger.database import Ledger
from osb_batch.readers import workbook as reader

CATALOGUE = catalogue.load().with_choices({"markets": settings_mod.load(None).market_choices()})
RECEIPT_KEYS = ("bank_ref", "receipt_date", "payer_name", "amount", "remark")
CLAIM_KEYS = ("claim_no", "bank_ref", "customer_code", "amount", "invoice_nos", "claimed_by")
D = Decimal


def write_form(path: Path, form: str, keys: tuple[str, ...], rows: list[list]) -> reader.ReadResult:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([CATALOGUE[form].field(k).zh for k in keys])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    result = reader.read(path, CATALOGUE)
    assert result.form == form and not result.errors, [f.render() for f in result.findings]
    return result


def receipts_file(path: Path, rows: list[list]) -> reader.ReadResult:
    return write_form(path, "bank_receipts", RECEIPT_KEYS, rows)


def claims_file(path: Path, rows: list[list]) -> reader.ReadResult:
    return write_form(path, "collection_claims", CLAIM_KEYS, rows)


def add_customer(ledger: Ledger, code: str, name: str, aliases: str | None = None) -> None:
    ledger.upsert("customers", ["customer_code"],
                  {"customer_code": code, "customer_name": name, "payer_aliases": aliases},
                  run_id=1, input_id=1)


@pytest.fixture
def ledger(tmp_path):
    ledger = Ledger.open(tmp_path / "l.sqlite")
    add_customer(ledger, "C001", "上海浦东贸易有限公司", "浦东贸易;張三商行")
    add_customer(ledger, "C002", "北京朝阳商贸有限公司", "朝阳商贸；北京朝阳")
    add_customer(ledger, "C003", "广州天河实业有限公司", "北京朝阳")        # shares an alias with C002
    ledger.upsert("opening_balances", ["customer_code", "doc_no"],
                  {"customer_code": "C002", "doc_no": "FP-1", "doc_date": "2026-10-01",
                   "due_date": "2026-10-31", "amount": "5000.00"}, run_id=1, input_id=1)
    ledger.upsert("opening_balances", ["customer_code", "doc_no"],
                  {"customer_code": "C003", "doc_no": "FP-10", "doc_date": "2026-10-01",
                   "due_date": "2026-10-31", "amount": "800.00"}, run_id=1, input_id=1)
    yield ledger
    ledger.close()


def stored(ledger: Ledger) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in ledger.conn.execute(
        "SELECT bank_ref, receipt_date, payer_name, amount, remark, customer_code, matched_by FROM receipts")}


def matched(ledger: Ledger) -> dict[str, tuple[str | None, str | None]]:
    return {ref: (row[4], row[5]) for ref, row in stored(ledger).items()}


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


# bank receipts ---------------------------------------------------------------------------------
def test_receipts_stored_as_text(tmp_path, ledger):
    result = receipts_file(tmp_path / "r.xlsx", [["BR1", dt.date(2026, 11, 28), "某公司", "1,200.5", "货款"]])
    assert receipts.apply_bank_receipts(result, ledger, run_id=1, input_id=7) == []
    row = ledger.get("receipts", ["bank_ref"], ["BR1"])
    assert row["receipt_date"] == "2026-11-28" and row["amount"] == "1200.50"
    assert row["customer_code"] is None and row["input_id"] == 7 and row["run_id"] == 1


def test_duplicate_within_a_file(tmp_path, ledger):
    result = receipts_file(tmp_path / "r.xlsx", [
        ["BR1", "2026-11-28", "某公司", 100, None],
        ["BR2", "2026-11-28", "某公司", 200, None],
        ["BR1", "2026-11-28", "某公司", 100, None],        # same content
        ["BR1", "2026-11-29", "别的公司", 999, None],       # other content
    ])
    findings = receipts.apply_bank_receipts(result, ledger, run_id=1, input_id=1)
    assert rules(findings) == ["receipt-duplicate", "receipt-duplicate"]
    assert [(f.cell, f.severity, f.value) for f in findings] == [("A4", "warning", "BR1"), ("A5", "warning", "BR1")]
    assert "本文件第 2 行" in findings[0].message() and "内容与首次不同" not in findings[0].message()
    assert "内容与首次不同" in findings[1].message() and "金额" in findings[1].message()
    assert "row 2 of this file" in findings[1].message("en")
    assert {ref: row[2] for ref, row in stored(ledger).items()} == {"BR1": "100.00", "BR2": "200.00"}


def test_duplicate_across_files(tmp_path, ledger):
    ledger.add_run("2026-11-28", 1, "2026-11-28T08:00:00", "out")
    first = ledger.add_input(1, sha256="x", name="到款1.xlsx", inbox_path="到款1.xlsx", status="processed",
                             rows=1, errors=0)
    receipts.apply_bank_receipts(receipts_file(tmp_path / "a.xlsx", [["BR1", "2026-11-28", "甲", 100, None]]),
                                 ledger, run_id=1, input_id=first)
    second = receipts_file(tmp_path / "b.xlsx", [["BR1", "2026-11-28", "甲", 150, None],
                                                  ["BR2", "2026-11-29", "乙", 50, None]])
    findings = receipts.apply_bank_receipts(second, ledger, run_id=2, input_id=first + 1)
    assert rules(findings) == ["receipt-duplicate"] and findings[0].cell == "A2"
    assert "到款1.xlsx" in findings[0].message()
    assert stored(ledger)["BR1"][2] == "100.00" and stored(ledger)["BR2"][2] == "50.00"


def test_rows_with_errors_are_not_applied(tmp_path, ledger):
    path = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([CATALOGUE["bank_receipts"].field(k).zh for k in RECEIPT_KEYS])
    ws.append(["BR1", "not a date", "甲", 100, None])
    ws.append(["BR2", "2026-11-28", "甲", 100, None])
    wb.save(path)
    result = reader.read(path, CATALOGUE)
    assert result.errors == 1
    receipts.apply_bank_receipts(result, ledger, run_id=1, input_id=1)
    assert set(stored(ledger)) == {"BR2"}


# claims --------------------------------------------------------------------------------------
def test_claims_once_per_number(tmp_path, ledger):
    receipts.apply_bank_receipts(receipts_file(tmp_path / "r.xlsx", [["BR1", "2026-11-28", "甲", 100, None]]),
                                 ledger, run_id=1, input_id=1)
    result = claims_file(tmp_path / "c.xlsx", [
        ["CL1", "BR1", "C001", 100, "FP-1;FP-2", "王磊"],
        ["CL1", "BR1", "C001", "100.00", "FP-1;FP-2", "王磊"],   # same content: nothing
        ["CL2", "BR9", "C002", 50, None, "李娜"],                # receipt not here yet: waits
        ["CL1", "BR1", "C002", 100, None, "王磊"],               # changed: refused
    ])
    findings = receipts.apply_claims(result, ledger, run_id=1, input_id=2)
    assert [(f.rule, f.severity, f.cell) for f in findings] == [
        ("claim-receipt-unknown", "info", "B4"), ("claim-changed", "error", "A5")]
    assert ledger.get("claims", ["claim_no"], ["CL1"])["customer_code"] == "C001"
    assert ledger.get("claims", ["claim_no"], ["CL1"])["invoice_nos"] == "FP-1;FP-2"
    assert ledger.count("claims") == 2
    # the same file again changes nothing and says nothing new but the refusal
    again = receipts.apply_claims(result, ledger, run_id=2, input_id=3)
    assert rules(again) == ["claim-changed"] and ledger.count("claims") == 2


def test_claim_match_and_late_receipt(tmp_path, ledger):
    receipts.apply_claims(claims_file(tmp_path / "c.xlsx", [["CL1", "BR2", "C003", 300, None, "王磊"]]),
                          ledger, run_id=1, input_id=1)
    # payer name is C001's alias, but the claim comes first
    receipts.apply_bank_receipts(receipts_file(tmp_path / "r.xlsx", [
        ["BR1", "2026-11-28", "浦东贸易", 100, None],
        ["BR2", "2026-11-28", "浦东贸易", 300, None]]), ledger, run_id=2, input_id=2)
    assert receipts.match(ledger, run_id=2) == []
    assert matched(ledger) == {"BR1": ("C001", "alias"), "BR2": ("C003", "claim")}
    # a claim for a receipt already matched to someone else is reported, not applied
    late = receipts.apply_claims(claims_file(tmp_path / "c2.xlsx", [["CL2", "BR1", "C002", 100, None, "李娜"]]),
                                 ledger, run_id=3, input_id=3)
    assert rules(late) == ["claim-receipt-matched"]
    assert receipts.match(ledger, run_id=3) == [] and matched(ledger)["BR1"] == ("C001", "alias")


def test_claim_conflict_leaves_unmatched(tmp_path, ledger):
    receipts.apply_claims(claims_file(tmp_path / "c.xlsx", [
        ["CL1", "BR1", "C001", 100, None, "王磊"],
        ["CL2", "BR1", "C002", 100, None, "李娜"],
        ["CL3", "BR2", "C002", 40, None, "李娜"],
        ["CL4", "BR2", "C002", 60, None, "李娜"]]), ledger, run_id=1, input_id=1)
    receipts.apply_bank_receipts(receipts_file(tmp_path / "r.xlsx", [
        ["BR1", "2026-11-28", "浦东贸易", 100, "FP-1"],
        ["BR2", "2026-11-28", "某人", 100, None]]), ledger, run_id=1, input_id=2)
    findings = receipts.match(ledger, run_id=1)
    assert [(f.rule, f.severity, f.value) for f in findings] == [("claim-conflict", "error", "BR1")]
    assert "CL1 → C001" in findings[0].message() and "CL2 → C002" in findings[0].message()
    assert matched(ledger) == {"BR1": (None, None), "BR2": ("C002", "claim")}


# remark and alias ------------------------------------------------------------------------------
def test_remark_match_by_document_number(tmp_path, ledger):
    receipts.apply_bank_receipts(receipts_file(tmp_path / "r.xlsx", [
        ["BR1", "2026-11-28", "不认识的公司", 100, "货款ＦＰ－1 十一月"],   # full-width in the remark
        ["BR2", "2026-11-28", "不认识的公司", 100, "付FP-10"],            # FP-10, not FP-1
        ["BR3", "2026-11-28", "浦东贸易", 100, "FP-1 FP-10"],             # two customers: falls to alias
        ["BR4", "2026-11-28", "不认识的公司", 100, "FP-100"]]), ledger, run_id=1, input_id=1)
    findings = receipts.match(ledger, run_id=1)
    assert matched(ledger) == {"BR1": ("C002", "remark"), "BR2": ("C003", "remark"),
                               "BR3": ("C001", "alias"), "BR4": (None, None)}
    assert rules(findings) == ["receipt-remark-ambiguous"] and findings[0].value == "BR3"


def test_remark_match_by_delivery_note(tmp_path, ledger):
    ledger.conn.execute("INSERT INTO orders (id, order_no, attempt, customer_code, accepted_on, accepted_run, "
                        "content, state) VALUES (1, 'SO-1', 1, 'C001', '2026-11-20', 1, '{}', 'NOTE_ISSUED')")
    ledger.conn.execute("INSERT INTO delivery_notes (note_no, order_id, issued_on, run_id) "
                        "VALUES ('SH20261120-0001', 1, '2026-11-20', 1)")
    receipts.apply_bank_receipts(receipts_file(tmp_path / "r.xlsx", [
        ["BR1", "2026-11-28", "某人", 100, "送货单SH20261120-0001货款"]]), ledger, run_id=1, input_id=1)
    assert receipts.match(ledger, run_id=1) == []
    assert matched(ledger) == {"BR1": ("C001", "remark")}


def test_alias_unique_ambiguous_and_normalized(tmp_path, ledger):
    receipts.apply_bank_receipts(receipts_file(tmp_path / "r.xlsx", [
        ["BR1", "2026-11-28", " 朝阳商贸 ", 100, None],                    # alias, spaces trimmed
        ["BR2", "2026-11-28", "北京朝阳", 100, None],                      # alias of C002 and C003
        ["BR3", "2026-11-28", "张三商行", 100, None],                      # alias stored in Traditional
        ["BR4", "2026-11-28", "上海浦東貿易有限公司", 100, None],          # name typed in Traditional
        ["BR5", "2026-11-28", "广州天河实业有限公司（　）", 100, None],    # not equal
        ["BR6", "2026-11-28", "ＧＵＡＮＧＺＨＯＵ", 100, None]]), ledger, run_id=1, input_id=1)
    add_customer(ledger, "C004", "Guangzhou", None)
    findings = receipts.match(ledger, run_id=1)
    assert matched(ledger) == {"BR1": ("C002", "alias"), "BR2": (None, None), "BR3": ("C001", "alias"),
                               "BR4": ("C001", "alias"), "BR5": (None, None), "BR6": ("C004", "alias")}
    assert [(f.rule, f.severity, f.value) for f in findings] == [("receipt-alias-ambiguous", "info", "BR2")]
    assert "C002" in findings[0].message() and "C003" in findings[0].message()
    # matched receipts are not matched again; the ambiguous one is reported again
    assert rules(receipts.match(ledger, run_id=2)) == ["receipt-alias-ambiguous"]


def test_full_width_payer_name(tmp_path, ledger):
    add_customer(ledger, "C005", "深圳ABC(中国)有限公司", None)
    receipts.apply_bank_receipts(receipts_file(tmp_path / "r.xlsx", [
        ["BR1", "2026-11-28", "深圳ＡＢＣ（中國）有限公司", 100, None]]), ledger, run_id=1, input_id=1)
    receipts.match(ledger, run_id=1)
    assert matched(ledger) == {"BR1": ("C005", "alias")}


def test_matching_order_claim_before_remark_before_alias(tmp_path, ledger):
    receipts.apply_claims(claims_file(tmp_path / "c.xlsx", [["CL1", "BR1", "C003", 100, None, "王磊"]]),
                          ledger, run_id=1, input_id=1)
    receipts.apply_bank_receipts(receipts_file(tmp_path / "r.xlsx", [
        ["BR1", "2026-11-28", "浦东贸易", 100, "FP-1"],     # claim C003 > remark C002 > alias C001
        ["BR2", "2026-11-28", "浦东贸易", 100, "FP-1"]]), ledger, run_id=1, input_id=2)
    receipts.match(ledger, run_id=1)
    assert matched(ledger) == {"BR1": ("C003", "claim"), "BR2": ("C002", "remark")}


# what the batch reads ----------------------------------------------------------------------------
def test_unapplied_by_date_and_unmatched(tmp_path, ledger):
    receipts.apply_bank_receipts(receipts_file(tmp_path / "r.xlsx", [
        ["BR1", "2026-11-01", "浦东贸易", "1000.10", None],
        ["BR2", "2026-11-15", "浦东贸易", "200.20", None],
        ["BR3", "2026-11-30", "浦东贸易", "30.30", None],
        ["BR4", "2026-11-10", "朝阳商贸", "5", None],
        ["BR5", "2026-11-20", "无名氏", "7.5", "备注"],
        ["BR6", "2026-11-02", "北京朝阳", "9", None]]), ledger, run_id=1, input_id=1)
    assert _unapplied(ledger, "C001", dt.date(2026, 11, 15)) == D("0")   # nothing matched yet
    receipts.match(ledger, run_id=1)
    assert _unapplied(ledger, "C001", dt.date(2026, 10, 31)) == D("0")
    assert _unapplied(ledger, "C001", dt.date(2026, 11, 15)) == D("1200.30")
    assert _unapplied(ledger, "C001", dt.date(2026, 12, 31)) == D("1230.60")
    # C002 owes an opening-balance document: its 5.00 pays that instead of waiting as prepayment
    from osb_batch.ledger import receivables
    assert _unapplied(ledger, "C002", dt.date(2026, 12, 31)) == D("0")
    assert receivables.account(ledger, "C002", dt.date(2026, 12, 31)).applied_of("BR4") == D("5.00")
    assert _unapplied(ledger, "C999", dt.date(2026, 12, 31)) == D("0")
    assert receipts.unmatched(ledger) == [
        {"bank_ref": "BR6", "date": dt.date(2026, 11, 2), "payer": "北京朝阳", "amount": D("9.00"), "remark": ""},
        {"bank_ref": "BR5", "date": dt.date(2026, 11, 20), "payer": "无名氏", "amount": D("7.50"), "remark": "备注"},
    ]


# no receipt counted twice ------------------------------------------------------------------------
REFS = st.sampled_from([f"BR{i}" for i in range(6)])
AMOUNTS = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(st.lists(st.tuples(REFS, AMOUNTS), min_size=1, max_size=8), min_size=1, max_size=3))
def test_no_receipt_counted_twice(files):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ledger = Ledger.open(tmp / "l.sqlite")
        try:
            first_seen: dict[str, Decimal] = {}
            results = []
            for n, rows in enumerate(files):
                results.append(receipts_file(tmp / f"r{n}.xlsx",
                                             [[ref, "2026-11-28", "甲", str(amount), None] for ref, amount in rows]))
                receipts.apply_bank_receipts(results[-1], ledger, run_id=1, input_id=n + 1)
                for ref, amount in rows:
                    first_seen.setdefault(ref, amount)
            amounts = {ref: D(row[2]) for ref, row in stored(ledger).items()}
            assert amounts == first_seen
            assert sum(amounts.values(), D(0)) == sum(first_seen.values(), D(0))
            before = stored(ledger)
            for n, result in enumerate(results):
                findings = receipts.apply_bank_receipts(result, ledger, run_id=2, input_id=100 + n)
                assert rules(findings) == ["receipt-duplicate"] * result.row_count
            assert stored(ledger) == before
        finally:
            ledger.close()


def _unapplied(ledger, code, day):
    from osb_batch.ledger import receivables
    return receivables.account(ledger, code, day).unapplied
