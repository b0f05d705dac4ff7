"""Apply master-data forms to the ledger with upsert semantics.

A later file updates what it fills; nothing disappears because a later file omits it (a
blank cell keeps the stored value, an absent customer stays). Every change is recorded and
reported as an info finding, so staff can see what a file changed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from osb_batch.catalogue import Form
from osb_batch.findings import Finding, finding
from osb_batch.readers.workbook import ReadResult

from .database import Ledger, to_text

#: form key -> ledger table; also the order master data is applied in (domain.md).
MASTER_TABLES = {
    "customers": "customers",
    "products": "products",
    "contract_prices": "contract_prices",
    "quotas": "quotas",
    "quota_transfers": "quota_transfers",
    "opening_balances": "opening_balances",
}
WHAT = {"customers": "客户", "products": "产品", "contract_prices": "合同价", "quotas": "配额",
        "opening_balances": "期初应收"}


@dataclass(slots=True)
class Applied:
    counts: Counter = field(default_factory=Counter)   # inserted / updated / unchanged / refused
    findings: list[Finding] = field(default_factory=list)


def apply(result: ReadResult, form: Form, ledger: Ledger, *, run_id: int, input_id: int) -> Applied:
    """Upsert every error-free row of ``result`` into the form's table."""
    table = MASTER_TABLES[form.key]
    applied = Applied()
    for sheet_table, row in result.rows:
        if not row.ok:
            applied.counts["skipped"] += 1
            continue
        values = {k: to_text(row.values.get(k)) for k in form.keys}
        first = form.field(form.row_key[0])
        where = result.where(sheet_table, row, first.key)
        if form.key == "quota_transfers":
            outcome = _transfer(ledger, values, run_id=run_id, input_id=input_id)
            if outcome in {"transfer-no-consent", "transfer-changed"}:
                applied.findings.append(finding(outcome, value=values["transfer_no"], **where))
                applied.counts["refused"] += 1
                continue
        else:
            outcome, changes = ledger.upsert(table, form.row_key, values, run_id=run_id, input_id=input_id)
            if changes:
                text = "；".join(f"{form.field(k).zh} {old or '（空）'} → {new}" for k, (old, new) in changes.items())
                applied.findings.append(finding("master-updated",
                                                value="|".join(values[k] or "" for k in form.row_key),
                                                what=WHAT.get(form.key, form.zh), changes=text, **where))
        applied.counts[outcome] += 1
    return applied


def _transfer(ledger: Ledger, values: dict, *, run_id: int, input_id: int) -> str:
    """A transfer is registered once; it needs the giving UM's consent and cannot be edited."""
    if values.get("from_um_consent") != "1":
        return "transfer-no-consent"
    current = ledger.get("quota_transfers", ["transfer_no"], [values["transfer_no"]])
    if current is None:
        return ledger.upsert("quota_transfers", ["transfer_no"], values, run_id=run_id, input_id=input_id)[0]
    same = all(current.get(k) == v for k, v in values.items() if v is not None)
    return "unchanged" if same else "transfer-changed"
