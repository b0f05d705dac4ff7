"""The few lines a person reads on the terminal after a run."""

from __future__ import annotations

from collections import Counter

STATUS = {"zh": {"processed": "已处理", "rejected": "退回", "quarantined": "隔离", "duplicate": "重复"},
          "en": {"processed": "processed", "rejected": "rejected", "quarantined": "quarantined",
                 "duplicate": "duplicate"}}
# the orders of the manifest (this run's and every order still open) by what became of them
ORDER_OUTCOMES = {"accepted": ("APPROVED", "NOTE_ISSUED", "SHIPPED", "INVOICED", "PAID"),
                  "waiting": ("AWAITING_SIGNATURE", "NEEDS_MANAGER_APPROVAL", "ST_PENDING", "PREPAY_REQUIRED",
                              "AWAITING_PAYMENT"),
                  "rejected": ("REJECTED", "REFUSED")}
OUTCOME = {"zh": {"accepted": "已接受", "waiting": "等待审批或付款", "rejected": "已拒绝"},
           "en": {"accepted": "accepted", "waiting": "waiting for approval or payment", "rejected": "rejected"}}


def order_line(orders: list[dict], lang: str) -> str:
    """How many orders were accepted, are waiting and were rejected."""
    states = Counter(o["state"] for o in orders)
    words = OUTCOME["en" if lang == "en" else "zh"]
    parts = [(words[k], sum(states[s] for s in group)) for k, group in ORDER_OUTCOMES.items()]
    if lang == "en":
        return f"Orders: {len(orders)} (" + ", ".join(f"{n} {w}" for w, n in parts) + ")"
    return f"订单：{len(orders)} 笔（" + "，".join(f"{w} {n}" for w, n in parts) + "）"


def text_summary(manifest: dict, lang: str = "zh") -> str:
    statuses = Counter(i["status"] for i in manifest["inputs"])
    counts = manifest["counts"]
    names = STATUS["en" if lang == "en" else "zh"]
    summarised = ""
    if counts.get("exceptions_summarised"):
        summarised = (f"; {counts['exceptions_summarised']} of them in summary rows" if lang == "en"
                      else f"；{counts['exceptions_summarised']} 条在异常清单中合为汇总行")
    parts = ("，" if lang == "zh" else ", ").join(f"{names[s]} {n}" for s, n in statuses.items()) \
        or ("无" if lang == "zh" else "none")
    if lang == "en":
        lines = [f"Business date {manifest['business_date']}, run {manifest['run']}",
                 f"Inputs: {len(manifest['inputs'])} ({parts})",
                 f"Exceptions: {counts['exceptions']} ({counts['errors']} errors{summarised})",
                 order_line(manifest["orders"], lang),
                 f"Outputs: {len(manifest['outputs'])} workbook(s)"]
    else:
        lines = [f"业务日期 {manifest['business_date']}，第 {manifest['run']} 次运行",
                 f"收件：{len(manifest['inputs'])} 个文件（{parts}）",
                 f"异常：{counts['exceptions']} 条（其中错误 {counts['errors']} 条{summarised}）",
                 order_line(manifest["orders"], lang),
                 f"输出：{len(manifest['outputs'])} 个工作簿"]
    return "\n".join(lines + periodic_lines(manifest, lang) + delivery_lines(manifest.get("deliveries", []), lang))


def delivery_lines(deliveries: list[dict], lang: str) -> list[str]:
    """How many people were sent their files, and each failure (sent again by the next run or ``deliver``)."""
    if not deliveries:
        return []
    en = lang == "en"
    status = Counter(d["status"] for d in deliveries)
    lines = [f"Mail: {status['sent']} sent, {status['failed']} failed, {status['no_address']} without an address"
             if en else f"邮件：已发送 {status['sent']} 人，失败 {status['failed']} 人，无邮箱 {status['no_address']} 人"]
    for d in deliveries:
        if d["status"] == "failed":
            lines.append(f"  not sent to {d['person']} <{d['email']}>: {d['error']} (retried by the next run)" if en
                         else f"  未能发给 {d['person']} <{d['email']}>：{d['error']}（下次运行或 osb-batch deliver 重发）")
    return lines


def periodic_lines(manifest: dict, lang: str) -> list[str]:
    """What is owed (催报) and the periodic reports this run produced, or failed to (retried next run)."""
    en = lang == "en"
    owed = manifest.get("reminders", [])
    people = len({r["person"] for r in owed})
    lines = [f"Reports owed: {len(owed)} by {people} people" if en else f"催报：{people} 人欠交 {len(owed)} 份报表"]
    for report in manifest.get("reports", []):
        if report.get("folder"):
            lines.append(f"Periodic report {report['period']}: {report['folder']}" if en
                         else f"期间报表 {report['period']}：{report['folder']}")
        else:
            lines.append(f"Periodic report {report['period']} failed ({report['error']}); the next run retries it"
                         if en else f"期间报表 {report['period']} 未能生成（{report['error']}），下次运行重试")
    return lines
