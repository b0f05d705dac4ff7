"""The followed workflows' trails in the demo (workflows.md; issue 15 item 5).

Besides OSB, the demo's people leave the trails the chains follow:

* day 1: a quote (报价单) 15 % under the list price without an approver (a finding for its KAM)
  and one 5 % under (no approval needed); two bids (投标书登记), one won and one lost with its
  deposit, which comes back on the sixth working day (保证金已退);
* the first working day after day 1: a complaint (投诉) ticket (客服工单), the market's MM
  informed, closed the next working day (satisfaction 一般);
* with the warehouse's shipment feedback: its outbound (销售出库单) of every note that left that
  day, the quantities of the note;
* the first working day after a note left: the customer's signed receipt (客户确认单), all intact
  except on the first note signed back, one piece short (短少): an after-sales item for the KAM
  and an OSB problem (the note counts as not shipped correctly); the next working day a service
  ticket handles it, closed two working days later;
* the first working day after a note left, once: a red requisition (退货详单) of one piece of the
  last such note, reviewed by the customer's UM; finance books the return (退货单) two working
  days later.

The quantities and prices come from the delivery notes the batch wrote (送货单, read back by their
labels). Everything is dated by the calendar, so a longer demo closes what a week leaves open.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
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

from .demo_data import DemoData
from .master_data import Customer
from .staff_workbook import DATE_FORMAT, MONEY_FORMAT, write_form

__all__ = ["Trails"]

TIME_FORMAT = "yyyy-mm-dd hh:mm"
FORMATS = {"quote_date": DATE_FORMAT, "valid_until": DATE_FORMAT, "bid_date": DATE_FORMAT, "outbound_date": DATE_FORMAT,
           "received_date": DATE_FORMAT, "request_date": DATE_FORMAT, "return_date": DATE_FORMAT,
           "opened_at": TIME_FORMAT, "closed_at": TIME_FORMAT, "unit_price": MONEY_FORMAT, "amount": MONEY_FORMAT,
           "deposit": MONEY_FORMAT, "bid_amount": MONEY_FORMAT}
QUOTE_CUTS = (Decimal("0.85"), Decimal("0.95"))      # one needs an approver (more than 10 % off), one does not
DEPOSIT_BACK = 6                                      # the working day the lost bid's deposit comes back


@dataclass(frozen=True, slots=True)
class NoteLine:
    product: str
    qty: Decimal
    price: Decimal


@dataclass(slots=True)
class Trails:
    home: Home
    settings: Settings
    data: DemoData
    start: dt.date
    notes: dict[str, tuple[str, tuple[NoteLine, ...]]] = field(default_factory=dict)  # note -> customer, lines
    signed: set[str] = field(default_factory=set)
    later: list[tuple[dt.date, str, str, dict, str]] = field(default_factory=list)   # day, file, form, row, title
    short: bool = False
    returned: bool = False
    calendar: WorkCalendar = field(init=False)
    tz: ZoneInfo = field(init=False)

    def __post_init__(self) -> None:
        self.calendar = WorkCalendar(self.settings.calendar.holidays, self.settings.calendar.workdays)
        self.tz = ZoneInfo(self.settings.general.timezone)

    # the day's files ------------------------------------------------------------------------
    def drop(self, day: dt.date, shipped: Mapping[str, dt.date]) -> list[Path]:
        """Write ``day``'s workflow files into inbox/ (``shipped``: note -> the day it left)."""
        out: list[tuple[Path, dt.datetime]] = []
        if day == self.start:
            out += self._quotes_and_bids(day)
        out += self._outbound(day, shipped)
        if self.calendar.is_workday(day):
            if day == self._workday(self.start, 1):
                out += self._complaint(day)
            out += self._receipts(day, shipped)
            out += self._requisition(day, shipped)
            out += self._due(day)
        for path, moment in out:
            os.utime(path, (moment.timestamp(), moment.timestamp()))
        return [p for p, _ in out]

    def after(self, outcome: intake.RunOutcome) -> None:
        """Remember the lines of the delivery notes the run wrote."""
        for output in outcome.manifest["outputs"]:
            if output["form"] == "delivery_notes":
                self.notes.update(delivery_note_lines(self.home.root / output["file"]))

    # helpers --------------------------------------------------------------------------------
    def _at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def _workday(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day``."""
        return self.calendar.add_workdays(day, n)

    def _write(self, name: str, form: str, rows: list[dict], title: str) -> Path:
        path = self.home.inbox / name
        keys = catalogue_mod.load()[form].keys
        write_form(path, form, rows, sheet=catalogue_mod.load()[form].zh, title=title,
                   formats={k: v for k, v in FORMATS.items() if k in keys})
        return path

    def _customer(self, code: str) -> Customer:
        return next(c for c in self.data.customers if c.code == code)

    def _csr(self, customer: Customer) -> str:
        roles = self.settings.roles_of(customer.market.code)
        return roles.csr if roles else self.settings.people.secretaries[0]

    def _due(self, day: dt.date) -> list[tuple[Path, dt.datetime]]:
        """The follow-ups scheduled for ``day`` or earlier, one file per form."""
        ready = [x for x in self.later if x[0] <= day]
        self.later = [x for x in self.later if x[0] > day]
        out = []
        for name in dict.fromkeys(x[1] for x in ready):
            mine = [x for x in ready if x[1] == name]
            out.append((self._write(f"{name}-{day:%Y-%m-%d}.xlsx", mine[0][2], [x[3] for x in mine], mine[0][4]),
                        self._at(day, 15, 0)))
        return out

    # the trails -----------------------------------------------------------------------------
    def _quotes_and_bids(self, day: dt.date) -> list[tuple[Path, dt.datetime]]:
        customer = self.data.regulars[0]
        product = next(p for p in self.data.products if p.on_sale)
        quotes = [{"quote_no": f"BJ{day:%Y%m%d}{n:02d}", "quote_date": day, "customer_code": customer.code,
                   "customer_name": customer.name, "product_code": product.code, "product_name": product.name,
                   "qty": Decimal(20 * n), "unit_price": (product.price * cut).quantize(Decimal(1)),
                   "valid_until": day + dt.timedelta(days=30), "quoted_by": customer.kam,
                   "remark": "年底促销报价" if n == 1 else "常规报价"}
                  for n, cut in enumerate(QUOTE_CUTS, 1)]
        owner = self.data.regulars[1]
        bid_day = day - dt.timedelta(days=12)
        bids = [{"bid_no": f"TB{bid_day:%Y%m%d}{n:02d}", "project_name": project, "tenderer": tenderer,
                 "bid_date": bid_day, "bid_amount": Decimal(amount), "deposit": Decimal(deposit), "owner": owner.kam,
                 "result": result, "deposit_returned": "否"}
                for n, (project, tenderer, amount, deposit, result) in enumerate((
                    ("职工食堂厨房电器采购", f"{owner.city}市第一中学", "386000", "8000", "中标"),
                    ("住院部空调更新项目", f"{owner.city}市人民医院", "1250000", "25000", "未中标")), 1)]
        back = {**bids[1], "deposit_returned": "是", "remark": "保证金已退回"}
        self.later.append((self._workday(day, DEPOSIT_BACK), "投标书登记-保证金退回", "bid_register", back,
                           "投标书登记（保证金退回）"))
        return [(self._write(f"报价单-{day:%Y-%m-%d}.xlsx", "quotation", quotes, "报价单汇总"), self._at(day, 11, 20)),
                (self._write(f"投标书登记-{day:%Y-%m-%d}.xlsx", "bid_register", bids, "投标书登记"),
                 self._at(day, 11, 40))]

    def _ticket(self, day: dt.date, n: int, customer: Customer, category: str, text: str, **more) -> dict:
        return {"ticket_no": f"KF{day:%Y%m%d}{n:02d}", "opened_at": self._at(day, 9 + n).replace(tzinfo=None),
                "customer_code": customer.code, "customer_name": customer.name, "channel": "电话",
                "category": category, "description": text, "assigned_to": self._csr(customer), "status": "处理中",
                **more}

    def _complaint(self, day: dt.date) -> list[tuple[Path, dt.datetime]]:
        customer = self.data.regulars[2]
        ticket = self._ticket(day, 1, customer, "投诉", "送货司机未按约定时间到达，卸货延误半天")
        closing = self._workday(day, 1)
        self.later.append((closing, "客服工单-关闭", "service_ticket",
                           {**ticket, "status": "已关闭", "closed_at": self._at(closing, 16).replace(tzinfo=None),
                            "satisfaction": "一般"}, "客服工单（关闭）"))
        return [(self._write(f"客服工单-{day:%Y-%m-%d}.xlsx", "service_ticket", [ticket], "客服工单"),
                 self._at(day, 10, 30))]

    def _outbound(self, day: dt.date, shipped: Mapping[str, dt.date]) -> list[tuple[Path, dt.datetime]]:
        rows = []
        for note in sorted(n for n, d in shipped.items() if d == day and n in self.notes):
            code, lines = self.notes[note]
            rows += [{"outbound_no": f"CK{note[2:]}", "outbound_date": day, "delivery_note_no": note,
                      "customer_code": code, "product_code": line.product, "qty": line.qty, "warehouse": "成品库",
                      "handled_by": "储运部"} for line in lines]
        if not rows:
            return []
        return [(self._write(f"销售出库单-{day:%Y-%m-%d}.xlsx", "sales_outbound", rows, f"销售出库单 {day:%Y-%m-%d}"),
                 self._at(day, 17, 0))]

    def _receipts(self, day: dt.date, shipped: Mapping[str, dt.date]) -> list[tuple[Path, dt.datetime]]:
        """Every note that left before today comes back signed, the first one short by one piece."""
        rows = []
        for n, note in enumerate(sorted(x for x, d in shipped.items() if d < day and x in self.notes
                                        and x not in self.signed), 1):
            self.signed.add(note)
            code, lines = self.notes[note]
            customer = self._customer(code)
            number = f"QR{day:%Y%m%d}{n:03d}"
            for i, line in enumerate(lines):
                short = not self.short and i == 0 and line.qty > 1
                rows.append({"confirmation_no": number, "delivery_note_no": note, "customer_code": code,
                             "received_date": day, "product_code": line.product,
                             "received_qty": line.qty - 1 if short else line.qty,
                             "condition": "短少" if short else "完好", "received_by": customer.contact,
                             "remark": "外箱破损，少 1 件" if short else None})
                if short:
                    self.short = True
                    self._after_sales(day, customer, f"{number}-{line.product}")
        if not rows:
            return []
        return [(self._write(f"客户确认单-{day:%Y-%m-%d}.xlsx", "receipt_confirmation", rows, "客户签收确认单"),
                 self._at(day, 14, 10))]

    def _after_sales(self, day: dt.date, customer: Customer, request_no: str) -> None:
        """The short piece is re-sent: a ticket the next working day, closed two working days later."""
        handled, closed = self._workday(day, 1), self._workday(day, 3)
        ticket = {**self._ticket(handled, 2, customer, "售后", "客户签收短少 1 件，安排补发"), "request_no": request_no}
        self.later += [(handled, "客服工单-售后", "service_ticket", ticket, "客服工单（售后）"),
                       (closed, "客服工单-售后关闭", "service_ticket",
                        {**ticket, "status": "已关闭", "closed_at": self._at(closed, 11).replace(tzinfo=None),
                         "satisfaction": "满意"}, "客服工单（售后关闭）")]

    def _requisition(self, day: dt.date, shipped: Mapping[str, dt.date]) -> list[tuple[Path, dt.datetime]]:
        """One piece of the last note that left before today comes back (a red requisition)."""
        gone = sorted(x for x, d in shipped.items() if d < day and x in self.notes)
        if self.returned or not gone:
            return []
        self.returned = True
        code, lines = self.notes[gone[-1]]
        customer, line = self._customer(code), lines[0]
        row = {"red_request_no": f"HZ{day:%Y%m%d}01", "request_date": day, "original_doc_no": gone[-1],
               "customer_code": code, "product_code": line.product, "qty": Decimal(1), "unit_price": line.price,
               "amount": line.price, "return_reason": "外观划伤，客户拒收 1 件", "red_invoice": "是",
               "applicant": customer.kam, "reviewed_by": customer.um}
        booked = self._workday(day, 2)
        self.later.append((booked, "退货单", "returns",
                           {"return_no": f"TH{booked:%Y%m%d}01", "original_doc_no": gone[-1], "customer_code": code,
                            "product_code": line.product, "qty": Decimal(1), "amount": line.price,
                            "return_date": booked, "approved_by": customer.um, "reason": "外观划伤"}, "财务部退货单"))
        return [(self._write(f"退货详单-{day:%Y-%m-%d}.xlsx", "return_detail", [row], "退货详单（红字申请）"),
                 self._at(day, 16, 0))]


def delivery_note_lines(path: Path) -> dict[str, tuple[str, tuple[NoteLine, ...]]]:
    """note -> (customer code, its lines) from a delivery-note workbook the batch wrote (by its labels)."""
    found: dict[str, tuple[str, tuple[NoteLine, ...]]] = {}
    note = code = ""
    columns: dict[str, int] | None = None
    lines: list[NoteLine] = []
    for row in openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True):
        label = str(row[0] or "").strip() if row else ""
        if label == "送货单号：":
            note, columns, lines = str(row[2]), None, []
        elif label == "客户编码：":
            code = str(row[2])
        elif label == "序号":
            columns = {str(v): i for i, v in enumerate(row) if v}
        elif label == "合计" and columns is not None:
            found[note] = (code, tuple(lines))
            columns = None
        elif columns is not None and row[columns["产品编码"]]:
            lines.append(NoteLine(str(row[columns["产品编码"]]), Decimal(str(row[columns["数量"]])),
                                  Decimal(str(row[columns["单价"]]))))
    return found
