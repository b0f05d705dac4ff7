"""The periodic reports a daily run owes: each closed week, month and quarter, once.

After the run's own folder is in place and its ledger work committed, every report of
:func:`osb_batch.reports.periodic.closed_unproduced` is produced into ``outbox/报表-P/`` (the first
run after a week's Sunday, a month's or a quarter's last day); each is remembered in the ledger
with its folder. A report that fails is listed with its error and left unremembered: the day's
run stands, and the next run tries it again. A run for a past business date owes only what had
closed by then and was never produced, so re-running an old date produces nothing again.
"""

from __future__ import annotations

import datetime as dt
import json
import traceback

from osb_batch.ledger.database import Ledger
from osb_batch.progress import QUIET, Progress
from osb_batch.reports.periodic import closed_unproduced, produce_period
from osb_batch.reports.report import Basis
from osb_batch.settings import Settings
from osb_batch.workspace import Home
from osb_batch.writers.common import atomic_path


def produce_owed(home: Home, ledger: Ledger, settings: Settings, day: dt.date, now: dt.datetime, lang: str,
                 progress: Progress = QUIET) -> tuple[list[dict], list[dict]]:
    """Produce what the run of ``day`` owes; (the manifest's ``reports``, their output entries).

    A report's entry: kind, period, folder; ``error`` instead of a folder when it failed (its
    traceback in ``state/logs/``)."""
    basis = Basis(ledger, settings, day, progress, now)
    reports, outputs = [], []
    for name, period in closed_unproduced(basis):
        try:
            done = produce_period(home, basis, name, period, lang)
        except Exception as bad:             # a report's bug must not lose the day's run
            log = _log_failure(home, name, period.label)
            reports.append({"kind": name, "period": period.label, "folder": None,
                            "error": f"{type(bad).__name__}: {bad}", "log": home.relative(log)})
            continue
        reports.append({"kind": name, "period": period.label, "folder": home.relative(done.folder)})
        outputs += json.loads((done.folder / "manifest.json").read_text(encoding="utf-8"))["files"]
    return reports, outputs


def _log_failure(home: Home, name: str, label: str):
    log = home.state / "logs" / f"report-{name}-{label}-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(traceback.format_exc(), encoding="utf-8")
    return log


def add_to_manifest(manifest: dict, folder, reports: list[dict], outputs: list[dict]) -> None:
    """The run's manifest (in memory and ``folder``/manifest.json) gains ``reports`` and their files."""
    manifest["reports"] = reports
    manifest["outputs"] += outputs
    with atomic_path(folder / "manifest.json") as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
