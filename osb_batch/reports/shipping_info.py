"""客户储运信息维护表: the month part listing every customer's shipping information.

Per customer: shipping station, contact, phone and address as the master data holds them at the
time of the report, with the month's changes (the ``changes`` rows that customer files made to
those fields during the month) marked: the row in amber and what changed, from what, on which day.
It changes nothing in the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from osb_batch.ledger import credit_records
from osb_batch.writers.common import lang_key
from osb_batch.writers.list_sheet import form_headers
from osb_batch.writers.monthly_lists import ListPart, write_lists
from osb_batch.writers.receivables import TEXT, WRAP, Column

from .credit_grades import market_name
from .period import Period
from .report import Basis, Report

FORM = "shipping_info"              # not a catalogued form: a list to read, never read back
FIELDS = ("shipping_station", "contact", "phone", "address")
SHOWN = ("customer_code", "customer_name", "market", "region", *FIELDS)
TEXTS = {
    "zh": {"sheet": "储运信息", "title": "客户储运信息维护表 {month}", "count": "共 {n} 户，本月变更 {changed} 户",
           "changes": "本月变更", "change": "{day} {label}：{old} → {new}", "blank": "（空）",
           "file": "客户储运信息维护表-{month}.xlsx"},
    "en": {"sheet": "Shipping information", "title": "Customer shipping information {month}",
           "count": "{n} customers, {changed} changed this month", "changes": "Changed this month",
           "change": "{day} {label}: {old} -> {new}", "blank": "(blank)", "file": "客户储运信息维护表-{month}.xlsx"},
}


@dataclass(frozen=True, slots=True)
class ShippingLine:
    customer: dict
    changes: tuple[tuple[str, str, str | None, str | None], ...]     # (business date, field, old, new)


def build(basis: Basis, period: Period, lang: str) -> tuple[ShippingLine, ...] | None:
    customers = credit_records.customers(basis.ledger)
    if not customers:
        return None
    changed: dict[str, list] = {}
    for day, code, field, old, new in credit_records.customer_changes(basis.ledger, period.start, period.end, FIELDS):
        changed.setdefault(code, []).append((day, field, old, new))
    return tuple(ShippingLine({**c, "market": market_name(basis.settings, c["market"])},
                              tuple(changed.get(c["customer_code"], ()))) for c in customers)


def as_json(lines: tuple[ShippingLine, ...] | None) -> dict:
    return {"shipping_changes": [{"customer_code": x.customer["customer_code"], "date": day, "field": field,
                                  "old": old, "new": new}
                                 for x in lines or () for day, field, old, new in x.changes]}


def _changes(line: ShippingLine, labels: dict[str, str], text: dict) -> str | None:
    told = [text["change"].format(day=day, label=labels[field], old=old or text["blank"], new=new or text["blank"])
            for day, field, old, new in line.changes]
    return "\n".join(told) or None


def write(lines: tuple[ShippingLine, ...], period: Period, folder: Path, lang: str,
          version: str) -> list[tuple[Path, str]]:
    lang = lang_key(lang)
    text = TEXTS[lang]
    target = folder / text["file"].format(month=period.label)
    headers = dict(zip(SHOWN, form_headers("customers", SHOWN, lang), strict=True))
    columns = [Column(headers[k], headers[k], WRAP if k in {"customer_name", "address"} else TEXT,
                      32 if k in {"customer_name", "address"} else 18) for k in SHOWN]
    columns.append(Column(text["changes"], text["changes"], WRAP, 48))
    rows = [(*(x.customer.get(k) for k in SHOWN), _changes(x, headers, text)) for x in lines]
    marked = frozenset(i for i, x in enumerate(lines) if x.changes)
    part = ListPart(text["sheet"], text["title"].format(month=period.label),
                    text["count"].format(n=len(lines), changed=len(marked)), columns, rows, marked=marked)
    write_lists(target, FORM, version, (*SHOWN, "~changes"), [part], lang=lang)
    return [(target, FORM)]


PART: Report[Basis] = Report("shipping_info", "month", build, write, as_json, folder="报表-{period}")
