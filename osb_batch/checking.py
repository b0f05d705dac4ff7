"""``osb-batch validate``: the reader and validation on named files, touching no state."""

from __future__ import annotations

from pathlib import Path

from .findings import Finding
from .ledger import Ledger
from .loading import known_from, limits_of, load_catalogue
from .reader import paused_gc, read
from .settings import Settings
from .validate import validate
from .workspace import Home


def validate_files(home: Home, settings: Settings, files: list[Path]) -> list[Finding]:
    """Findings for ``files``; references are checked against the ledger (read only) if any."""
    catalogue = load_catalogue(settings)
    limits = limits_of(settings)
    results = [read(path, catalogue, display=str(path), limits=limits) for path in files]
    ledger = Ledger.open(home.ledger_path, readonly=True) if home.ledger_path.exists() else None
    try:
        with paused_gc():
            validate([r for r in results if r.tables], catalogue, known_from(ledger, settings))
    finally:
        if ledger:
            ledger.close()
    return [f for r in results for f in r.findings]
