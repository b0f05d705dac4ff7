"""The HTML summary of a run: a short page that can be mailed as it is.

Rendered from ``osb_batch/templates/run_summary.html.j2`` with jinja2, autoescape on, so every
text that came from input (a customer name in a note, an output label) is escaped. Inline CSS
only and no script: mail clients drop ``<style>`` blocks and never run scripts. Links to the
run's outputs are relative; anything that is not a plain relative path is shown without a link.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2

from osb_batch import catalogue
from osb_batch.messages import state_label

from .common import atomic_path
from .records import STATE_COUNT, RunSummary

TEMPLATE = "run_summary.html.j2"
COUNT_LABEL = {
    "zh": {"inputs": "收件", "exceptions": "异常", "errors": "错误", "warnings": "警告", "orders": "订单",
           "accepted": "接收订单", "rejected": "退回订单", "cut": "削减订单", "approved": "已批准订单",
           "refused": "未获批准订单", "prepay_required": "须先款后货", "awaiting_payment": "等待付款",
           "awaiting_signature": "待签批", "delivery_notes": "送货单", "notices": "区域通知",
           "approval_requests": "待审批单", "shipments": "发运反馈", "invoices": "发票", "receipts": "银行到款",
           "unmatched_receipts": "未认领到款", "problems_opened": "新增问题", "problems_resolved": "已解决问题",
           "quarantined": "隔离文件", "duplicates": "重复文件"},
    "en": {"inputs": "Inputs", "exceptions": "Exceptions", "errors": "Errors", "warnings": "Warnings",
           "orders": "Orders", "accepted": "Orders accepted", "rejected": "Orders rejected", "cut": "Orders cut",
           "approved": "Orders approved", "refused": "Orders refused", "prepay_required": "Prepayment required",
           "awaiting_payment": "Awaiting payment", "awaiting_signature": "Awaiting signature",
           "delivery_notes": "Delivery notes", "notices": "Unit managers' notices",
           "approval_requests": "Approval requests", "shipments": "Shipment feedback", "invoices": "Invoices",
           "receipts": "Bank receipts", "unmatched_receipts": "Unmatched receipts",
           "problems_opened": "Problems opened", "problems_resolved": "Problems resolved",
           "quarantined": "Quarantined files", "duplicates": "Duplicate files"},
}
SIGNER_LABEL = {
    "zh": {"gm": "总经理", "director": "销售总监", "deputy": "销售副总监"},
    "en": {"gm": "General manager", "director": "Sales director", "deputy": "Deputy sales director",
           "总经理": "General manager", "销售总监": "Sales director", "销售副总监": "Deputy sales director"},
}
TEXT = {
    "zh": {"html_lang": "zh-CN", "title": "OSB日报 {date} 第 {run} 次运行", "counts": "本次运行",
           "item": "项目", "number": "数量", "waiting": "等待签批", "signer": "签批人", "orders": "订单数",
           "nobody": "没有等待签批的订单。", "problems": "未解决的OSB问题", "problems_count": "共 {n} 个，责任部门请填写书面说明",
           "problems_none": "没有未解决的OSB问题。", "outputs": "输出文件", "no_outputs": "本次运行没有输出文件。",
           "notes": "说明", "footer": "本邮件由 osb_batch 自动生成，请勿直接回复；链接指向本次运行目录中的文件。",
           "total": "合计"},
    "en": {"html_lang": "en", "title": "OSB run {date} #{run}", "counts": "This run", "item": "Item",
           "number": "Count", "waiting": "Waiting for signature", "signer": "Signer", "orders": "Orders",
           "nobody": "No order waits for a signature.", "problems": "Open OSB problems",
           "problems_count": "{n} open: responsible departments, please write your explanations",
           "problems_none": "No open OSB problems.", "outputs": "Outputs", "no_outputs": "This run wrote no outputs.",
           "notes": "Notes", "footer": "Written by osb_batch; please do not reply. The links point into this run's folder.",
           "total": "Total"},
}


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("osb_batch", "templates"),
        autoescape=True,                # explicitly: the template's name does not end in .html
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def relative_href(path: str | os.PathLike) -> str | None:
    """A percent-encoded relative URL for ``path``, or None when it is not a plain relative path
    (a scheme such as ``javascript:``, a host, an absolute or drive path)."""
    text = os.fspath(path).replace("\\", "/").strip()
    parts = urlsplit(text)
    if not text or parts.scheme or parts.netloc or text.startswith("/") or any(ord(c) < 32 for c in text):
        return None
    return quote(text, safe="/-_.~")


def render_html_summary(summary: RunSummary, *, lang: str = "zh") -> str:
    """The summary page as a string (UTF-8 HTML), e.g. for a mail body."""
    lang = "en" if lang == "en" else "zh"
    text = TEXT[lang]
    counts = [(_count_label(k, lang), n) for k, n in summary.counts.items()]
    waiting = [(SIGNER_LABEL[lang].get(k, k), n) for k, n in summary.waiting_by_signer.items() if n]
    outputs = [(_form_label(form, lang), path, relative_href(path)) for form, path in summary.outputs]
    return _environment().get_template(TEMPLATE).render(
        t=text,
        title=text["title"].format(date=summary.business_date.isoformat(), run=summary.run),
        counts=counts,
        waiting=waiting,
        waiting_total=sum(n for _, n in waiting),
        open_problems=summary.open_problems,
        outputs=outputs,
        notes=list(summary.notes),
    )


def _count_label(key: str, lang: str) -> str:
    if key.startswith(STATE_COUNT):
        return f"{COUNT_LABEL[lang]['orders']} · {state_label(key.removeprefix(STATE_COUNT), lang)}"
    return COUNT_LABEL[lang].get(key) or (key.replace("_", " ").capitalize() if lang == "en" else key)


def _form_label(form: str, lang: str) -> str:
    """An output's name from the catalogue (a label that is no form key is shown as it is)."""
    found = next((f for f in catalogue.load() if f.key == form), None)
    return form if found is None else found.en if lang == "en" else found.zh


def write_html_summary(summary: RunSummary, path: str | Path, *, lang: str = "zh") -> None:
    """Write the summary page to ``path`` (under a temporary name, renamed when complete)."""
    html = render_html_summary(summary, lang=lang)
    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8", newline="\n")


__all__ = ["write_html_summary", "render_html_summary", "relative_href"]
