"""``osb-batch report weekly|monthly|quarterly --period P``: the inbox first, then ``outbox/报表-P/``.

The inbox is taken in first, as ``reconcile`` does: the plans, logs and statistics people dropped
there count for the period from their arrival time (their files' modification time), and a
report made without them would call them missing. A period not yet closed may be asked for: the
figures so far, said so in the JSON (``closed``: false) and on the terminal.
"""

from __future__ import annotations

import datetime as dt

from osb_batch.progress import QUIET, Progress
from osb_batch.reports import period as period_mod
from osb_batch.reports.periodic import produce_period
from osb_batch.reports.report import Produced, produce_alone
from osb_batch.settings import Settings
from osb_batch.workspace import Home

from .reconcile import take_inbox_first

__all__ = ["bad_period_message", "parse_period", "report", "summary", "take_inbox_first"]

EXAMPLES = {"weekly": "2026-W48, 2026W48", "monthly": "2026-11, 2026/11, 202611, 2026年11月",
            "quarterly": "2026Q4, 2026q4, 2026-Q4"}
NAMES = {"weekly": ("周报", "weekly"), "monthly": ("月报", "monthly"), "quarterly": ("季报", "quarterly")}


def parse_period(kind: str, label: str) -> period_mod.Period | None:
    """The period ``label`` names for a ``kind`` report (weekly, monthly, quarterly), or None."""
    return period_mod.calendar_period(period_mod.REPORT_KINDS[kind], label)


def bad_period_message(kind: str, label: str, lang: str) -> str:
    """Why ``label`` is refused and what is accepted."""
    if lang == "en":
        return f"'{label}' is not a period of a {kind} report; accepted: {EXAMPLES[kind]}"
    return f"“{label}”不是{NAMES[kind][0]}的期间；可写作：{EXAMPLES[kind]}"


def report(home: Home, settings: Settings, kind: str, period: period_mod.Period, *, lang: str, today: dt.date,
           now: dt.datetime | None = None, progress: Progress = QUIET) -> Produced:
    """Write ``outbox/报表-P/`` holding the run lock; raises workspace.RunBusy, or what a part raised
    (nothing written then)."""
    return produce_alone(home, settings, lambda basis: produce_period(home, basis, kind, period, lang),
                         today=today, command=f"report {kind} {period.label}", progress=progress, now=now)


def summary(produced: Produced, lang: str) -> str:
    """The terminal's lines: the period, whether it is closed, the submissions by status, the files."""
    result = produced.result
    statuses = [s["status"] for s in result.get("submissions", [])]
    counts = {s: statuses.count(s) for s in ("on_time", "late", "missing")}
    if lang == "en":
        lines = [f"{result['kind']} report {result['period']} ({result['start']} to {result['end']}): "
                 f"{len(result['outputs'])} file(s)",
                 f"Reports due in the period: {counts['on_time']} on time, {counts['late']} late, "
                 f"{counts['missing']} missing"]
        if not result["closed"]:
            lines.append(f"The period is not closed yet: figures up to {result['as_of']}")
    else:
        lines = [f"{NAMES[result['kind']][0]} {result['period']}（{result['start']} 至 {result['end']}）："
                 f"{len(result['outputs'])} 个文件",
                 f"本期应交报表：按时 {counts['on_time']}，迟交 {counts['late']}，未交 {counts['missing']}"]
        if not result["closed"]:
            lines.append(f"本期尚未结束：数据截至 {result['as_of']}")
    return "\n".join(lines)
