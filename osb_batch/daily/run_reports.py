"""The reports every daily run writes into its own folder: receivables, the receipts pool, KPIs,
the reminders (催报通知: for SSG, and one per person who owes a report).

Entries of the same shape as :data:`osb_batch.reports.registry.REPORTS` (period -> records ->
writer), built from the run itself (its settled accounts, its problem log) for the one-day
period of the business date, and written with :func:`osb_batch.reports.report.write_into`.
"""

from __future__ import annotations

from pathlib import Path

from osb_batch.reports.period import Period
from osb_batch.reports.receivables import collection_kpis, pool_report, receivables_report
from osb_batch.reports.report import Report
from osb_batch.reports.submissions import calendar_at
from osb_batch.rules.duties import Reminders
from osb_batch.rules.duty_calendar import TZ
from osb_batch.writers.account_records import PoolReport, ReceivablesReport
from osb_batch.writers.kpi import write_kpi
from osb_batch.writers.pool import pool_file_name, write_pool
from osb_batch.writers.receivables import receivables_file_name, write_receivables
from osb_batch.writers.records import KpiFigure
from osb_batch.writers.reminders import reminder_files
from osb_batch.writers.workflow_items import todo_files

from .order_steps import DailyRun
from .workflows import todo_items


def _receivables(run: DailyRun, period: Period, lang: str) -> ReceivablesReport | None:
    accounts = run.accounts()
    if not accounts:
        return None
    report = receivables_report(run.book.ledger, run.settings, period.end, run.documents(), accounts, run.customers,
                                lang)
    return report if report.customers or report.entries else None


def _write_receivables(report: ReceivablesReport, period: Period, folder: Path, lang: str,
                       version: str) -> list[tuple[Path, str]]:
    target = folder / receivables_file_name(period.end)
    write_receivables(report, target, lang=lang, version=version)
    return [(target, "receivables")]


def _pool(run: DailyRun, period: Period, lang: str) -> PoolReport | None:
    pool = pool_report(run.book.ledger, period.end, run.accounts(), run.customers, run.run_id, lang)
    return pool if pool.unmatched or pool.matched else None


def _write_pool(pool: PoolReport, period: Period, folder: Path, lang: str, version: str) -> list[tuple[Path, str]]:
    target = folder / pool_file_name(period.end)
    write_pool(pool, target, lang=lang, version=version)
    return [(target, "receipts_pool")]


def _kpi(run: DailyRun, period: Period, lang: str) -> list[KpiFigure] | None:
    """Every KPI figure so far; none yet (day one) still writes the workbook saying so."""
    return run.problems.kpis() + collection_kpis(run.accounts(), run.settings, period.end,
                                                   since=run.problems.log.first_day())


def _write_kpi(figures: list[KpiFigure], period: Period, folder: Path, lang: str,
               version: str) -> list[tuple[Path, str]]:
    target = folder / f"OSB指标-{period.label}.xlsx"
    write_kpi(figures, target, business_date=period.end, lang=lang, version=version)
    return [(target, "kpi")]


def run_reminders(run: DailyRun, period: Period | None = None, lang: str = "zh") -> Reminders:
    """The reporting calendar as this run sees it (its submissions in): at the moment its deadlines
    are judged (now, or the end of a business date that is not today)."""
    return calendar_at(run.book.ledger, run.settings, run.problems.now.replace(tzinfo=TZ))


def _write_reminders(reminders: Reminders, period: Period, folder: Path, lang: str,
                     version: str) -> list[tuple]:
    """SSG's list (always, saying so when nothing is owed) and one file per person who owes."""
    return [(path, "reminders", person) for path, person in reminder_files(folder, reminders, lang, version)]


def _write_todo_lists(records: tuple[list[dict], dict[str, str]], period: Period, folder: Path, lang: str,
                      version: str) -> list[tuple]:
    """SSG's 待办事项 and each person's own (named, for delivery)."""
    items, names = records
    return [(path, "workflow_items", person)
            for path, person in todo_files(folder, items, period.end, names, lang, version)]


#: In the order the run's manifest lists them.
RUN_REPORTS: tuple[Report[DailyRun], ...] = (
    Report("receivables", "day", _receivables, _write_receivables),
    Report("receipts_pool", "day", _pool, _write_pool),
    Report("kpi", "day", _kpi, _write_kpi),
    Report("reminders", "day", run_reminders, _write_reminders),
    Report("workflow_items", "day", todo_items, _write_todo_lists),
)
