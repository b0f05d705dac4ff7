"""The reconciliation workbook (对账汇总) finance receives at the end of each half year.

Sheet 1 (对账汇总) opens with the control total (the ledger's receivables against the sum of the
statements' closing balances) and the replies counted by status, then one row per customer: our
balance, the balance the customer confirmed, the difference and how much of it is explained, the
status coloured. Sheet 2 (差异明细) lists the documents behind the differences; sheet 3 (销售vs财务)
compares our balances with finance's own export, when finance sent one. Every total is summed
from the Decimals here, so a reader that does not recalculate still sees it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from decimal import Decimal

from .account_records import DiffItem, FinanceRow, ReconciliationReport, ReconciliationRow
from .common import clip_cell, output_workbook, safe_name
from .common import lang_key as _lang
from .list_sheet import Column, ListSheet
from .palette import AMBER_FILL, AMBER_FONT, GREEN_FILL, GREEN_FONT, HEADER, RED_FILL, RED_FONT
from .statements import lines_needed

FORM_KEY = "reconciliation"
FILE_PREFIX = "对账汇总"
KEYS = ("customer_code", "customer_name", "market", "account_manager", "opening", "debits", "credits",
        "our_balance", "customer_balance", "difference", "explained", "unexplained", "status", "signed_by",
        "remark")
HEADERS = {
    "zh": ("客户编码", "客户名称", "市场", "客户经理", "期初余额", "本期借方", "本期贷方", "我方余额", "客户确认余额",
           "差异", "已解释差异", "未解释差异", "状态", "签章人", "说明"),
    "en": ("Customer code", "Customer name", "Market", "Account manager", "Opening balance", "Debits",
           "Credits", "Our balance", "Customer's balance", "Difference", "Explained", "Unexplained", "Status",
           "Signed by", "Note"),
}
DIFF_KEYS = ("customer_code", "customer_name", "side", "doc_no", "date", "amount", "note")
DIFF_HEADERS = {
    "zh": ("客户编码", "客户名称", "方向", "单据号", "日期", "金额", "说明"),
    "en": ("Customer code", "Customer name", "Side", "Document no.", "Date", "Amount", "Note"),
}
FINANCE_KEYS = ("customer_code", "customer_name", "as_of", "ours", "finance", "difference")
FINANCE_HEADERS = {
    "zh": ("客户编码", "客户名称", "截止日期", "销售余额", "财务余额", "差异"),
    "en": ("Customer code", "Customer name", "As of", "Sales balance", "Finance balance", "Difference"),
}
STATUSES = ("agreed", "differs", "no_reply")
STATUS = {"zh": {"agreed": "相符", "differs": "不符", "no_reply": "未回函"},
          "en": {"agreed": "Agreed", "differs": "Differs", "no_reply": "No reply"}}
TONE = {"agreed": "green", "differs": "red", "no_reply": "amber"}
SIDES = {"zh": {"ours": "我方有客户无", "theirs": "客户有我方无", "shifted": "日期不同", "amount": "金额不同"},
         "en": {"ours": "Ours only", "theirs": "Theirs only", "shifted": "Date differs",
                "amount": "Amount differs"}}
TEXT = {
    "zh": {"summary": "对账汇总", "differences": "差异明细", "finance": "销售vs财务",
           "span": "{title} {period}（{start} 至 {end}）", "ledger": "总账应收余额（截至 {end}）：",
           "statements": "对账单期末余额合计：", "ok": "一致", "not_ok": "不一致", "replies": "回函情况：",
           "all": "合计", "total": "合计", "count": '#,##0" 户"', "diff_count": "共 {n} 条差异",
           "no_diffs": "没有差异明细", "finance_count": "共 {n} 户，其中有差异 {m} 户"},
    "en": {"summary": "Summary", "differences": "Differences", "finance": "Sales vs finance",
           "span": "{title} {period} ({start} to {end})", "ledger": "Ledger receivables (as of {end}):",
           "statements": "Statements' closing balances:", "ok": "Agree", "not_ok": "Do not agree",
           "replies": "Replies:", "all": "All", "total": "Total", "count": '#,##0" customers"',
           "diff_count": "{n} differences", "no_diffs": "No differences",
           "finance_count": "{n} customers, {m} with a difference"},
}
TITLES = {"zh": "对账汇总", "en": "Reconciliation summary"}
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
MONEY_KEYS = {"opening", "debits", "credits", "our_balance", "customer_balance", "difference", "explained",
              "unexplained", "amount", "ours", "finance"}
DATE_KEYS = {"date", "as_of"}
WRAPPED = {"customer_name", "note", "remark", "signed_by", "doc_no"}
CAPS = {"customer_name": 30, "remark": 40, "note": 40, "signed_by": 14, "doc_no": 22}
SUMMARY_HEADER = 5              # 0-based: title, two control rows, replies, blank, header
LIST_HEADER = 2                 # 0-based: title, count, header
COLOURS = {"green": (GREEN_FILL, GREEN_FONT), "red": (RED_FILL, RED_FONT), "amber": (AMBER_FILL, AMBER_FONT),
           "mark": (AMBER_FILL, None)}


def reconciliation_file_name(period: str) -> str:
    """``对账汇总-2026H1.xlsx``."""
    return f"{FILE_PREFIX}-{safe_name(period, 20)}.xlsx"


def write_reconciliation(report: ReconciliationReport, path: str | os.PathLike, *, lang: str = "zh",
                         version: str) -> None:
    """Write the reconciliation workbook to ``path`` (under a temporary name, renamed when complete)."""
    lang = _lang(lang)
    with output_workbook(path, FORM_KEY, version, KEYS) as wb:
        styles = _Styles(wb)
        _summary_sheet(wb, styles, report, lang)
        _differences_sheet(wb, styles, report, lang)
        if report.finance:
            _finance_sheet(wb, styles, report, lang)


class _Styles:
    """Formats by (kind, tone): kind text, wrap, money or date; tone None or a COLOURS key."""

    def __init__(self, wb):
        self.wb = wb
        add = wb.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.header = add(HEADER)
        self.label = add({"bold": True, "align": "right", "valign": "vcenter"})
        self.bold = add({"bold": True, "valign": "vcenter"})
        self.total = add({"bold": True, "top": 1, "valign": "top"})
        self.total_money = add({"bold": True, "top": 1, "valign": "top", "num_format": MONEY})
        self.big_money = add({"bold": True, "num_format": MONEY, "valign": "vcenter"})
        self.count = {lang: add({"bold": True, "align": "left", "num_format": TEXT[lang]["count"]})
                      for lang in TEXT}
        self._cells: dict[tuple, object] = {}

    def cell(self, kind: str, tone: str | None = None, bold: bool = False):
        key = (kind, tone, bold)
        if key not in self._cells:
            props: dict = {"valign": "top", "bold": bold}
            if kind == "wrap":
                props["text_wrap"] = True
            elif kind == "money":
                props["num_format"] = MONEY
            elif kind == "date":
                props.update(num_format=DATE, align="left")
            if tone:
                fill, font = COLOURS[tone]
                props["bg_color"] = fill
                if font:
                    props["font_color"] = font
            self._cells[key] = self.wb.add_format(props)
        return self._cells[key]


def _kind(key: str) -> str:
    return "money" if key in MONEY_KEYS else "date" if key in DATE_KEYS else "wrap" if key in WRAPPED else "text"


def _shown(key: str, value: object) -> str:
    """What a cell shows, for the column width."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return clip_cell(value)


def _table(ws, s: _Styles, header_row: int, keys: Sequence[str], headers: Sequence[str],
           rows: Sequence[dict], tones: Sequence[dict], *, lang: str,
           above: dict[int, list[str]] | None = None, totals_row: bool = True) -> None:
    """Header, one row per dict (tones: key -> tone, "*" for the whole row), a totals row of the
    money columns (unless ``totals_row`` is false), widths from content, frozen header, filter and
    print setup.

    ``above``: what the rows above the header show in a column, so that fits as well."""
    totals = {k: sum((r[k] for r in rows if r[k] is not None), Decimal(0)) for k in keys
              if k in MONEY_KEYS and totals_row}
    sheet = ListSheet(ws, {"header": s.header}, [Column(k, h, CAPS.get(k, 24), pad=2 if k in MONEY_KEYS else 0)
                                                 for k, h in zip(keys, headers, strict=True)], header_row)
    sheet.shown = [[_shown(k, r[k]) for r in rows] for k in keys]
    extra = {c: [f"{totals[k]:,.2f}"] if k in totals else [] for c, k in enumerate(keys)}
    for c, shown in (above or {}).items():
        extra[c] = extra[c] + shown
    widths = sheet.widths(extra)
    sheet.header()
    ws.set_row(header_row, 15 * max(lines_needed(h, widths[c]) for c, h in enumerate(headers)) + 4)
    for r, (values, tone) in enumerate(zip(rows, tones, strict=True), start=header_row + 1):
        for c, key in enumerate(keys):
            _cell(ws, r, c, values[key], s.cell(_kind(key), tone.get(key, tone.get("*"))))
        lines = max((lines_needed(sheet.shown[c][r - header_row - 1], widths[c]) for c, k in enumerate(keys)
                     if k in WRAPPED), default=1)
        if lines > 1:
            ws.set_row(r, 15 * lines + 3)
    sheet.last = header_row + len(rows)
    if rows and totals_row:             # under the table, outside the filter range
        _totals_row(sheet, s, totals, lang)
    sheet.finish(extra_shown=extra)


def _totals_row(sheet: ListSheet, s: _Styles, totals: dict[str, Decimal], lang: str) -> None:
    row = sheet.last + 1
    sheet.ws.write_string(row, 0, TEXT[lang]["total"], s.total)
    for c, col in enumerate(sheet.columns[1:], start=1):
        if col.key in totals:
            sheet.ws.write_number(row, c, float(totals[col.key]), s.total_money)
        else:
            sheet.ws.write_blank(row, c, None, s.total)


def _cell(ws, r: int, c: int, value: object, fmt) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, Decimal):
        ws.write_number(r, c, float(value), fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, value, fmt)
    else:
        ws.write_string(r, c, clip_cell(value), fmt)


def _title(report: ReconciliationReport, lang: str, title: str) -> str:
    return TEXT[lang]["span"].format(title=title, period=report.period, start=f"{report.start:%Y-%m-%d}",
                                     end=f"{report.end:%Y-%m-%d}")


# -- 对账汇总 ---------------------------------------------------------------------------------------

def _summary_values(row: ReconciliationRow, lang: str) -> dict:
    c = row.customer
    return {"customer_code": c.code, "customer_name": c.name, "market": c.market,
            "account_manager": c.account_manager, "opening": row.opening, "debits": row.debits,
            "credits": row.credits, "our_balance": row.closing, "customer_balance": row.confirmed,
            "difference": row.difference, "explained": row.explained, "unexplained": row.unexplained,
            "status": STATUS[lang].get(row.status, row.status), "signed_by": row.signed_by, "remark": row.note}


def _summary_sheet(wb, s: _Styles, report: ReconciliationReport, lang: str) -> None:
    t = TEXT[lang]
    ws = wb.add_worksheet(t["summary"])
    ws.write_string(0, 0, _title(report, lang, TITLES[lang]), s.title)
    above = _control(ws, s, report, lang)
    first = KEYS.index("opening")
    ws.merge_range(3, 0, 3, first - 1, "", s.label)
    ws.write_string(3, 0, t["replies"], s.label)
    counts = [(STATUS[lang][k], sum(1 for r in report.rows if r.status == k), TONE[k]) for k in STATUSES]
    unit = t["count"].split('"')[1]
    for i, (label, n, tone) in enumerate([*counts, (t["all"], len(report.rows), None)]):
        ws.write_string(3, first + 2 * i, label, s.cell("text", tone, True))
        ws.write_number(3, first + 2 * i + 1, n, s.count[lang])
        above.setdefault(first + 2 * i, []).append(label)
        above.setdefault(first + 2 * i + 1, []).append(f"{n:,}{unit}")
    rows = [_summary_values(r, lang) for r in report.rows]
    tones = [{"status": TONE.get(r.status)} for r in report.rows]
    _table(ws, s, SUMMARY_HEADER, KEYS, HEADERS[lang], rows, tones, lang=lang, above=above)


def _control(ws, s: _Styles, report: ReconciliationReport, lang: str) -> dict[int, list[str]]:
    """Rows 2 and 3: the ledger's total against the statements' total, 一致 or 不一致."""
    t = TEXT[lang]
    balance = KEYS.index("our_balance")
    amounts = ((t["ledger"].format(end=f"{report.end:%Y-%m-%d}"), report.ledger_total),
               (t["statements"], report.statements_total))
    for r, (label, amount) in enumerate(amounts, start=1):
        ws.merge_range(r, 0, r, balance - 1, "", s.label)
        ws.write_string(r, 0, label, s.label)
        ws.write_number(r, balance, float(amount), s.big_money)
    ok = report.ledger_total == report.statements_total
    verdict = t["ok"] if ok else t["not_ok"]
    ws.write_string(1, balance + 1, verdict, s.cell("text", "green" if ok else "red", True))
    return {balance: [f"{a:,.2f}" for _, a in amounts], balance + 1: [verdict]}


# -- 差异明细 ---------------------------------------------------------------------------------------

def _diff_values(item: DiffItem, names: dict[str, str], lang: str) -> dict:
    return {"customer_code": item.customer_code, "customer_name": names.get(item.customer_code, ""),
            "side": SIDES[lang].get(item.side, item.side), "doc_no": item.doc_no, "date": item.date,
            "amount": item.amount, "note": item.note}


def _differences_sheet(wb, s: _Styles, report: ReconciliationReport, lang: str) -> None:
    t = TEXT[lang]
    ws = wb.add_worksheet(t["differences"])
    ws.write_string(0, 0, _title(report, lang, t["differences"]), s.title)
    items = report.differences
    ws.write_string(1, 0, t["diff_count"].format(n=len(items)) if items else t["no_diffs"], s.bold)
    names = {r.customer.code: r.customer.name for r in report.rows}
    rows = [_diff_values(d, names, lang) for d in items]
    # no totals row: signed amounts of different customers and sides add up to nothing useful
    _table(ws, s, LIST_HEADER, DIFF_KEYS, DIFF_HEADERS[lang], rows, [{} for _ in rows], lang=lang,
           totals_row=False)


# -- 销售vs财务 -------------------------------------------------------------------------------------

def _finance_values(row: FinanceRow) -> dict:
    return {"customer_code": row.customer_code, "customer_name": row.customer_name, "as_of": row.as_of,
            "ours": row.ours, "finance": row.finance, "difference": row.difference}


def _finance_sheet(wb, s: _Styles, report: ReconciliationReport, lang: str) -> None:
    t = TEXT[lang]
    ws = wb.add_worksheet(t["finance"])
    ws.write_string(0, 0, _title(report, lang, t["finance"]), s.title)
    marked = sum(1 for f in report.finance if f.difference != 0)
    ws.write_string(1, 0, t["finance_count"].format(n=len(report.finance), m=marked), s.bold)
    rows = [_finance_values(f) for f in report.finance]
    tones = [{"*": "mark", "difference": "red"} if f.difference != 0 else {} for f in report.finance]
    _table(ws, s, LIST_HEADER, FINANCE_KEYS, FINANCE_HEADERS[lang], rows, tones, lang=lang)


__all__ = ["write_reconciliation", "reconciliation_file_name", "KEYS", "HEADERS", "DIFF_KEYS", "DIFF_HEADERS",
           "FINANCE_KEYS", "FINANCE_HEADERS"]
