"""``osb-batch status``: what waits, read from the ledger without changing it."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from osb_batch.ledger import receipts, receivables, session, status, workflow_items
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.problems import ProblemLog
from osb_batch.messages import area_label, problem_text, state_label
from osb_batch.settings import SIGNER_TITLE, Settings
from osb_batch.workspace import Home
from osb_batch.writers.problems import RESPONSIBLE_LABEL

WAITING_SIGNATURE = ("AWAITING_SIGNATURE", "NEEDS_MANAGER_APPROVAL")
WAITING_PAYMENT = ("PREPAY_REQUIRED", "AWAITING_PAYMENT")


def read_status(home: Home, settings: Settings, as_of: dt.date) -> dict | None:
    """What waits as of ``as_of``, read from the working folder's ledger without changing it;
    None when there is none yet."""
    ledger = session.read_only(home, settings)
    if ledger is None:
        return None
    try:
        return collect(ledger, as_of)
    finally:
        ledger.close()


def collect(ledger: Ledger, as_of: dt.date) -> dict:
    by_signer: dict[str, list[dict]] = defaultdict(list)
    for no, _, signer, state, amount, accepted in status.orders_awaiting(ledger, WAITING_SIGNATURE):
        by_signer[SIGNER_TITLE.get(signer or "", "?")].append(
            {"order_no": no, "state": state, "amount": amount, "accepted_on": accepted})
    st = [{"order_no": no, "accepted_on": accepted, "signed": [SIGNER_TITLE.get(a, a) for a in signed]}
          for no, accepted, signed in status.st_pending(ledger)]
    payment = [{"order_no": no, "customer_code": c, "state": s, "amount": a}
               for no, c, _, s, a, _ in status.orders_awaiting(ledger, WAITING_PAYMENT)]
    problems = [{"problem_no": n, "area": a, "order_no": o or "", "responsible": r, "opened": d, "what": w,
                 "rule": rule or "", "params": json.loads(params or "{}")}
                for n, a, o, r, d, w, rule, params in ProblemLog(ledger).open_entries()]
    unmatched = [{"bank_ref": b, "receipt_date": d, "payer_name": p, "amount": a}
                 for b, d, p, a, _ in receipts.unmatched_rows(ledger)]
    names = status.customer_names(ledger)
    overdue = []
    for code, acc in sorted(receivables.accounts(ledger, as_of).items()):
        late = [(d, left) for d, left in acc.open_debits if d.due is not None and d.due < as_of]
        if late:
            overdue.append({"customer_code": code, "customer_name": names.get(code) or "",
                            "overdue": str(acc.overdue(as_of)),
                            "oldest_due": min(d.due for d, _ in late).isoformat(), "documents": len(late)})
    return {"as_of": as_of.isoformat(), "awaiting_signature": dict(by_signer), "st_pending": st,
            "awaiting_payment": payment, "open_problems": problems, "unmatched_receipts": unmatched,
            "overdue_customers": overdue, "overdue_items": overdue_items(ledger)}


def overdue_items(ledger: Ledger) -> dict[str, list[dict]]:
    """The workflows' overdue items as the last run saw them, per responsible person."""
    mine: dict[str, list[dict]] = defaultdict(list)
    for item in workflow_items.listed_items(ledger, dt.date.min):
        if item["status"] == "overdue":
            mine[item["responsible"]].append({k: item[k] for k in ("chain", "key", "step", "due", "overdue_days",
                                                                   "escalate_to")})
    return dict(sorted(mine.items()))


TEXT = {
    "zh": {"signature": "待签字（按分管经理）：", "orders": "{n} 单", "none": "无", "sep": "、",
           "st": "特别处理待三位领导审批：{n} 单", "st_row": "  {no}（{day} 受理，已签：{signed}）",
           "payment": "等待客户付款：{n} 单", "money": "{amount} 元", "problems": "未解决的 OSB 问题：{n} 条",
           "receipts": "待认领到款：{n} 笔", "overdue": "逾期客户（截至 {day}）：{n} 个",
           "overdue_row": "  {code} {name} 逾期 {amount} 元，最早到期 {due}",
           "items": "逾期待办事项（按负责人）：{n} 项", "item_row": "    {chain} {key} 待{step}，到期 {due}，逾期 {days} 个工作日",
           "signers": {"总经理": "总经理", "销售总监": "销售总监", "销售副总监": "销售副总监"}},
    "en": {"signature": "Waiting for a signature (by signer):", "orders": "{n} orders", "none": "none", "sep": ", ",
           "st": "Special treatment waiting for the three SLT members: {n} orders",
           "st_row": "  {no} (received {day}, signed by: {signed})", "payment": "Waiting for the customer's payment: "
           "{n} orders", "money": "CNY {amount}", "problems": "Open OSB problems: {n}",
           "receipts": "Receipts to claim: {n}", "overdue": "Customers overdue on {day}: {n}",
           "overdue_row": "  {code} {name} overdue CNY {amount}, oldest due {due}",
           "items": "Overdue workflow items (by person): {n}",
           "item_row": "    {chain} {key} waiting for {step}, due {due}, {days} working days overdue",
           "signers": {"总经理": "General manager", "销售总监": "Sales director", "销售副总监": "Deputy sales director"}},
}


def render(status: dict, lang: str = "zh", names: dict[str, str] | None = None) -> str:
    """The status as text in ``lang``; ``names``: the chains' and steps' people-facing names
    (``chain`` and ``chain.step``, as :func:`osb_batch.daily.workflows.step_names` gives them)."""
    names = names or {}
    lang = "en" if lang == "en" else "zh"
    t = TEXT[lang]
    sign = t["signers"]
    lines = [t["signature"]]
    for signer, orders in status["awaiting_signature"].items():
        lines.append(f"  {sign.get(signer, signer)}: " + t["orders"].format(n=len(orders)) + "  "
                     + t["sep"].join(o["order_no"] for o in orders[:10]))
    if not status["awaiting_signature"]:
        lines.append("  " + t["none"])
    lines.append(t["st"].format(n=len(status["st_pending"])))
    for o in status["st_pending"]:
        signed = t["sep"].join(sign.get(s, s) for s in o["signed"]) or t["none"]
        lines.append(t["st_row"].format(no=o["order_no"], day=o["accepted_on"], signed=signed))
    lines.append(t["payment"].format(n=len(status["awaiting_payment"])))
    for o in status["awaiting_payment"]:
        lines.append(f"  {o['order_no']} {o['customer_code']} {t['money'].format(amount=o['amount'])} "
                     f"{state_label(o['state'], lang)}")
    lines.append(t["problems"].format(n=len(status["open_problems"])))
    for p in status["open_problems"]:
        lines.append(f"  #{p['problem_no']} {area_label(p['area'], lang)} "
                     f"{_responsible(p['responsible'], lang, sign)}: "
                     f"{problem_text(p['rule'], p['params'], lang) or p['what']}")
    lines.append(t["receipts"].format(n=len(status["unmatched_receipts"])))
    for r in status["unmatched_receipts"][:20]:
        lines.append(f"  {r['bank_ref']} {r['receipt_date']} {r['payer_name']} {t['money'].format(amount=r['amount'])}")
    lines.append(t["overdue"].format(day=status["as_of"], n=len(status["overdue_customers"])))
    for c in status["overdue_customers"][:50]:
        lines.append(t["overdue_row"].format(code=c["customer_code"], name=c["customer_name"], amount=c["overdue"],
                                             due=c["oldest_due"]))
    items = status.get("overdue_items", {})
    lines.append(t["items"].format(n=sum(map(len, items.values()))))
    for person, own in items.items():
        lines.append(f"  {person}:")
        lines += [t["item_row"].format(chain=names.get(i["chain"], i["chain"]), key=i["key"],
                                       step=names.get(f"{i['chain']}.{i['step']}", i["step"]),
                                       due=(i["due"] or "")[:10], days=i["overdue_days"]) for i in own]
    return "\n".join(lines)


def _responsible(who: str, lang: str, signers: dict) -> str:
    return signers.get(who) or RESPONSIBLE_LABEL[lang].get(who, who)


def as_json(status: dict) -> str:
    return json.dumps(status, ensure_ascii=False, indent=1)
