"""Deadlines and the OSB problem log (domain.md "Deadlines, KPIs and the OSB problem log").

Each breach opens exactly one numbered entry, keyed by rule and document, so a re-run never
opens it twice; numbers come from a counter and are never reused. ``problem_updates`` forms
add the written explanation and close entries. Shipments move orders to SHIPPED. The log and
the facts it is judged on are kept by :class:`osb_batch.ledger.problems.ProblemLog`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from osb_batch.findings import Finding, finding
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.orders import OrderBook
from osb_batch.ledger.problems import ProblemLog
from osb_batch.messages import problem_text
from osb_batch.readers.workbook import ReadResult
from osb_batch.settings import SIGNER_TITLE, Settings
from osb_batch.workdays import WorkCalendar, hours_between
from osb_batch.writers.records import KpiFigure, ProblemView


def decision_deadline(calendar: WorkCalendar, settings: Settings, state: str, accepted_on: dt.date) -> dt.datetime:
    """When an order accepted on ``accepted_on`` and waiting in ``state`` must be decided (23:59 of
    that day): an ST request by the end of its ``st_working_days``-th working day, every other order
    the day it was accepted, or the next working day when accepted on a rest day (the OP rule)."""
    n = settings.deadlines.st_working_days if state == "ST_PENDING" else 0
    return dt.datetime.combine(calendar.deadline(accepted_on, n), dt.time(23, 59))


@dataclass(slots=True)
class ProblemRun:
    ledger: Ledger
    settings: Settings
    day: dt.date
    run_id: int
    now: dt.datetime                      # local (Asia/Shanghai) wall-clock time of the check
    opened: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    log: ProblemLog = field(init=False)

    def __post_init__(self) -> None:
        self.log = ProblemLog(self.ledger)

    # opening ------------------------------------------------------------------------------------
    def _open(self, key: str, area: str, rule: str, responsible: str, params: dict, order_no: str = "",
              note_no: str = "") -> None:
        if self.log.has(key):
            return
        self.opened.append(self.log.open(key, day=self.day, area=area, rule=rule, order_no=order_no,
                                         note_no=note_no, responsible=responsible,
                                         what=problem_text(rule, params, "zh"), run_id=self.run_id, params=params))

    def check_orders(self, calendar: WorkCalendar) -> None:
        """OP breaches, checked before this run's approvals: a day that has ended is judged as it ended."""
        d = self.settings.deadlines
        if d.op_same_day:
            for no, accepted, signer, state in self.log.unsigned_before(self.day):
                if decision_deadline(calendar, self.settings, "", dt.date.fromisoformat(accepted[:10])).date() \
                        >= self.day:
                    continue                # accepted on a rest day: due by the end of the next working day
                who = SIGNER_TITLE.get(signer or "", "SSG") if state else "SSG"
                self._open(f"op-same-day:{no}:{accepted}", "OP", "op-same-day", who,
                           {"order_no": no, "accepted": accepted, "state": state}, order_no=no)
        for no, accepted in self.log.st_pending():
            start = dt.datetime.fromisoformat(accepted)
            if calendar.deadline_passed(start, d.st_working_days, dt.datetime.combine(self.day, dt.time(0))):
                self._open(f"st-deadline:{no}:{accepted}", "OP", "st-deadline", "SLT",
                           {"order_no": no, "accepted": accepted, "days": str(d.st_working_days)}, order_no=no)

    def check_shipping(self) -> None:
        """SP breaches, checked after this run's shipment feedback."""
        d = self.settings.deadlines
        for note_no, order_no, received, shipped in self.log.received_notes():
            start = dt.datetime.fromisoformat(received)
            end = dt.datetime.fromisoformat(shipped) if shipped else self.now
            if hours_between(start, end) > d.shipping_breach_hours:
                self._open(f"sp-48h:{note_no}", "SP", "sp-48h", "warehouse",
                           {"note_no": note_no, "received": received, "hours": str(d.shipping_breach_hours),
                            "late": "shipped" if shipped else "unshipped"}, order_no=order_no or "", note_no=note_no)

    def open_shipping_miss(self, rule: str, note_no: str, product: str, params: dict, order_no: str = "") -> None:
        """An SP accuracy miss the followed workflows found (``sp-outbound-qty``, ``sp-short-receipt``):
        one entry per rule, note and product; the note counts as not shipped correctly."""
        self._open(f"{rule}:{note_no}:{product}", "SP", rule, "warehouse", params, order_no=order_no, note_no=note_no)

    # forms --------------------------------------------------------------------------------------
    def apply_updates(self, result: ReadResult) -> list[Finding]:
        """Explain or close entries; returns a finding for every row naming a number never issued."""
        found: list[Finding] = []
        for table, row in result.rows:
            if not row.ok:
                continue
            v = row.values
            current = self.log.status(v["problem_no"])
            if current is None:
                found.append(finding("problem-unknown", **result.where(table, row, "problem_no"),
                                     value=v["problem_no"]))
                continue
            status = "resolved" if v["resolved"] else "open"
            self.log.update(v["problem_no"], explanation=v["explanation"], status=status,
                            resolved_by=v["resolved_by"], resolved_at=v["resolved_at"])
            if status == "resolved" and current != "resolved":
                self.resolved.append(v["problem_no"])
        return found

    def apply_shipments(self, result: ReadResult, input_id: int, move) -> list[Finding]:
        """Record the warehouse's feedback; a shipped note moves its order to SHIPPED. Returns a
        finding for every row naming a note the batch never issued."""
        found: list[Finding] = []
        book = OrderBook(self.ledger)
        for table, row in result.rows:
            if not row.ok:
                continue
            v = row.values
            self.log.record_shipment(v, input_id=input_id, run_id=self.run_id)
            order = book.order_of_note(v["delivery_note_no"])
            if order is None:
                found.append(finding("shipment-unknown-note", **result.where(table, row, "delivery_note_no"),
                                     value=v["delivery_note_no"]))
            elif v["shipped_at"] and order[1] == "NOTE_ISSUED":
                move(order[0], "SHIPPED", f"shipped {v['shipped_at']}")
        return found

    # reading ------------------------------------------------------------------------------------
    def views(self) -> list[ProblemView]:
        rows = [r for r in self.log.entries() if r[7] == "open" or r[0] in self.resolved]
        return [ProblemView(r[0], dt.date.fromisoformat(r[1]), r[2], r[3] or "", r[4] or "", r[5], r[6], r[7],
                            r[8] or "", r[9] or "", dt.datetime.fromisoformat(r[10]) if r[10] else None,
                            r[11] or "", tuple(json.loads(r[12] or "{}").items()))
                for r in rows]

    def manifest_entries(self) -> list[dict]:
        return [{"problem_no": p.problem_no, "area": p.area, "order_no": p.order_no, "note_no": p.note_no,
                 "responsible": p.responsible, "opened": p.opened_on.isoformat(), "status": p.status}
                for p in self.views()]

    def _same_day_by_month(self) -> dict[str, tuple[int, int]]:
        """Month of acceptance -> (orders judged, notes issued in time). An order is judged once its
        note is issued or its deadline (the OP rule's day, see decision_deadline) has ended: one still
        within its day is not yet a miss, and a month without judged orders has no figure."""
        calendar = WorkCalendar(self.settings.calendar.holidays, self.settings.calendar.workdays)
        months: dict[str, tuple[int, int]] = {}
        for accepted, issued in self.log.same_day_orders():
            due = decision_deadline(calendar, self.settings, "", dt.date.fromisoformat(accepted[:10])).date()
            if issued is None and due >= self.day:
                continue
            total, same = months.get(accepted[:7], (0, 0))
            months[accepted[:7]] = (total + 1, same + int(issued is not None and issued[:10] <= due.isoformat()))
        return dict(sorted(months.items()))

    def kpis(self) -> list[KpiFigure]:
        """OP same-day rate and SP 24 h / accuracy per month, from the ledger."""
        d = self.settings.deadlines
        figures = [KpiFigure(month, "op_same_day", "订单当日开单率", Decimal(same), Decimal(total), d.op_same_day_target)
                   for month, (total, same) in self._same_day_by_month().items()]
        by_month: dict[str, list[int]] = {}
        misses = self.log.accuracy_misses()
        for note_no, received, shipped, correct in self.log.shipped():
            month = shipped[:7]
            within = hours_between(dt.datetime.fromisoformat(received), dt.datetime.fromisoformat(shipped)) \
                <= d.shipping_target_hours if received else False
            counts = by_month.setdefault(month, [0, 0, 0])
            counts[0] += 1
            counts[1] += int(within)
            counts[2] += int(bool(correct) and note_no not in misses)
        for month, (n, within, correct) in sorted(by_month.items()):
            figures.append(KpiFigure(month, "sp_24h", "24小时发货率", Decimal(within), Decimal(n),
                                     d.shipping_24h_target))
            figures.append(KpiFigure(month, "sp_accuracy", "发运准确率", Decimal(correct), Decimal(n),
                                     d.shipping_accuracy_target))
        return figures
