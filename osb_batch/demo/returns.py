"""Workbooks the batch writes that the demo's people fill and send back.

* 经销商进货情况统计表 (``dealer_purchase_stats``): once a month's reports are in ``outbox/`` (the
  first run after the month closes writes them), the next working day the regions return the
  month's statistics with ``stock_qty`` (期末库存) filled;
* 信用额度建议 (the batch's ``credit_limit_proposal``, written by the first run of a quarter): the
  next working day the SLT returns it as ``credit_limit_decisions`` (信用额度调整): most rows
  approved at the proposed limit by the SLT member who signs for the customer's market, one with
  a manual adjustment, one signed by a secretary on the member's behalf, one signed by the
  customer's KAM (not an SLT member: refused), the prepaid rows and the last two left blank.

Each is read from the batch's own workbook (header found by the catalogue's labels) and written
back the way staff write a form. When the workbook is not in ``outbox/`` the demo says so in one
line and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl

from osb_batch import catalogue as catalogue_mod
from osb_batch.delivery.folders import FOLDER as RECEIVERS
from osb_batch.settings import Settings
from osb_batch.workdays import WorkCalendar
from osb_batch.workspace import Home

from .demo_data import DemoData
from .management_rows import Staff
from .staff_workbook import write_form

_SKIPPED = {
    "zh": "{day}：outbox/ 中没有{what}（{label}），本次演示不退回",
    "en": "{day}: no {what} ({label}) in outbox/, so the demo returns none",
}


def _amount(value: object) -> Decimal:
    """A number the batch wrote (or typed as text with separators); 0 when blank."""
    text = str(value if value is not None else "").replace(",", "").replace("¥", "").strip()
    return Decimal(text or 0)


def _label(text: object) -> str:
    return str(text or "").strip().rstrip("*").strip().casefold()


def read_output(path: Path, form_key: str) -> list[dict]:
    """The rows of a batch workbook as {field key: value}, the header found by the form's labels
    (Chinese, English or key) in the first 20 rows of its first sheet that has them; rows without a
    customer code (totals, notes) are left out."""
    form = catalogue_mod.load()[form_key]
    labels = {_label(name): f.key for f in form.fields for name in (f.zh, f.en, f.key)}
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        grids = [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets if not ws.title.startswith("_")]
    finally:
        wb.close()
    found = ((grid, n, keys) for grid in grids
             for n, keys in enumerate([labels.get(_label(h)) for h in row] for row in grid[:20])
             if "customer_code" in keys and sum(k is not None for k in keys) >= 2)
    grid, at, keys = next(found, (None, 0, []))
    if grid is None:
        return []
    out = []
    for values in grid[at + 1:]:
        row = {k: v for k, v in zip(keys, values, strict=False) if k is not None}
        if row.get("customer_code"):
            out.append(row)
    return out


class Returns:
    """Which returned copies are due on a working day, written into inbox/."""

    def __init__(self, home: Home, settings: Settings, data: DemoData, force: Sequence[Staff], *,
                 echo: Callable[[str], None], lang: str):
        self.home, self.settings, self.data, self.force = home, settings, data, force
        self.echo, self.lang = echo, lang
        self.calendar = WorkCalendar(settings.calendar.holidays, settings.calendar.workdays)
        self.rng = random.Random(f"{data.seed}-returns")
        self.done: set[tuple[str, str]] = set()
        self.start = data.day

    def due(self, day: dt.date) -> list[Path]:
        """The copies to send back on ``day`` (a working day after day 1)."""
        self.home.inbox.mkdir(parents=True, exist_ok=True)
        out = []
        first = day.replace(day=1)
        if first > self.start and day > first:
            month = first - dt.timedelta(days=1)
            out += self._once(f"{month:%Y-%m}", "dealer_purchase_stats", day, self._dealer_stats)
            if first.month % 3 == 1:
                out += self._once(f"{first.year}Q{(first.month - 1) // 3 + 1}", "credit_limit_proposal", day,
                                  self._credit_limits)
        return out

    def _once(self, label: str, form_key: str, day: dt.date,
              fill: Callable[[Path, str], Path | None]) -> list[Path]:
        if (form_key, label) in self.done:
            return []
        self.done.add((form_key, label))
        form = catalogue_mod.load()[form_key]
        found = sorted((p for p in self.home.outbox.rglob("*.xlsx")
                        if p.name.startswith((form.zh, form.en)) and label in p.name and RECEIVERS not in p.parts),
                       key=lambda p: (len(p.name), p.as_posix()))
        if not found:
            what = form.zh if self.lang == "zh" else form.en
            self.echo(_SKIPPED[self.lang].format(day=day, what=what, label=label))
            return []
        path = fill(found[0], label)
        return [path] if path else []

    def _dealer_stats(self, source: Path, month: str) -> Path | None:
        items = []
        for row in read_output(source, "dealer_purchase_stats"):
            bought = _amount(row.get("purchase_qty"))
            stock = int(bought * Decimal(self.rng.choice(("0.2", "0.35", "0.5", "0.8"))))
            items.append({**row, "month": row.get("month") or month, "stock_qty": str(stock),
                          "remark": "区域经理盘点" if stock else None})
        if not items:
            return None
        path = self.home.inbox / f"经销商进货情况统计表-{month}-库存已填.xlsx"
        write_form(path, "dealer_purchase_stats", items, sheet=catalogue_mod.load()["dealer_purchase_stats"].zh,
                   title=f"经销商进货情况统计表 {month}（期末库存已填）")
        return path

    def _credit_limits(self, source: Path, quarter: str) -> Path | None:
        proposal = read_output(source, "credit_limit_proposal")
        if not proposal:
            return None
        customers = {c.code: c for c in self.data.customers}
        secretary = self.settings.people.secretaries[0]
        items, signed = [], 0
        for n, row in enumerate(proposal):
            c = customers.get(str(row["customer_code"]))
            proposed = _amount(row.get("proposed_limit"))
            item = {"quarter": row.get("quarter") or quarter, "customer_code": row["customer_code"],
                    "proposed_limit": proposed}
            if c is not None and not c.prepaid and proposed > 0 and n < len(proposal) - 2:
                member = getattr(self.settings.slt, c.market.signer)
                approver = (c.kam if signed == 0 else f"{secretary}代{member}" if signed == 2 else member)
                adjust = Decimal(50_000) if signed == 1 else Decimal(0)
                item.update(manual_adjustment=adjust or None, approved_limit=f"{proposed + adjust:,.2f}",
                            approved_by=approver)
                signed += 1
            items.append(item)
        form = catalogue_mod.load()["credit_limit_decisions"]
        path = self.home.inbox / f"{form.zh}-{quarter}-已签.xlsx"
        write_form(path, "credit_limit_decisions", items, sheet=form.zh, title=f"信用额度建议 {quarter}（SLT 签批）")
        return path
