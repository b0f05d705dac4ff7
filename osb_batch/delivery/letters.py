"""One message per person: their files attached, and a short body in Chinese saying what is in it
and what they must do by when (the approval deadline, the reports they owe)."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from osb_batch import catalogue

#: What the receiver of a form must do; ``{due}`` is the entry's deadline where it has one.
TASKS = {
    "approval_requests": "请在 {due} 前审批《待审批单》，签批后把工作簿放回收件箱（inbox/）。",
    "returned_copies": "请按红色单元格的批注改正《退回修改件》，改好后重新提交。",
    "um_notices": "请查看《区域通知》中被退回、削减或须先款后货的订单，并告知客户。",
    "delivery_notes": "请打印《送货单》并安排发货。",
    "statements": "请把《对账单》发给客户确认，并收回签章的确认函。",
    "receipts_pool": "请认领《到款池》中属于您客户的到款（填写收款申请单）。",
    "workflow_items": "请处理《待办事项》中您名下的事项。",
    "reminders": "请尽快提交《催报通知》中列出的报表。",
    "credit_limit_proposal": "请审定《信用额度建议》，填好批准额度后放回收件箱。",
}


#: The status of a report owed (the manifest's ``reminders``), as the reminders workbook says it.
STATUS = {"missing": "逾期未交", "due_soon": "即将到期"}


def form_name(key: str) -> str:
    form = catalogue.load().forms.get(key)
    return form.zh if form else {"summary": "运行摘要", "sales_scoped": "销售业绩"}.get(key, key)


def body(person: str, rows: Sequence[Mapping], owed: Sequence[Mapping], company: str) -> str:
    """The text: whom it is for, each attached file with its form, what to do, and ``owed``: the
    reports they owe (the manifest's ``reminders`` entries of this person)."""
    lines = [f"{person}：", "", f"{company}销售部批处理（osb-batch）给您的 {len(rows)} 个文件见附件：", ""]
    lines += [f"  · {Path(r['file']).name}（{form_name(r['form'])}）" for r in rows]
    tasks = []
    for form in dict.fromkeys(r["form"] for r in rows if r["form"] in TASKS):
        due = min((r["due"] for r in rows if r["form"] == form and r.get("due")), default="表中“最迟审批”时间")
        tasks.append(TASKS[form].format(due=due))
    if owed:
        tasks.append("您尚未提交的报表：")
        tasks += [f"    {form_name(o['form'])} {o['period']}，截止 {o['due'].replace('T', ' ')}"
                  f"（{STATUS.get(o['status'], o['status'])}）" for o in owed]
    if tasks:
        lines += ["", "需要您做的：", *(t if t.startswith("    ") else f"  · {t}" for t in tasks)]
    lines += ["", "本邮件由批处理自动发送；同一文件不会重复发送。"]
    return "\n".join(lines) + "\n"


def letter(person: str, addresses: Sequence[str], sender: str, rows: Sequence[Mapping], files: Sequence[Path],
           owed: Sequence[Mapping], company: str, subject_day: str) -> EmailMessage:
    """The message for ``person``: ``files`` attached (the rows' files), the body of :func:`body`."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(addresses)
    message["Subject"] = f"{company}销售部 {subject_day} 批处理文件：{person}（{len(rows)} 个）"
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body(person, rows, owed, company))
    for path in files:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        main, sub = kind.split("/", 1)
        charset = {"charset": "utf-8"} if main == "text" else {}     # the run's HTML summary, byte for byte
        message.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name, params=charset)
    return message
