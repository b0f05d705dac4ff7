"""Statements of account (对账单): one workbook per customer for the half-year reconciliation.

The one sheet prints on A4 portrait, one page wide, ready to send: our company and the period,
the customer, a bordered table (opening balance, every document with its running balance, the
period's totals, the closing balance) whose header row repeats on every page, the closing balance
in Chinese capital numerals, and the confirmation block the customer ticks, stamps and returns.
A negative closing balance is a credit the customer holds: it is called 贷方余额 wherever the
balance is stated. Every text from input is written with ``write_string``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from decimal import Decimal

from .account_records import StatementView
from .common import clip_cell, column_width, display_width, output_workbook, safe_name
from .common import lang_key as _lang
from .delivery_notes import amount_in_words
from .palette import BOX_HEAD_FILL

FORM_KEY = "statements"
FILE_PREFIX = "对账单"
KEYS = ("doc_date", "doc_type", "doc_no", "reference", "debit", "credit", "balance")
HEADERS = {
    "zh": ("日期", "单据类型", "单据号", "关联单据", "借方(应收增加)", "贷方(应收减少)", "余额"),
    "en": ("Date", "Document type", "Document no.", "Reference", "Debit (increase)", "Credit (decrease)",
           "Balance"),
}
KINDS = {
    "zh": {"opening": "期初单据", "invoice": "发票", "return": "退货", "receipt": "收款"},
    "en": {"opening": "Opening item", "invoice": "Invoice", "return": "Return", "receipt": "Receipt"},
}
TEXT = {
    "zh": {"sheet": "对账单", "title": "对账单", "period": "对账期间：{period}（{start} 至 {end}）",
           "code": "客户编码：", "name": "客户名称：", "address": "地址：", "contact": "联系人：",
           "phone": "电话：", "reply_by": "回函日期：", "opening": "期初余额", "total": "本期合计",
           "closing": "期末余额", "closing_credit": "期末余额（贷方余额）", "in_words": "期末余额大写",
           "words": "人民币 {words}", "words_credit": "贷方余额 人民币 {words}",
           "owed": "余额 {amount} 元", "credit": "贷方余额 {amount} 元（贵公司预付或多付的款项）",
           "ask": "请贵公司核对上述余额，在下列两项中选择一项，签章后于 {reply_by} 前将本对账单寄回"
                  "（或扫描发回）{company}。",
           "agree": "□ 相符：贵我双方截至 {end} 的{balance}无误。",
           "differ": "□ 不符：请列明不符的单据（单据号、日期、金额）：",
           "list": ("单据号", "日期", "金额", "说明"), "customer": "客户：{name}", "us": "我方：{company}",
           "customer_stamp": "客户签章：", "our_stamp": "我方签章：", "date": "日期：",
           "footer": "&L{code}&C第 &P 页 / 共 &N 页"},
    "en": {"sheet": "Statement", "title": "Statement of account",
           "period": "Period: {period} ({start} to {end})", "code": "Customer code:", "name": "Customer:",
           "address": "Address:", "contact": "Contact:", "phone": "Phone:", "reply_by": "Reply by:",
           "opening": "Opening balance", "total": "Period total", "closing": "Closing balance",
           "closing_credit": "Closing balance (credit balance)", "in_words": "In words (RMB)",
           "words": "人民币 {words}", "words_credit": "Credit balance 人民币 {words}",
           "owed": "CNY {amount} owed by you",
           "credit": "a credit balance of CNY {amount} in your favour",
           "ask": "Please check the balance above, tick one option, sign and stamp below and return this "
                  "statement to {company} by {reply_by}.",
           "agree": "□ Agreed: the balance between us as of {end} is {balance}, as stated.",
           "differ": "□ Not agreed: please list the documents that differ (document no., date, amount):",
           "list": ("Document no.", "Date", "Amount", "Remark"), "customer": "Customer: {name}",
           "us": "Us: {company}", "customer_stamp": "Customer's stamp:", "our_stamp": "Our stamp:",
           "date": "Date:", "footer": "&L{code}&CPage &P of &N"},
}
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
LAST_COL = len(KEYS) - 1
ROW_HEIGHT = 18
LINE_HEIGHT = 15                # points per line of wrapped text
LIST_ROWS = 6                   # empty rows the customer fills with the documents that differ
CAPS = (14, 14, 24, 28, 24, 24, 24)      # widest each column may grow; longer text wraps


def statement_file_name(period: str, customer_code: str, customer_name: str) -> str:
    """``对账单-2026H1-C001-上海浦东贸易.xlsx`` (``对账单-2026H1-C001.xlsx`` for a customer without a name)."""
    name = f"-{safe_name(customer_name)}" if customer_name.strip() else ""
    return f"{FILE_PREFIX}-{safe_name(period, 20)}-{safe_name(customer_code, 30)}{name}.xlsx"


def write_statement(view: StatementView, path: str | os.PathLike, *, lang: str = "zh", version: str) -> None:
    """Write one customer's statement to ``path`` (under a temporary name, renamed when complete)."""
    lang = _lang(lang)
    with output_workbook(path, FORM_KEY, version, KEYS) as wb:
        _StatementSheet(wb, view, lang).write()


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped text takes in a cell ``width`` characters wide (CJK counted double)."""
    room = max(1.0, width - 1)
    if 2 * len(text) <= room and "\n" not in text:        # fits whatever its characters
        return 1
    return max(1, sum(math.ceil(max(display_width(part), 1) / room) for part in text.splitlines() or [""]))


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


class _Styles:
    def __init__(self, wb):
        add = wb.add_format
        box = {"border": 1, "valign": "vcenter"}
        self.company = add({"bold": True, "font_size": 12, "align": "center", "valign": "vcenter",
                            "text_wrap": True})
        self.title = add({"bold": True, "font_size": 20, "align": "center", "valign": "vcenter"})
        self.period = add({"align": "center", "valign": "vcenter"})
        self.label = add({"bold": True, "valign": "vcenter", "text_wrap": True})
        self.value = add({"valign": "vcenter", "align": "left", "text_wrap": True})
        self.value_date = add({"valign": "vcenter", "align": "left", "num_format": DATE})
        self.head = add({**box, "bold": True, "align": "center", "bg_color": BOX_HEAD_FILL, "text_wrap": True})
        self.cell = add({**box, "text_wrap": True})
        self.cell_date = add({**box, "num_format": DATE, "align": "center"})
        self.cell_money = add({**box, "num_format": MONEY})
        self.sum_label = add({**box, "bold": True, "align": "center"})
        self.sum_money = add({**box, "bold": True, "num_format": MONEY})
        self.words = add({**box, "bold": True, "align": "left", "text_wrap": True})
        self.text = add({"valign": "top", "text_wrap": True})
        self.option = add({"bold": True, "valign": "vcenter", "text_wrap": True})
        self.blank_box = add({**box})
        self.sign_label = add({"bold": True, "valign": "bottom", "text_wrap": True})
        self.sign_date = add({"bold": True, "valign": "bottom", "align": "right"})
        self.sign_line = add({"bottom": 1, "valign": "bottom"})


class _StatementSheet:
    """The statement's one print sheet, written top to bottom."""

    def __init__(self, wb, view: StatementView, lang: str):
        self.wb, self.view, self.lang = wb, view, lang
        self.text, self.styles = TEXT[lang], _Styles(wb)
        self.ws = wb.add_worksheet(self.text["sheet"])
        self.widths = self._widths()

    def write(self) -> None:
        ws, t = self.ws, self.text
        for c, width in enumerate(self.widths):
            ws.set_column(c, c, width)
        row = self._heading(0)
        row = self._customer(row + 1)
        header_row = row + 1
        row = self._table(header_row)
        row = self._confirmation(row + 1)
        ws.print_area(0, 0, row - 1, LAST_COL)
        ws.repeat_rows(header_row)
        ws.set_portrait()
        ws.set_paper(9)                 # A4
        ws.fit_to_pages(1, 0)           # one page wide; as many pages tall as the lines need
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
        ws.set_header(f"&L{_header_text(self.view.company, 30)}&R{_header_text(self._subject(), 40)}")
        ws.set_footer(t["footer"].format(code=_header_text(self.view.customer.code, 20)))
        ws.hide_gridlines(2)

    def _subject(self) -> str:
        return f"{self.text['title']} {self.view.period} {self.view.customer.code}"

    def _widths(self) -> list[float]:
        v, t, headers = self.view, self.text, HEADERS[self.lang]
        shown = [[f"{ln.date:%Y-%m-%d}", self._kind(ln.kind), ln.doc_no, ln.reference, _money(ln.debit),
                  _money(ln.credit), _money(ln.balance)] for ln in v.lines]
        shown.append(["0000-00-00", "", "", "", _money(v.debits), _money(v.credits), _money(v.opening)])
        shown.append(["", "", "", "", "", "", _money(v.closing)])
        widths = [column_width(h, [r[c] for r in shown], CAPS[c]) for c, h in enumerate(headers)]
        for c in (4, 5, 6):             # bold totals and a little room: never ###
            widths[c] += 2
        labels = [t[k] for k in ("code", "name", "address", "contact")]
        widths[0] = max(widths[0], max(display_width(x) for x in labels) + 2)
        widths[4] = max(widths[4], max(display_width(t[k]) for k in ("contact", "reply_by", "date")) + 2)
        return widths

    def _kind(self, kind: str) -> str:
        return KINDS[self.lang].get(kind, kind)

    # -- pieces ---------------------------------------------------------------------------------

    def _merge(self, row: int, first: int, last: int, text: str, fmt) -> int:
        """Write ``text`` over columns first..last of ``row``; the lines it needs there."""
        text = clip_cell(text)
        if last > first:
            self.ws.merge_range(row, first, row, last, "", fmt)
        if text:
            self.ws.write_string(row, first, text, fmt)
        else:
            self.ws.write_blank(row, first, None, fmt)
        return lines_needed(text, sum(self.widths[first:last + 1]))

    def _height(self, row: int, lines: int, minimum: float = ROW_HEIGHT, line: float = LINE_HEIGHT) -> None:
        self.ws.set_row(row, max(minimum, line * lines + 4))

    def _heading(self, row: int) -> int:
        v, s, t = self.view, self.styles, self.text
        self._merge(row, 0, LAST_COL, v.company, s.company)
        # 12 points: a fifth more room per character than the body text
        self._height(row, lines_needed(clip_cell(v.company), sum(self.widths) / 1.2), 22, line=18)
        self._merge(row + 1, 0, LAST_COL, t["title"], s.title)
        self.ws.set_row(row + 1, 34)
        self._merge(row + 2, 0, LAST_COL, t["period"].format(
            period=v.period, start=f"{v.start:%Y-%m-%d}", end=f"{v.end:%Y-%m-%d}"), s.period)
        return row + 3

    def _customer(self, row: int) -> int:
        v, t = self.view, self.text
        self._pair(row, (t["code"], v.customer.code), (t["contact"], v.contact))
        self._pair(row + 1, (t["name"], v.customer.name), None)
        self._pair(row + 2, (t["address"], v.address), None)
        self._pair(row + 3, (t["phone"], v.phone), (t["reply_by"], v.reply_by))
        return row + 4

    def _pair(self, row: int, left: tuple[str, object], right: tuple[str, object] | None) -> None:
        """label: value on the left half (or the whole row), label: value on the right half."""
        s = self.styles
        heights = [self._merge(row, 0, 0, left[0], s.label), self._value(row, 1, 3 if right else LAST_COL, left[1])]
        if right:
            heights += [self._merge(row, 4, 4, right[0], s.label), self._value(row, 5, LAST_COL, right[1])]
        self._height(row, max(heights))

    def _value(self, row: int, first: int, last: int, value: object) -> int:
        if isinstance(value, dt.date):
            self.ws.merge_range(row, first, row, last, "", self.styles.value_date)
            self.ws.write_datetime(row, first, value, self.styles.value_date)
            return 1
        return self._merge(row, first, last, clip_cell(value), self.styles.value)

    def _table(self, row: int) -> int:
        """Header, opening balance, the lines, totals, closing balance, in words; the next free row."""
        ws, v, s, t = self.ws, self.view, self.styles, self.text
        for c, head in enumerate(HEADERS[self.lang]):
            ws.write_string(row, c, head, s.head)
        self._height(row, max(lines_needed(h, self.widths[c]) for c, h in enumerate(HEADERS[self.lang])))
        row += 1
        self._sum_row(row, v.start, t["opening"], (None, None, v.opening))
        for ln in v.lines:
            row += 1
            ws.write_datetime(row, 0, ln.date, s.cell_date)
            texts = (self._kind(ln.kind), clip_cell(ln.doc_no), clip_cell(ln.reference))
            for c, text in enumerate(texts, start=1):
                if text:
                    ws.write_string(row, c, text, s.cell)
                else:
                    ws.write_blank(row, c, None, s.cell)
            for c, amount in enumerate((ln.debit, ln.credit, ln.balance), start=4):
                ws.write_number(row, c, float(amount), s.cell_money)
            lines = max(lines_needed(text, self.widths[c]) for c, text in enumerate(texts, start=1))
            if lines > 1:
                self._height(row, lines)
        self._sum_row(row + 1, None, t["total"], (v.debits, v.credits, None))
        closing = t["closing_credit"] if v.closing < 0 else t["closing"]
        self._sum_row(row + 2, v.end, closing, (None, None, v.closing))
        words = amount_in_words(abs(v.closing))
        self._merge(row + 3, 0, 1, t["in_words"], s.sum_label)
        self._height(row + 3, self._merge(row + 3, 2, LAST_COL, t["words_credit" if v.closing < 0 else "words"]
                                          .format(words=words), s.words), ROW_HEIGHT + 4)
        return row + 4

    def _sum_row(self, row: int, date: dt.date | None, label: str, amounts: tuple) -> None:
        """The opening, totals or closing row: a date, a label over three columns, amounts."""
        ws, s = self.ws, self.styles
        if date is None:
            ws.write_blank(row, 0, None, s.sum_label)
        else:
            ws.write_datetime(row, 0, date, s.cell_date)
        self._height(row, self._merge(row, 1, 3, label, s.sum_label), ROW_HEIGHT + 2)
        for c, amount in enumerate(amounts, start=4):
            if amount is None:
                ws.write_blank(row, c, None, s.sum_label)
            else:
                ws.write_number(row, c, float(amount), s.sum_money)

    def _confirmation(self, row: int) -> int:
        """The block the customer fills: the request, two options, a list area, stamp lines."""
        v, s, t = self.view, self.styles, self.text
        balance = (t["credit"] if v.closing < 0 else t["owed"]).format(amount=_money(abs(v.closing)))
        paragraphs = (
            (t["ask"].format(reply_by=f"{v.reply_by:%Y-%m-%d}", company=v.company), s.text),
            (t["agree"].format(end=f"{v.end:%Y-%m-%d}", balance=balance), s.option),
            (t["differ"], s.option),
        )
        for text, fmt in paragraphs:
            self._height(row, self._merge(row, 0, LAST_COL, text, fmt), ROW_HEIGHT + 4)
            row += 1
        spans = ((0, 1), (2, 2), (3, 3), (4, LAST_COL))
        for (first, last), head in zip(spans, t["list"], strict=True):
            self._merge(row, first, last, head, s.head)
        for r in range(row + 1, row + 1 + LIST_ROWS):
            for first, last in spans:
                self._merge(r, first, last, "", s.blank_box)
            self.ws.set_row(r, ROW_HEIGHT + 4)
        row += LIST_ROWS + 2
        self._height(row, max(self._merge(row, 0, 3, t["customer"].format(name=v.customer.name), s.label),
                              self._merge(row, 4, LAST_COL, t["us"].format(company=v.company), s.label)))
        for key in ("customer_stamp", "our_stamp"):
            row += 1
            self._merge(row, 0, 1, t[key], s.sign_label)
            self._merge(row, 2, 3, "", s.sign_line)
            self._merge(row, 4, 4, t["date"], s.sign_date)
            self._merge(row, 5, LAST_COL, "", s.sign_line)
            self.ws.set_row(row, 40)
        return row + 1


def _header_text(text: str, limit: int) -> str:
    """Text for a page header or footer: cut short (the sections must not overlap), ``&`` doubled
    so Excel prints it rather than reading a code."""
    text = clip_cell(text)
    return (text if len(text) <= limit else text[:limit - 1] + "…").replace("&", "&&")


__all__ = ["write_statement", "statement_file_name", "lines_needed", "KEYS", "HEADERS"]
