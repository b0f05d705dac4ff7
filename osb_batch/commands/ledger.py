"""``osb-batch ledger copy --to URL``: move the working folder's SQLite ledger into an empty
PostgreSQL database (:mod:`osb_batch.ledger.copy`), holding the run lock meanwhile."""

from __future__ import annotations

import json
import os

from osb_batch.ledger.copy import TableProof, copy_ledger
from osb_batch.workspace import Home, holding_lock


def copy_to(home: Home, url: str) -> list[TableProof]:
    """Copy ``state/ledger.sqlite`` to ``url``; raises CopyRefused (nothing left behind) or RunBusy."""
    with holding_lock(home, f"pid {os.getpid()}, ledger copy"):
        return copy_ledger(home.ledger_path, url)


def as_json(proofs: list[TableProof]) -> str:
    return json.dumps([{"table": p.table, "rows": p.rows, "totals": {k: str(v) for k, v in p.totals.items()}}
                       for p in proofs], ensure_ascii=False, indent=2)


def summary(proofs: list[TableProof], lang: str) -> str:
    """One line per table (rows, and how many numeric columns' totals agree), then the sum."""
    rows = sum(p.rows for p in proofs)
    if lang == "en":
        lines = [f"{p.table}: {p.rows} rows, {len(p.totals)} totals equal" for p in proofs]
        return "\n".join([*lines, f"copied {len(proofs)} tables, {rows} rows; counts and totals equal"])
    lines = [f"{p.table}：{p.rows} 行，{len(p.totals)} 项合计相符" for p in proofs]
    return "\n".join([*lines, f"已复制 {len(proofs)} 张表、{rows} 行；行数与合计全部相符"])
