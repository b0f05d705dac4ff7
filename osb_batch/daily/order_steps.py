"""The order steps of the daily run (domain.md OP 2–7): accept, QC, AC, CC, MA, BG.

Orders are taken in acceptance order: inbox files in arrival order, rows in sheet order, the
first row of an order number fixing its place. Approvals are applied before new orders (they
come earlier in the dependency order). Every decision is made by :mod:`osb_batch.rules`; this
module gathers the facts from the ledger, calls the rules and records the transitions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from osb_batch import messages
from osb_batch.findings import Finding, finding
from osb_batch.ledger import receivables
from osb_batch.ledger.orders import OrderBook
from osb_batch.readers.workbook import ReadResult
from osb_batch.rules import credit, prepayment, qc, quota
from osb_batch.rules.receivables import Account, Doc, settle
from osb_batch.settings import SIGNER_TITLE, SIGNERS, Settings
from osb_batch.workdays import WorkCalendar

from .deadlines import ProblemRun

CENT = Decimal("0.01")
UNOWNED = "秘书组"         # the owner of a finding whose customer has no UM (as daily/run.SSG)
ST_SIGNERS = SIGNERS      # a special treatment needs all three
CASE_APPROVAL = {"5-3": "over_limit", "5-7b": "shortfall"}


@dataclass(slots=True)
class Submitted:
    """One order as read from one file: its rows folded into an OrderIn."""

    order: qc.OrderIn
    file: str
    input_id: int
    remark: str
    reader_reasons: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    where: dict = field(default_factory=dict)      # the order number's cell on its first row
    cells: list[Callable[[str], dict]] = field(default_factory=list)   # per line: field -> where it sits
    flagged: set[tuple[int, str]] = field(default_factory=set)         # (row, field) the reader already refused


@dataclass(slots=True)
class DayLog:
    """What the order steps did this run, for outputs and the manifest."""

    touched: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)      # (order id, note no)
    cuts: dict[int, list[dict]] = field(default_factory=dict)


def _local_now(settings: Settings, day: dt.date, clock: dt.datetime) -> dt.datetime:
    """The wall-clock time deadlines are judged at: now when the business date is today, else the
    end of the business date (a late run for yesterday, or a simulated day)."""
    from zoneinfo import ZoneInfo
    local = clock.astimezone(ZoneInfo(settings.general.timezone)).replace(tzinfo=None)
    return local if local.date() == day else dt.datetime.combine(day, dt.time(23, 59, 59))


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fold(result: ReadResult, input_id: int, lang: str) -> list[Submitted]:
    """Rows of one orders file -> orders, keeping the first appearance order of each number."""
    by_row: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for f in result.findings:
        if f.row and f.is_error:
            by_row[(f.sheet, f.row)].append(f)
    orders: dict[str, Submitted] = {}
    lines: dict[str, list[qc.LineIn]] = defaultdict(list)
    for table, row in result.rows:
        v = row.values
        order_no = v.get("order_no")
        if not order_no:
            continue
        sub = orders.get(order_no)
        lines[order_no].append(qc.LineIn(v.get("product_code") or "", v.get("qty"), v.get("unit_price"),
                                         v.get("amount")))
        if sub is None:        # the order's first row gives its header fields; its lines are added below
            order = qc.OrderIn(order_no, v.get("order_date"), v.get("customer_code") or "", v.get("kam_verified"),
                               v.get("mm_approved"), (), bool(v.get("st_requested")), v.get("st_reason"),
                               v.get("st_note"), bool(v.get("over_quota_requested")))
            sub = orders[order_no] = Submitted(order, result.file, input_id, v.get("remark") or "",
                                               where=result.where(table, row, "order_no"))
        sub.rows.append(row.number)
        sub.cells.append(lambda key, t=table, r=row: result.where(t, r, key))
        sub.flagged.update((row.number, f.field) for f in by_row.get((table.sheet, row.number), ()))
        sub.reader_reasons += [f"{f.cell} {f.message(lang)}" for f in by_row.get((table.sheet, row.number), ())]
    for order_no, sub in orders.items():
        sub.order = replace(sub.order, lines=tuple(lines[order_no]))
    return list(orders.values())


def qc_findings(sub: Submitted, reasons: list[qc.Reason], owner: str) -> list[Finding]:
    """Each QC reason as a finding at its cell (a line's reason on that line's row, an order's on its
    first row), owned by the order's UM; a cell the reader already refused is not told twice."""
    found = []
    for r in reasons:
        key = qc.FIELDS.get(r.rule)
        if key is None or not sub.cells:
            continue
        where = sub.cells[r.line if r.line is not None else 0](key)
        if (where["row"], key) in sub.flagged:
            continue
        found.append(finding(r.rule, **where, owner=owner, **r.params_dict))
    return found


def _content(order: qc.OrderIn) -> str:
    return json.dumps([order.order_no, str(order.order_date), order.customer_code,
                       [[ln.product_code, str(ln.qty), str(ln.unit_price), str(ln.amount)] for ln in order.lines]],
                      ensure_ascii=False)


class DailyRun:
    def __init__(self, book: OrderBook, settings: Settings, day: dt.date, run_id: int, lang: str,
                 clock: dt.datetime):
        self.book, self.settings, self.day, self.run_id, self.lang = book, settings, day, run_id, lang
        self.log = DayLog()
        self.problems = ProblemRun(book.ledger, settings, day, run_id, _local_now(settings, day, clock))
        self.calendar = WorkCalendar(settings.calendar.holidays, settings.calendar.workdays)
        self.refresh_master()
        self.exposure = credit.RunningExposure(book.committed)
        self._documents: dict[str, list[Doc]] | None = None
        self._accounts: dict[str, Account] | None = None
        q = settings.qc
        self.qc_policy = qc.QcPolicy(q.max_order_age_days, q.price_tolerance, q.amount_tolerance)

    def refresh_master(self) -> None:
        """Reload customers and products: this run's master-data files were applied after start."""
        self.book.forget_master()
        self.customers = self.book.customers()
        self.products = self.book.products()
        self.product_facts = {k: p.fact() for k, p in self.products.items()}

    # receivables ----------------------------------------------------------------------------
    def accounts(self) -> dict[str, Account]:
        """Every customer's account on the business date, settled once and reused until documents change."""
        if self._accounts is None:
            self._accounts = {code: settle(docs, self.day) for code, docs in self.documents().items()}
        return self._accounts

    def documents(self) -> dict[str, list[Doc]]:
        """Every customer's documents, read once and reused until they change."""
        if self._documents is None:
            self._documents = receivables.documents(self.book.ledger)
        return self._documents

    def account(self, code: str) -> Account:
        return self.accounts().get(code) or Account()

    def documents_changed(self) -> None:
        self._documents = self._accounts = None

    def invoiced(self, notes: list[str]) -> None:
        """Orders whose delivery notes were invoiced move to INVOICED."""
        for note in notes:
            row = self.book.order_of_note(note)
            if row and row[1] in ("NOTE_ISSUED", "SHIPPED"):
                self.move(row[0], "INVOICED", f"invoiced (delivery note {note})")

    def settle_paid(self) -> None:
        """INVOICED orders whose every invoice is settled on the business date move to PAID."""
        ids = self.book.ids_in_states(("INVOICED",))
        if not ids:
            return
        open_numbers = {(code, d.number) for code, acc in self.accounts().items() for d, _ in acc.open_debits}
        for oid in ids:
            rows = self.book.invoices_of(oid, self.day)
            if rows and not any((code, no) in open_numbers for code, no in rows):
                self.move(oid, "PAID", "every invoice settled")

    # helpers --------------------------------------------------------------------------------
    def signer_of(self, customer_code: str) -> str | None:
        customer = self.customers.get(customer_code)
        market = self.settings.market(customer.market) if customer else None
        return market.signer if market else None

    def _say(self, rule: str, **params) -> str:
        return messages.render(rule, self.lang, {k: str(v) for k, v in params.items()})

    def move(self, order_id: int, state: str, cause: str, **fields) -> None:
        self.book.set_state(order_id, state, run_id=self.run_id, day=self.day, cause=cause, **fields)
        self.log.touched.add(order_id)

    # approvals ------------------------------------------------------------------------------
    def apply_approvals(self, result: ReadResult, input_id: int) -> list[Finding]:
        """Apply every error-free approval row; returns a finding for each row not applied as written."""
        found: list[Finding] = []
        for table, row in result.rows:
            if not row.ok:
                continue
            v = row.values
            where = {**result.where(table, row, "order_no"), "value": v["order_no"]}
            problem = self._approval(v, input_id)
            if problem:
                rule, params = problem
                found.append(finding(rule, **where, **params))
        return found

    def _approval(self, v: dict, input_id: int) -> tuple[str, dict] | None:
        latest = self.book.latest(v["order_no"])
        kind, approver, decision = v["approval_type"], v["approver"], v["decision"]
        record = {"order_no": v["order_no"], "approval_type": kind, "product_code": v.get("product_code"),
                  "approver": approver, "decision": decision, "on_behalf": int(bool(v.get("on_behalf"))),
                  "signed_at": str(v.get("signed_at") or ""), "note": v.get("note"), "input_id": input_id,
                  "run_id": self.run_id}
        if latest is None and kind != "over_quota":
            self.book.add_approval(**record, accepted=0, reason="unknown order")
            return "approval-unknown-order", {}
        order = self.book.order(latest[0]) if latest else None
        allowed = ST_SIGNERS if kind == "ST" else (self.signer_of(order["customer_code"]) if order else approver,)
        if approver not in allowed:
            self.book.add_approval(**record, order_id=latest[0] if latest else None, accepted=0, reason="wrong signer")
            return "approval-wrong-signer", {"approver": SIGNER_TITLE.get(approver, approver),
                                             "expected": "、".join(SIGNER_TITLE.get(a, a) for a in allowed)}
        self.book.add_approval(**record, order_id=latest[0] if latest else None, accepted=1, reason="")
        if order is None or kind == "over_quota":
            return None
        return self._decide(order, kind, approver, decision)

    def _decide(self, order: dict, kind: str, approver: str, decision: str) -> tuple[str, dict] | None:
        state, oid = order["state"], order["id"]
        title = SIGNER_TITLE.get(approver, approver)
        expected = {"AWAITING_SIGNATURE": ("MA",), "NEEDS_MANAGER_APPROVAL": ("over_limit", "shortfall", "MA"),
                    "ST_PENDING": ("ST",)}.get(state, ())
        if kind not in expected:
            return "approval-not-waiting", {"state": state}
        if kind == "ST":
            if decision == "refuse":
                self.move(oid, "PREPAY_REQUIRED", f"ST refused by {title}")
                return None
            agreed = {a for a, d, _ in self.book.approvals_of(order["order_no"], "ST") if d == "approve"}
            if agreed >= set(ST_SIGNERS):
                self.move(oid, "APPROVED", "ST granted by all three SLT members")
            return None
        if decision == "refuse":
            self.move(oid, "REFUSED", f"refused by {title}")
        else:
            self.move(oid, "APPROVED", f"{kind} signed by {title}")
        return None

    # new orders -----------------------------------------------------------------------------
    def accept(self, submitted: list[Submitted]) -> None:
        """Register, then QC, AC and CC every new order, in acceptance order."""
        month = self.day.strftime("%Y-%m")
        quotas = self.book.quotas(month)
        transfers = self.book.transfers(month, self.products)
        policy = quota.QuotaPolicy(self.settings.quota.when_missing)
        taken: dict = {}
        for customer_code, product_code, qty in self.book.quota_lines_this_month(month):
            line = self._quota_line("", 0, month, customer_code, product_code, Decimal(qty or 0))
            if line:
                quota.record(taken, line, line.qty, quotas, policy)
        for sub in submitted:
            oid = self._register(sub)
            if oid is not None:
                self._evaluate(oid, sub, quotas, transfers, taken, policy)

    def _register(self, sub: Submitted) -> int | None:
        order = sub.order
        content = _content(order)
        latest = self.book.latest(order.order_no)
        if latest and latest[2] != "REJECTED":
            if latest[3] != content:
                self.log.findings.append(finding("order-duplicate", **sub.where, value=order.order_no))
            return None
        return self.book.insert_order({
            "order_no": order.order_no, "attempt": latest[1] + 1 if latest else 1,
            "order_date": order.order_date.isoformat() if order.order_date else None,
            "customer_code": order.customer_code, "kam_verified": order.kam_verified,
            "mm_approved": order.mm_approved, "st_requested": int(order.st_requested),
            "st_reason": order.st_reason, "st_note": order.st_note,
            "over_quota_requested": int(order.over_quota_requested), "remark": sub.remark,
            "accepted_on": self.day.isoformat(), "accepted_run": self.run_id, "content": content,
            "state": "RECEIVED", "input_id": sub.input_id, "signer": self.signer_of(order.customer_code),
        })

    def _evaluate(self, oid: int, sub: Submitted, quotas, transfers, taken, policy) -> None:
        order = sub.order
        c = self.customers.get(order.customer_code)
        facts = {} if c is None else {c.code: qc.CustomerFact(c.credit_limit, c.payment_term_days,
                                                              c.account_manager, c.market, self.signer_of(c.code))}
        reasons = qc.check_order(order, self.product_facts, self.book.contract_price,
                                 facts, self.day, None, self.qc_policy)
        words = list(dict.fromkeys(sub.reader_reasons + [self._reason_text(order, r) for r in reasons]))
        self.log.findings += qc_findings(sub, reasons, self.book.ledger.customer_owner(order.customer_code) or UNOWNED)
        lines = [self._line_record(ln) for ln in order.lines]
        if words:
            self.book.insert_lines(oid, lines)
            self.book.add_reasons(oid, words)
            self.move(oid, "REJECTED", "QC", amount=str(sum((ln.amount or 0 for ln in order.lines), Decimal(0))))
            return
        allocations, cut_words = self._allocate(order, lines, quotas, transfers, taken, policy)
        self.book.insert_lines(oid, lines)
        amount = sum((Decimal(ln["amount"]) for ln in lines), Decimal(0))
        gone = quota.fully_cut(allocations)
        if cut_words:
            self.log.cuts[oid] = lines
            self.book.add_reasons(oid, cut_words + ([self._say(gone.rule, **gone.params_dict)] if gone else []))
        if gone:        # nothing left to ship: no credit check, no approval, no note
            self.move(oid, "REJECTED", "AC: every line cut to 0", amount=str(amount))
            return
        self._credit(oid, order, amount)

    def _allocate(self, order: qc.OrderIn, lines: list[dict], quotas, transfers, taken,
                  policy) -> tuple[list[quota.LineAllocation], list[str]]:
        """AC line by line: ``lines`` get their granted quantities; returns the allocations and the
        reason text of every cut or approved over-quota line."""
        month = self.day.strftime("%Y-%m")
        approved = {p for _, d, p in self.book.approvals_of(order.order_no, "over_quota") if d == "approve"}
        allocations, words = [], []
        for n, ln in enumerate(order.lines):
            qline = self._quota_line(order.order_no, n, month, order.customer_code, ln.product_code, ln.qty,
                                     ln.product_code in approved)
            allocation = quota.allocate([qline], quotas, transfers, taken, policy)[0]
            granted = allocation.granted
            lines[n].update(qty=str(granted), amount=str(_money(granted * ln.unit_price)),
                            cut_qty=str(allocation.cut), over_quota_qty=str(allocation.over_quota))
            allocations.append(allocation)
            why = allocation.reason()
            if why:
                words.append(f"{ln.product_code}: " + self._say(why.rule, **why.params_dict))
        return allocations, words

    def _credit(self, oid: int, order: qc.OrderIn, amount: Decimal) -> None:
        customer = self.customers[order.customer_code]
        acc = self.account(customer.code)
        overdue = acc.overdue(self.day)
        facts = credit.CreditFacts(customer.credit_limit, customer.prepaid, acc.balance, overdue, acc.unapplied)
        policy = credit.CreditPolicy(self.settings.credit.tolerance, self.settings.credit.prepay_shortfall_cap)
        decision = self.exposure.decide(customer.code, amount, facts,
                                        st_requested=order.st_requested, policy=policy)
        figures = {"credit_limit": str(customer.credit_limit), "exposure": str(decision.exposure),
                   "over": "" if decision.over is None else str(decision.over), "overdue": str(overdue),
                   "available_prepayment": str(decision.available_prepayment), "shortfall": str(decision.shortfall)}
        state = decision.state
        if state == "AWAITING_SIGNATURE" and self.settings.ma.auto_sign_pass:
            state = "APPROVED"
        self.move(oid, state, f"CC case {decision.case}", case_id=decision.case, amount=str(amount),
                   figures=json.dumps(figures))

    def _quota_line(self, order_no, n, month, customer_code, product_code, qty, approved=False):
        customer = self.customers.get(customer_code)
        product = self.products.get(product_code)
        if customer is None or product is None:
            return None
        return quota.QuotaLine(order_no, n, month, customer.market, customer.region, customer_code, product_code,
                               product.group, qty, approved)

    def _reason_text(self, order: qc.OrderIn, r: qc.Reason) -> str:
        where = "" if r.line is None else (f"line {r.line + 1}" if self.lang == "en" else f"第{r.line + 1}行") \
            + f" {order.lines[r.line].product_code}: "
        return where + self._say(r.rule, **r.params_dict)

    @staticmethod
    def _line_record(ln: qc.LineIn) -> dict:
        text = {k: (None if v is None else str(v)) for k, v in
                {"qty": ln.qty, "unit_price": ln.unit_price, "amount": ln.amount}.items()}
        return {"product_code": ln.product_code, "qty_requested": text["qty"], **text,
                "cut_qty": "0", "over_quota_qty": "0"}

    def reevaluate(self) -> None:
        """Orders waiting for the customer's payment move on once its prepayment covers them."""
        ids = self.book.ids_in_states(("PREPAY_REQUIRED", "AWAITING_PAYMENT"))
        rows = self.book.orders(ids)
        waiting = [prepayment.WaitingOrder(oid, rows[oid]["customer_code"], Decimal(rows[oid]["amount"] or 0))
                   for oid in ids]
        for r in prepayment.release(waiting, lambda code: self.account(code).unapplied, self.book.committed,
                                    auto_sign=self.settings.ma.auto_sign_pass):
            figures = {**json.loads(rows[r.order_id]["figures"] or "{}"), "available_prepayment": str(r.available)}
            self.move(r.order_id, r.state, f"prepayment {r.available} covers the order", case_id=r.case,
                      figures=json.dumps(figures))

    # BG -------------------------------------------------------------------------------------
    def issue_notes(self) -> None:
        for oid in self.book.ids_in_states(("APPROVED",)):
            note_no = self.book.issue_note(oid, self.day, self.run_id)
            self.move(oid, "NOTE_ISSUED", f"delivery note {note_no}", note_no=note_no)
            self.log.notes.append((oid, note_no))


def order_entries(book: OrderBook, touched: set[int]) -> list[dict]:
    """manifest.json ``orders``: every open order plus every order this run touched."""
    ids = sorted(set(book.open_ids()) | touched)
    rows, lines = book.orders(ids), book.lines_of(ids)
    entries = []
    for oid in ids:
        o = rows[oid]
        cut = [{"product_code": ln["product_code"], "requested": ln["qty_requested"], "qty": ln["qty"],
                "cut": ln["cut_qty"]} for ln in lines.get(oid, ()) if Decimal(ln["cut_qty"] or 0) > 0]
        entries.append({"order_no": o["order_no"], "customer_code": o["customer_code"], "state": o["state"],
                        "case": o["case_id"] or "", "amount": str(_money(Decimal(o["amount"] or 0))),
                        "cut_lines": cut, "reasons": json.loads(o["reasons"]), "note_no": o["note_no"] or ""})
    return entries
