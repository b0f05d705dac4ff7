"""The receipts pool (到款池): unmatched bank receipts for sales staff to claim.

The first sheet 待认领 lists every unmatched receipt with the customers who probably paid it,
then four yellow columns a salesperson fills to claim it. The workbook is itself a
``collection_claims`` inbox form: the hidden ``_osb`` sheet names that form and maps 银行流水号
to ``bank_ref``, 金额 to ``amount`` and the yellow columns to their claim fields; every other
column is listed with a leading ``~`` (shown, not read). The headers of the claim fields are the
catalogue's labels, required ones marked ``*``, so the filled file dropped back into ``inbox/``
reads as claims. The totals sit above the header: a totals row would read as a claim.

The second sheet lists the receipts matched in this run, the third the money-conservation check
(received = applied + prepayment + unmatched). Their headers deliberately name at most one
claim field (银行流水号), so the reader never mistakes them for claim sheets.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from osb_batch.catalogue import Field, load

from .account_records import AppliedReceipt, PoolReceipt, PoolReport
from .approvals import INFORMATIONAL
from .common import clip_cell, lang_key, output_workbook, safe_name
from .palette import GREEN, RED
from .receivables import (
    DATE_KIND,
    FILL,
    INT,
    MONEY,
    MONEY_KIND,
    PLAIN,
    TEXT,
    WRAP,
    Column,
    ListStyles,
    money_totals,
    write_list,
    write_totals,
)

FORM_KEY = "collection_claims"          # what the filled workbook is read as
FILE_PREFIX = "到款池"
HEADER_ROW = 3                          # 0-based: title, totals, how to claim, header
# the 待认领 columns by catalogue key; `~` marks the columns that are not claim fields
KEYS = ("bank_ref", "~receipt_date", "~payer_name", "amount", "~bank_account", "~remark", "~days_waiting",
        "~candidates", "claim_no", "customer_code", "invoice_nos", "claimed_by")
TO_FILL = ("claim_no", "customer_code", "invoice_nos", "claimed_by")
_SHOWN = {   # the columns that are not claim fields
    "receipt_date": Column("到款日期", "Receipt date", DATE_KIND),
    "payer_name": Column("付款户名", "Payer name", WRAP, 28),
    "bank_account": Column("收款账户", "Receiving account", WRAP, 24),
    "remark": Column("摘要", "Bank remark", WRAP, 30),
    "days_waiting": Column("等待天数", "Days waiting", INT, 8),
    "candidates": Column("可能的客户", "Possible customers", WRAP, 44),
}
_MATCHED = (Column("银行流水号", "Bank reference", TEXT, 20), Column("到款日期", "Receipt date", DATE_KIND),
            Column("付款户名", "Payer name", WRAP, 28), Column("到款金额", "Receipt amount", MONEY_KIND),
            Column("匹配客户编码", "Matched customer", TEXT, 14), Column("客户名称", "Customer name", WRAP, 28),
            Column("匹配方式", "Matched by", TEXT, 12), Column("核销明细", "Applied to", WRAP, 40),
            Column("已核销", "Applied", MONEY_KIND), Column("转预收", "Prepayment", MONEY_KIND))
TEXTS = {
    "zh": {"unmatched": "待认领", "matched": "本次已匹配", "summary": "汇总", "title": "到款池 — {sheet}（截至 {date}）",
           "total": "合计（{n:,} 笔）", "none_unmatched": "没有待认领的到款", "none_matched": "本次没有匹配的到款",
           "hint": "认领到款：在黄色列填写收款申请单号、客户编码和申请人（可填核销发票号，多个用分号分隔）；"
                   "不认领的行保持黄色列为空即可，保存后把文件放入 inbox/ 文件夹。",
           "colon": "：", "item": "项目", "amount": "金额（元）", "received": "到款合计", "applied": "已核销",
           "prepayment": "转预收", "pool": "未认领", "check": "到款合计 = 已核销 + 转预收 + 未认领",
           "ties": "相符", "differs": "不符，差额 {diff:,.2f}"},
    "en": {"unmatched": "To claim", "matched": "Matched this run", "summary": "Summary",
           "title": "Receipts pool — {sheet} as of {date}", "total": "Total ({n:,} receipts)",
           "none_unmatched": "No receipts to claim", "none_matched": "No receipts matched in this run",
           "hint": "To claim a receipt fill the yellow columns: claim number, customer code and your name "
                   "(optionally the invoices to settle, separated by ;). Leave the yellow columns of the rows "
                   "you do not claim empty, save and drop the file into the inbox/ folder.",
           "colon": ": ", "item": "Item", "amount": "Amount (CNY)", "received": "Total received",
           "applied": "Applied", "prepayment": "Held as prepayment", "pool": "Unmatched",
           "check": "Received = applied + prepayment + unmatched", "ties": "Ties",
           "differs": "Does not tie: difference {diff:,.2f}"},
}


def pool_file_name(as_of: dt.date) -> str:
    """``到款池-2026-11-26.xlsx``."""
    return f"{FILE_PREFIX}-{safe_name(as_of.isoformat())}.xlsx"


def write_pool(report: PoolReport, path: str | os.PathLike, *, lang: str = "zh", version: str) -> None:
    """Write the receipts pool to ``path`` (under a temporary name, renamed when complete)."""
    lang = lang_key(lang)
    claims = load()[FORM_KEY]
    columns = tuple(_claim_column(claims.field(k), lang) if not k.startswith(INFORMATIONAL)
                    else _SHOWN[k[1:]] for k in KEYS)
    min_widths = [claims.field(k).width + 2 if k in TO_FILL else 0 for k in KEYS]
    with output_workbook(path, FORM_KEY, version, KEYS, fill=TO_FILL) as wb:
        styles = ListStyles(wb)
        text = TEXTS[lang]
        title = {k: text["title"].format(sheet=text[k], date=report.as_of.isoformat())
                 for k in ("unmatched", "matched", "summary")}
        _unmatched_sheet(wb, styles, columns, min_widths, report.unmatched, lang, title["unmatched"])
        _matched_sheet(wb, styles, report.matched, lang, title["matched"])
        _summary_sheet(wb, styles, report, lang, title["summary"])


def _claim_column(f: Field, lang: str) -> Column:
    """A claim field's column, headed by its catalogue label; a column to fill marks required `*`."""
    if f.key not in TO_FILL:
        return Column(f.zh, f.en, MONEY_KIND if f.type == "money" else TEXT, 20)
    star = "*" if f.required else ""
    return Column(f.header(), f"{f.en}{star}", FILL, 20 if f.list else 16)


def _candidates(receipt: PoolReceipt, lang: str) -> str:
    colon = TEXTS[lang]["colon"]
    return "\n".join(f"{c.customer_code} {c.customer_name}{colon}{c.reason}" for c in receipt.candidates)


def _unmatched_sheet(wb, styles: ListStyles, columns, min_widths, receipts: tuple[PoolReceipt, ...],
                     lang: str, title: str) -> None:
    text = TEXTS[lang]
    ws = wb.add_worksheet(text["unmatched"])
    ws.write_string(0, 0, clip_cell(title), styles.title)
    values = [(r.bank_ref, r.receipt_date, r.payer_name, r.amount, r.bank_account, r.remark, r.days_waiting,
               _candidates(r, lang), None, None, None, None) for r in receipts]
    label = text["total"].format(n=len(values)) if values else text["none_unmatched"]
    write_totals(ws, styles, 1, label, money_totals(columns, values))
    if values:
        ws.write_string(2, 0, text["hint"], styles.note)
    write_list(ws, styles, columns, ((v, PLAIN) for v in values), lang, header_row=HEADER_ROW,
               min_widths=min_widths)


def _matched_sheet(wb, styles: ListStyles, receipts: tuple[AppliedReceipt, ...], lang: str, title: str) -> None:
    text = TEXTS[lang]
    ws = wb.add_worksheet(text["matched"])
    ws.write_string(0, 0, clip_cell(title), styles.title)
    values = [(r.bank_ref, r.receipt_date, r.payer_name, r.amount, r.customer_code, r.customer_name,
               r.matched_by, r.applied_to, r.applied, r.prepayment) for r in receipts]
    label = text["total"].format(n=len(values)) if values else text["none_matched"]
    write_totals(ws, styles, 1, label, money_totals(_MATCHED, values))
    write_list(ws, styles, _MATCHED, ((v, PLAIN) for v in values), lang)


def _summary_sheet(wb, styles: ListStyles, report: PoolReport, lang: str, title: str) -> None:
    text = TEXTS[lang]
    ws = wb.add_worksheet(text["summary"])
    ws.write_string(0, 0, clip_cell(title), styles.title)
    ws.write_string(2, 0, text["item"], styles.header)
    ws.write_string(2, 1, text["amount"], styles.header)
    money = wb.add_format({"num_format": MONEY})
    lines = (("received", report.total_received), ("applied", report.total_applied),
             ("prepayment", report.total_prepayment), ("pool", report.total_unmatched))
    for r, (key, amount) in enumerate(lines, start=3):
        ws.write_string(r, 0, text[key], styles.label if key == "received" else None)
        ws.write_number(r, 1, float(amount), styles.total_money if key == "received" else money)
    diff = report.total_received - (report.total_applied + report.total_prepayment + report.total_unmatched)
    row = 3 + len(lines) + 1
    ws.write_string(row, 0, text["check"], styles.label)
    ties = diff == Decimal(0)
    ws.write_string(row, 1, text["ties"] if ties else text["differs"].format(diff=diff),
                    wb.add_format({"bold": True, **(GREEN if ties else RED)}))
    ws.set_column(0, 0, 44 if lang == "en" else 36)
    ws.set_column(1, 1, 28)
    ws.set_paper(9)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)


__all__ = ["write_pool", "pool_file_name", "KEYS", "TO_FILL", "FORM_KEY", "HEADER_ROW"]
