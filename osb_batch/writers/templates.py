"""Blank templates (标准模板): one workbook per input or other form, derived from the catalogue.

Each template has three sheets, in this order:

1. the data sheet, named after the form: row 1 the Chinese headers (required ones marked ``*``
   and filled orange, optional ones grey), row 2 a filled example in grey italics, column
   number formats, dropdowns for enumerations and 是/否, range checks for numbers and dates,
   frozen header, filter, widths and print setup;
2. ``填写说明``: what every column means, whether it is required, its type and allowed values;
3. the hidden ``_osb`` sheet that lets the reader identify the workbook.

A hidden ``_lists`` sheet is added only when a dropdown's values do not fit in the 255
characters Excel allows for an inline list.

The same catalogue always produces byte-identical files: :func:`new_workbook` fixes the
document's created date and xlsxwriter itself stamps every zip member with a fixed 1980 date,
so ``osb-batch templates --check`` can compare bytes (:func:`check_templates`).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from osb_batch.catalogue import Catalogue, Choice, Field, Form

from .common import atomic_path, display_width, new_workbook, safe_name, write_osb_sheet
from .field_help import (
    BOOLEAN_VALUES,
    FORMAT_HINT,
    GENERAL_RULES,
    TYPE_ZH,
    dedupe,
    example_text,
    input_message,
    range_text,
    values_text,
)
from .palette import BORDER_GREY, EXAMPLE_FONT, GREY_FILL, ORANGE_FILL

INSTRUCTIONS = "填写说明"
LISTS_SHEET = "_lists"
LAST_ROW = 1000                 # formats and validations cover rows 2..LAST_ROW (1-based)
KINDS = ("input", "other")      # forms that get a template; outputs are written by the batch
MAX_WIDTH = 60
MIN_WIDTH = 8
INLINE_LIST_LIMIT = 255         # Excel's limit on an inline data-validation list

REQUIRED_FILL = ORANGE_FILL
OPTIONAL_FILL = GREY_FILL

NUM_FORMATS = {
    "money": "#,##0.00",
    "quantity": "General",      # '#,##0.##' would show 500 as "500."
    "integer": "0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
TEXT_FORMAT = "@"               # code, text, month, period, ...: typed text stays text (leading zeros)

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")

def template_name(form: Form) -> str:
    """The template's file name: the form's Chinese name, made safe for any file system."""
    return f"{safe_name(form.zh)}.xlsx"


def sheet_name(form: Form) -> str:
    """The data sheet's name: the form's Chinese name within Excel's rules (31 chars, no []:*?/\\)."""
    name = _SHEET_FORBIDDEN.sub("_", form.zh).strip().strip("'")[:31].rstrip("'")
    if not name or name.casefold() in {"history", INSTRUCTIONS, "_osb", LISTS_SHEET}:
        name = form.key[:31]
    return name


def write_template(form: Form, version: str, path: Path) -> None:
    """Write the blank template of ``form`` to ``path`` (a directory: ``<dir>/<form.zh>.xlsx``).

    ``form`` should have its ``choices_from`` fields resolved (``Catalogue.with_choices``);
    an unresolved enum gets no dropdown.
    """
    path = Path(path)
    if path.is_dir():
        path = path / template_name(form)
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp)
        try:
            _Template(wb, form, version).write()
        finally:
            wb.close()


def write_templates(catalogue: Catalogue, version: str, outdir: Path,
                    forms: Iterable[str | Form] | None = None,
                    choices: Mapping[str, Iterable[Choice]] | None = None) -> list[Path]:
    """Write a template for every input and other form (or only ``forms``, by key) into ``outdir``.

    ``choices`` resolves ``choices_from`` enums, e.g. ``{"markets": settings.market_choices()}``;
    pass it unless ``catalogue`` is already resolved.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for form in _template_forms(catalogue, forms, choices):
        target = outdir / template_name(form)
        write_template(form, version, target)
        written.append(target)
    return written


def check_templates(catalogue: Catalogue, version: str, outdir: Path,
                    choices: Mapping[str, Iterable[Choice]] | None = None) -> list[str]:
    """Regenerate every template and compare bytes with ``outdir``; an empty list means in sync."""
    outdir = Path(outdir)
    problems = []
    with tempfile.TemporaryDirectory(prefix="osb-templates-") as tmp:
        fresh = {p.name: p for p in write_templates(catalogue, version, Path(tmp), choices=choices)}
        present = {p.name: p for p in outdir.glob("*.xlsx")
                   if not p.name.startswith((".", "~$"))} if outdir.is_dir() else {}
        for name in sorted(fresh):
            if name not in present:
                problems.append(f"missing {name}")
            elif present[name].read_bytes() != fresh[name].read_bytes():
                problems.append(f"differs: {name}")
        problems += [f"not in catalogue: {name}" for name in sorted(set(present) - set(fresh))]
    return problems


def _template_forms(catalogue: Catalogue, forms, choices) -> list[Form]:
    if choices:
        catalogue = catalogue.with_choices(choices)
    if forms is None:
        return [f for f in catalogue if f.kind in KINDS]
    chosen = []
    for item in forms:
        key = item.key if isinstance(item, Form) else item
        if key not in catalogue:
            raise ValueError(f"no form {key!r} in the catalogue")
        if catalogue[key].kind not in KINDS:
            raise ValueError(f"form {key!r} is an output form: it has no template")
        chosen.append(catalogue[key])
    return chosen


class _Template:
    """One template workbook being written."""

    def __init__(self, wb, form: Form, version: str):
        self.wb = wb
        self.form = form
        self.version = version
        self.lists: list[tuple[str, tuple[str, ...]]] = []    # (field key, values) on _lists
        add = wb.add_format
        header = {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                  "border": 1, "border_color": BORDER_GREY}
        self.header = {True: add({**header, "bg_color": REQUIRED_FILL}),
                       False: add({**header, "bg_color": OPTIONAL_FILL})}
        self.column = {t: add({"num_format": NUM_FORMATS.get(t, TEXT_FORMAT)})
                       for t in sorted({f.type for f in form.fields})}
        self.example = {t: add({"num_format": NUM_FORMATS.get(t, TEXT_FORMAT), "italic": True,
                                "font_color": EXAMPLE_FONT})
                        for t in sorted({f.type for f in form.fields})}
        self.title = add({"bold": True, "font_size": 14})
        self.bold = add({"bold": True})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.table_head = add({**header, "bg_color": OPTIONAL_FILL})
        self.cell = add({"text_wrap": True, "valign": "top", "border": 1, "border_color": BORDER_GREY})

    def write(self) -> None:
        self._data_sheet()
        self._instructions()
        write_osb_sheet(self.wb, self.form.key, self.version, self.form.keys)
        if self.lists:
            ws = self.wb.add_worksheet(LISTS_SHEET)
            for col, (key, values) in enumerate(self.lists):
                ws.write_string(0, col, key)
                for row, value in enumerate(values, start=1):
                    ws.write_string(row, col, value)
            ws.hide()

    # -- the data sheet -------------------------------------------------------------------

    def _data_sheet(self) -> None:
        form = self.form
        ws = self.wb.add_worksheet(sheet_name(form))
        for col, f in enumerate(form.fields):
            header = f.header()
            ws.write_string(0, col, header, self.header[f.required])
            shown = self._write_example(ws, col, f)
            width = f.width or max(display_width(header), display_width(shown)) + 2
            ws.set_column(col, col, max(MIN_WIDTH, min(width, MAX_WIDTH)), self.column[f.type])
            self._validate(ws, col, f)
        last = len(form.fields) - 1
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, 0, last)
        ws.set_landscape()
        ws.set_paper(9)                 # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.set_footer("&C&P / &N")
        ws.activate()

    def _write_example(self, ws, col: int, f: Field) -> str:
        """Write ``f.example`` into row 2 with the type's own cell kind; return its display text."""
        value = f.example
        fmt = self.example[f.type]
        if value is None:
            return ""
        if f.type in ("money", "quantity", "integer") and not isinstance(value, bool):
            number = Decimal(str(value))
            ws.write_number(1, col, float(number), fmt)      # display only; amounts stay Decimal
            return f"{number:,.2f}" if f.type == "money" else str(number)
        if f.type in ("date", "datetime"):
            when = _as_datetime(value, f.type)
            if when is not None:
                ws.write_datetime(1, col, when, fmt)
                return when.strftime("%Y-%m-%d" if f.type == "date" else "%Y-%m-%d %H:%M")
        text = example_text(f, value)
        ws.write_string(1, col, text, fmt)
        return text

    def _validate(self, ws, col: int, f: Field) -> None:
        rule = self._rule(f)
        prompt = input_message(f)
        if rule is None and not prompt:
            return
        rule = rule or {"validate": "any"}
        if prompt:
            rule["input_title"] = _clip(f.header(), 32)
            rule["input_message"] = _clip(prompt, 255)
        ws.data_validation(1, col, LAST_ROW - 1, col, rule)

    def _rule(self, f: Field) -> dict | None:
        if f.type in ("enum", "boolean"):
            values = BOOLEAN_VALUES if f.type == "boolean" else dedupe(c.zh for c in f.choices)
            if not values:
                return None
            return {"validate": "list", "source": self._list_source(f, values),
                    "error_type": "warning", "error_title": "不在可选值中",
                    "error_message": _clip(f"{f.zh}请从下拉列表中选择：{'、'.join(values)}", 255)}
        if f.type in ("money", "quantity", "integer") and (f.min is not None or f.max is not None):
            rule = {"validate": "integer" if f.type == "integer" else "decimal",
                    "error_type": "stop", "error_title": "数值超出范围",
                    "error_message": _clip(f"{f.zh}须为{range_text(f)}的"
                                           f"{'整数' if f.type == 'integer' else '数字'}。", 255)}
            rule.update(_criteria(f))
            return rule
        if f.type in ("date", "datetime"):
            return {"validate": "date", "criteria": "between",
                    "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2100, 1, 1),
                    "error_type": "warning", "error_title": "日期格式",
                    "error_message": f"{f.zh}请填写{'日期时间' if f.type == 'datetime' else '日期'}，"
                                     f"{FORMAT_HINT[f.type]}。"}
        return None

    def _list_source(self, f: Field, values: tuple[str, ...]):
        inline = ",".join(values)
        if len(inline) <= INLINE_LIST_LIMIT and not any("," in v or '"' in v for v in values):
            return list(values)
        col = len(self.lists)
        self.lists.append((f.key, values))
        letter = xl_col_to_name(col)
        return f"={quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"

    # -- the instructions sheet -----------------------------------------------------------

    def _instructions(self) -> None:
        form = self.form
        ws = self.wb.add_worksheet(INSTRUCTIONS)
        ws.write_string(0, 0, f"{form.zh}（{form.en}）{INSTRUCTIONS}", self.title)
        row = 1
        if form.note:
            ws.write_string(row, 0, form.note)
            row += 1
        ws.write_string(row, 0, f"模板版本：{self.version}；表单代码：{form.key}")
        row += 2
        ws.write_string(row, 0, "填写规则", self.bold)
        row += 1
        for i, rule in enumerate(GENERAL_RULES, start=1):
            ws.write_string(row, 0, f"{i}. {rule}")
            row += 1
        row += 1
        ws.write_string(row, 0, "各列说明", self.bold)
        row += 1
        heads = ("列名", "英文名", "是否必填", "类型", "可选值或范围", "说明")
        for col, text in enumerate(heads):
            ws.write_string(row, col, text, self.table_head)
        ws.repeat_rows(row)
        for f in form.fields:
            row += 1
            cells = (f.zh, f.en, self._required_text(f), TYPE_ZH.get(f.type, f.type),
                     values_text(f), f.note)
            for col, text in enumerate(cells):
                ws.write_string(row, col, text, self.cell)
        for col, width in enumerate((16, 22, 12, 12, 34, 60)):
            ws.set_column(col, col, width)
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)

    def _required_text(self, f: Field) -> str:
        if f.required:
            return "必填"
        if f.required_when:
            other_key, value = f.required_when
            other = self.form.field(other_key)
            shown = next((c.zh for c in other.choices if c.key == value), value)
            return f"{other.zh}为{shown}时必填"
        return "选填"


def _as_datetime(value: object, kind: str) -> dt.datetime | dt.date | None:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if kind == "datetime" else value.date()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()) if kind == "datetime" else value
    return None


def _criteria(f: Field) -> dict:
    cast = int if f.type == "integer" else float
    low = None if f.min is None else cast(f.min)
    high = None if f.max is None else cast(f.max)
    if f.min_exclusive and low is not None and f.type == "integer":
        low, exclusive = low + 1, False
    else:
        exclusive = f.min_exclusive
    if low is not None and high is not None:
        return {"criteria": "between", "minimum": low, "maximum": high}
    if low is not None:
        return {"criteria": ">" if exclusive else ">=", "value": low}
    return {"criteria": "<=", "value": high}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


__all__ = ["write_template", "write_templates", "check_templates", "template_name", "sheet_name",
           "INSTRUCTIONS", "LISTS_SHEET"]
