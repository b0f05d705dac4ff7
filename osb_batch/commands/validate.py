"""``osb-batch validate``: the reader and validation on named files, touching no state.

Beyond ``intake.max_findings_per_rule`` findings of one rule in one file, the rest are printed as
one summary (:func:`osb_batch.findings.fold`), unless every finding is asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from osb_batch.findings import Cap, Finding, fold, weight
from osb_batch.ledger import session
from osb_batch.readers.context import known_from, limits_of, load_catalogue
from osb_batch.readers.row_checks import validate
from osb_batch.readers.workbook import paused_gc, read
from osb_batch.settings import Settings
from osb_batch.workspace import Home


def validate_files(home: Home, settings: Settings, files: list[Path], *, every: bool = False) -> list[Finding]:
    """Findings for ``files``, folded per file and rule unless ``every``; references are checked
    against the ledger (read only) if any."""
    catalogue = load_catalogue(settings)
    limits = limits_of(settings)
    results = [read(path, catalogue, display=str(path), limits=limits) for path in files]
    limit = settings.intake.max_findings_per_rule
    cap = None if every else Cap(limit)
    ledger = session.read_only(home, settings)
    try:
        with paused_gc():
            validate([p for r in results for p in r.parts if p.tables], catalogue, known_from(ledger, settings), cap)
    finally:
        if ledger:
            ledger.close()
    findings = [f for r in results for p in r.parts for f in p.findings]
    return findings if every else fold(findings, limit, cap=cap)


def findings_json(findings: list[Finding], lang: str) -> Iterator[str]:
    """A JSON list with one finding a line, in pieces to write as they come."""
    yield "["
    for n, f in enumerate(findings):
        yield ",\n" if n else "\n"
        yield json.dumps(f.as_dict(lang), ensure_ascii=False)
    yield "\n]\n"


def findings_text(findings: list[Finding], files: int, lang: str) -> str:
    """One line per finding and a last line counting errors and notes (a summary for its count)."""
    errors = sum(weight(f) for f in findings if f.is_error)
    notes = sum(map(weight, findings)) - errors
    last = (f"{files} 个文件，{errors} 个错误，{notes} 个提示" if lang == "zh"
            else f"{files} file(s), {errors} error(s), {notes} note(s)")
    return "\n".join([*(f.render(lang) for f in findings), last])
