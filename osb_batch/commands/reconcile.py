"""``osb-batch reconcile``: the inbox first, then the half year's entry of the reports registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from osb_batch.daily.run import run as run_batch
from osb_batch.progress import QUIET, Progress
from osb_batch.reports.period import Period
from osb_batch.reports.reconciliation import ControlTotalError
from osb_batch.reports.registry import REPORTS
from osb_batch.reports.report import Produced, produce, produce_alone
from osb_batch.settings import Settings
from osb_batch.workspace import Home


def take_inbox_first(home: Home, settings: Settings, day: dt.date, lang: str,
                     progress: Progress = QUIET) -> Path | None:
    """Run the daily batch when inbox/ holds files (replies, finance's export); its folder, or None."""
    if not home.inbox_files():
        return None
    return run_batch(home, settings, day, lang=lang, progress=progress).folder


def reconcile(home: Home, settings: Settings, period: Period, *, lang: str, today: dt.date,
              progress: Progress = QUIET) -> Produced:
    """Write ``outbox/对账-PERIOD/``; raises ControlTotalError (nothing written) or workspace.RunBusy."""
    return produce_alone(home, settings, lambda basis: produce(home, REPORTS["reconciliation"], basis, period, lang),
                         today=today, command=f"reconcile {period.label}", progress=progress)


def summary(produced: Produced, lang: str = "zh") -> str:
    """The terminal's line: customers, the control total, replies by status."""
    result = produced.result
    counts, control = result["counts"], result["control"]
    if lang == "en":
        return (f"{result['period']}: {len(result['customers'])} customers; total {control['statements_total']} "
                f"(ledger {control['ledger_total']}, ties); agreed {counts['agreed']}, differs {counts['differs']}, "
                f"no reply {counts['no_reply']}")
    return (f"{result['period']}：{len(result['customers'])} 个客户；合计 {control['statements_total']}"
            f"（台账 {control['ledger_total']}，一致）；相符 {counts['agreed']}，不符 {counts['differs']}，"
            f"未回函 {counts['no_reply']}")


def control_total_message(bad: ControlTotalError, lang: str = "zh") -> str:
    if lang == "en":
        return (f"Reconciliation stopped: the statements add up to {bad.statements_total}, "
                f"the ledger's receivables are {bad.ledger_total}; nothing was written.")
    return (f"对账中止：各对账单期末余额合计 {bad.statements_total} 与台账应收合计 {bad.ledger_total} 不符，"
            f"未写出任何文件。")
