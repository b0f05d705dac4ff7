"""BC receipt matching: one row per way a receipt finds (or does not find) its customer."""

from __future__ import annotations

import pytest

from osb_batch.rules.receipt_matching import Claim, PayerNames, UnmatchedReceipt, match, normalize_name

PAYERS = [PayerNames("C001", "上海浦东贸易有限公司", "浦东贸易;張三商行"),
          PayerNames("C002", "北京朝阳商贸有限公司", "朝阳商贸；北京朝阳"),
          PayerNames("C003", "广州天河实业有限公司", "北京朝阳"),        # shares an alias with C002
          PayerNames("C004", "Guangzhou", None)]
DOCUMENTS = [("FP-1", "C002"), ("FP-10", "C003"), ("SH20261120-0001", "C001"), ("FP-20", ""), (None, "C001")]
CLAIMS = [Claim("CL1", "BR-CONFLICT", "C001"), Claim("CL2", "BR-CONFLICT", "C002"),
          Claim("CL3", "BR-CLAIM", "C003"), Claim("CL4", "BR-CLAIM", "C003")]

# payer, remark, bank ref, expected (customer, how, paid docs, doubt rules)
CASES = [
    pytest.param("浦东贸易", "FP-1", "BR-CLAIM", ("C003", "claim", (), ()),
                 id="claims agreeing on one customer win over remark and alias"),
    pytest.param("浦东贸易", None, "BR-CONFLICT", (None, None, (), ("claim-conflict",)),
                 id="claims naming two customers leave the receipt unmatched"),
    pytest.param("浦东贸易", "FP-1", "BR", ("C002", "remark", ("fp-1",), ()),
                 id="a document number in the remark wins over the alias"),
    pytest.param("某人", "货款ＦＰ－1 十一月", "BR", ("C002", "remark", ("fp-1",), ()),
                 id="a full-width document number in the remark"),
    pytest.param("某人", "付FP-10", "BR", ("C003", "remark", ("fp-10",), ()),
                 id="FP-1 is not found inside FP-10"),
    pytest.param("某人", "送货单SH20261120-0001货款", "BR", ("C001", "remark", ("sh20261120-0001",), ()),
                 id="a delivery note number in the remark"),
    pytest.param("浦东贸易", "FP-1 FP-10", "BR", ("C001", "alias", (), ("receipt-remark-ambiguous",)),
                 id="documents of two customers: doubt, then the alias decides"),
    pytest.param("某人", "FP-1 FP-10", "BR", (None, None, (), ("receipt-remark-ambiguous",)),
                 id="documents of two customers and no alias: unmatched"),
    pytest.param("某人", "FP-20", "BR", (None, None, (), ()),
                 id="a document without a customer is not a match"),
    pytest.param(" 朝阳商贸 ", None, "BR", ("C002", "alias", (), ()), id="an alias, spaces removed"),
    pytest.param("北京朝阳", None, "BR", (None, None, (), ("receipt-alias-ambiguous",)),
                 id="an alias of two customers is a doubt"),
    pytest.param("张三商行", None, "BR", ("C001", "alias", (), ()), id="an alias stored in Traditional"),
    pytest.param("上海浦東貿易有限公司", None, "BR", ("C001", "alias", (), ()), id="a name typed in Traditional"),
    pytest.param("ＧＵＡＮＧＺＨＯＵ", None, "BR", ("C004", "alias", (), ()), id="full-width and upper case"),
    pytest.param("广州天河实业有限公司（　）", None, "BR", (None, None, (), ()), id="a name not equal"),
    pytest.param(None, None, "BR", (None, None, (), ()), id="no payer name"),
]


@pytest.mark.parametrize("payer, remark, ref, expected", CASES)
def test_a_receipt_is_matched_by_claim_then_remark_then_alias(payer, remark, ref, expected):
    [m] = match([UnmatchedReceipt(ref, payer, remark)], CLAIMS, PAYERS, DOCUMENTS)
    assert (m.bank_ref, m.customer_code, m.how, m.paid_docs, tuple(d.rule for d in m.doubts)) == (ref, *expected)


def test_doubts_carry_what_the_message_names():
    [conflict, remark, alias] = match([UnmatchedReceipt("BR-CONFLICT", None, None),
                                       UnmatchedReceipt("BR", "某人", "FP-1 FP-10"),
                                       UnmatchedReceipt("BR2", "北京朝阳", None)], CLAIMS, PAYERS, DOCUMENTS)
    assert dict(conflict.doubts[0].params) == {"claims": "CL1 → C001；CL2 → C002"}
    assert dict(remark.doubts[0].params) == {"docs": "fp-1、fp-10", "customers": "C002、C003"}
    assert dict(alias.doubts[0].params) == {"customers": "C002、C003"}


def test_one_outcome_per_receipt_in_the_order_given():
    receipts = [UnmatchedReceipt(f"BR{n}", "浦东贸易", None) for n in (3, 1, 2)]
    assert [m.bank_ref for m in match(receipts, [], PAYERS, [])] == ["BR3", "BR1", "BR2"]


@pytest.mark.parametrize("text, expected", [
    pytest.param(None, "", id="none"),
    pytest.param(" 深圳ＡＢＣ（中國） 有限公司", "深圳abc(中国)有限公司", id="full-width, Traditional, spaces, case"),
])
def test_normalize_name(text, expected):
    assert normalize_name(text) == expected
