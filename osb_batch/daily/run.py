"""The daily run: inbox -> ledger -> outbox, exactly once.

Order of effects, so that a crash at any point loses nothing and doubles nothing:
read and validate every inbox file -> copy inputs to ``archive/`` -> apply them to the ledger
inside one open transaction -> write every output into ``outbox/D/.run-NN.partial/`` (each file
under a temporary name) -> commit -> rename the folder to ``run-NN`` -> remove processed inputs
from ``inbox/`` and move unreadable ones to ``quarantine/``. A run that dies before the commit
leaves the ledger untouched and the next run redoes it; one that dies after the commit is
finished by the next run's recovery step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from osb_batch import catalogue as catalogue_mod
from osb_batch.delivery.folders import prepare
from osb_batch.delivery.sending import deliver_folder
from osb_batch.findings import SUMMARY_RULE, Finding, finding, fold, weight
from osb_batch.ledger import receipts, session
from osb_batch.ledger.database import Ledger
from osb_batch.ledger.masterdata import MASTER_TABLES
from osb_batch.ledger.orders import OrderBook
from osb_batch.ledger.roster import roster_on
from osb_batch.ledger.workflow_items import open_items
from osb_batch.progress import QUIET, Progress, Step
from osb_batch.reports import period
from osb_batch.reports.report import output_entry, write_into
from osb_batch.rules import duties
from osb_batch.rules.recipients import submitter
from osb_batch.settings import Settings
from osb_batch.workspace import Home, quarantine_move, sha256_of
from osb_batch.writers.common import atomic_path
from osb_batch.writers.exceptions import write_exceptions
from osb_batch.writers.returned import returned_copy_name, write_returned_copy
from osb_batch.writers.summary_html import write_html_summary

from .intake import Input, Posting, apply_inputs, read_inbox
from .order_steps import DailyRun, order_entries
from .outputs import run_summary, write_order_outputs
from .periodic_outputs import add_to_manifest, produce_owed
from .run_reports import RUN_REPORTS, run_reminders
from .workflows import follow_workflows

SSG = "秘书组"


@dataclass(slots=True)
class RunOutcome:
    folder: Path
    manifest: dict


def _fault(point: str) -> None:
    """Fault injection for the crash tests: OSB_FAULT=<point> kills the process there."""
    if os.environ.get("OSB_FAULT") == point:
        os._exit(137)


def recover(home: Home, ledger: Ledger) -> None:
    """Finish runs that committed but died before renaming their folder or cleaning the inbox
    (on a shared ledger, only this working folder's: those whose output folder is here)."""
    for run in ledger.runs_in_state("committed"):
        final = home.root / run["folder"]
        partial = final.with_name(f".{final.name}.partial")
        if ledger.engine != "sqlite" and not (partial.exists() or final.exists()):
            continue
        if partial.exists() and not final.exists():
            os.replace(partial, final)
        _clean_inbox(home, ledger, run["id"], run["business_date"])
        ledger.set_run_state(run["id"], "done")
    for partial in home.outbox.glob("*/.run-*.partial"):
        shutil.rmtree(partial)   # outputs of a run that never committed: derived, redone now


def _clean_inbox(home: Home, ledger: Ledger, run_id: int, day: str) -> None:
    for input_id, inbox_path, sha, status in ledger.inputs_of_run(run_id):
        path = home.root / inbox_path
        if path.exists() and sha256_of(path) == sha:
            if status == "quarantined":
                reason_file = home.archive / day / f".{sha[:16]}.reason"
                reason = reason_file.read_text(encoding="utf-8") if reason_file.exists() else ""
                quarantine_move(home, path, day, reason)
            else:
                path.unlink()
        ledger.mark_cleaned(input_id)


def _apply(home: Home, ledger: Ledger, inputs: list[Input], run_id: int, day: str, lang: str,
           day_run: Callable[[], DailyRun]) -> Counter:
    """Apply every input in order, then take the day's order steps; master-data counts by outcome."""
    posting = Posting(ledger, run_id, lang, day_run, catalogue_mod.load())
    day_run().problems.check_orders(day_run().calendar)
    apply_inputs(home, posting, inputs, day)
    run = day_run()
    run.refresh_master()
    run.log.findings.extend(receipts.match(ledger, run_id=run_id))
    run.documents_changed()
    run.reevaluate()
    run.accept(posting.submitted)
    run.issue_notes()
    run.settle_paid()
    run.problems.check_shipping()
    run.log.findings.extend(follow_workflows(run))
    if run.calendar.missing_years:
        years = "、".join(str(y) for y in sorted(run.calendar.missing_years))
        run.log.findings.append(finding("calendar-missing", value=years))
    return posting.counts


def _with_owners(ledger: Ledger, inputs: list[Input]) -> list[Finding]:
    everything = []
    for item in inputs:
        rows = {}
        if item.result:
            rows = {(t.sheet, r.number): r for part in item.parts for t, r in part.rows}
        for f in item.all_findings:
            owner = SSG
            row = rows.get((f.sheet, f.row))
            if row is not None:
                code = row.values.get("customer_code")
                owner = row.values.get("unit_manager") or (ledger.customer_owner(code) if code else None) or SSG
            everything.append(dataclasses.replace(f, owner=owner))
    return everything


def _where_now(home: Home, inputs: list[Input], findings: list[Finding], day: str) -> list[Finding]:
    """The findings with each input named where it is after the run (its inbox path is emptied):
    its copy in archive/ or its place in quarantine/."""
    now = {}
    for item in inputs:
        if item.archive is not None:
            now[item.name] = home.relative(item.archive)
        elif item.status == "quarantined":
            now[item.name] = f"quarantine/{day}/{item.path.name}"
    return [dataclasses.replace(f, file=now[f.file]) if f.file in now else f for f in findings]


def _submitter(item: Input, people: Sequence[str]) -> str | None:
    """Whom a returned copy goes back to: the person column of its rows, else the roster name in
    its file name, else nobody (SSG receives it)."""
    forms = catalogue_mod.load().forms
    named = (row.values.get(forms[part.form].person_field) for part in item.parts
             if part.form in forms and forms[part.form].person_field for _, row in part.rows)
    return submitter(named, item.path.name, people, None)


def _write_outputs(home: Home, folder: Path, final: Path, inputs: list[Input], findings: list[Finding],
                   listed: list[Finding], day: str, lang: str, version: str, daily_run: DailyRun | None,
                   step: Step, people: Sequence[str] = ()) -> list[dict]:
    """Write every output into ``folder``; the manifest names them at their ``final`` place.

    The exceptions workbook lists ``listed`` (the findings folded per file and rule), and names the
    owners of its findings (for delivery); each returned copy marks every finding of its file and
    names its submitter, one of ``people`` (the roster's names) when its rows name nobody.
    """
    outputs = []

    def record(path: Path, form: str, person: str | None = None, due: str | None = None) -> None:
        outputs.append(output_entry(home, final, path, form, person, due))
        step.advance()
        _fault(f"after-output-{len(outputs)}")

    target = folder / f"异常清单-{day}.xlsx"
    write_exceptions(listed, target, lang=lang, version=version, title_date=day)
    record(target, "exceptions")
    outputs[-1]["owners"] = sorted({f.owner for f in listed if f.owner in people})
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    for item in inputs:
        mine = by_file.get(item.name, [])
        if item.status in {"processed", "rejected"} and any(f.is_error for f in mine):
            target = folder / returned_copy_name(item.path.name)
            write_returned_copy(item.path, [f for f in mine if f.severity != "info"], target, lang=lang)
            record(target, "returned_copies", _submitter(item, people))
    if daily_run is not None:
        for written in chain(write_order_outputs(daily_run, folder, lang, version),
                             write_into(folder, RUN_REPORTS, daily_run, period.day(daily_run.day), lang, version)):
            record(*written)
    return outputs


def run(home: Home, settings: Settings, business_date: dt.date, *, lang: str = "zh",
        now: dt.datetime | None = None, progress: Progress = QUIET) -> RunOutcome:
    """One daily batch for ``business_date``, announcing its stages to ``progress``.

    Raises workspace.RunBusy when another run holds the lock.
    """
    now = now or dt.datetime.now(dt.UTC)
    with session.locked(home, settings, f"pid {os.getpid()}, started {now.isoformat(timespec='seconds')}") as ledger:
        recover(home, ledger)
        outcome = _run_locked(home, ledger, settings, business_date, lang, now, progress)
        add_to_manifest(outcome.manifest, outcome.folder,
                        *produce_owed(home, ledger, settings, business_date, now, lang, progress))
        deliver_folder(home, ledger, settings, outcome.folder, business_date, outcome.manifest, now)
        return outcome


def _run_locked(home: Home, ledger: Ledger, settings: Settings, business_date: dt.date,
                lang: str, now: dt.datetime, progress: Progress) -> RunOutcome:
    day = business_date.isoformat()
    run_no = ledger.next_run_no(day)
    final = home.outbox / day / f"run-{run_no:02d}"
    partial = final.with_name(f".{final.name}.partial")
    partial.mkdir(parents=True, exist_ok=True)
    with progress.stage("read"):
        inputs = read_inbox(home, ledger, settings)
    ledger.begin()
    run_id = ledger.add_run(day, run_no, now.isoformat(timespec="seconds"), home.relative(final))
    daily: list[DailyRun] = []

    def day_run() -> DailyRun:
        """Built after master data is applied, so the order steps see this run's customers."""
        if not daily:
            daily.append(DailyRun(OrderBook(ledger), settings, business_date, run_id, lang, now))
        return daily[0]

    with progress.stage("apply"):
        counts = _apply(home, ledger, inputs, run_id, day, lang, day_run)
    findings = _with_owners(ledger, inputs) + (daily[0].log.findings if daily else [])
    version = catalogue_mod.load().version
    listed = fold(_where_now(home, inputs, findings, day), settings.intake.max_findings_per_rule, mixed_owner=SSG)
    with progress.stage("write") as step:
        outputs = _write_outputs(home, partial, final, inputs, findings, listed, day, lang, version,
                                 daily[0] if daily else None, step, [p.name for p in roster_on(ledger, business_date)])
    manifest = _manifest(day, run_no, now, inputs, outputs, findings, listed, counts, ledger)
    manifest["orders"] = order_entries(OrderBook(ledger), daily[0].log.touched if daily else set())
    manifest["counts"]["orders"] = len(manifest["orders"])
    manifest["problems"] = daily[0].problems.manifest_entries() if daily else []
    manifest["counts"]["delivery_notes"] = len(daily[0].log.notes) if daily else 0
    manifest["reminders"] = duties.as_json(run_reminders(daily[0]).owed()) if daily else []
    manifest["open_items"] = open_items(ledger, business_date)
    summary = partial / f"运行摘要-{day}.html"
    write_html_summary(run_summary(business_date, run_no, manifest, daily[0] if daily else None), summary,
                       lang=lang)
    manifest["outputs"].append(output_entry(home, final, summary, "summary"))
    prepare(ledger, settings, partial, home.relative(final), manifest["outputs"], business_date, now)
    with atomic_path(partial / "manifest.json") as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    _fault("before-commit")
    ledger.commit()
    _fault("after-commit")
    os.replace(partial, final)
    _clean_inbox(home, ledger, run_id, day)
    ledger.set_run_state(run_id, "done")
    return RunOutcome(final, manifest)


def _manifest(day, run_no, now, inputs, outputs, findings, listed, counts, ledger) -> dict:
    return {
        "business_date": day,
        "run": run_no,
        "started_at": now.isoformat(timespec="seconds"),
        "inputs": [{"file": i.name, "sha256": i.sha256,
                    "form": i.form, "status": i.status, "rows": i.rows,
                    "errors": sum(1 for f in findings if f.file == i.name and f.is_error)} for i in inputs],
        "outputs": outputs,
        "orders": [],
        "problems": [],
        "counts": {
            "exceptions": sum(1 for f in findings if f.severity != "info"),
            # of those, how many the exceptions list shows only within a summary row
            "exceptions_summarised": sum(weight(f) for f in listed if f.rule == SUMMARY_RULE and f.severity != "info"),
            "errors": sum(1 for f in findings if f.is_error),
            "orders": 0,
            "delivery_notes": 0,
            "inputs": len(inputs),
            **{k: v for k, v in sorted(counts.items())},
            **{f"ledger.{t}": ledger.count(t) for t in MASTER_TABLES.values()},
        },
    }
