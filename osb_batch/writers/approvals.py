"""The approval requests (待审批单): one workbook per SLT member, itself an `approvals` inbox form.

The data sheet's header is the ``approval_requests`` catalogue form's labels in its field order,
header on row 1. The batch pre-fills the order, the approval type and product, the approver and
the figures the signer needs; 决定, 签字时间, 秘书代签 and 意见 are left empty for the signer
(决定 highlighted yellow, with dropdowns and a date check). The hidden ``_osb`` sheet names the form
``approvals``, so the filled workbook dropped back into ``inbox/`` is read as approvals. Columns
that are not `approvals` fields (the figures) are listed in ``_osb`` with a leading ``~``:
informational, to be ignored by the reader.

A director signs knowing what the order is: the 订单明细 sheet lists every line of every order
in the workbook (requested, cut and accepted quantities, price, amount). ``_osb`` names it a
``shown`` sheet, so the signed copy coming back is read without a word about it. A prepaid
customer's row shows its available prepayment and the shortfall instead of a credit limit and
an exposure, which mean nothing for it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from decimal import Decimal

from osb_batch.catalogue import Catalogue, Field, load
from osb_batch.messages import case_label

from .common import clip_cell, column_width, display_width, output_workbook, print_list, safe_name
from .common import lang_key as _lang
from .palette import BORDER_GREY, DECISION_FILL, GREEN, GREY_FILL, RED, RED_FONT, TO_FILL_FILL
from .records import ApprovalRequest, OrderLineView

FORM_KEY = "approvals"                  # what the returned workbook is read as
LAYOUT_FORM = "approval_requests"       # the output form whose fields give the columns
INFORMATIONAL = "~"                     # _osb key prefix: a column to show, not to read
NAME = {"zh": "待审批单", "en": "Approval requests"}
INSTRUCTIONS = {"zh": "填写说明", "en": "Instructions"}   # the reader skips sheets with these names
LINES = {"zh": "订单明细", "en": "Order lines"}          # named `shown` in _osb: skipped on return
#: The 订单明细 columns: key, Chinese and English header, cell kind.
LINE_COLUMNS = (
    ("order_no", "订单号", "Order number", "text"), ("customer_name", "客户名称", "Customer name", "text"),
    ("product_code", "产品编码", "Product code", "text"), ("product_name", "产品名称", "Product name", "text"),
    ("spec", "规格", "Specification", "text"), ("unit", "单位", "Unit", "text"),
    ("requested", "申请数量", "Qty requested", "qty"), ("cut_qty", "配额削减", "Qty cut by quota", "qty"),
    ("qty", "批准数量", "Qty accepted", "qty"), ("unit_price", "单价", "Unit price", "money"),
    ("amount", "金额", "Amount", "money"),
)
QTY = "#,##0.###;-#,##0.###;0"
TO_FILL = ("decision", "signed_at", "on_behalf", "note")
PREFILLED_FILL = GREY_FILL             # written by the batch: not to be changed
MONEY = "#,##0.00"
DATETIME = "yyyy-mm-dd hh:mm"
MAX_WIDTH = 40
BOOLEAN = {"zh": ("是", "否"), "en": ("Yes", "No")}
TEXT = {
    "zh": {
        "title": "待审批单 — {signer} — {date}",
        "steps": (
            "本表列出 {date} 等待{signer}签字的订单，每行一项审批。灰色表头的列由批处理预先填好，请勿修改。",
            "在黄色的“决定”列为每一行选择 同意 或 不同意。",
            "在“签字时间”列填写签字的日期和时间，如 {example}。",
            "如由秘书代领导签字，在“秘书代签”列填 是；本人签字填 否 或留空。",
            "不同意时，请在“意见”列写明原因。",
            "暂不决定的订单，保持该行“决定”“签字时间”“意见”为空即可，该订单继续等待审批；请在“审批期限”之前处理。",
            "每个订单的产品、数量、单价和金额见“订单明细”工作表（配额削减的数量也列在那里）；该表只供查看，不必填写。",
            "填好后保存（仍为 .xlsx 格式，不要修改表头，不要删除隐藏的 _osb 工作表），"
            "把文件放入 inbox/ 文件夹，下一次批处理运行时生效。",
        ),
        "how": "如何签字", "columns": "各列说明", "column": "列名", "by": "填写", "meaning": "说明",
        "batch": "批处理预填", "signer": "签字人填写",
        "decision_error": "请从下拉列表中选择 同意 或 不同意。",
        "boolean_error": "请选择 是 或 否。",
        "date_error": "请填写签字的日期和时间，如 {example}。",
        "list_title": "不在可选值中", "date_title": "日期时间",
    },
    "en": {
        "title": "Approval requests — {signer} — {date}",
        "steps": (
            "This workbook lists the orders waiting for the signature of the {signer} on {date}, one "
            "approval per row. Columns with a grey header were filled by the batch: do not change them.",
            "In the yellow Decision column choose Approve or Refuse for every row.",
            "In Signed at, enter the date and time of signing, e.g. {example}.",
            "If a secretary signs on the member's behalf, enter Yes in Signed on behalf; otherwise No or "
            "leave it empty.",
            "When refusing, give the reason in Comment.",
            "To leave an order undecided, leave its Decision, Signed at and Comment empty: the order "
            "keeps waiting. Decide before the deadline.",
            "The Order lines sheet shows each order's products, quantities (with what the quota cut), "
            "prices and amounts. It is for reading only: nothing to fill there.",
            "Save the file (as .xlsx; keep the headers and the hidden _osb sheet) and drop it into the "
            "inbox/ folder; the next batch run applies it.",
        ),
        "how": "How to sign", "columns": "Columns", "column": "Column", "by": "Filled by",
        "meaning": "Meaning", "batch": "the batch", "signer": "the signer",
        "decision_error": "Choose Approve or Refuse from the list.",
        "boolean_error": "Choose Yes or No.",
        "date_error": "Enter the date and time of signing, e.g. {example}.",
        "list_title": "Not in the list", "date_title": "Date and time",
    },
}
# what the columns that are not `approvals` fields mean (the approvals fields have catalogue notes)
FIGURE_NOTES = {
    "zh": {"customer_code": "订单的客户编码。", "customer_name": "客户名称。",
           "amount": "订单金额（削减后，元）。", "credit_limit": "客户的信用额度（元）。",
           "exposure": "占用额度：未收应收款 + 已承诺订单 + 本订单（元）；先款后货客户不适用，见可用预付款。",
           "prepayment": "先款后货客户：已到账、尚未被其他订单占用的预付款（元）。",
           "shortfall": "先款后货客户：本订单金额超出可用预付款的部分（元），0 表示预付款足够。",
           "over_pct": "占用额度超出信用额度的比例。", "overdue": "已逾期的应收款（元）。",
           "case": "信用检查情形：5-2 额度内；5-3 超出额度、在容差内；5-5 申请特别处理；5-7a 先款客户预付款足够；"
                   "5-7b 预付款差额在上限内（5-4、5-7c 须先付款，不在此审批）。",
           "deadline": "最迟应在此时间前审批。"},
    "en": {"customer_code": "The order's customer code.", "customer_name": "Customer name.",
           "amount": "Order amount after quota cuts (yuan).", "credit_limit": "Customer's credit limit.",
           "exposure": "Open receivables + committed orders + this order; for a prepaid customer see "
                       "Prepayment available instead.",
           "prepayment": "Prepaid customer: payments received and not yet used by other orders.",
           "shortfall": "Prepaid customer: how much the order amount exceeds the prepayment available "
                        "(0 when it covers it).",
           "over_pct": "How far exposure exceeds the credit limit.", "overdue": "Overdue receivables.",
           "case": "Credit check case: 5-2 within the limit; 5-3 over the limit, within the tolerance; "
                   "5-5 special treatment requested; 5-7a prepaid customer, prepayment covers the order; "
                   "5-7b prepayment shortfall within the cap (5-4 and 5-7c wait for payment, not here).",
           "deadline": "Approve before this time.",
           "order_no": "Order number.", "approval_type": "What is to be approved: manager approval, over "
           "credit limit, prepayment shortfall, special treatment or over quota.",
           "product_code": "For an over-quota approval: the product over its quota.",
           "approver": "Who must sign.", "decision": "Approve or Refuse.",
           "signed_at": "Date and time of signing, e.g. 2026-11-26 16:30.",
           "on_behalf": "Yes when a secretary signs on the member's behalf.",
           "note": "Comment; give the reason when refusing."},
}
SIGNED_AT_EXAMPLE = "2026-11-26 16:30"
INSTRUCTION_WIDTHS = (18, 14, 70)
STEP_WIDTH = sum(INSTRUCTION_WIDTHS) - 6   # characters of a merged step line, less some slack


def approval_requests_name(signer_title: str, business_date: dt.date, lang: str = "zh") -> str:
    """``待审批单-销售总监-2026-11-26.xlsx``."""
    return f"{safe_name(NAME[_lang(lang)])}-{safe_name(signer_title)}-{business_date:%Y-%m-%d}.xlsx"


def osb_keys(catalogue: Catalogue | None = None) -> tuple[str, ...]:
    """The ``_osb`` column keys of the data sheet: `approvals` fields as they are, the other
    (informational) columns with a leading ``~``."""
    catalogue = catalogue or load()
    read = set(catalogue[FORM_KEY].keys)
    return tuple(k if k in read else INFORMATIONAL + k for k in catalogue[LAYOUT_FORM].keys)


def write_approval_requests(requests: Sequence[ApprovalRequest], path: str | os.PathLike, *,
                            signer_title: str, business_date: dt.date, lang: str = "zh",
                            version: str) -> None:
    """Write one SLT member's approval workbook to ``path`` (temporary name, renamed when complete).

    Rows are written in the order given."""
    lang = _lang(lang)
    catalogue = load()
    layout = catalogue[LAYOUT_FORM]
    approvals = catalogue[FORM_KEY]
    with output_workbook(path, FORM_KEY, version, osb_keys(catalogue), fill=TO_FILL,
                         shown=(LINES[lang],)) as wb:
        writer = _Writer(wb, lang, layout.fields, approvals, signer_title, business_date)
        writer.data_sheet(requests)
        writer.lines_sheet(requests)
        writer.instructions()



def _label(f: Field, lang: str) -> str:
    return f.en if lang == "en" else f.zh


def _choice_label(f: Field, key: str, lang: str) -> str:
    """An enum key as the choice's label (Chinese, or English with lang="en")."""
    for c in f.choices:
        if key in (c.key, c.zh, c.en):
            return c.en if lang == "en" else c.zh
    return key


def _line_value(request: ApprovalRequest, line: OrderLineView, key: str):
    if key in ("order_no", "customer_name"):
        return getattr(request, key)
    if key == "requested":
        return line.qty + line.cut_qty
    return getattr(line, key)


def _escape_header(text: str) -> str:
    """Text for an Excel page header: '&' starts a control code."""
    return text.replace("&", "&&")


class _Writer:
    def __init__(self, wb, lang: str, fields: Sequence[Field], approvals, signer_title: str,
                 business_date: dt.date):
        self.wb, self.lang, self.fields, self.approvals = wb, lang, tuple(fields), approvals
        self.text = TEXT[lang]
        self.values = {"signer": signer_title, "date": f"{business_date:%Y-%m-%d}",
                       "example": SIGNED_AT_EXAMPLE}
        self.title = self.text["title"].format(**self.values)
        add = wb.add_format
        head = {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "border": 1,
                "border_color": BORDER_GREY}
        self.header = {
            "batch": add({**head, "bg_color": PREFILLED_FILL}),
            "decision": add({**head, "bg_color": DECISION_FILL}),
            "fill": add({**head, "bg_color": TO_FILL_FILL}),
        }
        cell = {"valign": "top", "border": 1, "border_color": BORDER_GREY}
        self.cell = {
            "text": add(cell),
            "money": add({**cell, "num_format": MONEY}),
            "qty": add({**cell, "num_format": QTY}),
            "datetime": add({**cell, "num_format": DATETIME, "align": "left"}),
            "decision": add({**cell, "bg_color": DECISION_FILL, "align": "center"}),
            "signed_at": add({**cell, "bg_color": TO_FILL_FILL, "num_format": DATETIME, "align": "left"}),
            "on_behalf": add({**cell, "bg_color": TO_FILL_FILL, "align": "center"}),
            "note": add({**cell, "bg_color": TO_FILL_FILL, "text_wrap": True}),
        }
        self.approve = add(GREEN)
        self.refuse = add(RED)
        self.overdue = add({"font_color": RED_FONT, "bold": True})
        self.bold = add({"bold": True})
        self.big = add({"bold": True, "font_size": 14})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.table_head = add({**head, "bg_color": PREFILLED_FILL})
        self.table_cell = add({"text_wrap": True, "valign": "top", "border": 1, "border_color": BORDER_GREY})

    # -- the data sheet (the form) --------------------------------------------------------

    def data_sheet(self, requests: Sequence[ApprovalRequest]) -> None:
        ws = self.wb.add_worksheet(NAME[self.lang])
        fields = self.fields
        for c, f in enumerate(fields):
            kind = "decision" if f.key == "decision" else "fill" if f.key in TO_FILL else "batch"
            ws.write_string(0, c, _label(f, self.lang), self.header[kind])
        shown: dict[str, list[str]] = {f.key: [] for f in fields}
        for r, request in enumerate(requests, start=1):
            for c, f in enumerate(fields):
                shown[f.key].append(self._write(ws, r, c, f, request))
        last = len(requests)
        for c, f in enumerate(fields):
            width = column_width(_label(f, self.lang), shown[f.key], MAX_WIDTH)
            if f.key in TO_FILL:
                width = max(width, display_width(SIGNED_AT_EXAMPLE) + 2)
            ws.set_column(c, c, max(width, f.width))
        if last:
            self._validations(ws, last)
            self._colours(ws, last)
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, last, len(fields) - 1)
        print_list(ws, header_row=0)
        ws.set_header(f"&C{_escape_header(self.title)}"[:255])

    def _write(self, ws, r: int, c: int, f: Field, request: ApprovalRequest) -> str:
        """Write one cell; return what it shows (for the width)."""
        if f.key in TO_FILL:
            ws.write_blank(r, c, None, self.cell[f.key])
            return ""
        value = getattr(request, f.key)
        if value is None:                           # a figure that does not apply to this order
            ws.write_blank(r, c, None, self.cell["text"])
            return ""
        if f.type == "money":
            ws.write_number(r, c, float(value), self.cell["money"])      # display only
            return f"{Decimal(value):,.2f}"
        if f.type == "datetime":
            value = value.replace(tzinfo=None)      # the batch's own clock time (Asia/Shanghai)
            ws.write_datetime(r, c, value, self.cell["datetime"])
            return f"{value:%Y-%m-%d %H:%M}"
        if f.type == "enum":
            text = _choice_label(self.approvals.field(f.key), value, self.lang)
        elif f.key == "case":
            text = case_label(value, self.lang)
        else:
            text = clip_cell(value)
        if text:
            ws.write_string(r, c, text, self.cell["text"])
        else:
            ws.write_blank(r, c, None, self.cell["text"])
        return text

    def _column(self, key: str) -> int:
        return next(i for i, f in enumerate(self.fields) if f.key == key)

    def _validations(self, ws, last: int) -> None:
        text = self.text
        decision = self.approvals.field("decision")
        choices = [c.en if self.lang == "en" else c.zh for c in decision.choices]
        col = self._column("decision")
        ws.data_validation(1, col, last, col, {
            "validate": "list", "source": choices, "error_type": "stop",
            "error_title": text["list_title"], "error_message": text["decision_error"],
            "input_title": _label(decision, self.lang), "input_message": "、".join(choices)})
        col = self._column("on_behalf")
        ws.data_validation(1, col, last, col, {
            "validate": "list", "source": list(BOOLEAN[self.lang]), "error_type": "stop",
            "error_title": text["list_title"], "error_message": text["boolean_error"]})
        col = self._column("signed_at")
        ws.data_validation(1, col, last, col, {
            "validate": "date", "criteria": "between",
            "minimum": dt.datetime(2000, 1, 1), "maximum": dt.datetime(2100, 1, 1),
            "error_type": "warning", "error_title": text["date_title"],
            "error_message": text["date_error"].format(**self.values),
            "input_title": _label(self.approvals.field("signed_at"), self.lang),
            "input_message": SIGNED_AT_EXAMPLE})

    def _colours(self, ws, last: int) -> None:
        decision = self.approvals.field("decision")
        col = self._column("decision")
        for choice, fmt in zip(decision.choices, (self.approve, self.refuse), strict=True):
            ws.conditional_format(1, col, last, col, {
                "type": "cell", "criteria": "==",
                "value": f'"{choice.en if self.lang == "en" else choice.zh}"', "format": fmt})
        col = self._column("overdue")
        ws.conditional_format(1, col, last, col, {"type": "cell", "criteria": ">", "value": 0,
                                                  "format": self.overdue})

    # -- 订单明细: what each order is ----------------------------------------------------------

    def lines_sheet(self, requests: Sequence[ApprovalRequest]) -> None:
        """One row per line of each order in the workbook (an order asked of several approvals once)."""
        ws = self.wb.add_worksheet(LINES[self.lang])
        headers = [zh if self.lang == "zh" else en for _, zh, en, _ in LINE_COLUMNS]
        for c, head in enumerate(headers):
            ws.write_string(0, c, head, self.header["batch"])
        shown: list[list[str]] = [[] for _ in LINE_COLUMNS]
        orders: dict[str, ApprovalRequest] = {}
        for request in requests:
            orders.setdefault(request.order_no, request)
        r = 0
        for request in orders.values():
            for line in request.lines:
                r += 1
                for c, (key, _, _, kind) in enumerate(LINE_COLUMNS):
                    shown[c].append(self._line_cell(ws, r, c, kind, _line_value(request, line, key)))
        for c, head in enumerate(headers):
            ws.set_column(c, c, column_width(head, shown[c], MAX_WIDTH))
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, r, len(LINE_COLUMNS) - 1)
        print_list(ws, header_row=0)
        ws.set_header(f"&C{_escape_header(self.title)} — {LINES[self.lang]}"[:255])

    def _line_cell(self, ws, r: int, c: int, kind: str, value) -> str:
        if kind == "text":
            text = clip_cell(value)
            if text:
                ws.write_string(r, c, text, self.cell["text"])
            else:
                ws.write_blank(r, c, None, self.cell["text"])
            return text
        ws.write_number(r, c, float(value), self.cell[kind])          # display only
        return f"{Decimal(value):,.2f}" if kind == "money" else f"{Decimal(value):,f}"

    # -- 填写说明 -----------------------------------------------------------------------------

    def instructions(self) -> None:
        ws = self.wb.add_worksheet(INSTRUCTIONS[self.lang])
        text = self.text
        ws.write_string(0, 0, f"{self.title} — {INSTRUCTIONS[self.lang]}", self.big)
        row = 2
        ws.write_string(row, 0, text["how"], self.bold)
        for i, step in enumerate(text["steps"], start=1):
            row += 1
            line = f"{i}. {step.format(**self.values)}"
            ws.merge_range(row, 0, row, 2, "", self.wrap)
            ws.write_string(row, 0, line, self.wrap)
            # merged cells do not grow with wrapped text: give the row its lines
            ws.set_row(row, 16 * (display_width(line) // STEP_WIDTH + 1) + 2)
        row += 2
        ws.write_string(row, 0, text["columns"], self.bold)
        row += 1
        for c, head in enumerate((text["column"], text["by"], text["meaning"])):
            ws.write_string(row, c, head, self.table_head)
        notes = FIGURE_NOTES[self.lang]
        for f in self.fields:
            row += 1
            by = text["signer"] if f.key in TO_FILL else text["batch"]
            if self.lang == "zh" and f.key in self.approvals.keys:
                meaning = self.approvals.field(f.key).note
            else:
                meaning = notes.get(f.key, "")
            for c, value in enumerate((_label(f, self.lang), by, meaning)):
                ws.write_string(row, c, value, self.table_cell)
        for c, width in enumerate(INSTRUCTION_WIDTHS):
            ws.set_column(c, c, width)
        ws.set_paper(9)
        ws.set_portrait()
        ws.fit_to_pages(1, 0)


__all__ = ["write_approval_requests", "approval_requests_name", "osb_keys", "FORM_KEY",
           "INFORMATIONAL"]
