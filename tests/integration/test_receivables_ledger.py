"""The receivables ledger under random sequences of inbox rows (hypothesis).

Invoices, returns, bank receipts and claims go in as the daily run applies them (each form's
rows through its ``apply_*``, then matching); some rows are sent twice. Whatever the sequence:
money is conserved (received = applied + prepayment + pool), no receipt is applied twice, a
re-run of the same files changes nothing, and per customer closing = opening + invoices −
returns − receipts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osb_batch.ledger import receipts, receivables
from osb_batch.ledger.database import Ledger
from osb_batch.readers.workbook import ReadResult, Row, Table
from osb_batch.rules.receivables import RECEIPT, statement

CUSTOMERS = {"C1": ("甲公司", "甲付款人"), "C2": ("乙公司", "乙付款人"), "C3": ("丙公司", None)}
START = dt.date(2026, 1, 1)
days = st.integers(0, 180).map(lambda n: START + dt.timedelta(days=n))
money = st.integers(1, 5_000_00).map(lambda n: D(n) / 100)
codes = st.sampled_from(sorted(CUSTOMERS))


def result(form: str, rows: list[dict]) -> ReadResult:
    keys = sorted({k for r in rows for k in r})
    table = Table("Sheet1", 1, {k: i + 1 for i, k in enumerate(keys)},
                  [Row("Sheet1", n, dict(r)) for n, r in enumerate(rows, start=2)])
    return ReadResult(Path(f"{form}.xlsx"), f"{form}.xlsx", "xlsx", form, [table])


@st.composite
def inbox(draw):
    """Files in arrival order: (form, rows); a receipt's payer is an alias, a stranger or claimed."""
    invoices = [{"invoice_no": f"FP{i}", "delivery_note_no": f"SH{i}", "customer_code": draw(codes),
                 "invoice_date": draw(days), "amount": draw(money)} for i in range(draw(st.integers(0, 10)))]
    returns = [{"return_no": f"TH{i}", "product_code": "P1", "original_doc_no": inv["invoice_no"],
                "customer_code": inv["customer_code"], "qty": D(1), "amount": min(draw(money), inv["amount"]),
                "return_date": inv["invoice_date"] + dt.timedelta(days=draw(st.integers(0, 30))),
                "approved_by": "财务", "reason": None}
               for i, inv in enumerate(draw(st.lists(st.sampled_from(invoices), max_size=3, unique_by=id)))] \
        if invoices else []
    bank, claims = [], []
    for i in range(draw(st.integers(0, 10))):
        code = draw(codes)
        how = draw(st.sampled_from(["alias", "stranger", "claim", "remark"]))
        payer = CUSTOMERS[code][1] if how == "alias" and CUSTOMERS[code][1] else f"陌生人{i}"
        mine = [inv for inv in invoices if inv["customer_code"] == code]
        remark = mine[0]["invoice_no"] if how == "remark" and mine else "货款"
        bank.append({"bank_ref": f"BK{i}", "receipt_date": draw(days), "payer_name": payer, "amount": draw(money),
                     "bank_account": None, "remark": remark})
        if how == "claim":
            named = ";".join(inv["invoice_no"] for inv in mine[:2]) or None
            claims.append({"claim_no": f"SQ{i}", "bank_ref": f"BK{i}", "customer_code": code,
                           "amount": bank[-1]["amount"], "invoice_nos": named, "claimed_by": "王"})
    files = [("invoices", invoices), ("returns", returns), ("bank_receipts", bank), ("collection_claims", claims)]
    files = [f for f in files if f[1]]
    order = draw(st.permutations(files))
    resent = draw(st.lists(st.sampled_from(order), max_size=2)) if order else []
    return [*order, *resent]


def apply(ledger: Ledger, files) -> None:
    appliers = {"invoices": lambda r, **k: receivables.apply_invoices(r, ledger, **k)[0],
                "returns": lambda r, **k: receivables.apply_returns(r, ledger, **k),
                "bank_receipts": lambda r, **k: receipts.apply_bank_receipts(r, ledger, **k),
                "collection_claims": lambda r, **k: receipts.apply_claims(r, ledger, **k)}
    for n, (form, rows) in enumerate(files, start=1):
        appliers[form](result(form, rows), run_id=1, input_id=n)
        receipts.match(ledger, run_id=1)


def snapshot(ledger: Ledger, as_of: dt.date):
    accounts = receivables.accounts(ledger, as_of)
    return {code: (acc.debits, acc.held, acc.settlements) for code, acc in accounts.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inbox())
def test_money_is_conserved_and_nothing_counts_twice(tmp_path_factory, files):
    ledger = Ledger.open(Path(tmp_path_factory.mktemp("l")) / "l.sqlite")
    try:
        ledger.begin()
        for code, (name, alias) in CUSTOMERS.items():
            ledger.upsert("customers", ["customer_code"], {"customer_code": code, "customer_name": name,
                                                           "payer_aliases": alias, "payment_term_days": "30"},
                          run_id=1, input_id=0)
        apply(ledger, files)
        as_of = START + dt.timedelta(days=400)
        first = snapshot(ledger, as_of)

        sent = {r["bank_ref"]: r["amount"] for form, rows in files if form == "bank_receipts" for r in rows}
        received = sum(sent.values(), D(0))
        accounts = receivables.accounts(ledger, as_of)
        applied = sum((s.amount for a in accounts.values() for s in a.settlements if s.credit_kind == RECEIPT), D(0))
        prepaid = sum((a.prepayment for a in accounts.values()), D(0))
        pool = sum((r["amount"] for r in receipts.unmatched(ledger)), D(0))
        assert received == applied + prepaid + pool
        for acc in accounts.values():            # no receipt applied beyond its amount
            for ref, amount in sent.items():
                assert acc.applied_of(ref) <= amount

        invoices = {r["invoice_no"]: r for form, rows in files if form == "invoices" for r in rows}
        returns = {r["return_no"]: r for form, rows in files if form == "returns" for r in rows}
        matched = dict(ledger.conn.execute("SELECT bank_ref, customer_code FROM receipts "
                                           "WHERE customer_code IS NOT NULL").fetchall())
        docs = receivables.documents(ledger)
        for code in CUSTOMERS:
            expected = sum((i["amount"] for i in invoices.values() if i["customer_code"] == code), D(0)) \
                - sum((r["amount"] for r in returns.values() if r["customer_code"] == code), D(0)) \
                - sum((sent[ref] for ref, who in matched.items() if who == code), D(0))
            s = statement(docs.get(code, ()), START, as_of)
            assert s.closing == s.opening + s.debits - s.credits == expected
        assert receivables.ledger_total(ledger, as_of) == sum(
            (statement(d, START, as_of).closing for d in docs.values()), D(0))

        apply(ledger, files)                     # the same files again: duplicates, nothing changes
        assert snapshot(ledger, as_of) == first
    finally:
        ledger.rollback()
        ledger.close()
