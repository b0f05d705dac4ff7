"""The delivery notes (送货单) finance prints: one note per A4 page, portrait.

Sheet 1 holds every note as a block (title, note and order numbers, customer, station, a bordered
lines table, totals with the amount in Chinese capital numerals, CSR/SCR/BCR, signature lines),
with a manual page break before every note after the first. A note with many lines runs on to a
second page; the next note still starts on a new page. Sheet 2 (清单) lists the notes with a total.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from .common import clip_cell, column_width, display_width, output_workbook, safe_name, unique_sheet_name
from .common import lang_key as _lang
from .list_sheet import Cell, Column, ListSheet, list_formats
from .palette import BOX_HEAD_FILL, SMALL_FONT
from .records import DeliveryNote

FORM_KEY = "delivery_notes"
NAME = {"zh": "送货单", "en": "Delivery notes"}
LIST_KEYS = ("delivery_note_no", "issue_date", "order_no", "customer_code", "customer_name", "market",
             "station", "amount")
LIST_HEADERS = {
    "zh": ("送货单号", "开单日期", "订单号", "客户编码", "客户名称", "市场", "托运站", "金额"),
    "en": ("Delivery note", "Issue date", "Order number", "Customer code", "Customer name", "Market",
           "Station", "Amount"),
}
LINE_HEADERS = {
    "zh": ("序号", "产品编码", "产品名称", "规格", "单位", "数量", "单价", "金额"),
    "en": ("No.", "Product code", "Product name", "Specification", "Unit", "Quantity", "Unit price",
           "Amount"),
}
TEXT = {
    "zh": {"title": "送货单", "list": "清单", "note_no": "送货单号", "issued_on": "开单日期",
           "order_no": "订单号", "order_date": "订单日期", "customer_code": "客户编码", "market": "市场",
           "customer_name": "客户名称", "address": "收货地址", "contact": "联系人", "phone": "电话",
           "station": "托运站", "total": "合计", "in_words": "金额大写", "csr": "客服(CSR)",
           "scr": "储运(SCR)", "bcr": "收款(BCR)", "made_by": "制单签字", "shipped_by": "发货签字",
           "received_by": "收货签字", "page": "第 {i} 张 / 共 {n} 张", "none": "本次没有送货单",
           "list_title": "送货单清单 {date}", "count": '#,##0" 张"'},
    "en": {"title": "Delivery note", "list": "List", "note_no": "Note no.", "issued_on": "Issued on",
           "order_no": "Order no.", "order_date": "Order date", "customer_code": "Customer code",
           "market": "Market", "customer_name": "Customer", "address": "Address", "contact": "Contact",
           "phone": "Phone", "station": "Station", "total": "Total", "in_words": "Amount in words",
           "csr": "CSR", "scr": "SCR", "bcr": "BCR", "made_by": "Prepared by",
           "shipped_by": "Shipped by", "received_by": "Received by", "page": "Note {i} of {n}",
           "none": "No delivery notes in this run", "list_title": "Delivery notes {date}",
           "count": '#,##0" notes"'},
}
MONEY = "#,##0.00"
QTY = "General"                 # '#,##0.##' would show 500 as "500."
DATE = "yyyy-mm-dd"
# the note's eight columns: 序号, 产品编码, 产品名称, 规格, 单位, 数量, 单价, 金额 (minimum widths)
WIDTHS = [6, 12, 24, 12, 6, 10, 12, 14]
NAME_MAX = 34                   # widest the product-name column may grow
LINE_HEIGHT = 16                # points per line of wrapped text
ROW_HEIGHT = 18
NOTES_PER_SHEET = 1000          # Excel allows 1,023 manual page breaks on a sheet
LIST_HEADER_ROW = 2             # 0-based: title, totals, header
LIST_FORMATS = {"label": {"bold": True, "valign": "vcenter"},
                "date": {"valign": "top", "num_format": DATE, "align": "left"},
                "money": {"valign": "top", "num_format": MONEY}, "total": {"bold": True, "num_format": MONEY}}

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿")
_CENT = Decimal("0.01")


def amount_in_words(amount: Decimal | int | str) -> str:
    """An amount in yuan in Chinese capital numerals (大写金额), as written on Chinese invoices.

    Rounded half-up to the fen. ``整`` ends an amount of whole yuan (after 角 the rules make it optional:
    it is left out); a run of zeros between digits of the yuan is one ``零``, also where the rules make it
    optional (``壹拾万零柒仟元``); no ``零`` between 元 and 角 (``壹仟贰佰元伍角``); ``零`` between 元 and
    分 when there are no 角 (``壹佰元零伍分``); a leading ``壹拾`` keeps its ``壹``. ``0`` is ``零元整``;
    below one yuan the 元 is left out (``0.50`` is ``伍角``).
    Amounts of a trillion yuan (万亿) or more raise ValueError.
    """
    value = Decimal(str(amount)).quantize(_CENT, rounding=ROUND_HALF_UP)
    if value < 0:
        return "负" + amount_in_words(-value)
    fen_total = int(value * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    if yuan >= 10 ** 12:
        raise ValueError(f"amount too large for capital numerals: {value}")
    if yuan == 0 and cents == 0:
        return "零元整"
    words = _integer_words(yuan) + "元" if yuan else ""
    if jiao:
        words += _DIGITS[jiao] + "角"
    if fen:
        if yuan and not jiao:
            words += "零"
        words += _DIGITS[fen] + "分"
    if not fen:
        words += "整" if not jiao else ""
    return words


def _integer_words(number: int) -> str:
    digits = str(number)
    out: list[str] = []
    zero = False                        # a zero is pending since the last digit written
    group_has_digit = False
    for i, ch in enumerate(digits):
        position = len(digits) - 1 - i
        place, group = position % 4, position // 4
        d = int(ch)
        if d == 0:
            zero = True
        else:
            if zero:
                out.append("零")
                zero = False
            out.append(_DIGITS[d] + _PLACES[place])
            group_has_digit = True
        if place == 0 and group > 0:
            if group_has_digit:
                out.append(_GROUPS[group])
            group_has_digit = False
    return "".join(out)


def delivery_notes_name(business_date: dt.date, lang: str = "zh") -> str:
    """``送货单-2026-11-26.xlsx``."""
    return f"{safe_name(NAME[_lang(lang)])}-{business_date:%Y-%m-%d}.xlsx"


def write_delivery_notes(notes: Sequence[DeliveryNote], path: str | os.PathLike, *,
                         business_date: dt.date, company: str = "销售部", lang: str = "zh",
                         version: str) -> None:
    """Write the print workbook of ``notes`` to ``path`` (temporary name, renamed when complete).

    Notes are printed in the order given."""
    lang = _lang(lang)
    with output_workbook(path, FORM_KEY, version, LIST_KEYS) as wb:
        styles = _Styles(wb)
        taken = {"_osb", TEXT[lang]["list"].casefold()}
        chunks = [notes[i:i + NOTES_PER_SHEET] for i in range(0, len(notes), NOTES_PER_SHEET)] or [[]]
        for n, chunk in enumerate(chunks):
            name = unique_sheet_name(TEXT[lang]["title"], taken)
            _NoteSheet(wb, styles, name, lang, company, business_date).write(
                chunk, first=n * NOTES_PER_SHEET + 1, total=len(notes))
        _list_sheet(wb, notes, lang, business_date)



class _Styles:
    def __init__(self, wb):
        add = wb.add_format
        box = {"border": 1, "valign": "vcenter"}
        self.company = add({"bold": True, "font_size": 12, "align": "center", "valign": "vcenter"})
        self.title = add({"bold": True, "font_size": 20, "align": "center", "valign": "vcenter"})
        self.label = add({"bold": True, "valign": "vcenter"})
        self.value = add({"valign": "vcenter", "align": "left", "text_wrap": True})
        self.value_date = add({"valign": "vcenter", "align": "left", "num_format": DATE})
        self.head = add({**box, "bold": True, "align": "center", "bg_color": BOX_HEAD_FILL, "text_wrap": True})
        self.cell = add({**box, "text_wrap": True})
        self.cell_center = add({**box, "align": "center"})
        self.cell_qty = add({**box, "num_format": QTY})
        self.cell_money = add({**box, "num_format": MONEY})
        self.total_label = add({**box, "bold": True, "align": "center"})
        self.total_qty = add({**box, "bold": True, "num_format": QTY})
        self.total_money = add({**box, "bold": True, "num_format": MONEY})
        self.words = add({**box, "bold": True, "align": "left"})
        self.sign_line = add({"bottom": 1, "valign": "bottom"})
        self.sign_label = add({"bold": True, "valign": "bottom"})
        self.small = add({"font_size": 9, "font_color": SMALL_FONT, "align": "right"})
        self.none = add({"bold": True})


def _lines_needed(text: str, width: float) -> int:
    """Lines a wrapped text takes in a cell ``width`` characters wide (CJK counted double)."""
    room = max(1.0, width - 1)
    return max(1, sum(math.ceil(max(display_width(part), 1) / room) for part in text.splitlines() or [""]))


class _NoteSheet:
    """One print sheet: notes as blocks, a page break before each but the first."""

    def __init__(self, wb, styles: _Styles, name: str, lang: str, company: str, business_date: dt.date):
        self.wb, self.styles, self.name, self.lang = wb, styles, name, lang
        self.colon = ": " if lang == "en" else "："
        self.company, self.business_date = company, business_date
        self.text = TEXT[lang]
        self.widths = list(WIDTHS)

    def write(self, notes: Sequence[DeliveryNote], *, first: int, total: int) -> None:
        ws = self.wb.add_worksheet(self.name)
        self.ws = ws
        self._fit_widths(notes)
        for c, width in enumerate(self.widths):
            ws.set_column(c, c, width)
        row, breaks = 0, []
        for i, note in enumerate(notes):
            if i:
                breaks.append(row)
            row = self._note(note, row, first + i, total)
        if not notes:
            ws.write_string(0, 0, self.text["none"], self.styles.none)
            row = 1
        if breaks:
            ws.set_h_pagebreaks(breaks)
        ws.print_area(0, 0, max(row - 1, 0), len(WIDTHS) - 1)
        ws.set_portrait()
        ws.set_paper(9)                 # A4
        ws.fit_to_pages(1, 0)           # one page wide; as many pages tall as the notes need
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&C&P / &N")
        ws.hide_gridlines(2)

    def _fit_widths(self, notes: Sequence[DeliveryNote]) -> None:
        """Widen the name, quantity, price and amount columns so no number shows ###."""
        lines = [line for note in notes for line in note.lines]
        self.widths[1] = max(self.widths[1], column_width("", (ln.product_code for ln in lines), 20))
        self.widths[2] = max(self.widths[2], column_width("", (ln.product_name for ln in lines), NAME_MAX))
        self.widths[3] = max(self.widths[3], column_width("", (ln.spec for ln in lines), 20))
        self.widths[5] = max(self.widths[5], column_width(
            "", [format(ln.qty.normalize(), "f") for ln in lines]
            + [format(n.total_qty.normalize(), "f") for n in notes], 20) + 1)
        self.widths[6] = max(self.widths[6], column_width("", (f"{ln.unit_price:,.2f}" for ln in lines), 20))
        self.widths[7] = max(self.widths[7], column_width(
            "", [f"{ln.amount:,.2f}" for ln in lines] + [f"{n.total_amount:,.2f}" for n in notes], 24) + 2)

    # -- one note -------------------------------------------------------------------------

    def _merge(self, row: int, first: int, last: int, text: str, fmt) -> None:
        """Merge columns first..last of ``row`` and write ``text`` into it as a string."""
        if last > first:
            self.ws.merge_range(row, first, row, last, "", fmt)
        if text:
            self.ws.write_string(row, first, clip_cell(text), fmt)
        else:
            self.ws.write_blank(row, first, None, fmt)

    def _span(self, first: int, last: int) -> float:
        return sum(self.widths[first:last + 1])

    def _pair_row(self, row: int, left: tuple[str, object], right: tuple[str, object] | None) -> None:
        """A row of label: value (and a second label: value on the right half)."""
        s = self.styles
        heights = []
        label, value = left
        last = 3 if right else 7
        self._merge(row, 0, 1, f"{label}{self.colon}", s.label)
        heights.append(self._value(row, 2, last, value))
        if right:
            label, value = right
            self._merge(row, 4, 5, f"{label}{self.colon}", s.label)
            heights.append(self._value(row, 6, 7, value))
        self.ws.set_row(row, max(ROW_HEIGHT, LINE_HEIGHT * max(heights) + 3))

    def _value(self, row: int, first: int, last: int, value: object) -> int:
        s = self.styles
        if isinstance(value, dt.date):
            self.ws.merge_range(row, first, row, last, "", s.value_date)
            self.ws.write_datetime(row, first, value, s.value_date)
            return 1
        text = clip_cell(value)
        self._merge(row, first, last, text, s.value)
        return _lines_needed(text, self._span(first, last))

    def _note(self, note: DeliveryNote, row: int, number: int, total: int) -> int:
        """One note from ``row``; returns the row after it."""
        row = self._heading(note, row) + 1
        row = self._lines_table(note, row)
        row = self._totals(note, row) + 1
        row = self._signatures(note, row)
        # on the last row, so that a note running on to a second page still names itself there
        gap = "  " if self.lang == "en" else "　"
        self._merge(row, 0, 7, f"{note.note_no}{gap}{self.text['page'].format(i=number, n=total)}", self.styles.small)
        return row + 1

    def _heading(self, note: DeliveryNote, row: int) -> int:
        """Company, title, and the note's particulars as label: value rows; returns the next row."""
        s, t = self.styles, self.text
        self._merge(row, 0, 7, self.company, s.company)
        self.ws.set_row(row, 20)
        self._merge(row + 1, 0, 7, t["title"], s.title)
        self.ws.set_row(row + 1, 32)
        pairs = (((t["note_no"], note.note_no), (t["issued_on"], note.issued_on)),
                 ((t["order_no"], note.order_no), (t["order_date"], note.order_date)),
                 ((t["customer_code"], note.customer_code), (t["market"], note.market)),
                 ((t["customer_name"], note.customer_name), None),
                 ((t["address"], note.address), None),
                 ((t["contact"], note.contact), (t["phone"], note.phone)),
                 ((t["station"], note.station), None))
        for i, (left, right) in enumerate(pairs, start=row + 2):
            self._pair_row(i, left, right)
        return row + 2 + len(pairs)

    def _lines_table(self, note: DeliveryNote, row: int) -> int:
        """The bordered table of the note's lines from ``row`` (its header); returns the next row."""
        ws, s = self.ws, self.styles
        for c, head in enumerate(LINE_HEADERS[self.lang]):
            ws.write_string(row, c, head, s.head)
        ws.set_row(row, ROW_HEIGHT + 2)
        for n, line in enumerate(note.lines, start=1):
            row += 1
            ws.write_number(row, 0, n, s.cell_center)
            texts = (line.product_code, line.product_name, line.spec, line.unit)
            for c, text in enumerate(texts, start=1):
                text = clip_cell(text)
                if text:
                    ws.write_string(row, c, text, s.cell_center if c == 4 else s.cell)
                else:
                    ws.write_blank(row, c, None, s.cell)
            ws.write_number(row, 5, float(line.qty), s.cell_qty)          # display only
            ws.write_number(row, 6, float(line.unit_price), s.cell_money)
            ws.write_number(row, 7, float(line.amount), s.cell_money)
            lines = max(_lines_needed(clip_cell(t_), self.widths[c]) for c, t_ in enumerate(texts, start=1))
            ws.set_row(row, max(ROW_HEIGHT, LINE_HEIGHT * lines + 3))
        return row + 1

    def _totals(self, note: DeliveryNote, row: int) -> int:
        """The total quantity and amount, then the amount in words; returns the next row."""
        ws, s, t = self.ws, self.styles, self.text
        self._merge(row, 0, 4, t["total"], s.total_label)
        ws.write_number(row, 5, float(note.total_qty), s.total_qty)
        ws.write_blank(row, 6, None, s.total_label)
        ws.write_number(row, 7, float(note.total_amount), s.total_money)
        ws.set_row(row, ROW_HEIGHT + 2)
        self._merge(row + 1, 0, 1, t["in_words"], s.total_label)
        self._merge(row + 1, 2, 7, f"人民币 {amount_in_words(note.total_amount)}", s.words)
        ws.set_row(row + 1, ROW_HEIGHT + 4)
        return row + 2

    def _signatures(self, note: DeliveryNote, row: int) -> int:
        """CSR, SCR and BCR, then the three signature lines a row below; returns the next row."""
        s, t, roles = self.styles, self.text, note.roles
        self._merge(row, 0, 2, f"{t['csr']}{self.colon}{roles.csr}", s.label)
        self._merge(row, 3, 5, f"{t['scr']}{self.colon}{roles.scr}", s.label)
        self._merge(row, 6, 7, f"{t['bcr']}{self.colon}{roles.bcr}", s.label)
        self.ws.set_row(row, ROW_HEIGHT)
        row += 2
        for first, last, key in ((0, 1, "made_by"), (3, 3, "shipped_by"), (6, 6, "received_by")):
            self._merge(row, first, last, f"{t[key]}{self.colon}", s.sign_label)
        self._merge(row, 2, 2, "", s.sign_line)
        self._merge(row, 4, 5, "", s.sign_line)
        self._merge(row, 7, 7, "", s.sign_line)
        self.ws.set_row(row, 30)
        return row + 1


# -- 清单 ----------------------------------------------------------------------------------------

def _list_sheet(wb, notes: Sequence[DeliveryNote], lang: str, business_date: dt.date) -> None:
    t = TEXT[lang]
    formats = list_formats(wb, {**LIST_FORMATS, "count": {"bold": True, "align": "left", "num_format": t["count"]}})
    columns = tuple(Column(k, h, 40, pad=2 if k == "amount" else 0)
                    for k, h in zip(LIST_KEYS, LIST_HEADERS[lang], strict=True))
    sheet = ListSheet(wb.add_worksheet(t["list"]), formats, columns, LIST_HEADER_ROW)
    sheet.title(t["list_title"].format(date=f"{business_date:%Y-%m-%d}"))
    total = sum((n.total_amount for n in notes), Decimal(0))
    amount_col = sheet.index("amount")
    sheet.ws.write_string(1, 0, t["total"], formats["label"])
    sheet.ws.write_number(1, 1, len(notes), formats["count"])
    sheet.ws.write_number(1, amount_col, float(total), formats["total"])
    sheet.header()
    for note in notes:
        texts = (note.order_no, note.customer_code, note.customer_name, note.market, note.station)
        sheet.add_row([Cell(clip_cell(note.note_no)), Cell(note.issued_on, "date", f"{note.issued_on:%Y-%m-%d}"),
                       *(Cell(clip_cell(text)) for text in texts),
                       Cell(float(note.total_amount), "money", f"{note.total_amount:,.2f}")])
    sheet.finish(extra_shown={amount_col: [f"{total:,.2f}"]}, landscape=False)


__all__ = ["write_delivery_notes", "delivery_notes_name", "amount_in_words", "LIST_KEYS",
           "LIST_HEADERS", "LINE_HEADERS"]
