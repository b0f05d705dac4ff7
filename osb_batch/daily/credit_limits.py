"""The signed 信用额度建议 coming back: each row of a ``credit_limit_decisions`` file decided.

Every row is judged by :func:`osb_batch.rules.credit_limits.decide_return` against the customers
as they are and the SLT (the ``[slt]`` titles and keys, and the roster's SLT members; the
secretaries of ``[people]`` may sign on a member's behalf). An approved row becomes the customer's
credit limit from this run on (:func:`osb_batch.ledger.credit_records.apply_limit`), told like
every master-data change; a wrong signer, an unknown or a prepaid customer is an error at its
cell; the rows left blank are told once per file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from osb_batch.findings import Finding, finding
from osb_batch.ledger import credit_records
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.roster import roster_on
from osb_batch.readers.workbook import ReadResult
from osb_batch.rules.credit_limits import (
    APPLIED,
    SKIPPED,
    CustomerLimit,
    LimitDecision,
    LimitRow,
    decide_return,
)
from osb_batch.settings import SIGNER_TITLE, Settings

#: The cell an error row's finding points at.
AT = {"credit-limit-unknown-customer": "customer_code", "credit-limit-prepaid": "customer_code",
      "credit-limit-wrong-signer": "approved_by"}


def slt_members(ledger: Ledger, settings: Settings, day: dt.date) -> dict[str, str]:
    """Every name an SLT member goes by (keys, titles, ``[slt]`` names, the roster's SLT) -> the name
    the member is recorded by (their ``[slt]`` name, the roster name)."""
    members = {}
    for key, title in SIGNER_TITLE.items():
        name = getattr(settings.slt, key)
        members |= {key: name, title: name, name: name}
    members |= {p.name: p.name for p in roster_on(ledger, day) if p.role == "SLT" and p.active}
    return members


def _customers(ledger: Ledger) -> dict[str, CustomerLimit]:
    return {c["customer_code"]: CustomerLimit(Decimal(c["credit_limit"] or 0), c["prepaid"] == "1")
            for c in credit_records.customers(ledger)}


def apply_decisions(result: ReadResult, ledger: Ledger, settings: Settings, *, day: dt.date, run_id: int,
                    input_id: int) -> tuple[list[Finding], int]:
    """Decide every error-free row of ``result``; returns the findings and how many limits changed."""
    customers = _customers(ledger)
    members = slt_members(ledger, settings, day)
    findings: list[Finding] = []
    blank: list[int] = []
    applied = 0
    for table, row in result.rows:
        if not row.ok:
            continue
        v = row.values
        decision = decide_return(LimitRow(str(v.get("quarter") or ""), v.get("customer_code") or "",
                                          v.get("proposed_limit"), v.get("manual_adjustment"),
                                          v.get("approved_limit"), v.get("approved_by")),
                                 customers, members, settings.people.secretaries)
        if decision.status == SKIPPED:
            blank.append(row.number)
        elif decision.status == APPLIED:
            credit_records.apply_limit(ledger, str(v["quarter"]), decision, run_id=run_id, input_id=input_id)
            findings.append(_told(decision, result.where(table, row, "approved_limit")))
            applied += 1
        else:
            findings.append(finding(decision.rule, value=v.get(AT[decision.rule]) or "",
                                    customer=decision.customer_code, **result.where(table, row, AT[decision.rule])))
    if blank:
        findings.append(finding("credit-limit-blank", file=result.file, form=result.form, count=len(blank),
                                rows=", ".join(map(str, blank))))
    return findings, applied


def _told(decision: LimitDecision, where: dict) -> Finding:
    old = "（空）" if decision.old_limit is None else f"{decision.old_limit:,.2f}"
    return finding("master-updated", value=decision.customer_code, what="客户",
                   changes=f"信用额度 {old} → {decision.new_limit:,.2f}", **where)
