"""The order run's workbooks: order register, approval requests per SLT member, delivery notes,
UM notices. Each is written only when it has something to say."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from osb_batch.writers.approvals import approval_requests_name, write_approval_requests
from osb_batch.writers.delivery_notes import delivery_notes_name, write_delivery_notes
from osb_batch.writers.notices import notice_file_name, write_um_notices
from osb_batch.writers.problems import write_problem_log
from osb_batch.writers.records import STATE_COUNT, RunSummary
from osb_batch.writers.register import order_register_name, write_order_register

from .order_records import ViewBuilder
from .order_steps import SIGNER_TITLE, DailyRun


def write_order_outputs(run: DailyRun, folder: Path, lang: str, version: str) -> Iterator[tuple]:
    """Write into ``folder``; yield (path, output form key[, the person it is for[, by when]]) for the manifest. File names are the
    outputs' Chinese names in every language (interface.md), so links, scripts and the inbox
    round trip of an approval workbook do not depend on the language of the run."""
    views = ViewBuilder(run)
    day = run.day
    ids = sorted(set(run.book.open_ids()) | run.log.touched)
    if ids:
        target = folder / order_register_name(day)
        write_order_register(views.register(ids), target, business_date=day, lang=lang, version=version)
        yield target, "order_register"
    for signer, requests in sorted(views.approval_requests().items()):
        title = SIGNER_TITLE[signer]
        target = folder / approval_requests_name(title, day)
        write_approval_requests(requests, target, signer_title=title, business_date=day, lang=lang,
                                version=version)
        yield target, "approval_requests", title, f"{min(r.deadline for r in requests):%Y-%m-%d %H:%M}"
    if run.log.notes:
        target = folder / delivery_notes_name(day)
        write_delivery_notes(views.delivery_notes(run.log.notes), target, business_date=day, lang=lang,
                             version=version)
        yield target, "delivery_notes"
    by_um = defaultdict(list)
    for notice in views.notices(run.log.touched, run.log.cuts):
        by_um[notice.unit_manager].append(notice)
    for um, notices in sorted(by_um.items()):
        target = folder / notice_file_name(um, day)
        write_um_notices(notices, target, business_date=day, lang=lang, version=version)
        yield target, "um_notices", um
    problems = run.problems.views()
    if problems:
        target = folder / f"OSB问题记录表-{day.isoformat()}.xlsx"
        write_problem_log(problems, target, business_date=day, lang=lang, version=version)
        yield target, "problem_log"


def run_summary(day: dt.date, run_no: int, manifest: dict, run: DailyRun | None) -> RunSummary:
    """The mailable summary: counts, what waits for whom, open problems, links to the outputs."""
    states = Counter(o["state"] for o in manifest["orders"])
    waiting: Counter = Counter()
    if run is not None:
        for signer, requests in ViewBuilder(run).approval_requests().items():
            waiting[SIGNER_TITLE[signer]] += len(requests)
    counts = {"inputs": len(manifest["inputs"]), "exceptions": manifest["counts"]["exceptions"],
              "orders": len(manifest["orders"]), "delivery_notes": manifest["counts"]["delivery_notes"],
              **{f"{STATE_COUNT}{k}": v for k, v in sorted(states.items())}}
    outputs = [(o["form"], Path(o["file"]).name) for o in manifest["outputs"]]
    open_problems = sum(1 for p in manifest["problems"] if p["status"] == "open")
    return RunSummary(day, run_no, counts, dict(waiting), open_problems, outputs)
