"""销售合同登记: the month part that numbers the month's contracts ``HT-YYYYMM-NNN`` once.

The contracts are the ``contract_register`` rows people sent (:func:`osb_batch.ledger.documents.documents`)
with a sign date in the month. The first time the month is produced they are numbered in
sign-date order (:func:`osb_batch.rules.contracts.number`) and the numbers kept; a contract of
that month arriving afterwards takes the next free number when the month is produced again, and
the register says it came late. A number once given never changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from osb_batch.catalogue import load as load_catalogue
from osb_batch.ledger import credit_records
from osb_batch.ledger.documents import documents
from osb_batch.ledger.workflow_items import standing
from osb_batch.rules.chain_checks import at_risk
from osb_batch.rules.contracts import Contract, Registered, number
from osb_batch.writers.common import lang_key
from osb_batch.writers.list_sheet import form_headers
from osb_batch.writers.monthly_lists import ListPart, write_lists
from osb_batch.writers.receivables import DATE_KIND, MONEY_KIND, TEXT, WRAP, Column

from .credit_grades import once
from .period import Period
from .report import Basis, Report

FORM = "contract_register"
FIELDS = ("contract_no", "sign_date", "customer_code", "customer_name", "contract_amount", "start_date",
          "end_date", "payment_terms", "signed_by", "status", "archive_no")
KEYS = ("~register_no", *FIELDS, "~late", "~risk")
KINDS = {"sign_date": DATE_KIND, "start_date": DATE_KIND, "end_date": DATE_KIND, "contract_amount": MONEY_KIND,
         "customer_name": WRAP}
TEXTS = {
    "zh": {"sheet": "合同登记", "title": "销售合同登记 {month}", "count": "共 {n} 份合同，其中补登 {late} 份",
           "none": "本月没有签订日期在本月的合同", "register_no": "登记号", "late": "登记说明",
           "late_text": "迟到补登（{day} 登记）", "file": "销售合同登记-{month}.xlsx", "risk": "合同风险",
           "risk_text": "签订时逾期 {overdue:,.2f}，余额 {balance:,.2f}，信用额度 {limit}"},
    "en": {"sheet": "Contract register", "title": "Contract register {month}",
           "count": "{n} contracts, {late} registered late", "none": "No contract signed in the month",
           "register_no": "Register no.", "late": "Note", "late_text": "Came late (registered {day})",
           "file": "销售合同登记-{month}.xlsx", "risk": "Contract risk",
           "risk_text": "When signed: overdue {overdue:,.2f}, balance {balance:,.2f}, credit limit {limit}"},
}


@dataclass(frozen=True, slots=True)
class RegisterLine:
    registered: Registered
    contract: dict                      # the contract_register row as stored
    given_on: str
    risk: tuple | None = None           # (overdue, balance, limit) on the sign date, when at risk (合同风险)


def register(basis: Basis, month: Period) -> list[Registered]:
    """The month's register: the numbers kept, and numbers for contracts of the month new since."""
    rows = documents(basis.ledger, FORM, period=month.label)
    contracts = [Contract(r["contract_no"], r["sign_date"]) for r in rows
                 if r.get("contract_no") and isinstance(r.get("sign_date"), dt.date)]
    numbered = number(contracts, credit_records.contract_numbers(basis.ledger), month.label)
    if any(r.new for r in numbered):
        with once(basis.ledger):
            credit_records.store_contract_numbers(basis.ledger, month.label, numbered, day=basis.today)
    return numbered


def build(basis: Basis, period: Period, lang: str) -> tuple[RegisterLine, ...] | None:
    numbered = register(basis, period)
    if not numbered:
        return None
    rows = {r["contract_no"]: r for r in documents(basis.ledger, FORM)}
    given = credit_records.contract_given_on(basis.ledger)
    return tuple(RegisterLine(r, rows.get(r.contract_no, {}), given.get(r.contract_no, ""),
                              _risk(basis, rows.get(r.contract_no, {}))) for r in numbered)


def _risk(basis: Basis, contract: dict) -> tuple | None:
    """The customer's (overdue, balance, limit) on the sign date, when it made the contract a risk."""
    code, signed = contract.get("customer_code"), contract.get("sign_date")
    if not code or not isinstance(signed, dt.date):
        return None
    figures = standing(basis.ledger, str(code), signed)
    return figures if at_risk(*figures) else None


def as_json(lines: tuple[RegisterLine, ...] | None) -> dict:
    return {"contracts": [{"contract_no": x.registered.contract_no, "register_no": x.registered.register_no,
                           "sign_date": x.registered.sign_date.isoformat(),
                           "customer_code": x.contract.get("customer_code"),
                           "amount": None if x.contract.get("contract_amount") is None
                           else f"{x.contract['contract_amount']:.2f}",
                           "late": x.registered.late, "risk": x.risk is not None} for x in lines or ()]}


def _columns(lang: str) -> list[Column]:
    text = TEXTS[lang]
    headers = form_headers(FORM, FIELDS, lang)
    return [Column(text["register_no"], text["register_no"], TEXT, 16),
            *(Column(h, h, KINDS.get(k, TEXT), 28 if k == "customer_name" else 16)
              for k, h in zip(FIELDS, headers, strict=True)),
            Column(text["late"], text["late"], TEXT, 30), Column(text["risk"], text["risk"], WRAP, 36)]


def _shown(key: str, value: object, lang: str) -> object:
    """A choice's label in ``lang`` (执行中 for ``active``); any other value as it is."""
    choices = {c.key: c for c in load_catalogue()[FORM].field(key).choices}
    choice = choices.get(value) if isinstance(value, str) else None
    return value if choice is None else (choice.en if lang == "en" else choice.zh)


def _risk_text(risk: tuple | None, text: dict) -> str | None:
    if risk is None:
        return None
    overdue, balance, limit = risk
    return text["risk_text"].format(overdue=overdue, balance=balance, limit="—" if limit is None else f"{limit:,.2f}")


def write(lines: tuple[RegisterLine, ...], period: Period, folder: Path, lang: str,
          version: str) -> list[tuple[Path, str]]:
    lang = lang_key(lang)
    text = TEXTS[lang]
    target = folder / text["file"].format(month=period.label)
    rows = [(x.registered.register_no, *(_shown(k, x.contract.get(k), lang) for k in FIELDS),
             text["late_text"].format(day=x.given_on) if x.registered.late else None, _risk_text(x.risk, text))
            for x in lines]
    late = [i for i, x in enumerate(lines) if x.registered.late]
    part = ListPart(text["sheet"], text["title"].format(month=period.label),
                    text["count"].format(n=len(lines), late=len(late)), _columns(lang), rows,
                    marked=frozenset(late + [i for i, x in enumerate(lines) if x.risk]))
    write_lists(target, FORM, version, KEYS, [part], lang=lang)
    return [(target, FORM)]


PART: Report[Basis] = Report("contracts", "month", build, write, as_json, folder="报表-{period}")
