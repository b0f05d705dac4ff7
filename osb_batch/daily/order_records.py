"""Turn the ledger's orders into the records the order writers format (:mod:`osb_batch.writers.records`)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from osb_batch import messages
from osb_batch.ledger.orders import D
from osb_batch.ledger.receipts import input_name
from osb_batch.writers.records import ApprovalRequest, DeliveryNote, Notice, OrderLineView, OrderView, Roles

from .deadlines import decision_deadline
from .order_steps import SIGNER_TITLE, ST_SIGNERS, DailyRun

WAITING = ("AWAITING_SIGNATURE", "NEEDS_MANAGER_APPROVAL", "ST_PENDING")
APPROVAL_OF_CASE = {"5-3": "over_limit", "5-7b": "shortfall"}
#: What a UM notice says about an order in each state that needs the UM, and what the UM should do.
NOTICE_STATES = {
    "zh": {
        "REJECTED": ("订单未通过合格性检查：{reasons}", "按原因修改后以原订单号重新提交。"),
        "REFUSED": ("订单被分管经理拒批。", "与客户沟通后如需重新下单，请使用新订单号。"),
        "PREPAY_REQUIRED": ("客户有逾期或超信用额度，订单需先款后货（{case}）。", "请客户付款；到款后订单自动重新检查。"),
        "AWAITING_PAYMENT": ("先款后货客户预付款不足（{case}），差额 {shortfall} 元。", "请客户补足货款；到款后订单自动放行。"),
    },
    "en": {
        "REJECTED": ("The order failed the qualification check: {reasons}",
                     "Correct what is named and submit the order again under its number."),
        "REFUSED": ("The responsible SLT member refused the order.",
                    "If the customer still wants the goods, place a new order under a new number."),
        "PREPAY_REQUIRED": ("The customer is overdue or over its credit limit: payment first ({case}).",
                            "Ask the customer to pay; the order is checked again when the money arrives."),
        "AWAITING_PAYMENT": ("The prepaid customer's prepayment falls short ({case}) by {shortfall} yuan.",
                             "Ask the customer to pay the difference; the order is released when it arrives."),
    },
}
#: One notice row per line AC cut: what happened, what to do.
NOTICE_CUT = {
    "zh": ("超出配额被削减：{product} 削减 {cut}", "如需超配额，请提交超配额审批；或调拨配额。"),
    "en": ("Cut to the quota: {product}, {cut} cut", "To exceed the quota, request an over-quota approval, "
                                                      "or a quota transfer."),
}


def _credit_figures(figures: dict, prepaid: bool) -> dict:
    """The approval row's credit columns: a prepaid customer buys against its prepayment, so its
    row shows the prepayment available and the shortfall, not a limit and an exposure that mean
    nothing for it (its exposure is negative while the prepayment covers it)."""
    over = figures.get("over") or ""
    shown = dict(overdue=D(figures.get("overdue")), credit_limit=None, exposure=None, over_pct="")
    if prepaid:
        return {**shown, "prepayment": D(figures.get("available_prepayment")),
                "shortfall": D(figures.get("shortfall"))}
    return {**shown, "credit_limit": D(figures.get("credit_limit")), "exposure": D(figures.get("exposure")),
            "over_pct": f"{Decimal(over) * 100:.1f}%" if over and Decimal(over) > 0 else ""}


class ViewBuilder:
    def __init__(self, run: DailyRun):
        self.run = run
        self.book = run.book
        self.customers = run.customers
        self.products = run.products
        self._sources: dict[int | None, str] = {}

    def roles(self, market_code: str) -> Roles:
        r = self.run.settings.roles_of(market_code)
        return Roles(r.csr, r.scr, r.bcr) if r else Roles("", "", "")

    def lines(self, oid: int, rows: list[dict] | None = None) -> tuple[OrderLineView, ...]:
        out = []
        for ln in self.book.lines(oid) if rows is None else rows:
            p = self.products.get(ln["product_code"])
            out.append(OrderLineView(ln["product_code"], p.name if p else "", p.spec if p else "",
                                     p.unit if p else "", D(ln["qty"]), D(ln["unit_price"]), D(ln["amount"]),
                                     D(ln["cut_qty"])))
        return tuple(out)

    def order(self, oid: int, row: dict | None = None, lines: list[dict] | None = None) -> OrderView:
        o = self.book.order(oid) if row is None else row
        c = self.customers.get(o["customer_code"])
        market = self.run.settings.market(c.market) if c else None
        return OrderView(
            o["order_no"], dt.date.fromisoformat(o["order_date"]) if o["order_date"] else self.run.day,
            dt.date.fromisoformat(o["accepted_on"]), o["customer_code"] or "", c.name if c else "",
            market.zh if market else "", c.region if c else "", c.unit_manager if c else "",
            c.account_manager if c else "", D(o["amount"]), o["state"], o["case_id"] or "",
            tuple(json.loads(o["reasons"])), self.roles(c.market if c else ""),
            SIGNER_TITLE.get(o["signer"] or "", ""), self.lines(oid, lines), self.source(o["input_id"]))

    def source(self, input_id: int | None) -> str:
        """The name of the file an order came in (read once per file)."""
        if input_id not in self._sources:
            self._sources[input_id] = input_name(self.book.ledger, input_id)
        return self._sources[input_id]

    def register(self, ids: list[int]) -> list[OrderView]:
        """One row per order, with every line (its line sheet shows what each line asked and AC cut)."""
        rows, lines = self.book.orders(ids), self.book.lines_of(ids)
        return [self.order(oid, rows[oid], lines.get(oid, [])) for oid in ids]

    def approval_requests(self) -> dict[str, list[ApprovalRequest]]:
        """Signer key (gm/director/deputy) -> what waits for their signature."""
        out: dict[str, list[ApprovalRequest]] = defaultdict(list)
        ids = self.book.ids_in_states(WAITING)
        rows, lines = self.book.orders(ids), self.book.lines_of(ids)
        for oid in ids:
            o = rows[oid]
            c = self.customers.get(o["customer_code"])
            base = dict(order_no=o["order_no"], product_code="", customer_code=o["customer_code"],
                        customer_name=c.name if c else "", amount=D(o["amount"]), case=o["case_id"] or "",
                        deadline=decision_deadline(self.run.calendar, self.run.settings, o["state"],
                                                   dt.date.fromisoformat(o["accepted_on"][:10])),
                        lines=self.lines(oid, lines.get(oid, [])),
                        **_credit_figures(json.loads(o["figures"] or "{}"), bool(c and c.prepaid)))
            if o["state"] == "ST_PENDING":
                signed = {a for a, d, _ in self.book.approvals_of(o["order_no"], "ST") if d == "approve"}
                for signer in ST_SIGNERS:
                    if signer not in signed:
                        out[signer].append(ApprovalRequest(approval_type="ST", approver=signer, **base))
            elif o["signer"]:
                kind = APPROVAL_OF_CASE.get(o["case_id"], "MA") if o["state"] == "NEEDS_MANAGER_APPROVAL" else "MA"
                out[o["signer"]].append(ApprovalRequest(approval_type=kind, approver=o["signer"], **base))
        return out

    def delivery_notes(self, notes: list[tuple[int, str]]) -> list[DeliveryNote]:
        out = []
        for oid, note_no in notes:
            o = self.book.order(oid)
            c = self.customers[o["customer_code"]]
            market = self.run.settings.market(c.market)
            lines = self.lines(oid)
            out.append(DeliveryNote(
                note_no, self.run.day, o["order_no"], dt.date.fromisoformat(o["order_date"]), c.code, c.name,
                c.address, c.contact, c.phone, c.station, market.zh if market else "", self.roles(c.market),
                lines, sum((ln.qty for ln in lines), Decimal(0)), sum((ln.amount for ln in lines), Decimal(0))))
        return out

    def notices(self, touched: set[int], cuts: dict[int, list[dict]]) -> list[Notice]:
        """The UM notice rows of the orders this run touched: one for the order when its state needs
        the UM, then one per line AC cut. An order rejected with lines cut was cut to nothing (QC
        rejects before AC), so its row says that quotas cut every line instead of naming QC."""
        lang = "en" if self.run.lang == "en" else "zh"
        out = []
        rows = self.book.orders(sorted(touched))
        for oid in sorted(touched):
            o = rows[oid]
            c = self.customers.get(o["customer_code"])
            base = Notice(c.unit_manager if c else "秘书组", o["order_no"], o["customer_code"] or "",
                          c.name if c else "", o["state"], "", "", D(o["amount"]))
            told = self._told(o, cuts.get(oid, ()), lang)
            if told:
                out.append(replace(base, what=told[0], todo=told[1]))
            what, todo = NOTICE_CUT[lang]
            out += [replace(base, what=what.format(product=ln["product_code"], cut=ln["cut_qty"]), todo=todo,
                            product_code=ln["product_code"], ordered_qty=D(ln["qty_requested"]),
                            allowed_qty=D(ln["qty"]), cut_qty=D(ln["cut_qty"]))
                    for ln in cuts.get(oid, ()) if D(ln["cut_qty"]) > 0]
        return out

    @staticmethod
    def _told(o: dict, cut_lines, lang: str) -> tuple[str, str] | None:
        """(what happened, what to do) of an order whose state needs its UM, else None."""
        if o["state"] == "REJECTED" and cut_lines:
            params = {"lines": len(cut_lines), "cut": sum((D(ln["cut_qty"]) for ln in cut_lines), Decimal(0))}
            return messages.render("quota-fully-cut", lang, params), messages.action("quota-fully-cut", lang, {})
        if o["state"] not in NOTICE_STATES[lang]:
            return None
        figures = json.loads(o["figures"] or "{}")
        what, todo = NOTICE_STATES[lang][o["state"]]
        return what.format(reasons=("; " if lang == "en" else "；").join(json.loads(o["reasons"])), case=o["case_id"] or "",
                           shortfall=figures.get("shortfall", "")), todo
