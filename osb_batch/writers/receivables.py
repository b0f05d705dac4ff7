"""The receivables workbook (应收款记录及账龄分析) for the SSG, finance and the KAMs.

Six list sheets, in this order: ageing by customer, by KAM and by market; the overdue list
grouped by KAM; the receivables record (every document since the start of the reconciliation
period, running balance per customer); the replenishment record (补货记录). Every sheet has a
title, a totals line above the header (always in view under the frozen header, never caught by
the filter or a sort), a filter and an A4 landscape print setup. Totals are sums of the
Decimals handed over, written as numbers, so they show without recalculation. Every text is
written with ``write_string``: a customer called ``=1+1`` stays text.

:class:`Column`, :class:`ListStyles` and :func:`write_list` are the list-sheet helpers this
module and :mod:`.pool` share: formats are created once per workbook, never per cell, and rows are
written straight to the sheet (no cell objects) on the :class:`~.list_sheet.ListSheet` skeleton.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from osb_batch.messages import state_label
from osb_batch.readers.workbook import paused_gc

from .account_records import AgeingRow, LedgerEntry, OverdueItem, ReceivablesReport, Replenishment
from .common import clip_cell, display_width, lang_key, output_workbook, safe_name
from .list_sheet import Column as SheetColumn
from .list_sheet import ListSheet
from .palette import AMBER, HEADER, HINT_FONT, ORANGE, RED, RED_FONT, SEPARATOR_LINE, SUBTITLE_FILL, TO_FILL

FORM_KEY = "receivables"
FILE_PREFIX = "应收款记录"
ZERO = Decimal(0)
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
HEADER_ROW = 2                  # 0-based: title, totals (or a note), header
LINE_HEIGHT = 16                # points per line of a row with line breaks
# cell kinds: how a value is written and formatted
TEXT, WRAP, MONEY_KIND, DATE_KIND, DATETIME_KIND, INT, FILL = (
    "text", "wrap", "money", "date", "datetime", "int", "fill")
_KIND = {TEXT: {}, WRAP: {"text_wrap": True}, MONEY_KIND: {"num_format": MONEY},
         DATE_KIND: {"num_format": DATE, "align": "left"},
         DATETIME_KIND: {"num_format": DATETIME, "align": "left"}, INT: {"num_format": "0"},
         FILL: {**TO_FILL, "text_wrap": True}}
# row variants: an ordinary row, the first row of the next customer, a group subtitle
PLAIN, SEPARATOR, SUBTITLE = "", "sep", "sub"
_VARIANT = {PLAIN: {}, SEPARATOR: {"top": 1, "top_color": SEPARATOR_LINE},
            SUBTITLE: {"bold": True, "bg_color": SUBTITLE_FILL, "top": 1}}
_SHOWN = {DATE_KIND: "2026-11-26", DATETIME_KIND: "2026-11-26 16:30"}   # for the column width

TEXTS = {
    "zh": {"customers": "账龄-客户", "kams": "账龄-客户经理", "markets": "账龄-市场", "overdue": "逾期清单",
           "entries": "应收款记录", "replenishments": "补货记录", "as_of": "{sheet}（截至 {date}）",
           "total": "合计（{n:,} {unit}）", "subtotal": "小计（{n:,} 笔）", "since": "自 {since} 起",
           "unassigned": "未指定", "units": {"customers": "户", "kams": "人", "markets": "个",
                                                          "overdue": "笔", "entries": "行",
                                                          "replenishments": "张"},
           "none_overdue": "没有逾期的应收款", "none_rows": "没有记录"},
    "en": {"customers": "Ageing by customer", "kams": "Ageing by KAM", "markets": "Ageing by market",
           "overdue": "Overdue by KAM", "entries": "Receivables record",
           "replenishments": "Replenishment record", "as_of": "{sheet} as of {date}",
           "total": "Total ({n:,} {unit})", "subtotal": "Subtotal ({n:,} items)", "since": "Since {since}",
           "unassigned": "Unassigned", "units": {"customers": "customers", "kams": "KAMs",
                                                                 "markets": "markets", "overdue": "items",
                                                                 "entries": "lines",
                                                                 "replenishments": "notes"},
           "none_overdue": "No overdue receivables", "none_rows": "Nothing to list"},
}
ENTRY_KINDS = {
    "zh": {"brought_forward": "上期结转", "opening": "期初单据", "invoice": "发票", "return": "退货",
           "receipt": "收款"},
    "en": {"brought_forward": "Brought forward", "opening": "Opening document", "invoice": "Invoice",
           "return": "Return", "receipt": "Receipt"},
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a list sheet: its header in both languages, how cells are written, the
    widest it may become (characters, CJK counted double; wider text is cut off or wraps)."""

    zh: str
    en: str
    kind: str = TEXT
    cap: int = 16

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class ListStyles:
    """Every format a list sheet uses, created once per workbook."""

    def __init__(self, wb):
        add = wb.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.label = add({"bold": True})
        self.note = add({"italic": True, "font_color": HINT_FONT})
        self.total_money = add({"bold": True, "num_format": MONEY})
        self.header = add(HEADER)
        self.header_fill = add({**HEADER, "bg_color": TO_FILL["bg_color"]})
        self.cell = {(kind, variant): add({"valign": "top", **props, **extra})
                     for kind, props in _KIND.items() for variant, extra in _VARIANT.items()}
        self.amber, self.orange, self.red = add(AMBER), add(ORANGE), add(RED)
        self.overdue = add({"font_color": RED_FONT, "bold": True})


def _write_cell(ws, fmt, r: int, c: int, kind: str, value: object, styled_blank: bool) -> str:
    """Write one value; return what the cell shows (for the column width)."""
    if value is None or value == "":
        if styled_blank:
            ws.write_blank(r, c, None, fmt)
        return ""
    if kind == MONEY_KIND:
        ws.write_number(r, c, float(value), fmt)       # display only: totals come from the Decimals
        return f"{value:,.2f}"
    if kind == INT:
        ws.write_number(r, c, value, fmt)
        return str(value)
    if kind == DATETIME_KIND:
        ws.write_datetime(r, c, value.replace(tzinfo=None), fmt)    # the batch's own clock time
        return _SHOWN[kind]
    if kind == DATE_KIND:
        ws.write_datetime(r, c, value, fmt)
        return _SHOWN[kind]
    text = clip_cell(value)
    ws.write_string(r, c, text, fmt)
    return text


def _lines(text: str, cap: int) -> int:
    """How many lines a wrapped cell at most ``cap`` characters wide shows."""
    if 2 * len(text) <= cap and "\n" not in text:
        return 1
    return sum(max(1, -(-display_width(line) // (cap + 2))) for line in text.split("\n"))


def write_list(ws, styles: ListStyles, columns: Sequence[Column], rows: Iterable[tuple[Sequence, str]],
               lang: str, *, header_row: int = HEADER_ROW, min_widths: Sequence[int] = ()) -> int:
    """The header at ``header_row``, then ``(values, variant)`` rows in order; widths, frozen
    header, filter and print setup. Returns the 0-based last row (``header_row`` when empty)."""
    sheet = ListSheet(ws, {"header": styles.header, "header_fill": styles.header_fill}, [
        SheetColumn(str(c), col.header(lang), col.cap, min_widths[c] if c < len(min_widths) else 0,
                    pad=2 if col.kind == MONEY_KIND else 0,     # room for the bold total above the column
                    header_style="header_fill" if col.kind == FILL else "header")
        for c, col in enumerate(columns)], header_row)
    sheet.header()
    shown = sheet.shown
    kinds = [col.kind for col in columns]
    formats = {v: [styles.cell[k, v] for k in kinds] for v in _VARIANT}
    blanks = {v: [v != PLAIN or k == FILL for k in kinds] for v in _VARIANT}    # blank cells to style
    wrapped = [c for c, k in enumerate(kinds) if k == WRAP]
    caps = [col.cap for col in columns]
    for last, (values, variant) in enumerate(rows, start=header_row + 1):
        fmts, styled = formats[variant], blanks[variant]
        for c, value in enumerate(values):
            shown[c].append(_write_cell(ws, fmts[c], last, c, kinds[c], value, styled[c]))
        lines = max((_lines(shown[c][-1], caps[c]) for c in wrapped), default=1)
        if lines > 1:                   # not every spreadsheet grows a row for wrapped text
            ws.set_row(last, LINE_HEIGHT * lines + 2)
        sheet.last = last
    sheet.finish()
    return sheet.last


def write_totals(ws, styles: ListStyles, row: int, label: str, totals: dict[int, Decimal]) -> None:
    """A bold totals line: ``label`` in the first column, each Decimal total under its column."""
    ws.write_string(row, 0, clip_cell(label), styles.label)
    for c, total in totals.items():
        ws.write_number(row, c, float(total), styles.total_money)


def money_totals(columns: Sequence[Column], rows: Sequence[Sequence], skip: Iterable[int] = ()
                 ) -> dict[int, Decimal]:
    """Decimal sums of the money columns of ``rows`` but ``skip`` (blank cells count nothing)."""
    skipped = set(skip)
    money = [c for c, col in enumerate(columns) if col.kind == MONEY_KIND and c not in skipped]
    sums = dict.fromkeys(money, ZERO)
    for values in rows:
        for c in money:
            if values[c] is not None:
                sums[c] += values[c]
    return sums


# -- the workbook ---------------------------------------------------------------------------------

def receivables_file_name(as_of: dt.date) -> str:
    """``应收款记录-2026-11-26.xlsx``."""
    return f"{FILE_PREFIX}-{safe_name(as_of.isoformat())}.xlsx"


def write_receivables(report: ReceivablesReport, path: str | os.PathLike, *, lang: str = "zh",
                      version: str) -> None:
    """Write the receivables workbook to ``path`` (under a temporary name, renamed when complete)."""
    lang = lang_key(lang)
    # hundreds of thousands of acyclic cell records: the cycle collector would rescan them for nothing
    with paused_gc(), output_workbook(path, FORM_KEY, version, osb_keys(report.bucket_labels)) as wb:
        writer = _Writer(wb, report, lang)
        writer.ageing("customers", report.customers)
        writer.ageing("kams", report.kams)
        writer.ageing("markets", report.markets)
        writer.overdue()
        writer.entries()
        writer.replenishments()


def osb_keys(bucket_labels: Sequence[str]) -> tuple[str, ...]:
    """The ``_osb`` keys of the first sheet: `receivables` catalogue fields as they are, the
    other columns with a leading ``~`` (shown, not form fields)."""
    return ("customer_code", "customer_name", "account_manager", "market", "~credit_limit", "open_amount",
            "~unapplied", "balance", *(f"~bucket_{i}" for i in range(len(bucket_labels))), "overdue")


CREDIT_LIMIT = Column("信用额度", "Credit limit", MONEY_KIND)
_AGEING_LEAD = {
    "customers": (Column("客户编码", "Customer code", cap=14), Column("客户名称", "Customer name", WRAP, 32),
                  Column("客户经理", "Account manager", cap=12), Column("市场", "Market", cap=10),
                  CREDIT_LIMIT),
    "kams": (Column("客户经理", "Account manager", cap=12), Column("市场", "Market", cap=10)),
    "markets": (Column("市场", "Market", cap=10),),
}
_AGEING_MONEY = (Column("未收金额", "Open amount", MONEY_KIND), Column("未核销贷项", "Unapplied credit", MONEY_KIND),
                 Column("余额", "Balance", MONEY_KIND))
_OVERDUE = (Column("客户经理", "Account manager", cap=12), Column("客户编码", "Customer code", cap=14),
            Column("客户名称", "Customer name", WRAP, 32), Column("单据号", "Document number", cap=22),
            Column("单据日期", "Document date", DATE_KIND), Column("到期日", "Due date", DATE_KIND),
            Column("逾期天数", "Days overdue", INT, 8), Column("单据金额", "Document amount", MONEY_KIND),
            Column("未收金额", "Open amount", MONEY_KIND), Column("账龄段", "Ageing bucket", cap=12))
_ENTRIES = (Column("客户编码", "Customer code", cap=14), Column("客户名称", "Customer name", WRAP, 32),
            Column("日期", "Date", DATE_KIND), Column("类型", "Type", cap=12),
            Column("单据号", "Document number", cap=22), Column("关联单据", "Reference", cap=22),
            Column("到期日", "Due date", DATE_KIND), Column("借方", "Debit", MONEY_KIND),
            Column("贷方", "Credit", MONEY_KIND), Column("余额", "Balance", MONEY_KIND),
            Column("未收金额", "Open amount", MONEY_KIND))
ENTRY_BALANCE = 9               # a running balance has no total
_REPLENISHMENTS = (Column("客户编码", "Customer code", cap=14), Column("客户名称", "Customer name", WRAP, 32),
                   Column("送货单号", "Delivery note number", cap=22), Column("开单日期", "Issued on", DATE_KIND),
                   Column("订单号", "Order number", cap=22), Column("金额", "Amount", MONEY_KIND),
                   Column("发货时间", "Shipped at", DATETIME_KIND), Column("发票号", "Invoice numbers", WRAP, 30),
                   Column("已开票金额", "Invoiced", MONEY_KIND), Column("订单状态", "Order state", cap=14))


def bucket_format(styles: ListStyles, index: int, count: int):
    """The highlight of an ageing bucket by its index: none when not yet due, amber for the
    first overdue bucket, red for the two oldest, orange between."""
    if index == 0:
        return None
    if index == 1:
        return styles.amber
    return styles.red if index >= count - 2 else styles.orange


class _Writer:
    def __init__(self, wb, report: ReceivablesReport, lang: str):
        self.wb, self.report, self.lang = wb, report, lang
        self.text = TEXTS[lang]
        self.styles = ListStyles(wb)

    def _sheet(self, key: str):
        ws = self.wb.add_worksheet(self.text[key])
        title = self.text["as_of"].format(sheet=self.text[key], date=self.report.as_of.isoformat())
        ws.write_string(0, 0, title, self.styles.title)
        return ws

    def _total_label(self, key: str, n: int) -> str:
        if not n:
            return self.text["none_overdue" if key == "overdue" else "none_rows"]
        return self.text["total"].format(n=n, unit=self.text["units"][key])

    def ageing(self, key: str, rows: Sequence[AgeingRow]) -> None:
        ws = self._sheet(key)
        labels = self.report.bucket_labels
        lead = _AGEING_LEAD[key]
        columns = (*lead, *_AGEING_MONEY, *(Column(b, b, MONEY_KIND, 14) for b in labels),
                   Column("逾期金额", "Overdue", MONEY_KIND))
        values = [(*_lead_values(key, row), row.open_amount, row.unapplied, row.balance, *row.buckets,
                   row.overdue) for row in rows]
        limits = (_AGEING_LEAD[key].index(CREDIT_LIMIT),) if CREDIT_LIMIT in lead else ()
        write_totals(ws, self.styles, 1, self._total_label(key, len(values)),
                     money_totals(columns, values, skip=limits))     # a sum of credit limits means nothing
        last = write_list(ws, self.styles, columns, ((v, PLAIN) for v in values), self.lang)
        if values:
            first = len(lead) + len(_AGEING_MONEY)
            for i in range(len(labels)):
                fmt = bucket_format(self.styles, i, len(labels))
                if fmt is not None:
                    ws.conditional_format(HEADER_ROW + 1, first + i, last, first + i,
                                          {"type": "cell", "criteria": ">", "value": 0, "format": fmt})
            ws.conditional_format(HEADER_ROW + 1, len(columns) - 1, last, len(columns) - 1,
                                  {"type": "cell", "criteria": ">", "value": 0, "format": self.styles.overdue})

    def overdue(self) -> None:
        ws = self._sheet("overdue")
        items = self.report.overdue
        groups: dict[str, list[OverdueItem]] = {}
        for item in items:                  # KAMs in order of appearance, items as given
            groups.setdefault(item.account_manager, []).append(item)
        rows: list[tuple[tuple, str]] = []
        for kam, group in groups.items():
            rows.append(((kam or self.text["unassigned"], self.text["subtotal"].format(n=len(group)),
                          None, None, None, None, None, sum((i.amount for i in group), ZERO),
                          sum((i.open_amount for i in group), ZERO), None), SUBTITLE))
            rows += [((i.account_manager, i.customer_code, i.customer_name, i.doc_no, i.doc_date, i.due_date,
                       i.days_overdue, i.amount, i.open_amount, i.bucket), PLAIN) for i in group]
        write_totals(ws, self.styles, 1, self._total_label("overdue", len(items)),
                     money_totals(_OVERDUE, [v for v, variant in rows if variant == PLAIN]))
        last = write_list(ws, self.styles, _OVERDUE, rows, self.lang)
        labels = self.report.bucket_labels
        if items:
            col = len(_OVERDUE) - 1
            for i, label in enumerate(labels):
                fmt = bucket_format(self.styles, i, len(labels))
                if fmt is not None:
                    ws.conditional_format(HEADER_ROW + 1, col, last, col, {
                        "type": "cell", "criteria": "==", "value": '"{}"'.format(label.replace('"', '""')),
                        "format": fmt})

    def entries(self) -> None:
        ws = self._sheet("entries")
        kinds = ENTRY_KINDS[self.lang]
        values = [_entry_values(e, kinds) for e in self.report.entries]
        note = self.text["since"].format(since=self.report.since.isoformat())
        write_totals(ws, self.styles, 1, f"{note} · {self._total_label('entries', len(values))}",
                     money_totals(_ENTRIES, values, skip=(ENTRY_BALANCE,)))

        def rows():
            previous = None
            for entry, v in zip(self.report.entries, values, strict=True):
                changed = previous is not None and entry.customer_code != previous
                previous = entry.customer_code
                yield v, SEPARATOR if changed else PLAIN

        write_list(ws, self.styles, _ENTRIES, rows(), self.lang)

    def replenishments(self) -> None:
        ws = self._sheet("replenishments")
        values = [_replenishment_values(r, self.lang) for r in self.report.replenishments]
        write_totals(ws, self.styles, 1, self._total_label("replenishments", len(values)),
                     money_totals(_REPLENISHMENTS, values))
        write_list(ws, self.styles, _REPLENISHMENTS, ((v, PLAIN) for v in values), self.lang)


def _lead_values(key: str, row: AgeingRow) -> tuple:
    if key == "customers":
        return (row.label, row.name, row.account_manager, row.market, row.credit_limit)
    if key == "kams":
        return (row.label, row.market)
    return (row.label,)


def _entry_values(e: LedgerEntry, kinds: dict[str, str]) -> tuple:
    # a zero debit or credit is left blank: each line is one or the other
    return (e.customer_code, e.customer_name, e.date, kinds.get(e.kind, e.kind), e.doc_no, e.reference,
            e.due_date, e.debit or None, e.credit or None, e.balance, e.open_amount)


def _replenishment_values(r: Replenishment, lang: str) -> tuple:
    return (r.customer_code, r.customer_name, r.note_no, r.issued_on, r.order_no, r.amount, r.shipped_at,
            r.invoice_nos, r.invoiced, state_label(r.state, lang))


__all__ = ["write_receivables", "receivables_file_name", "osb_keys", "Column", "ListStyles", "write_list",
           "write_totals", "money_totals", "bucket_format", "FORM_KEY", "HEADER_ROW"]
