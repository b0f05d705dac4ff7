"""Reminders (催报通知): who owes which report, for SSG, and each person's own list.

``催报通知-2026-11-28.xlsx`` lists every report owed at the run: overdue first (most working days
overdue first), then those due within ``reporting.remind_hours``; ``催报通知-2026-11-28-王敏.xlsx``
is one person's own list (one file per person, so that a delivery step can send each file to
its person). A report that has arrived is in neither. The texts of both languages are here
(:data:`TEXT`, :data:`STATUS_LABEL`); the monthly matrix (:mod:`.reporting_matrix`) shares the form names.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from osb_batch import catalogue

from .common import day_file_name, lang_key, output_workbook, per_person_files
from .list_sheet import Cell, Column, ListSheet, list_formats
from .palette import AMBER, BLUE, GREEN, RED

if TYPE_CHECKING:                       # the records only: writers never decide
    from osb_batch.rules.duties import Record, Reminders

__all__ = ["STATUS_LABEL", "TEXT", "form_name", "reminder_file_name", "reminder_files", "write_reminders"]

STATUS_LABEL = {
    "zh": {"missing": "逾期未交", "due_soon": "即将到期", "late": "迟交", "on_time": "按时"},
    "en": {"missing": "overdue", "due_soon": "due soon", "late": "late", "on_time": "on time"},
}
TEXT = {
    "zh": {"file": "催报通知", "title": "催报通知", "sheet": "催报", "none": "没有待交的报表",
           "overdue": "逾期", "soon": "即将到期",
           "headers": ("姓名", "岗位", "报表", "期间", "到期时间", "状态", "逾期工作日")},
    "en": {"file": "Reminders", "title": "Reports owed", "sheet": "Reminders", "none": "No reports owed",
           "overdue": "Overdue", "soon": "Due soon",
           "headers": ("Name", "Role", "Report", "Period", "Due", "Status", "Working days overdue")},
}
KEYS = ("person", "role", "form", "period", "due", "status", "overdue")
CAPS = {"person": 12, "role": 6, "form": 40, "period": 10, "due": 17, "status": 12, "overdue": 12}
FLOORS = {"due": 17}
DATETIME = "yyyy-mm-dd hh:mm"
FORMATS = {
    "due": {"valign": "top", "align": "left", "num_format": DATETIME},
    "number": {"valign": "top", "align": "right", "num_format": "0"},
    "missing": {"valign": "top", **RED}, "due_soon": {"valign": "top", **AMBER},
    "late": {"valign": "top", **AMBER}, "on_time": {"valign": "top", **GREEN}, "info": {"valign": "top", **BLUE},
    "red_bold": {**RED, "bold": True}, "amber_bold": {**AMBER, "bold": True},
}


def reminder_file_name(day: dt.date, person: str | None = None, lang: str = "zh") -> str:
    """``催报通知-2026-11-28.xlsx`` for SSG; ``催报通知-2026-11-28-王敏.xlsx`` for one person."""
    return day_file_name(TEXT[lang_key(lang)]['file'], day, person)


def write_reminders(folder: str | Path, reminders: Reminders, lang: str = "zh", version: str | None = None) -> list[Path]:
    """Write the SSG list and one file per person who owes something into ``folder``; the paths, SSG's first.
    ``version``: the catalogue's, named in the ``_osb`` sheet (the shipped catalogue's when None)."""
    return [path for path, _ in reminder_files(folder, reminders, lang, version)]


def reminder_files(folder: str | Path, reminders: Reminders, lang: str = "zh",
                   version: str | None = None) -> list[tuple[Path, str | None]]:
    """:func:`write_reminders`, each path with the person it is for (None: SSG's list of everyone)."""
    lang = lang_key(lang)
    version = version or _catalogue().version
    day, at = reminders.now.date(), f"{reminders.now:%Y-%m-%d %H:%M}"

    def write(path: Path, owed: Sequence[Record], person: str | None) -> None:
        title = f"{TEXT[lang]['title']} {person} {at}" if person else f"{TEXT[lang]['title']} {at}"
        _write(path, owed, title, lang, version, with_person=person is None)

    return per_person_files(Path(folder), lambda person: reminder_file_name(day, person, lang), reminders.owed(),
                            reminders.owed_by_person(), write)


def form_name(key: str, lang: str) -> str:
    """The form's name in ``lang`` from the catalogue (its key when it is not catalogued)."""
    form = _catalogue().forms.get(key)
    return key if form is None else (form.en if lang == "en" else form.zh)


@functools.cache
def _catalogue() -> catalogue.Catalogue:
    return catalogue.load()


def _write(path: Path, owed: Sequence[Record], title: str, lang: str, version: str, *, with_person: bool) -> None:
    text = TEXT[lang]
    keys = KEYS if with_person else KEYS[2:]
    headers = dict(zip(KEYS, text["headers"], strict=True))
    columns = [Column(k, headers[k], CAPS[k], FLOORS.get(k, 0)) for k in keys]
    with output_workbook(path, "reminders", version, keys) as wb:
        sheet = ListSheet(wb.add_worksheet(text["sheet"]), list_formats(wb, FORMATS), columns)
        sheet.title(title)
        overdue = sum(r.status == "missing" for r in owed)
        if owed:
            sheet.tally([(text["overdue"], "red_bold", overdue), (text["soon"], "amber_bold", len(owed) - overdue)])
        else:
            sheet.note(text["none"])
        sheet.header()
        for record in owed:
            cells = _cells(record, lang)
            sheet.add_row(cells if with_person else cells[2:])
        sheet.finish(extra_shown={keys.index("due"): ["2026-11-28 18:00"]}, landscape=with_person)


def _cells(r: Record, lang: str) -> list[Cell]:
    due = r.due.replace(tzinfo=None)
    return [
        Cell(r.person), Cell(r.role), Cell(form_name(r.form, lang)), Cell(r.period),
        Cell(due, "due", f"{due:%Y-%m-%d %H:%M}"),
        Cell(STATUS_LABEL[lang][r.status], r.status),
        Cell(r.workdays_overdue, "number", str(r.workdays_overdue)) if r.status == "missing" else Cell(None, "number"),
    ]
