"""The demo day's orders: one built for each decision path, and what the run should make of it.

Each order is sized against its customer's credit limit, opening balances and receipts so
that it takes the path it was built for. That path is declared as data in
:data:`DECISION_PATHS` (credit case and state after the run), so the end-to-end tests compare
the demo's word with the run's manifest instead of recomputing it. The Chinese explanation
printed by ``osb-batch demo`` is worked out with the credit rule itself (:class:`_Expectations`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from osb_batch.messages import state_label

from .master_data import Customer, Product

if TYPE_CHECKING:
    from .demo_data import DemoData

@dataclass(frozen=True, slots=True)
class DemoLine:
    product: Product
    qty: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class DemoOrder:
    """One demo order and what the day's run should make of it."""

    order_no: str
    day: dt.date
    customer: Customer
    lines: tuple[DemoLine, ...]
    kam_verified: str | None
    mm_approved: str | None
    role: str = ""
    st_reason: str | None = None          # the label staff write, e.g. 订货会
    st_note: str | None = None
    remark: str | None = None
    state: str = ""                       # the state the order is built to reach in the day's run
    case: str = ""                        # the credit case it is built for; "" when QC rejects it
    expect: str = ""                      # what to expect and why, in Chinese
    expect_en: str = ""                   # the same in English

    @property
    def amount(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), Decimal(0))



CENT = Decimal("0.01")
# products the scenarios order: high-value goods of groups quota'd per group (plenty per region),
# and one cheap product quota'd per product for the cut
_WASHER_DRYER = "洗烘一体机 XQG100-HBD"
_DRYER = "热泵干衣机 GDZ90"
_WASHER = "滚筒洗衣机 XQG100-B14"
_WASHER_SMALL = "滚筒洗衣机 XQG80-B12"
_RICE_COOKER = "电饭煲 MB-FB40"
_MICROWAVE = "微波炉 M1-L20"
_BRACKET = "空调支架 ZJ-35"
_OLD_AC = "移动空调 KY-26"

# What each of the day's orders is built for, in sheet order: (scenario, credit case, state after
# the day's run). QC rejects the "rejected" order before the credit check, hence no case.
DECISION_PATHS = (
    ("twice", "5-2", "AWAITING_SIGNATURE"),
    ("pass", "5-2", "AWAITING_SIGNATURE"),
    ("rejected", "", "REJECTED"),
    ("over", "5-3", "NEEDS_MANAGER_APPROVAL"),
    ("prepay_ok", "5-7a", "AWAITING_SIGNATURE"),
    ("overdue", "5-4", "PREPAY_REQUIRED"),
    ("st", "5-5", "ST_PENDING"),
    ("cut", "5-2", "AWAITING_SIGNATURE"),
    ("shortfall", "5-7b", "NEEDS_MANAGER_APPROVAL"),
    ("far_over", "5-4", "PREPAY_REQUIRED"),
    ("prepay_wait", "5-7c", "AWAITING_PAYMENT"),
    ("twice", "5-3", "NEEDS_MANAGER_APPROVAL"),
)


def order_no(day: dt.date, n: int) -> str:
    return f"SO-{day:%Y%m%d}-{n:03d}"


def day_orders(data: DemoData) -> list[DemoOrder]:
    """The day's orders in sheet (acceptance) order, each with the path of :data:`DECISION_PATHS`
    it is built for and the explanation of its outcome."""
    day, r, p = data.day, data.roles, data.product
    credit = data.settings.credit
    tol, cap = credit.tolerance, credit.prepay_shortfall_cap
    limit = {role: c.credit_limit for role, c in r.items()}
    first = data.sized(r["twice"], p(_WASHER_DRYER), limit["twice"] * Decimal("0.7"))
    bracket = p(_BRACKET)
    allowed = _allowed(data, r["cut"], bracket)
    plan = [
        ("twice", [first], {}),
        ("pass", [data.sized(r["pass"], p(_WASHER_DRYER), limit["pass"] * Decimal("0.35")),
                  data.line(r["pass"], p(_RICE_COOKER), 50)], {}),
        ("rejected", [_priced(data.line(r["rejected"], p(_OLD_AC), 5), p(_OLD_AC).price),
                      _wrong_amount(data.line(r["rejected"], p(_WASHER_SMALL), 10))], {"mm_approved": None}),
        ("over", [data.sized(r["over"], p(_WASHER_DRYER), limit["over"] * (1 + tol / 2))], {}),
        ("prepay_ok", [data.sized(r["prepay_ok"], p(_WASHER), Decimal(50_000))], {}),
        ("overdue", [data.sized(r["overdue"], p(_WASHER), limit["overdue"] * Decimal("0.15"))], {}),
        ("st", [data.sized(r["st"], p(_DRYER), limit["st"] * Decimal("0.3"))],
         {"st_reason": "订货会", "st_note": f"{day.year}年冬季订货会订单，客户承诺月底前结清逾期款"}),
        ("cut", [data.line(r["cut"], bracket, int(allowed) + 20), data.line(r["cut"], p(_MICROWAVE), 10)],
         {"remark": "配合门店安装季备货"}),
        ("shortfall", [data.sized(r["shortfall"], p(_RICE_COOKER), cap * Decimal("0.75"))], {}),
        ("far_over", [data.sized(r["far_over"], p(_WASHER_DRYER), limit["far_over"] * (1 + tol + Decimal("0.2")))],
         {}),
        ("prepay_wait", [data.sized(r["prepay_wait"], p(_WASHER_DRYER), Decimal(20_000) + cap + 22_000)], {}),
        ("twice", [data.sized(r["twice"], p(_WASHER), limit["twice"] * (1 + tol / 2) - first.amount)],
         {"remark": "同一客户当天第二单"}),
    ]
    book, orders = _Expectations(data), []
    for n, ((role, lines, extra), (path, case, state)) in enumerate(zip(plan, DECISION_PATHS, strict=True), start=1):
        if role != path:
            raise ValueError(f"order {n} is planned for {role}, declared for {path}")
        c = r[role]
        order = DemoOrder(order_no(day, n), day, c, tuple(lines), kam_verified=c.kam,
                          mm_approved=extra.pop("mm_approved", data.mm(c)), role=role, case=case, state=state,
                          **extra)
        orders.append(book.expect(order, cut={bracket.code: allowed} if role == "cut" else {}))
    return orders


def _priced(line: DemoLine, price: Decimal) -> DemoLine:
    return dataclasses.replace(line, unit_price=price, amount=(price * line.qty).quantize(CENT))


def _wrong_amount(line: DemoLine) -> DemoLine:
    """A line whose amount was typed wrong (not quantity × unit price)."""
    return dataclasses.replace(line, amount=(line.amount * Decimal("0.95")).quantize(Decimal("1")))


def _allowed(data: DemoData, customer: Customer, product: Product) -> Decimal:
    """What the quota file allows ``customer`` of ``product`` this month (no transfers, no orders yet)."""
    rows = [q.qty for q in data.quotas if q.product == product.code and q.market is customer.market
            and q.region == customer.region and q.customer in ("", customer.code)]
    return Decimal(min(rows)) if rows else Decimal(10**6)


class _Expectations:
    """Why each demo order comes to its outcome, worked out by the credit rule the batch uses."""

    def __init__(self, data: DemoData):
        from osb_batch.rules import credit
        self.credit, self.data = credit, data
        s = data.settings.credit
        self.policy = credit.CreditPolicy(s.tolerance, s.prepay_shortfall_cap)
        self.exposure = credit.RunningExposure(lambda code: Decimal(0))
        self.receipts: dict[str, Decimal] = {}
        names = {c.name: c.code for c in data.customers}
        for row in data.receipt_rows:
            if row["payer_name"] in names:
                code = names[row["payer_name"]]
                self.receipts[code] = self.receipts.get(code, Decimal(0)) + row["amount"]

    def expect(self, order: DemoOrder, cut: Mapping[str, Decimal]) -> DemoOrder:
        c = order.customer
        if order.role == "rejected":
            return dataclasses.replace(order, expect=(
                "停售产品、金额不等于数量×单价、缺市场经理审批 → QC 退回，一次列出全部原因（已拒绝）"), expect_en=(
                "discontinued product, amount not quantity × price, no MM approval → rejected by QC with every "
                "reason at once (Rejected)"))
        amount = sum((min(ln.qty, cut.get(ln.product.code, ln.qty)) * ln.unit_price for ln in order.lines),
                     Decimal(0)).quantize(CENT)
        rows = [r for r in self.data.opening_rows if r["customer_code"] == c.code]
        open_ar = sum((r["amount"] for r in rows), Decimal(0))
        overdue = sum((r["amount"] for r in rows if isinstance(r["due_date"], dt.date)
                       and r["due_date"] < order.day and r["amount"] > 0), Decimal(0))
        facts = self.credit.CreditFacts(c.credit_limit, c.prepaid, open_ar, overdue,
                                        self.receipts.get(c.code, Decimal(0)))
        decision = self.exposure.decide(c.code, amount, facts,
                                        st_requested=bool(order.st_reason), policy=self.policy)
        outcome = {lang: f"{_why(order, decision, facts, cut, amount, lang)} → {decision.case} "
                         f"{state_label(decision.state, lang)}" for lang in ("zh", "en")}
        return dataclasses.replace(order, expect=outcome["zh"], expect_en=outcome["en"])


_WHY = {
    "zh": {"cut": "{product} 申请 {qty}{unit}，配额只剩 {left}，削减 {cut}", "twice": "计入同一客户第一单的占用",
           "prepaid": "先款后货，订单 {amount} 元，可用预付款 {available} 元", "limit": "额度 {limit} 元，占用 {exposure} 元",
           "over": "（超出 {over}）", "overdue": "逾期应收 {overdue} 元", "st": "申请特别处理（{reason}），须三位 SLT 成员签字",
           "and": "；"},
    "en": {"cut": "{product}: {qty} {unit} asked, {left} left in the quota, {cut} cut",
           "twice": "counts the same customer's first order", "prepaid": "prepaid customer, order {amount}, "
           "prepayment available {available}", "limit": "limit {limit}, exposure {exposure}", "over": " ({over} over)",
           "overdue": "overdue {overdue}", "st": "special treatment requested ({reason}): the three SLT members sign",
           "and": "; "},
}


def _why(order: DemoOrder, decision, facts, cut: Mapping[str, Decimal], amount: Decimal, lang: str) -> str:
    say = _WHY[lang]
    parts = [say["cut"].format(product=ln.product.name, qty=ln.qty, unit=ln.product.unit, left=cut[ln.product.code],
                               cut=ln.qty - cut[ln.product.code])
             for ln in order.lines if ln.product.code in cut and ln.qty > cut[ln.product.code]]
    if order.role == "twice" and order.remark:
        parts.append(say["twice"])
    if facts.prepaid:
        parts.append(say["prepaid"].format(amount=f"{amount:,.2f}", available=f"{decision.available_prepayment:,.2f}"))
    else:
        over = say["over"].format(over=f"{decision.over:.1%}") if decision.over is not None and decision.over > 0 else ""
        parts.append(say["limit"].format(limit=f"{facts.limit:,.0f}", exposure=f"{decision.exposure:,.2f}") + over)
        if facts.overdue > 0:
            parts.append(say["overdue"].format(overdue=f"{facts.overdue:,.2f}"))
    if order.st_reason:
        parts.append(say["st"].format(reason=order.st_reason))
    return say["and"].join(parts)


