"""The default chains' extra checks: one case per row, each told only for the run's new documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from osb_batch.catalogue import Choice
from osb_batch.rules import chain_checks as checks
from osb_batch.rules.chains import Doc

AT = dt.datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SHORT = Choice("short", "短少", "Short")
INTACT = Choice("intact", "完好", "Intact")
COMPLAINT = Choice("complaint", "投诉", "Complaint")
ENTERTAINMENT = Choice("entertainment", "业务招待费", "Entertainment")
LINES = {"DN-1": {"P1": D(10)}}


def doc(form, new=True, **values):
    return Doc(form, values, AT, new=new)


def rules(found):
    return [(c.rule, c.field) for c in found]


@pytest.mark.parametrize(("amount", "new", "expected"), [
    (D(1000), True, []),
    (D(1200), True, [("workflow-invoice-amount", "amount")]),
    (D(1200), False, []),                                     # told in the run that read it
])
def test_invoice_amount_against_the_request(amount, new, expected):
    docs = [doc("invoice_request", request_no="IR-1", delivery_note_no="DN-1", amount=D(1000)),
            doc("invoice", new=new, invoice_no="F1", delivery_note_no="DN-1", amount=amount)]
    assert rules(checks.invoice_amounts(docs)) == expected


@pytest.mark.parametrize(("outbound", "shipped", "expected"), [
    ([], set(), [("workflow-note-not-shipped", "delivery_note_no")]),
    ([doc("sales_outbound", delivery_note_no="DN-1")], set(), []),
    ([], {"DN-1"}, []),
])
def test_an_invoice_request_for_a_note_not_shipped(outbound, shipped, expected):
    docs = [doc("invoice_request", request_no="IR-1", delivery_note_no="DN-1"), *outbound]
    assert rules(checks.notes_not_shipped(docs, shipped)) == expected


@pytest.mark.parametrize(("product", "qty", "expected"), [
    ("P1", D(10), []),
    ("P1", D(8), [("workflow-outbound-qty", "qty")]),
    ("P2", D(1), [("workflow-outbound-qty", "qty")]),        # not on the note at all
])
def test_outbound_quantity_against_the_note(product, qty, expected):
    docs = [doc("sales_outbound", delivery_note_no="DN-1", product_code=product, qty=qty)]
    assert rules(checks.outbound_quantities(docs, lambda n: LINES.get(n, {}))) == expected


@pytest.mark.parametrize(("received", "condition", "new", "opens", "told"), [
    (D(10), INTACT, True, 0, 0),
    (D(7), INTACT, True, 1, 1),                               # less than went out
    (D(10), SHORT, True, 1, 1),                               # marked short
    (D(7), INTACT, False, 1, 0),                              # an earlier run's: the item again, no finding
])
def test_a_damaged_or_short_receipt_opens_an_after_sales_request(received, condition, new, opens, told):
    docs = [doc("sales_outbound", delivery_note_no="DN-1", product_code="P1", qty=D(10)),
            doc("receipt_confirmation", new=new, confirmation_no="RC-1", delivery_note_no="DN-1", product_code="P1",
                received_qty=received, condition=condition, customer_code="C1")]
    opened, found = checks.short_receipts(docs)
    assert (len(opened), len(found)) == (opens, told)
    assert all(o.values["request_no"] == "RC-1-P1" and o.form == "after_sales_request" for o in opened)


def test_a_complaint_is_told_once_with_its_manager():
    docs = [doc("service_ticket", ticket_no="T1", category=COMPLAINT, customer_name="甲"),
            doc("service_ticket", ticket_no="T1", category=COMPLAINT, customer_name="甲"),
            doc("service_ticket", ticket_no="T2", category=Choice("inquiry", "咨询", "Inquiry"))]
    found = checks.complaints(docs, lambda v: "孙伟")
    assert [(c.rule, c.params["manager"]) for c in found] == [("workflow-complaint", "孙伟")]


@pytest.mark.parametrize(("qty", "expected"), [(D(10), []), (D(11), [("workflow-return-exceeds", "qty")])])
def test_returning_more_than_shipped(qty, expected):
    docs = [doc("return_detail", red_request_no="R1", original_doc_no="DN-1", product_code="P1", qty=qty)]
    assert rules(checks.return_quantities(docs, lambda n: LINES.get(n, {}))) == expected


@pytest.mark.parametrize(("reviewer", "booked", "expected"), [
    ("赵六", True, []),
    ("路人", False, [("workflow-reviewer-not-entitled", "reviewed_by")]),
    (None, True, [("workflow-return-unreviewed", "product_code")]),
])
def test_return_reviews(reviewer, booked, expected):
    docs = [doc("return_detail", red_request_no="R1", original_doc_no="DN-1", product_code="P1", reviewed_by=reviewer)]
    docs += [doc("return", return_no="RT-1", original_doc_no="DN-1", product_code="P1")] if booked else []
    assert rules(checks.return_reviews(docs, lambda v: {"赵六", "孙伟"})) == expected


@pytest.mark.parametrize(("price", "approver", "expected"), [
    (D("900.00"), None, []),                                  # 10 % below: at the limit
    (D("899.99"), None, [("workflow-quote-unapproved", "unit_price")]),
    (D("800.00"), "孙伟", []),
    (D("800.00"), "王五", [("workflow-quote-unapproved", "unit_price")]),
])
def test_a_quote_far_under_the_list_price_needs_an_entitled_approver(price, approver, expected):
    docs = [doc("quotation", quote_no="Q1", product_code="P1", unit_price=price, approved_by=approver)]
    found = checks.quote_discounts(docs, {"P1": D(1000)}.get, D("0.10"), lambda v: {"孙伟"})
    assert rules(found) == expected


@pytest.mark.parametrize(("visit", "host", "expected"), [
    (dt.date(2026, 11, 20), "王五", []),
    (dt.date(2026, 11, 19), "王五", []),                      # 7 days before: still in the window
    (dt.date(2026, 11, 18), "王五", [("workflow-claim-no-visit", "expense_type")]),
    (dt.date(2026, 11, 20), "李四", [("workflow-claim-no-visit", "expense_type")]),
])
def test_an_entertainment_claim_needs_a_visit_by_its_applicant_in_the_week_before(visit, host, expected):
    docs = [doc("visitor_register", host=host, visit_date=visit),
            doc("expense_claim", claim_no="BX1", claim_date=dt.date(2026, 11, 26), applicant="王五",
                expense_type=ENTERTAINMENT)]
    assert rules(checks.claims_without_visit(docs, 7)) == expected


@pytest.mark.parametrize(("standing", "expected"), [
    ((D(0), D(5000), D(10000)), []),
    ((D(1), D(5000), D(10000)), [("workflow-contract-risk", "customer_code")]),       # overdue
    ((D(0), D(12000), D(10000)), [("workflow-contract-risk", "customer_code")]),      # over the limit
    ((D(0), D(12000), None), []),                                                      # no limit known
])
def test_a_contract_signed_at_risk(standing, expected):
    docs = [doc("contract_register", contract_no="HT1", customer_code="C1", sign_date=dt.date(2026, 11, 26))]
    assert rules(checks.contract_risks(docs, lambda code, day: standing)) == expected


@pytest.mark.parametrize(("overdue", "balance", "limit", "expected"), [
    (D("0"), D("900"), D("1000"), False),
    (D("0"), D("1000"), D("1000"), False),     # at the limit: not over it
    (D("0"), D("1000.01"), D("1000"), True),
    (D("0.01"), D("10"), D("1000"), True),
    (D("0"), D("5000"), None, False),               # no known limit: only overdue counts
])
def test_a_contract_is_at_risk_when_its_customer_is_overdue_or_over_its_limit(overdue, balance, limit, expected):
    assert checks.at_risk(overdue, balance, limit) is expected
