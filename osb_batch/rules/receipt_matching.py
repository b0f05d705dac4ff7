"""BC receipt matching (到款认领): which customer paid an unmatched bank receipt, and how we know.

domain.md "Receivables and collections (BC)". :func:`match` gives each unmatched receipt a
customer, trying in this order:

1. ``claim``: collection claims naming the receipt's bank reference, if they agree on one customer
   (claims that disagree leave the receipt unmatched: ``claim-conflict``);
2. ``remark``: an invoice number, an opening-balance document number or a delivery note number
   found in the bank remark, if the numbers found belong to one customer (they are paid first);
3. ``alias``: the payer name equal to exactly one customer's name or payer alias, compared after
   :func:`normalize_name`.

A remark or payer name that points at several customers is a doubt (``receipt-remark-ambiguous``,
``receipt-alias-ambiguous``) and the next way is tried. Everything arrives as plain values; the
ledger loads them and stores the matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from osb_batch.hanzi import simplified

_ALNUM = re.compile(r"[0-9A-Za-z]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class UnmatchedReceipt:
    bank_ref: str
    payer: str | None
    remark: str | None


@dataclass(frozen=True, slots=True)
class Claim:
    claim_no: str
    bank_ref: str
    customer_code: str


@dataclass(frozen=True, slots=True)
class PayerNames:
    """A customer's name and its master data's payer aliases (separated by ``;`` or ``；``)."""

    customer_code: str
    name: str | None
    aliases: str | None


@dataclass(frozen=True, slots=True)
class Doubt:
    """Why a way of matching did not decide: a rule slug of :mod:`osb_batch.messages` and its values."""

    rule: str
    params: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ReceiptMatch:
    """One receipt's outcome: its customer and how (both None when unmatched), the documents its
    remark names (paid first), and the doubts met on the way, in the order met."""

    bank_ref: str
    customer_code: str | None
    how: str | None
    paid_docs: tuple[str, ...]
    doubts: tuple[Doubt, ...]


def normalize_name(text: str | None) -> str:
    """A payer name as compared: NFKC (full-width -> half-width), no spaces, Simplified, case-folded."""
    if not text:
        return ""
    return simplified(_SPACE.sub("", unicodedata.normalize("NFKC", text))).casefold()


def doc_key(text: str | None) -> str:
    """A document number as searched for in a remark: NFKC, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


def match(receipts: Sequence[UnmatchedReceipt], claims: Iterable[Claim], payers: Iterable[PayerNames],
          documents: Iterable[tuple[str, str]]) -> list[ReceiptMatch]:
    """One :class:`ReceiptMatch` per receipt, in the receipts' order.

    Args:
        receipts: the receipts still without a customer.
        claims: every collection claim, in claim-number order.
        payers: every customer's name and payer aliases.
        documents: (document number, customer code) of every opening-balance document, invoice
            and delivery note.
    """
    by_ref: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_ref[claim.bank_ref].append(claim)
    docs = _doc_index(documents)
    names = _name_index(payers)
    return [_match_one(r, by_ref.get(r.bank_ref, []), docs, names) for r in receipts]


def _match_one(receipt: UnmatchedReceipt, claims: list[Claim], docs: Mapping[str, set[str]],
               names: Mapping[str, set[str]]) -> ReceiptMatch:
    doubts: list[Doubt] = []
    if claims:
        codes = sorted({c.customer_code for c in claims})
        if len(codes) > 1:
            listed = "；".join(f"{c.claim_no} → {c.customer_code}" for c in claims)
            return ReceiptMatch(receipt.bank_ref, None, None, (), (Doubt("claim-conflict", (("claims", listed),)),))
        return ReceiptMatch(receipt.bank_ref, codes[0], "claim", (), ())
    if receipt.remark:
        text = doc_key(receipt.remark)
        found = sorted(doc for doc in docs if _in_remark(doc, text))
        codes = sorted({code for doc in found for code in docs[doc]})
        if len(codes) == 1:
            return ReceiptMatch(receipt.bank_ref, codes[0], "remark", tuple(found), ())
        if codes:
            doubts.append(Doubt("receipt-remark-ambiguous", (("docs", "、".join(found)),
                                                              ("customers", "、".join(codes)))))
    codes = sorted(names.get(normalize_name(receipt.payer), ()))
    if len(codes) == 1:
        return ReceiptMatch(receipt.bank_ref, codes[0], "alias", (), tuple(doubts))
    if codes:
        doubts.append(Doubt("receipt-alias-ambiguous", (("customers", "、".join(codes)),)))
    return ReceiptMatch(receipt.bank_ref, None, None, (), tuple(doubts))


def _name_index(payers: Iterable[PayerNames]) -> dict[str, set[str]]:
    """Normalized customer name or payer alias -> customer codes."""
    names: dict[str, set[str]] = defaultdict(set)
    for p in payers:
        for alias in [p.name, *re.split(r"[;；]", p.aliases or "")]:
            if key := normalize_name(alias):
                names[key].add(p.customer_code)
    return names


def _doc_index(documents: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Normalized document number -> customer codes."""
    docs: dict[str, set[str]] = defaultdict(set)
    for doc, code in documents:
        if (key := doc_key(doc)) and code:
            docs[key].add(code)
    return docs


def _in_remark(doc: str, remark: str) -> bool:
    """``doc`` occurs in ``remark`` not glued to further letters or digits (FP-1 is not in FP-10)."""
    start = remark.find(doc)
    while start >= 0:
        end = start + len(doc)
        before = remark[start - 1] if start else ""
        after = remark[end] if end < len(remark) else ""
        if not (before and _ALNUM.match(before) and _ALNUM.match(doc[0])) \
                and not (after and _ALNUM.match(after) and _ALNUM.match(doc[-1])):
            return True
        start = remark.find(doc, start + 1)
    return False
