"""The sections of rules.toml that are one table each: ``[general]``, ``[qc]``, ``[deadlines]`` ...

A section is a frozen dataclass whose fields are its keys, each declared with
:func:`~osb_batch.settings.checks.setting` (annotation = type, default, allowed values); a
``conflicts()`` method reports clashes between its keys. A new section is a class here plus
one field of :class:`~osb_batch.settings.schema.Settings`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from osb_batch.due_notation import parse_due

from .checks import (
    above,
    at_least,
    between,
    chain_condition,
    chain_conditions,
    chain_due,
    chain_form,
    distinct_dates,
    due_text,
    field_names,
    form_key,
    increasing_days,
    ledger_url,
    names,
    no_blanks,
    nonblank,
    one_of,
    period_ends,
    roster_roles,
    setting,
    tables,
    timezone,
)


@dataclass(frozen=True, slots=True)
class General:
    lang: str = setting("zh", one_of("zh", "en"))
    timezone: str = setting("Asia/Shanghai", timezone)
    company: str = setting("本公司", nonblank)


@dataclass(frozen=True, slots=True)
class Intake:
    header_search_rows: int = setting(20, between(1, 100))
    max_uncompressed_mb: int = setting(200, above(0))
    max_compression_ratio: int = setting(200, above(1))
    max_rows: int = setting(1_000_000, above(0))
    max_findings_per_rule: int = setting(200, above(0))
    footer_words: tuple[str, ...] = setting(("合计", "小计", "总计", "共计", "总额", "制表", "制单", "审核", "复核",
                                             "批准", "经办", "负责人", "签字", "Total", "Subtotal"), no_blanks)


@dataclass(frozen=True, slots=True)
class Slt:
    """Display names (titles by default) of the three SLT members who sign."""

    gm: str = setting("总经理", nonblank)
    director: str = setting("销售总监", nonblank)
    deputy: str = setting("销售副总监", nonblank)


@dataclass(frozen=True, slots=True)
class Qc:
    """Qualification check (QC) of orders."""

    max_order_age_days: int = setting(30, above(0))
    price_tolerance: Decimal = setting(Decimal("0.005"), at_least(0))
    amount_tolerance: Decimal = setting(Decimal("0.01"), at_least(0))


@dataclass(frozen=True, slots=True)
class Quota:
    """Quota check (AC)."""

    when_missing: str = setting("unlimited", one_of("unlimited", "zero"))


@dataclass(frozen=True, slots=True)
class Credit:
    """Credit check (CC): the decision table's two thresholds."""

    tolerance: Decimal = setting(Decimal("0.20"), between(0, 10))
    prepay_shortfall_cap: Decimal = setting(Decimal("10000.00"), at_least(0))


@dataclass(frozen=True, slots=True)
class Ma:
    """Manager approval (MA)."""

    auto_sign_pass: bool = setting(False)


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Deadlines of the problem log and the KPI targets."""

    st_working_days: int = setting(1, at_least(0))
    shipping_target_hours: int = setting(24, above(0))
    shipping_breach_hours: int = setting(48, above(0))
    shipping_accuracy_target: Decimal = setting(Decimal("0.98"), between(0, 1))
    shipping_24h_target: Decimal = setting(Decimal("1.00"), between(0, 1))
    op_same_day_target: Decimal = setting(Decimal("1.00"), between(0, 1))
    collection_target: Decimal = setting(Decimal("0.90"), between(0, 1))
    collection_window_days: int = setting(5, at_least(0))
    op_same_day: bool = setting(True)

    def conflicts(self) -> Iterable[tuple[str, str]]:
        if self.shipping_breach_hours < self.shipping_target_hours:
            yield ("shipping_breach_hours",
                   f"must not be less than shipping_target_hours ({self.shipping_target_hours})")


@dataclass(frozen=True, slots=True)
class Receivables:
    """Ageing of open receivables."""

    ageing_buckets: tuple[int, ...] = setting((30, 60, 90, 180), increasing_days)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The half-year reconciliation."""

    period_ends: tuple[str, ...] = setting(("06-30", "12-31"), period_ends)
    date_window_days: int = setting(3, at_least(0))
    reply_days: int = setting(15, at_least(1))

    def period(self, label: str) -> tuple[dt.date, dt.date] | None:
        """``2026H1`` -> (2026-01-01, 2026-06-30) with the configured first-half end; None if not a period."""
        m = re.fullmatch(r"(\d{4})\s*[Hh]([12])", label.strip())
        if not m:
            return None
        year, half = int(m[1]), int(m[2])
        month, day = map(int, self.period_ends[0].split("-"))
        first_end = dt.date(year, month, day)
        if half == 1:
            return dt.date(year, 1, 1), first_end
        return first_end + dt.timedelta(days=1), dt.date(year, 12, 31)

    def period_of(self, day: dt.date) -> str:
        """The label of the period holding ``day``."""
        start, end = self.period(f"{day.year}H1")
        return f"{day.year}H1" if day <= end else f"{day.year}H2"


@dataclass(frozen=True, slots=True)
class Calendar:
    """Overrides of the Chinese working-day calendar, for years the installed data lacks."""

    holidays: tuple[dt.date, ...] = setting((), distinct_dates)
    workdays: tuple[dt.date, ...] = setting((), distinct_dates)

    def conflicts(self) -> Iterable[tuple[str, str]]:
        for day in self.workdays:
            if day in self.holidays:
                yield ("workdays", f"{day} is also listed in holidays")


@dataclass(frozen=True, slots=True)
class People:
    """Named people with a role of their own."""

    secretaries: tuple[str, ...] = setting(("王丽娜", "陈晓燕", "刘婷"), names)


@dataclass(frozen=True, slots=True)
class CreditGrade:
    """The monthly credit grades (客户信用等级): window and thresholds."""

    months: int = setting(6, between(1, 36))
    a_on_time: Decimal = setting(Decimal("0.95"), between(0, 1))
    b_on_time: Decimal = setting(Decimal("0.85"), between(0, 1))
    b_oldest_days: int = setting(30, at_least(0))
    c_on_time: Decimal = setting(Decimal("0.70"), between(0, 1))
    c_oldest_days: int = setting(90, at_least(0))
    initial: str = setting("B", one_of("A", "B", "C", "D"))
    meeting_top_overdue: int = setting(10, above(0))

    def conflicts(self) -> Iterable[tuple[str, str]]:
        if not self.a_on_time >= self.b_on_time >= self.c_on_time:
            yield ("b_on_time", "must lie between c_on_time and a_on_time")
        if self.c_oldest_days < self.b_oldest_days:
            yield ("c_oldest_days", f"must not be less than b_oldest_days ({self.b_oldest_days})")


@dataclass(frozen=True, slots=True)
class CreditLimits:
    """The quarterly credit-limit proposal (信用额度建议)."""

    window_months: int = setting(6, between(6, 36))
    rounding_step: Decimal = setting(Decimal("10000"), above(0))
    factor_a: Decimal = setting(Decimal("1.2"), at_least(0))
    factor_b: Decimal = setting(Decimal("1.0"), at_least(0))
    factor_c: Decimal = setting(Decimal("0.7"), at_least(0))
    factor_d: Decimal = setting(Decimal("0"), at_least(0))
    growth_min: Decimal = setting(Decimal("0.8"), above(0))
    growth_max: Decimal = setting(Decimal("1.3"), above(0))

    def conflicts(self) -> Iterable[tuple[str, str]]:
        if self.growth_max < self.growth_min:
            yield ("growth_max", f"must not be less than growth_min ({self.growth_min})")


@dataclass(frozen=True, slots=True)
class Budget:
    """The marketing budget loop (营销费用)."""

    claim_tolerance: Decimal = setting(Decimal("0.10"), between(0, 10))
    claim_without_request_max: Decimal = setting(Decimal("500.00"), at_least(0))
    stale_days: int = setting(60, above(0))
    evaluation_days: int = setting(30, above(0))


@dataclass(frozen=True, slots=True)
class Reports:
    """The standard sales reports: what counts as a sale."""

    sales_basis: str = setting("invoiced", one_of("invoiced", "shipped", "ordered"))


@dataclass(frozen=True, slots=True)
class Duty:
    """One reporting duty (``[[reporting.duties]]``): who sends which form, how often, by when."""

    form: str = setting(check=form_key)
    who: tuple[str, ...] = setting(check=roster_roles)
    cycle: str = setting(check=one_of("weekly", "monthly", "quarterly"))
    due: str = setting(check=due_text)
    covers: str = setting(check=one_of("this", "previous", "next"))

    def conflicts(self) -> Iterable[tuple[str, str]]:
        if misfit := parse_due(self.due).misfit(self.cycle):
            yield ("due", misfit)


DEFAULT_DUTIES = (
    Duty("visit_plan", ("KAM", "SR"), "weekly", "周六 12:00", "next"),
    Duty("weekly_work_plan", ("KAM", "SR", "UM"), "weekly", "周一 10:00", "this"),
    Duty("market_weekly_status", ("UM",), "weekly", "周一 12:00", "previous"),
    Duty("monthly_work_plan", ("KAM", "UM", "MM"), "monthly", "第1个工作日 18:00", "this"),
    Duty("market_monthly_status", ("MM",), "monthly", "第3个工作日 18:00", "previous"),
    Duty("target_customers", ("KAM",), "monthly", "第5个工作日 18:00", "previous"),
    Duty("monthly_plan", ("MM",), "monthly", "25日 18:00", "next"),
)


@dataclass(frozen=True, slots=True)
class Reporting:
    """The reporting calendar (催报): the duties, and how early a reminder starts."""

    remind_hours: int = setting(24, between(1, 24 * 14))
    duties: tuple[Duty, ...] = tables(Duty, DEFAULT_DUTIES)


@dataclass(frozen=True, slots=True)
class ChainStep:
    """One step of a chain (``[[workflows.chains.steps]]``): the document that moves an item on."""

    name: str = setting(check=nonblank)
    form: str = setting(check=chain_form)
    match: tuple[str, ...] = setting(check=field_names)
    when: str = setting("", chain_condition)
    due: str = setting("", chain_due)
    responsible: tuple[str, ...] = setting(())
    zh: str = setting("")                   # the step's Chinese name on the to-do lists (default: name)
    renews: str = setting("")               # a field: a row with another value of it restarts the step's due


@dataclass(frozen=True, slots=True)
class Chain:
    """One followed workflow (``[[workflows.chains]]``): what opens an item, its key, its steps."""

    name: str = setting(check=nonblank)
    zh: str = setting(check=nonblank)
    opens: str = setting(check=chain_form)
    key: tuple[str, ...] = setting(check=field_names)
    responsible: tuple[str, ...] = setting(check=no_blanks)
    expires: str = setting("")
    opens_when: tuple[str, ...] = setting((), chain_conditions)
    steps: tuple[ChainStep, ...] = tables(ChainStep, ())

    def conflicts(self) -> Iterable[tuple[str, str]]:
        if not self.steps:
            yield ("steps", "a chain needs at least one [[workflows.chains.steps]] table")


def _step(name: str, form: str, match: tuple[str, ...], when: str = "", due: str = "",
          responsible: tuple[str, ...] = (), renews: str = "") -> ChainStep:
    return ChainStep(name, form, match, when, due, responsible, STEP_ZH[name], renews)


STEP_ZH = {"invoiced": "开票", "outbound": "出库", "signed": "签收回单", "handled": "处理", "closed": "关闭",
           "reviewed": "审核", "booked": "退货入账", "won": "成交", "result": "开标结果", "deposit_returned": "退保证金",
           "renewal": "续签", "claimed": "报销", "delivered": "送达", "followed": "跟进"}


DEFAULT_CHAINS = (
    Chain("invoicing", "开票", "invoice_request", ("request_no",), ("BCR",), "", (),
          (_step("invoiced", "invoice", ("delivery_note_no",), due="2d"),)),
    Chain("proof_of_delivery", "签收回单", "delivery_note", ("note_no",), ("SCR", "KAM"), "", (),
          (_step("outbound", "sales_outbound", ("note_no=delivery_note_no",), due="1d"),
           _step("signed", "receipt_confirmation", ("note_no=delivery_note_no",), due="10d"))),
    Chain("service_tickets", "客服工单", "service_ticket", ("ticket_no",), ("assigned_to", "SSG"), "", (),
          (_step("handled", "service_ticket", ("ticket_no",), "status=处理中,已关闭", "opened_at+24h"),
           _step("closed", "service_ticket", ("ticket_no",), "status=已关闭",
                 "category=投诉 ? opened_at+2d | opened_at+3d"))),
    Chain("returns", "退货", "return_detail", ("red_request_no", "product_code"), ("applicant",), "", (),
          (_step("reviewed", "return_detail", ("red_request_no", "product_code"), "reviewed_by", "2d"),
           _step("booked", "return", ("original_doc_no", "product_code"), due="10d",
                 responsible=("reviewed_by", "applicant")))),
    Chain("after_sales", "售后", "after_sales_request", ("request_no",), ("assigned_to", "KAM"), "", (),
          (_step("handled", "service_ticket", ("request_no",), due="1d"),
           _step("closed", "service_ticket", ("request_no",), "status=已关闭", "expected_date | 5d"))),
    Chain("quotations", "报价", "quotation", ("quote_no", "product_code"), ("quoted_by",), "valid_until", (),
          (_step("won", "order", ("customer_code", "product_code", "unit_price")),)),
    Chain("bids", "投标", "bid_register", ("bid_no",), ("owner",), "", (),
          (_step("result", "bid_register", ("bid_no",), "result=中标,未中标", "bid_date+30c"),)),
    Chain("bid_deposits", "投标保证金", "bid_register", ("bid_no",), ("owner",), "", ("result=未中标", "deposit"),
          (_step("deposit_returned", "bid_register", ("bid_no",), "deposit_returned"),)),
    Chain("contracts", "合同", "contract_register", ("contract_no",), ("signed_by",), "", (),
          (_step("renewal", "contract_register", ("contract_no",), "status=已完成,已终止", "end_date-30c"),)),
    Chain("hospitality", "业务招待", "visitor_register", ("visit_date", "visitor_name", "company"), ("host",), "", (),
          (_step("claimed", "expense_claim", ("host=applicant",), "expense_type=业务招待费"),)),
    Chain("pop", "POP物料", "pop_request", ("request_no", "material"), ("SSG",), "", (),
          (_step("delivered", "pop_request", ("request_no", "material"), "delivered_on", "needed_by | 5d"),)),
    Chain("target_customers", "目标客户", "target_customers", ("customer_name",), ("follow_up_by", "KAM"), "", (),
          (_step("followed", "target_customers", ("customer_name",), "stage=已成交,已放弃", "30c", renews="stage"),)),
)


@dataclass(frozen=True, slots=True)
class Workflows:
    """The department's workflows followed as document chains (跟进事项)."""

    escalate_after_days: int = setting(2, at_least(1))
    quote_review_discount: Decimal = setting(Decimal("0.10"), between(0, 1))
    claim_visit_days: int = setting(7, at_least(1))
    chains: tuple[Chain, ...] = tables(Chain, DEFAULT_CHAINS)


def _addresses(values: tuple[str, ...]) -> str | None:
    """``名称 <address>`` entries, e.g. ``财务部 <finance@example.com>``."""
    bad = next((v for v in values if not re.fullmatch(r"\s*[^<>]+?\s*<[^<>@\s]+@[^<>@\s]+>\s*", v)), None)
    return None if bad is None else f"{bad!r} is not of the form \"名称 <name@example.com>\""


@dataclass(frozen=True, slots=True)
class Delivery:
    """Who receives what by role (interface.md "Delivery"): the names whose folders and messages
    get SSG's, SLT's, finance's and the warehouse's files; addresses of names the roster lacks."""

    ssg: tuple[str, ...] = setting(("秘书组",), names)
    slt: tuple[str, ...] = setting(("总经理", "销售总监", "销售副总监"), names)
    finance: tuple[str, ...] = setting(("财务部",), names)
    warehouse: tuple[str, ...] = setting(("仓库",), names)
    addresses: tuple[str, ...] = setting((), _addresses)

    def address_book(self) -> dict[str, str]:
        """name -> email of :attr:`addresses`."""
        pairs = (re.fullmatch(r"\s*(.+?)\s*<(.+)>\s*", v).groups() for v in self.addresses)
        return {name: email for name, email in pairs}


@dataclass(frozen=True, slots=True)
class Mail:
    """The SMTP server that sends each person their files; no host: folders only, no email.
    The password comes from the environment (OSB_SMTP_PASSWORD), never from rules.toml."""

    host: str = setting("")
    port: int = setting(587, between(1, 65535))
    starttls: bool = setting(True)
    username: str = setting("")
    sender: str = setting("")

    def conflicts(self) -> Iterable[tuple[str, str]]:
        if self.host and "@" not in self.sender:
            yield ("sender", "must be an email address when host is set")
@dataclass(frozen=True, slots=True)
class Ledger:
    """Where the ledger is: the working folder's SQLite file, or a PostgreSQL database shared by
    several working folders (``OSB_LEDGER_URL`` in the environment wins over ``url``)."""

    url: str = setting("", ledger_url)
