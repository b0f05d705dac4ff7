"""The reports with a folder of their own in ``outbox/``, by key: one list for the commands to
read. A new report is a new entry here, not a new command; the outputs every daily run writes
are entries of the same shape in :mod:`osb_batch.daily.run_reports`."""

from __future__ import annotations

from . import reconciliation
from .periodic import PERIODIC
from .report import Basis, Report

REPORTS: dict[str, Report[Basis]] = {
    "reconciliation": Report("reconciliation", "half_year", reconciliation.build, reconciliation.write,
                             reconciliation.as_json, folder="对账-{period}"),
    **PERIODIC,                                      # weekly, monthly, quarterly: outbox/报表-P/
}
