"""A simulated run of the OSB cycle over several calendar days: ``osb-batch demo --days N``.

Day 1 is the one-day demo (:func:`osb_batch.demo.workbooks.make_demo`'s workbooks) followed by the batch
for that date. Every following calendar day, Saturdays, Sundays and holidays included, drops
that day's workbooks into ``inbox/`` and runs the batch for the date, as the SSG would:

* every day: the warehouse's shipment feedback (发运反馈) for the delivery notes issued the day
  before. Each note is received at 09:00 the day after it was issued and shipped the same
  afternoon (within 24 h), except one: the second note of the first day that issues two or more,
  acknowledged unshipped and shipped 50 hours after receipt, past the 48-hour limit;
* on working days only (the Chinese calendar: weekends and holidays are rest days, make-up
  working days are working days): a few new orders of credit customers with room under their
  limits, and the approval workbooks (待审批单) the previous run wrote, filled by their SLT member
  and dropped back: every row approved, except the first over-credit-limit (5-3) order of day 1,
  which is refused. Special treatment (ST) rows are approved by the sales director and the deputy
  sales director the first working day they see them; the general manager never returns his
  workbook, so the ST stays ST_PENDING across the weekend and its deadline opens an OP problem
  with responsible SLT. One row of the first signed workbook is signed by a secretary on the
  member's behalf (秘书代签);
* on the first working day after day 1: the bank receipt of the rest of the 5-7c customer's
  payment, so that its order is re-checked and moves on (when receipts are matched);
* on working days from day 3: the KAMs' invoice requests (开票申请) and finance's invoices (开票记录)
  answering them, for every delivery note shipped on an earlier day, so those orders become INVOICED
  and the invoicing workflow's items close on time, except the last of the first day's, which
  finance issues three working days after its request (closed late); with the first invoices, the bank receipt paying
  the first of them (the customer pays on sight; the invoice number in the remark, so it is
  matched and applied and the order becomes PAID) and a receipt from a payer whose name only resembles a customer's,
  left in the receipts pool (到款池) with that customer as the likely payer;
* on the last day (from day 3 on): a problem-log update (问题处理反馈) explaining and closing the
  oldest open OP problem of a signer;
* the trails of the followed workflows (:mod:`osb_batch.demo.trails`): quotes and bids, a
  complaint, the warehouse's outbound, the customers' signed receipts (one short), a return;
* every day, what the sales force sends besides orders (:mod:`osb_batch.demo.management`): the
  roster and plans before day 1, weekly work plans, visit plans, work logs, status reports,
  contracts, the marketing budget with requests and claims, and the batch's workbooks returned.

Runs are dated 18:00 of their business date (Asia/Shanghai by default), so deadlines in hours are
judged the same way whatever the clock says. Start with Thursday for a 5-day week whose days 3
and 4 are Saturday and Sunday: :func:`default_start` gives the Thursday on or before a date.
Everything follows from the seed and the start date; the folder should start empty.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from osb_batch import catalogue as catalogue_mod
from osb_batch.daily import run as intake
from osb_batch.settings import Settings
from osb_batch.workdays import WorkCalendar
from osb_batch.workspace import Home

from . import orders as demo_orders
from .day_workbooks import orders_name, receipts_name, write_orders, write_receipts
from .demo_data import DEFAULT_SEED, DemoData, build, receipt_row
from .management import Cycle
from .orders import DemoOrder
from .staff_workbook import DATE_FORMAT, MONEY_FORMAT, write_form
from .trails import Trails
from .workbooks import set_arrival, write_demo

WEEKDAYS = "一二三四五六日"
DAY_LINE_ZH = "放入 {} 个文件，新订单 {}，在办订单 {}，待签 {}，送货单 {}，已发货 {}，未结问题 {}"
DAY_LINE_EN = ("{} files dropped, {} new orders, {} orders in hand, {} awaiting signature, {} delivery notes, "
               "{} shipped, {} open problems")
RUN_TIME = dt.time(18, 0)
LATE_HOURS = 50
TIME_FORMAT = "yyyy-mm-dd hh:mm"
THURSDAY = 3
# the decision path the later days' orders are built for: (credit case, state after their day's run)
REGULAR_PATH = ("5-2", "AWAITING_SIGNATURE")
# small appliances for the later days' orders: quota'd per group, plenty in every region
_WEEK_PRODUCTS = ("电压力锅 MY-50", "空气炸锅 KZ-50", "无线吸尘器 VC-12", "厨房小家电礼盒 LH-3", "豆浆机 DJ-13",
                  "电磁炉 C21-RT")


def default_start(today: dt.date) -> dt.date:
    """The Thursday on or before ``today``: a 5-day simulation then spans a weekend (days 3-4)."""
    return today - dt.timedelta(days=(today.weekday() - THURSDAY) % 7)


def simulate(home: Home, settings: Settings, start_date: dt.date, days: int, *,
             echo: Callable[[str], None] = print, seed: int = DEFAULT_SEED,
             lang: str = "zh") -> list[intake.RunOutcome]:
    """Run ``days`` calendar days from ``start_date``; return each day's run outcome.

    Raises :class:`osb_batch.workspace.RunBusy` when another run holds the lock.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    data = build(settings, start_date, seed=seed)
    week = _Week(home, settings, data, lang=lang)
    cycle = Cycle(home, settings, data, start_date, days, echo=echo, lang=lang)
    trails = Trails(home, settings, data, start_date)
    outcomes: list[intake.RunOutcome] = []
    for k in range(days):
        day = start_date + dt.timedelta(days=k)
        if k == 0:
            dropped = write_demo(home.inbox, data)
            week.new_orders = len(data.orders)
        else:
            dropped = week.drop(day, outcomes[-1], last=k == days - 1 and k >= 2)
        dropped += cycle.drop(day)
        dropped += trails.drop(day, week.shipped)
        now = dt.datetime.combine(day, RUN_TIME, tzinfo=ZoneInfo(settings.general.timezone))
        outcome = intake.run(home, settings, day, lang=lang, now=now)
        week.after(day, outcome)
        trails.after(outcome)
        outcomes.append(outcome)
        echo(week.line(day, outcome, dropped))
    return outcomes


@dataclass(slots=True)
class _Week:
    home: Home
    settings: Settings
    data: DemoData
    calendar: WorkCalendar = field(init=False)
    issued: dict[str, tuple[str, dt.date]] = field(default_factory=dict)   # note -> (order, issue day)
    late: str | None = None                                                # the note shipped late
    late_shipped: dt.datetime | None = None
    refused: bool = False
    paid: bool = False
    amounts: dict[str, Decimal] = field(default_factory=dict)               # order -> amount
    invoiced: dict[str, tuple[str, str, Decimal, dt.date]] = field(default_factory=dict)  # note -> invoice
    collected: bool = False
    shipped: dict[str, dt.date] = field(default_factory=dict)              # note -> day it left
    held: tuple[dict, dt.date] | None = None                               # the invoice finance issues late
    signed_any: bool = False
    regular: int = 0                                                       # next regular customer
    new_orders: int = 0
    lang: str = "zh"

    def __post_init__(self) -> None:
        cal = self.settings.calendar
        self.calendar = WorkCalendar(cal.holidays, cal.workdays)

    # one day's files -------------------------------------------------------------------------
    def drop(self, day: dt.date, previous: intake.RunOutcome, *, last: bool) -> list[Path]:
        inbox = self.home.inbox
        inbox.mkdir(parents=True, exist_ok=True)
        files: list[Path] = []
        workday = self.calendar.is_workday(day)
        if workday and not self.paid:
            files += self._payment(day)
        files += self._shipments(day)
        if workday:
            files += self._approvals(day, previous)
            files += self._invoices(day)
            files += self._collection(day)
        if last:
            files += self._problem_update(day, previous)
        self.new_orders = 0
        if workday:
            files += self._orders(day)
        set_arrival(files, day, start=dt.time(8, 0))
        return files

    def _payment(self, day: dt.date) -> list[Path]:
        """The 5-7c customer pays the rest of its order."""
        self.paid = True
        order = next(o for o in self.data.orders if o.role == "prepay_wait")
        c = order.customer
        received = sum((r["amount"] for r in self.data.receipt_rows if r["payer_name"] == c.name), Decimal(0))
        rest = order.amount - received
        if rest <= 0:
            return []
        path = self.home.inbox / receipts_name(day)
        write_receipts(path, [receipt_row(day, 1, c.name, rest, f"农业银行{c.city}支行",
                                                    f"{order.order_no} 余款")], day)
        return [path]

    def _invoices(self, day: dt.date) -> list[Path]:
        """Finance bills every delivery note shipped before today that has no invoice yet."""
        rows = []
        for note, (order_no, _) in sorted(self.issued.items()):
            customer = self._customer_of(order_no)
            if self.shipped.get(note, day) >= day or note in self.invoiced or customer is None \
                    or order_no not in self.amounts:
                continue
            number = f"FP{day:%Y%m%d}{len(self.invoiced) + 1:03d}"
            self.invoiced[note] = (number, customer.code, self.amounts[order_no], day)
            rows.append({"invoice_no": number, "delivery_note_no": note, "customer_code": customer.code,
                         "invoice_date": day, "amount": self.amounts[order_no]})
        files = []
        if rows:
            files.append(self.home.inbox / f"开票申请-{day:%Y-%m-%d}.xlsx")
            write_form(files[-1], "invoice_request", [self._invoice_request(day, i, r) for i, r in enumerate(rows, 1)],
                       sheet="开票申请", title=f"开票申请单 {day:%Y-%m-%d}",
                       formats={"request_date": DATE_FORMAT, "amount": MONEY_FORMAT})
        rows = self._late_invoice(day, rows)
        if not rows:
            return files
        files.append(self.home.inbox / f"开票记录-{day:%Y-%m-%d}.xlsx")
        write_form(files[-1], "invoices", rows, sheet="开票记录", title=f"财务部开票记录 {day:%Y-%m-%d}",
                   formats={"invoice_date": DATE_FORMAT, "amount": MONEY_FORMAT})
        return files

    def _late_invoice(self, day: dt.date, rows: list[dict]) -> list[dict]:
        """Finance holds back the last invoice of the first day with two or more, and issues it
        three working days after its request (a day late for the invoicing workflow)."""
        if self.held is None and len(rows) >= 2:
            self.held = (rows[-1], day)
            return rows[:-1]
        if self.held and self.held[1] and day >= self.calendar.add_workdays(self.held[1], 3):
            late = {**self.held[0], "invoice_date": day}
            self.invoiced[late["delivery_note_no"]] = (late["invoice_no"], late["customer_code"], late["amount"], day)
            self.held = (late, None)
            return [*rows, late]
        return rows

    def _invoice_request(self, day: dt.date, n: int, invoice: dict) -> dict:
        """The KAM's request that the invoice answers (the invoicing workflow: request, then invoice)."""
        customer = next(c for c in self.data.customers if c.code == invoice["customer_code"])
        return {"request_no": f"KP{day:%Y%m%d}{n:03d}", "request_date": day, "customer_code": customer.code,
                "delivery_note_no": invoice["delivery_note_no"], "invoice_type": "增值税专用发票",
                "invoice_title": customer.name, "amount": invoice["amount"], "applicant": customer.kam}

    def _collection(self, day: dt.date) -> list[Path]:
        """The first invoice is paid on sight (its number in the remark); an unknown payer's money waits in the pool."""
        if self.collected or not self.invoiced:
            return []
        number, code, amount, _ = min(self.invoiced.values(), key=lambda v: v[0])
        self.collected = True
        customer = next(c for c in self.data.customers if c.code == code)
        path = self.home.inbox / f"银行到款-回款-{day:%Y-%m-%d}.xlsx"
        write_receipts(path, [
            receipt_row(day, 1, customer.name, amount, f"招商银行{customer.city}分行", f"支付货款 发票{number}"),
            receipt_row(day, 2, customer.name[:4] + "贸易商行", Decimal("8800.00"), "工商银行营业部", "货款"),
        ], day)
        return [path]

    def _shipments(self, day: dt.date) -> list[Path]:
        """Feedback on the notes issued yesterday, and the late note once it has left."""
        rows = []
        yesterday = day - dt.timedelta(days=1)
        todays = sorted(note for note, (_, issued) in self.issued.items() if issued == yesterday)
        if self.late is None and len(todays) >= 2:
            self.late = todays[1]
        for i, note in enumerate(todays):
            received = dt.datetime.combine(day, dt.time(9, 0)) + dt.timedelta(minutes=10 * i)
            shipped = None if note == self.late else received + dt.timedelta(hours=6)
            if note == self.late:
                self.late_shipped = received + dt.timedelta(hours=LATE_HOURS)
            rows.append(self._shipment(note, received, shipped))
        if self.late and self.late_shipped and self.late_shipped.date() == day:
            received = self.late_shipped - dt.timedelta(hours=LATE_HOURS)
            rows.append(self._shipment(self.late, received, self.late_shipped,
                                       remark="托运站车辆不足，延误发货"))
        if not rows:
            return []
        path = self.home.inbox / f"发运反馈-{day:%Y-%m-%d}.xlsx"
        write_form(path, "shipments", rows, sheet="发运反馈", title=f"储运部发运反馈 {day:%Y-%m-%d}",
                        formats={"note_received_at": TIME_FORMAT, "shipped_at": TIME_FORMAT})
        return [path]

    def _shipment(self, note: str, received: dt.datetime, shipped: dt.datetime | None,
                  remark: str | None = None) -> dict:
        if shipped is not None:
            self.shipped[note] = shipped.date()
        order_no = self.issued[note][0]
        customer = self._customer_of(order_no)
        return {"delivery_note_no": note, "order_no": order_no, "note_received_at": received,
                "shipped_at": shipped, "station": customer.station if customer else None, "correct": "是",
                "remark": remark or ("已收单，待发货" if shipped is None else "按时发出")}

    def _customer_of(self, order_no: str):
        codes = {o.order_no: o.customer for o in self.data.orders}
        return codes.get(order_no)

    def _approvals(self, day: dt.date, previous: intake.RunOutcome) -> list[Path]:
        files = []
        for output in previous.manifest["outputs"]:
            if output["form"] != "approval_requests":
                continue
            source = self.home.root / output["file"]
            target = self.home.inbox / f"{source.stem}-已签.xlsx"
            if self._sign(source, target, day):
                files.append(target)
        return files

    def _sign(self, source: Path, target: Path, day: dt.date) -> bool:
        """Fill the SLT member's workbook; False when the member does not return it (the general
        manager, whose workbook only ever holds ST rows, never signs)."""
        form = catalogue_mod.load()["approvals"]
        wb = openpyxl.load_workbook(source)
        ws = wb.worksheets[0]
        header = [str(c.value or "").rstrip("*").strip() for c in ws[1]]
        col = {f.key: next((i for i, h in enumerate(header, 1) if h in (f.zh, f.en)), None) for f in form.fields}
        lang = "en" if form.field("decision").en in header else "zh"

        def key(field_key: str, row: int) -> str:
            value = str(ws.cell(row, col[field_key]).value or "")
            return next((c.key for c in form.field(field_key).choices if value in (c.key, c.zh, c.en)), value)

        def label(field_key: str, choice: str) -> str:
            c = next(c for c in form.field(field_key).choices if c.key == choice)
            return c.en if lang == "en" else c.zh

        rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, col["order_no"]).value]
        if not rows or all(key("approver", r) == "gm" for r in rows):
            return False
        refuse = next(o.order_no for o in self.data.orders if o.role == "over")
        yes = "Yes" if lang == "en" else "是"
        for n, r in enumerate(rows):
            order_no = str(ws.cell(r, col["order_no"]).value)
            decision, note = "approve", "同意"
            if key("approval_type", r) == "ST":
                note = "同意特别处理（订货会），请督促客户月底前结清逾期款"
            elif order_no == refuse and not self.refused:
                self.refused = True
                decision, note = "refuse", "超出信用额度，请区域经理与客户协商减量后重新提交"
            ws.cell(r, col["decision"]).value = label("decision", decision)
            ws.cell(r, col["signed_at"]).value = dt.datetime.combine(day, dt.time(10, 0)) + dt.timedelta(minutes=7 * n)
            ws.cell(r, col["signed_at"]).number_format = TIME_FORMAT
            ws.cell(r, col["note"]).value = note
            if not self.signed_any:
                self.signed_any = True
                ws.cell(r, col["on_behalf"]).value = yes
                ws.cell(r, col["note"]).value = note + "（领导电话同意，秘书代签）"
        wb.save(target)
        return True

    def _problem_update(self, day: dt.date, previous: intake.RunOutcome) -> list[Path]:
        """Explain and close the oldest open OP problem of one signer (the ST's SLT problem stays)."""
        open_op = [p for p in previous.manifest["problems"]
                   if p["status"] == "open" and p["area"] == "OP" and p["responsible"] not in ("SLT", "SSG")]
        if not open_op:
            return []
        problem = min(open_op, key=lambda p: p["problem_no"])
        row = {"problem_no": problem["problem_no"],
               "explanation": f"{problem['responsible']}外出参加订货会，订单 {problem['order_no']} 次日补签；"
                              "已安排秘书按授权代签，今后当日签批",
               "resolved": "是", "resolved_by": problem["responsible"],
               "resolved_at": dt.datetime.combine(day, dt.time(11, 30))}
        path = self.home.inbox / f"问题处理反馈-{day:%Y-%m-%d}.xlsx"
        write_form(path, "problem_updates", [row], sheet="问题处理反馈",
                        title=f"OSB问题处理反馈 {day:%Y-%m-%d}", formats={"resolved_at": TIME_FORMAT})
        return [path]

    def _orders(self, day: dt.date) -> list[Path]:
        """Two or three orders of regular credit customers, each well inside its limit: 5-2."""
        data = self.data
        rng = random.Random(f"{data.seed}-{day.isoformat()}")
        count = 2 + (day.toordinal() % 2)
        orders = []
        for n in range(1, count + 1):
            c = data.regulars[self.regular % len(data.regulars)]
            self.regular += 1
            lines = []
            for name in sorted(rng.sample(_WEEK_PRODUCTS, 2)):
                product = data.product(name)
                price = data.price(c, product, day)
                most = max(1, int(c.credit_limit * Decimal("0.03") / price))
                lines.append(data.line(c, product, min(rng.randrange(5, 21), most), day))
            orders.append(DemoOrder(demo_orders.order_no(day, n), day, c, tuple(lines), kam_verified=c.kam,
                                         mm_approved=data.mm(c), role="regular", case=REGULAR_PATH[0],
                                         state=REGULAR_PATH[1]))
        data.orders.extend(orders)
        self.new_orders = len(orders)
        path = self.home.inbox / orders_name(day)
        write_orders(path, orders, day)
        return [path]

    # after the run ---------------------------------------------------------------------------
    def after(self, day: dt.date, outcome: intake.RunOutcome) -> None:
        for o in outcome.manifest["orders"]:
            self.amounts[o["order_no"]] = Decimal(o["amount"])
            if o.get("note_no") and o["note_no"] not in self.issued:
                self.issued[o["note_no"]] = (o["order_no"], day)

    def line(self, day: dt.date, outcome: intake.RunOutcome, dropped: Iterable[Path]) -> str:
        m = outcome.manifest
        workday = self.calendar.is_workday(day)
        states = {}
        for o in m["orders"]:
            states[o["state"]] = states.get(o["state"], 0) + 1
        waiting = sum(states.get(s, 0) for s in ("AWAITING_SIGNATURE", "NEEDS_MANAGER_APPROVAL", "ST_PENDING"))
        open_problems = sum(1 for p in m["problems"] if p["status"] == "open")
        numbers = (len(list(dropped)), self.new_orders, len(m["orders"]), waiting, m["counts"]["delivery_notes"],
                   states.get("SHIPPED", 0), open_problems)
        if self.lang == "en":
            return (f"{day:%Y-%m-%d} {day:%a} {'working day' if workday else 'rest day'}  "
                    f"{self.home.relative(outcome.folder)}  " + DAY_LINE_EN.format(*numbers))
        return (f"{day:%Y-%m-%d} 周{WEEKDAYS[day.weekday()]} {'工作日' if workday else '休息日'}  "
                f"{self.home.relative(outcome.folder)}  " + DAY_LINE_ZH.format(*numbers))
