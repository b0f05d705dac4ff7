"""The consolidation part of a periodic report: the forms only people fill, one workbook per form.

Management.md: 周/月工作计划表, 市场状况周/月统计表, 目标客户基本信息情况统计表, 客户拜访计划, 工作日志 and the
plans are consolidated, one workbook per form and period, with every submitter's rows (the
current ones: a re-sent row key replaces the earlier row), the submitter and the arrival time on
each row. Which forms a report consolidates follows the period its rows name: a weekly report the
forms labelled by week, a monthly one those by month, a quarterly one the quarterly plan and
the annual plan of the quarter's year. A form nobody sent for the period gets no workbook.
"""

from __future__ import annotations

from pathlib import Path

from osb_batch import catalogue as catalogue_mod
from osb_batch.ledger.documents import documents
from osb_batch.rules.duty_calendar import TZ
from osb_batch.writers.consolidation import ConsolidatedRow, write_consolidation

from .period import Period
from .report import Basis

#: The forms consolidated by a report of each period kind, and the kind of period their rows name.
CONSOLIDATED: dict[str, tuple[tuple[str, str], ...]] = {
    "week": (("weekly_work_plan", "week"), ("market_weekly_status", "week"), ("visit_plan", "week"),
             ("work_log", "week")),
    "month": (("monthly_work_plan", "month"), ("market_monthly_status", "month"), ("target_customers", "month"),
              ("monthly_plan", "month")),
    "quarter": (("quarterly_plan", "quarter"), ("annual_plan", "year")),
}


def _label(period: Period, kind: str) -> str:
    return str(period.start.year) if kind == "year" else period.label


def build(basis: Basis, period: Period, lang: str) -> dict[str, tuple[str, list[ConsolidatedRow]]] | None:
    """Per form sent for ``period``: the period label and its rows by submitter then arrival; None when nothing."""
    catalogue = catalogue_mod.load()
    found = {}
    for form, kind in CONSOLIDATED.get(period.kind, ()):
        label = _label(period, kind)
        rows = [ConsolidatedRow({k: v for k, v in row.items() if not k.startswith("_")}, row["_person"] or "",
                                row["_arrived_at"].astimezone(TZ) if row["_arrived_at"] else None)
                for row in documents(basis.ledger, form, period=label, catalogue=catalogue)]
        if rows:
            rows.sort(key=lambda r: (r.submitter, r.arrived_at is None, r.arrived_at or 0))
            found[form] = (label, rows)
    return found or None


def write(found: dict[str, tuple[str, list[ConsolidatedRow]]], period: Period, folder: Path, lang: str,
          version: str) -> list[tuple[Path, str]]:
    catalogue = catalogue_mod.load()
    return [(write_consolidation(folder, catalogue[form], label, rows, lang, version), form)
            for form, (label, rows) in found.items()]


def to_json(found: dict[str, tuple[str, list[ConsolidatedRow]]]) -> dict:
    """``consolidated``: per form, its period, the rows and who sent them."""
    return {"consolidated": [{"form": form, "period": label, "rows": len(rows),
                              "submitters": sorted({r.submitter for r in rows})}
                             for form, (label, rows) in found.items()]}
