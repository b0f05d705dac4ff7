"""What a person reads in a working folder, and the internal codes it must not show them.

A person reads every visible cell (and cell comment) of every visible sheet of the workbooks in
outbox/, the visible text of the HTML summaries, the quarantine notes and what the commands print.
Left out, on principle: manifest.json and ``--json`` outputs (for machines: interface.md defines
codes there), hidden sheets (``_osb``) and hidden columns (kept for machines).

The codes are taken from the code: order states from :data:`osb_batch.messages.STATE_LABEL` and
the credit rules, rule slugs from :data:`osb_batch.messages.RULES`, credit case ids from
:data:`osb_batch.rules.credit.STATE_OF_CASE`, problem areas from :data:`osb_batch.messages.AREA_LABEL`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import openpyxl

from osb_batch import catalogue, messages
from osb_batch.rules.credit import COMMITTED_STATES, STATE_OF_CASE
from osb_batch.writers.returned import returned_copy_name
from osb_batch.writers.returned.marks import NOTES_SHEET


class Text(NamedTuple):
    """One piece of text a person reads: where (file, sheet!cell or a command) and the text."""

    where: str
    text: str
    sheet: str = ""       # the sheet it is on, for legends that explain codes on the same sheet
    copied: bool = False  # copied from the submitter's own file (a returned copy's cells)


STATES = sorted({*messages.STATE_LABEL["zh"], *COMMITTED_STATES, *STATE_OF_CASE.values()})
CASES = sorted(STATE_OF_CASE)
AREAS = sorted(messages.AREA_LABEL["zh"])
_STATE = re.compile(r"(?<![A-Za-z_])(" + "|".join(STATES) + r")(?![A-Za-z_])")
_CASE = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(c) for c in CASES) + r")(?![\w-])")
# a case id followed by words says what it means ("5-2 额度内", "5-2: within the limit")
_LEGEND = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(c) for c in CASES) + r")\s*[:：]?\s+[^\W\d]")
# a text that is nothing but case ids: shown bare
_BARE_CASES = re.compile(r"^[\s,，、;；/]*(?:(?:" + "|".join(re.escape(c) for c in CASES) + r")[\s,，、;；/]*)+$")
# a slug that is one English word cannot be told from English prose: looked for in zh texts only
_SLUG = {lang: re.compile(r"(?<![\w-])(" + "|".join(re.escape(s) for s in sorted(messages.RULES, key=len, reverse=True)
                                                    if lang == "zh" or "-" in s) + r")(?![\w-])")
         for lang in ("zh", "en")}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
FULL_WIDTH = "，：（）；"
RETURNED = returned_copy_name("x.xlsx").split("x")[0]      # the returned copies' name prefix


def workbook_texts(path: Path, root: Path) -> Iterator[Text]:
    """Every visible cell value and comment of every visible sheet of ``path``."""
    wb = openpyxl.load_workbook(path)
    name = path.relative_to(root).as_posix()
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        copied = path.name.startswith(RETURNED) and ws.title != NOTES_SHEET
        hidden = _hidden_columns(ws)
        for row in ws.iter_rows():
            for cell in row:
                if cell.column in hidden:
                    continue
                if isinstance(cell.value, str) and cell.value.strip():
                    yield Text(f"{name}:{ws.title}!{cell.coordinate}", cell.value, f"{name}:{ws.title}", copied)
                if cell.comment is not None:
                    yield Text(f"{name}:{ws.title}!{cell.coordinate} (comment)", cell.comment.text, f"{name}:{ws.title}")


def _hidden_columns(ws) -> set[int]:
    hidden: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden:
            hidden.update(range(dim.min or 1, (dim.max or dim.min or 1) + 1))
    return hidden


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "head")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "head") and self._skip > 0

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def html_texts(path: Path, root: Path) -> Iterator[Text]:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    for n, part in enumerate(parser.parts):
        yield Text(f"{path.relative_to(root).as_posix()}#{n}", part)


def folder_texts(home: Path) -> Iterator[Text]:
    """What people read in the working folder ``home``: outbox workbooks and HTML, quarantine notes."""
    seen: set[bytes] = set()
    for path in sorted((home / "outbox").rglob("*")):
        if path.suffix not in (".xlsx", ".html"):
            continue
        content = path.read_bytes()        # the per-person folders hold copies of the run's files
        if content in seen:
            continue
        seen.add(content)
        yield from (workbook_texts if path.suffix == ".xlsx" else html_texts)(path, home)
    for note in sorted((home / "quarantine").rglob("*.txt")):
        yield Text(note.relative_to(home).as_posix(), note.read_text(encoding="utf-8-sig"))


def data_words(home: Path) -> set[str]:
    """The Chinese that may appear in English outputs because people wrote it: every text of the
    input workbooks (archived or quarantined) that is not a form's label, the names of input and
    output files, rules.toml."""
    labels = {text for form in catalogue.load() for text in (form.zh, *(f.zh for f in form.fields))}
    words: set[str] = set()
    for path in [*(home / "archive").rglob("*"), *(home / "quarantine").rglob("*")]:
        if path.suffix in (".xlsx", ".xlsm"):
            words.update(_cell_texts(path, labels))
        words.add(path.name)
    for folder in ("outbox", "quarantine", "inbox"):
        words.update(p.name for p in (home / folder).rglob("*"))
    words.add((home / "rules.toml").read_text(encoding="utf-8"))
    return words


def _cell_texts(path: Path, labels: set[str]) -> set[str]:
    """The sheet names and texts of an input workbook but its form labels (nothing when it is none)."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception:           # a quarantined file that is no workbook at all
        return set()
    return {ws.title for ws in wb.worksheets} | {v for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                                                 for v in row if isinstance(v, str) and v.strip() not in labels}


def codes_shown(texts: list[Text], lang: str) -> list[str]:
    """Every internal code in ``texts``: ``where: code in 'text'``."""
    legends = {(t.sheet, m.group(1)) for t in texts if t.sheet for m in _LEGEND.finditer(t.text)}
    found = []
    for t in texts:
        for pattern in (_STATE, _SLUG[lang]):
            found += [f"{t.where}: {m.group(1)} in {t.text!r}" for m in pattern.finditer(t.text)]
        if _BARE_CASES.match(t.text):
            found += [f"{t.where}: case {m.group(1)} without a legend in {t.text!r}" for m in _CASE.finditer(t.text)
                      if (t.sheet, m.group(1)) not in legends]
        if t.text.strip() in AREAS:
            found.append(f"{t.where}: bare problem area {t.text!r}")
    return found


def chinese_in_english(texts: list[Text], data: set[str]) -> list[str]:
    """Chinese or full-width punctuation in English texts that did not come from what people wrote."""
    corpus = "\n".join(data)
    found = []
    words = sorted((w for w in data if len(w) > 1), key=len, reverse=True)
    for t in texts:
        stripped = t.text
        if not _CJK.search(stripped) and not any(c in stripped for c in FULL_WIDTH):
            continue                # nothing Chinese to explain: most English texts
        for word in [w for w in words if w in stripped]:
            stripped = stripped.replace(word, " ")
        runs = [run for run in _CJK.findall(stripped) if run not in corpus]
        marks = [c for c in FULL_WIDTH if c in stripped]
        if runs or marks:
            found.append(f"{t.where}: {' '.join(runs + marks)} in {t.text!r}")
    return found


__all__ = ["Text", "folder_texts", "data_words", "codes_shown", "chinese_in_english", "STATES", "CASES"]
