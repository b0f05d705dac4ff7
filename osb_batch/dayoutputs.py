"""The order run's workbooks: order register, approval requests per SLT member, delivery notes,
UM notices. Each is written only when it has something to say."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from .daily import SIGNER_TITLE, DailyRun
from .dayviews import ViewBuilder
from .writers.approvals import approval_requests_name, write_approval_requests
from .writers.delivery_notes import delivery_notes_name, write_delivery_notes
from .writers.notices import notice_file_name, write_um_notices
from .writers.register import order_register_name, write_order_register


def write_order_outputs(run: DailyRun, folder: Path, lang: str, version: str) -> Iterator[tuple[Path, str]]:
    """Write into ``folder``; yield (path, output form key) for the manifest."""
    views = ViewBuilder(run)
    day = run.day
    ids = sorted(set(run.book.open_ids()) | run.log.touched)
    if ids:
        target = folder / order_register_name(day, lang)
        write_order_register(views.register(ids), target, business_date=day, lang=lang, version=version)
        yield target, "order_register"
    for signer, requests in sorted(views.approval_requests().items()):
        title = SIGNER_TITLE[signer]
        target = folder / approval_requests_name(title, day, lang)
        write_approval_requests(requests, target, signer_title=title, business_date=day, lang=lang,
                                version=version)
        yield target, "approval_requests"
    if run.log.notes:
        target = folder / delivery_notes_name(day, lang)
        write_delivery_notes(views.delivery_notes(run.log.notes), target, business_date=day, lang=lang,
                             version=version)
        yield target, "delivery_notes"
    by_um = defaultdict(list)
    for notice in views.notices(run.log.touched, run.log.cuts):
        by_um[notice.unit_manager].append(notice)
    for um, notices in sorted(by_um.items()):
        target = folder / notice_file_name(um, day)
        write_um_notices(notices, target, business_date=day, lang=lang, version=version)
        yield target, "um_notices"
