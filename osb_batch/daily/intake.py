"""The daily run's intake: inbox files read and validated, then applied form by form.

:data:`APPLIERS` declares once which input forms the run acts on, in the dependency order of
domain.md (master data first, orders last): files of an earlier form are applied first. A form
listed without an applier, or not listed, is read and reported (``form-not-acted``), not acted on,
except the forms people send (kind ``other``, and ``marketing_budget``): their rows are stored as
they are (:mod:`osb_batch.ledger.documents`, ``form-stored``) for the summaries and the calendar.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from osb_batch.catalogue import Catalogue
from osb_batch.findings import Finding, finding
from osb_batch.ledger import documents, receipts, receivables, roster
from osb_batch.ledger.attribution import record_customer_versions
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.masterdata import MASTER_TABLES, apply
from osb_batch.readers.context import known_from, limits_of, load_catalogue
from osb_batch.readers.row_checks import validate
from osb_batch.readers.workbook import ReadResult, paused_gc, read
from osb_batch.settings import Settings
from osb_batch.workspace import Home, archive_copy, sha256_of

from . import credit_limits
from .budget_steps import decide as decide_budget
from .order_steps import DailyRun, Submitted, fold


@dataclass(slots=True)
class Input:
    path: Path
    name: str                    # relative to the working folder, e.g. inbox/订单.xlsx
    sha256: str
    result: ReadResult | None = None
    status: str = ""             # processed | rejected | quarantined | duplicate
    archive: Path | None = None
    findings: list[Finding] = field(default_factory=list)
    arrived_at: str | None = None    # the file's modification time (Asia/Shanghai), its arrival in the inbox

    @property
    def all_findings(self) -> list[Finding]:
        return [f for part in self.parts for f in part.findings] + self.findings

    @property
    def parts(self) -> list[ReadResult]:
        """One read result per form the file holds (a workbook may hold several)."""
        return self.result.parts if self.result else []

    @property
    def form(self) -> str | None:
        """The file's form, or its forms joined with ``+`` in the order they are applied."""
        forms = sorted({p.form for p in self.parts if p.form}, key=_apply_rank)
        return "+".join(forms) or None

    @property
    def rows(self) -> int:
        return sum(p.row_count for p in self.parts)


@dataclass(slots=True)
class Posting:
    """What applying one run's files shares: the ledger, the run, its order steps, what is collected."""

    ledger: Ledger
    run_id: int
    lang: str
    day_run: Callable[[], DailyRun]
    catalogue: Catalogue
    counts: Counter = field(default_factory=Counter)             # "<form>.<outcome>" of master data
    submitted: list[Submitted] = field(default_factory=list)     # orders, accepted after every file


Applier = Callable[[Posting, ReadResult, int], list[Finding]]     # (posting, file, input id) -> findings


def _master_data(p: Posting, result: ReadResult, input_id: int) -> list[Finding]:
    applied = apply(result, p.catalogue[result.form], p.ledger, run_id=p.run_id, input_id=input_id)
    for outcome, n in applied.counts.items():
        p.counts[f"{result.form}.{outcome}"] += n
    return applied.findings


def _customers(p: Posting, result: ReadResult, input_id: int) -> list[Finding]:
    """Customers upserted, then a new attribution version for each one whose scope changed."""
    found = _master_data(p, result, input_id)
    record_customer_versions(p.ledger, run_id=p.run_id)
    return found


def _staff(p: Posting, result: ReadResult, input_id: int) -> list[Finding]:
    return roster.apply_staff(result, p.catalogue[result.form], p.ledger, run_id=p.run_id,
                              input_id=input_id, counts=p.counts)


def _stored(p: Posting, result: ReadResult, input_id: int) -> list[Finding]:
    """The rows of a form people send, kept as they are (told once per file)."""
    kept = documents.store(result, p.catalogue[result.form], p.ledger, run_id=p.run_id, input_id=input_id)
    p.counts[f"{result.form}.stored"] += kept
    return [finding("form-stored", file=result.file, form=result.form, rows=kept)]


def _to_ledger(apply_form: Callable[..., list[Finding]]) -> Applier:
    """An applier that is the ledger's own function for the form."""
    return lambda p, result, input_id: apply_form(result, p.ledger, run_id=p.run_id, input_id=input_id)


def _invoices(p: Posting, result: ReadResult, input_id: int) -> list[Finding]:
    found, notes = receivables.apply_invoices(result, p.ledger, run_id=p.run_id, input_id=input_id)
    p.day_run().invoiced(notes)
    return found


def _shipments(p: Posting, result: ReadResult, input_id: int) -> list[Finding]:
    return p.day_run().problems.apply_shipments(result, input_id, p.day_run().move)


def _approvals(p: Posting, result: ReadResult, input_id: int) -> list[Finding]:
    p.day_run().refresh_master()
    return p.day_run().apply_approvals(result, input_id)


def _problem_updates(p: Posting, result: ReadResult, input_id: int) -> list[Finding]:
    return p.day_run().problems.apply_updates(result)


def _credit_limit_decisions(p: Posting, result: ReadResult, input_id: int) -> list[Finding]:
    """The signed 信用额度建议: approved limits apply from this run on, to this run's orders too."""
    run = p.day_run()
    found, applied = credit_limits.apply_decisions(result, p.ledger, run.settings, day=run.day, run_id=p.run_id,
                                                   input_id=input_id)
    if applied:
        run.refresh_master()
    return found


def _orders(p: Posting, result: ReadResult, input_id: int) -> list[Finding]:
    p.submitted.extend(fold(result, input_id, p.lang))
    return []


APPLIERS: dict[str, Applier | None] = {
    **dict.fromkeys(MASTER_TABLES, _master_data),      # customers, products, prices, quotas, transfers, openings
    "customers": _customers,                           # (keeps its place: first)
    "staff": _staff,
    "marketing_budget": _stored,
    "bank_receipts": _to_ledger(receipts.apply_bank_receipts),
    "collection_claims": _to_ledger(receipts.apply_claims),
    "invoices": _invoices,
    "returns": _to_ledger(receivables.apply_returns),
    "shipments": _shipments,
    "approvals": _approvals,
    "problem_updates": _problem_updates,
    "confirmations": _to_ledger(receivables.apply_confirmations),
    "finance_ar": _to_ledger(receivables.apply_finance_ar),
    "credit_limit_decisions": _credit_limit_decisions,
    "orders": _orders,
}


def read_inbox(home: Home, ledger: Ledger, settings: Settings) -> list[Input]:
    """Every inbox file read (duplicates of earlier files are not), validated together, in apply order."""
    catalogue = load_catalogue(settings)
    limits = limits_of(settings)
    inputs: list[Input] = []
    first: dict[str, str] = {}
    for path in home.inbox_files():
        item = Input(path, home.relative(path), sha256_of(path), arrived_at=arrival(path, settings.general.timezone))
        earlier = ledger.seen(item.sha256) or ((first[item.sha256], "") if item.sha256 in first else None)
        if earlier:
            item.status = "duplicate"
            item.findings.append(finding("file-duplicate", file=item.name, first=earlier[0],
                                         date=earlier[1] or "本次"))
        else:
            first[item.sha256] = item.name
            item.result = read(path, catalogue, display=item.name, limits=limits)
            item.status = {"read": "processed"}.get(item.result.status, item.result.status)
        inputs.append(item)
    readable = [part for i in inputs for part in i.parts if part.tables]
    with paused_gc():
        validate(readable, catalogue, known_from(ledger, settings))
    inputs.sort(key=lambda i: _apply_rank(i.result.form if i.result else None))
    return inputs


def _apply_rank(form: str | None) -> int:
    return list(APPLIERS).index(form) if form in APPLIERS else len(APPLIERS)


def apply_inputs(home: Home, posting: Posting, inputs: list[Input], day: str) -> None:
    """Archive and record every input, then apply each form read from a processed file with its
    form's applier, every file's sheets of an earlier form first (a workbook's customer sheet
    before its order sheet, and before the order sheets of other files); then decide the expense
    requests and claims stored (:mod:`.budget_steps`)."""
    ids = {item.name: _record(home, posting, item, day) for item in inputs}
    parts = [(item, part) for item in inputs if item.status == "processed" for part in item.parts if part.tables]
    for item, part in sorted(parts, key=lambda pair: _apply_rank(pair[1].form)):
        applier = APPLIERS.get(part.form) or _other_applier(posting.catalogue, part.form)
        if applier is None:
            item.findings.append(finding("form-not-acted", file=item.name, form=part.form, rows=part.row_count))
        else:
            item.findings += applier(posting, part, ids[item.name])
    posting.day_run().log.findings.extend(decide_budget(posting.day_run(), posting.catalogue,
                                                        [(ids[item.name], part) for item, part in parts]))
    posting.day_run().log.findings.extend(not_taken(home, {i.path for i in inputs}))


def _other_applier(catalogue: Catalogue, form: str | None) -> Applier | None:
    return _stored if form in catalogue and documents.is_stored(catalogue[form]) else None


def arrival(path: Path, timezone: str) -> str:
    """When the file arrived in the inbox: its modification time, in the business time zone."""
    moment = datetime.fromtimestamp(path.stat().st_mtime, ZoneInfo(timezone))
    return moment.isoformat(timespec="seconds")


def not_taken(home: Home, taken: set[Path]) -> list[Finding]:
    """Inbox files this run leaves where they are: workbooks open in another program, owner files left behind."""
    listing = home.inbox_listing()
    found = [finding("file-open-elsewhere", file=home.relative(o.path), owner="秘书组",
                     owner_file=o.owner_file.name, who=o.user or "他人", who_en=o.user or "someone")
             for o in listing.open_elsewhere if o.path not in taken]
    return found + [finding("owner-file-left", file=home.relative(p), owner="秘书组") for p in listing.stale_owner_files]


def _record(home: Home, posting: Posting, item: Input, day: str) -> int:
    """Keep the input (a copy in archive/, or why it is quarantined) and add it to the run's inputs."""
    if item.status == "quarantined":
        reason = home.archive / day / f".{item.sha256[:16]}.reason"
        reason.parent.mkdir(parents=True, exist_ok=True)
        reason.write_text(_quarantine_reason(item, posting.lang), encoding="utf-8")
    elif item.status != "duplicate":
        item.archive = archive_copy(home, item.path, item.sha256, day)
    input_id = posting.ledger.add_input(
        posting.run_id, sha256=item.sha256, name=item.path.name, inbox_path=item.name,
        archive_path=home.relative(item.archive) if item.archive else None,
        form=item.form, status=item.status, rows=item.rows, arrived_at=item.arrived_at,
        errors=sum(1 for f in item.all_findings if f.is_error))
    if item.status == "quarantined":
        item.findings.append(finding("quarantined", file=item.name, path=f"quarantine/{day}/{item.path.name}"))
    return input_id


def _quarantine_reason(item: Input, lang: str) -> str:
    lines = [f"{item.name}", ""]
    lines += [f"- {f.message(lang)}  {f.action(lang)}" for f in item.all_findings]
    return "\n".join(lines) + "\n"
