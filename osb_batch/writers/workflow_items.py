"""The to-do lists (待办事项) of the followed workflows: SSG's list of everyone's, and each person's own.

``待办事项-2026-12-01.xlsx`` lists every open item (overdue first, most working days overdue
first) and those the run closed; ``待办事项-2026-12-01-王五.xlsx`` is one person's own list, which
also holds the overdue items escalated to them as the manager (one file per person, so that a
delivery step can send each file to its person; the shape of :mod:`.reminders`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from .common import day_file_name, lang_key, output_workbook, per_person_files
from .list_sheet import Cell, ListSheet, columns_of, form_headers, list_formats
from .palette import AMBER, BLUE, GREEN, RED

__all__ = ["STATUS_LABEL", "TEXT", "items_by_person", "todo_file_name", "todo_files", "write_todo"]

STATUS_LABEL = {
    "zh": {"overdue": "逾期", "open": "待办", "closed": "已完成"},
    "en": {"overdue": "overdue", "open": "open", "closed": "done"},
}
TEXT = {
    "zh": {"file": "待办事项", "title": "待办事项", "sheet": "待办事项", "none": "没有待办事项",
           "overdue": "逾期", "open": "待办", "closed": "本次完成"},
    "en": {"file": "To-do", "title": "Open items", "sheet": "To-do", "none": "No open items",
           "overdue": "Overdue", "open": "Open", "closed": "Done in this run"},
}
FORM_KEY = "workflow_items"              # the catalogue's output form: its columns and their headers
KEYS = ("responsible", "chain", "key", "step", "opened", "due", "status", "overdue_days", "escalate_to")
CAPS = {"responsible": 12, "chain": 12, "key": 24, "step": 14, "opened": 11, "due": 17, "status": 8,
        "overdue_days": 12, "escalate_to": 12}
FLOORS = {"due": 17, "opened": 11}
END_OF_DAY = dt.time(23, 59, 59)          # a due in working days: the whole day, shown as the date
FORMATS = {
    "number": {"valign": "top", "align": "right", "num_format": "0"},
    "overdue": {"valign": "top", **RED}, "open": {"valign": "top", **BLUE}, "closed": {"valign": "top", **GREEN},
    "red_bold": {**RED, "bold": True}, "blue_bold": {**BLUE, "bold": True}, "green_bold": {**GREEN, "bold": True},
    "amber": {"valign": "top", **AMBER},
}


def todo_file_name(day: dt.date, person: str | None = None, lang: str = "zh") -> str:
    """``待办事项-2026-12-01.xlsx`` for SSG; ``待办事项-2026-12-01-王五.xlsx`` for one person."""
    return day_file_name(TEXT[lang_key(lang)]['file'], day, person)


def items_by_person(items: Sequence[Mapping]) -> dict[str, list[Mapping]]:
    """Each person's items: those they are responsible for, and the open ones escalated to them."""
    mine: dict[str, list[Mapping]] = {}
    for item in items:
        if item["status"] == "closed":
            continue
        for person in dict.fromkeys(p for p in (item["responsible"], item.get("escalate_to")) if p):
            mine.setdefault(person, []).append(item)
    return dict(sorted(mine.items()))


def write_todo(folder: str | Path, items: Sequence[Mapping], day: dt.date, chain_names: Mapping[str, str],
               lang: str = "zh", version: str = "") -> list[Path]:
    """Write SSG's list and one file per person with open items into ``folder``; the paths, SSG's first.

    ``items`` are in listing order (overdue first); ``chain_names`` maps a chain, and a ``chain.step``,
    to its name in ``lang``.
    """
    return [path for path, _ in todo_files(folder, items, day, chain_names, lang, version)]


def todo_files(folder: str | Path, items: Sequence[Mapping], day: dt.date, chain_names: Mapping[str, str],
               lang: str = "zh", version: str = "") -> list[tuple[Path, str | None]]:
    """:func:`write_todo`, each path with the person it is for (None: SSG's list of everyone)."""
    lang = lang_key(lang)

    def write(path: Path, rows: Sequence[Mapping], person: str | None) -> None:
        title = " ".join(p for p in (TEXT[lang]['title'], person, f"{day:%Y-%m-%d}") if p)
        _write(path, rows, title, chain_names, lang, version)

    return per_person_files(Path(folder), lambda person: todo_file_name(day, person, lang), items,
                            items_by_person(items), write)


def _write(path: Path, items: Sequence[Mapping], title: str, chain_names: Mapping[str, str], lang: str,
           version: str) -> None:
    """One list; a person's own keeps the responsible column (a manager's holds others' escalated items)."""
    text = TEXT[lang]
    columns = columns_of(KEYS, form_headers(FORM_KEY, KEYS, lang), CAPS, floors=FLOORS)
    with output_workbook(path, FORM_KEY, version, KEYS) as wb:
        sheet = ListSheet(wb.add_worksheet(text["sheet"]), list_formats(wb, FORMATS), columns)
        sheet.title(title)
        counts = {s: sum(i["status"] == s for i in items) for s in ("overdue", "open", "closed")}
        if items:
            sheet.tally([(text["overdue"], "red_bold", counts["overdue"]), (text["open"], "blue_bold", counts["open"]),
                         (text["closed"], "green_bold", counts["closed"])])
        else:
            sheet.note(text["none"])
        sheet.header()
        for item in items:
            sheet.add_row(_cells(item, chain_names, lang))
        sheet.finish(extra_shown={KEYS.index("due"): ["2026-11-28 18:00"]}, landscape=True)


def _cells(item: Mapping, chain_names: Mapping[str, str], lang: str) -> list[Cell]:
    due = dt.datetime.fromisoformat(item["due"]) if item["due"] else None
    shown_due = "" if due is None else f"{due:%Y-%m-%d}" if due.time() == END_OF_DAY else f"{due:%Y-%m-%d %H:%M}"
    status = item["status"]
    days = item["overdue_days"]
    return [
        Cell(item["responsible"]), Cell(chain_names.get(item["chain"], item["chain"])), Cell(item["key"]),
        Cell(chain_names.get(f"{item['chain']}.{item['step']}", item["step"])), Cell(item["opened"][:10]), Cell(shown_due, "amber" if status == "overdue" else "text"),
        Cell(STATUS_LABEL[lang][status], status),
        Cell(days, "number", str(days)) if status == "overdue" else Cell(None, "number"),
        Cell(item.get("escalate_to") or ""),
    ]
