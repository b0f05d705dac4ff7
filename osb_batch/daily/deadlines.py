"""Deadlines and the OSB problem log (domain.md "Deadlines, KPIs and the OSB problem log").

Each breach opens exactly one numbered entry, keyed by rule and document, so a re-run never
opens it twice; numbers come from a counter and are never reused. ``problem_updates`` forms
add the written explanation and close entries. Shipments move orders to SHIPPED.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from osb_batch.findings import Finding, finding
from osb_batch.ledger.database import Ledger, to_text
from osb_batch.readers.workbook import ReadResult
from osb_batch.settings import Settings
from osb_batch.workdays import WorkCalendar, hours_between
from osb_batch.writers.records import KpiFigure, ProblemView

SIGNER_TITLE = {"gm": "总经理", "director": "销售总监", "deputy": "销售副总监"}


@dataclass(slots=True)
class ProblemRun:
    ledger: Ledger
    settings: Settings
    day: dt.date
    run_id: int
    now: dt.datetime                      # local (Asia/Shanghai) wall-clock time of the check
    opened: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def db(self):
        return self.ledger.conn

    # opening ------------------------------------------------------------------------------------
    def _open(self, key: str, area: str, rule: str, responsible: str, what: str, order_no: str = "",
              note_no: str = "") -> None:
        if self.db.execute("SELECT 1 FROM problems WHERE key = ?", (key,)).fetchone():
            return
        number = self.ledger.next_number("problem")
        self.db.execute(
            "INSERT INTO problems (problem_no, key, opened_on, area, rule, order_no, note_no, responsible, what, "
            "status, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
            (number, key, self.day.isoformat(), area, rule, order_no, note_no, responsible, what, self.run_id))
        self.opened.append(number)

    def check_orders(self, calendar: WorkCalendar) -> None:
        """OP breaches, checked before this run's approvals: a day that has ended is judged as it ended."""
        d = self.settings.deadlines
        if d.op_same_day:
            for no, accepted, signer, state in self.db.execute(
                    "SELECT order_no, accepted_on, signer, state FROM orders WHERE accepted_on < ? "
                    "AND state IN ('AWAITING_SIGNATURE', 'NEEDS_MANAGER_APPROVAL')", (self.day.isoformat(),)):
                who = SIGNER_TITLE.get(signer or "", "SSG") if state else "SSG"
                self._open(f"op-same-day:{no}:{accepted}", "OP", "op-same-day", who,
                           f"订单 {no} 于 {accepted} 受理，当日未开出送货单（{state}）", order_no=no)
        for no, accepted in self.db.execute(
                "SELECT order_no, accepted_on FROM orders WHERE state = 'ST_PENDING'").fetchall():
            start = dt.datetime.fromisoformat(accepted)
            if calendar.deadline_passed(start, d.st_working_days, dt.datetime.combine(self.day, dt.time(0))):
                self._open(f"st-deadline:{no}:{accepted}", "OP", "st-deadline", "SLT",
                           f"特别处理申请 {no}（{accepted} 受理）未在 {d.st_working_days} 个工作日内审批完毕",
                           order_no=no)

    def check_shipping(self) -> None:
        """SP breaches, checked after this run's shipment feedback."""
        d = self.settings.deadlines
        for note_no, order_no, received, shipped in self.db.execute(
                "SELECT delivery_note_no, order_no, note_received_at, shipped_at FROM shipments "
                "WHERE note_received_at IS NOT NULL").fetchall():
            start = dt.datetime.fromisoformat(received)
            end = dt.datetime.fromisoformat(shipped) if shipped else self.now
            if hours_between(start, end) > d.shipping_breach_hours:
                state = "发货" if shipped else "至今未发货"
                self._open(f"sp-48h:{note_no}", "SP", "sp-48h", "warehouse",
                           f"送货单 {note_no} 于 {received} 收到，{state}超过 {d.shipping_breach_hours} 小时",
                           order_no=order_no or "", note_no=note_no)

    # forms --------------------------------------------------------------------------------------
    def apply_updates(self, result: ReadResult) -> None:
        for table, row in result.rows:
            if not row.ok:
                continue
            v = row.values
            where = {"file": result.file, "form": "problem_updates", "sheet": table.sheet, "row": row.number,
                     "cell": table.cell(row, "problem_no"), "field": "problem_no", "value": v["problem_no"]}
            current = self.db.execute("SELECT status FROM problems WHERE problem_no = ?",
                                      (v["problem_no"],)).fetchone()
            if current is None:
                self.findings.append(finding("problem-unknown", **where))
                continue
            status = "resolved" if v["resolved"] else "open"
            self.db.execute("UPDATE problems SET explanation = ?, status = ?, resolved_by = ?, resolved_at = ? "
                            "WHERE problem_no = ?", (v["explanation"], status, v["resolved_by"],
                                                      to_text(v["resolved_at"]), v["problem_no"]))
            if status == "resolved" and current[0] != "resolved":
                self.resolved.append(v["problem_no"])

    def apply_shipments(self, result: ReadResult, input_id: int, move) -> None:
        """Record the warehouse's feedback; a shipped note moves its order to SHIPPED."""
        for table, row in result.rows:
            if not row.ok:
                continue
            v = row.values
            self.db.execute(
                "INSERT OR REPLACE INTO shipments (delivery_note_no, order_no, note_received_at, shipped_at, station, "
                "correct, remark, input_id, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (v["delivery_note_no"], v["order_no"], to_text(v["note_received_at"]), to_text(v["shipped_at"]),
                 v.get("station"), int(bool(v["correct"])), v.get("remark"), input_id, self.run_id))
            order = self.db.execute("SELECT o.id, o.state FROM delivery_notes n JOIN orders o ON o.id = n.order_id "
                                    "WHERE n.note_no = ?", (v["delivery_note_no"],)).fetchone()
            if order is None:
                self.findings.append(finding("shipment-unknown-note", file=result.file, form="shipments",
                                             sheet=table.sheet, row=row.number, field="delivery_note_no",
                                             cell=table.cell(row, "delivery_note_no"), value=v["delivery_note_no"]))
            elif v["shipped_at"] and order[1] == "NOTE_ISSUED":
                move(order[0], "SHIPPED", f"shipped {v['shipped_at']}")

    # reading ------------------------------------------------------------------------------------
    def views(self) -> list[ProblemView]:
        rows = [r for r in self.db.execute(
            "SELECT problem_no, opened_on, area, order_no, note_no, responsible, what, status, explanation, "
            "resolved_by, resolved_at FROM problems ORDER BY problem_no") if r[7] == "open" or r[0] in self.resolved]
        return [ProblemView(r[0], dt.date.fromisoformat(r[1]), r[2], r[3] or "", r[4] or "", r[5], r[6], r[7],
                            r[8] or "", r[9] or "", dt.datetime.fromisoformat(r[10]) if r[10] else None)
                for r in rows]

    def manifest_entries(self) -> list[dict]:
        return [{"problem_no": p.problem_no, "area": p.area, "order_no": p.order_no, "note_no": p.note_no,
                 "responsible": p.responsible, "opened": p.opened_on.isoformat(), "status": p.status}
                for p in self.views()]

    def kpis(self) -> list[KpiFigure]:
        """OP same-day rate and SP 24 h / accuracy per month, from the ledger."""
        d = self.settings.deadlines
        figures = []
        op = self.db.execute(
            "SELECT substr(o.accepted_on, 1, 7), COUNT(*), SUM(n.issued_on = o.accepted_on) FROM orders o "
            "LEFT JOIN delivery_notes n ON n.order_id = o.id WHERE o.state NOT IN ('REJECTED') "
            "AND COALESCE(o.case_id, '') NOT IN ('5-5', '5-4', '5-7c') GROUP BY 1").fetchall()
        for month, total, same in op:
            figures.append(KpiFigure(month, "op_same_day", "订单当日开单率", Decimal(same or 0), Decimal(total),
                                     d.op_same_day_target))
        sp = self.db.execute("SELECT note_received_at, shipped_at, correct FROM shipments WHERE shipped_at IS NOT NULL")
        by_month: dict[str, list[int]] = {}
        for received, shipped, correct in sp:
            month = shipped[:7]
            within = hours_between(dt.datetime.fromisoformat(received), dt.datetime.fromisoformat(shipped)) \
                <= d.shipping_target_hours if received else False
            counts = by_month.setdefault(month, [0, 0, 0])
            counts[0] += 1
            counts[1] += int(within)
            counts[2] += int(correct or 0)
        for month, (n, within, correct) in sorted(by_month.items()):
            figures.append(KpiFigure(month, "sp_24h", "24小时发货率", Decimal(within), Decimal(n),
                                     d.shipping_24h_target))
            figures.append(KpiFigure(month, "sp_accuracy", "发运准确率", Decimal(correct), Decimal(n),
                                     d.shipping_accuracy_target))
        return figures
