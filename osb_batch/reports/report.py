"""The one shape of a periodic output (style.md habit 14): a period -> records read from the
ledger -> writers -> files in a folder, each named in a manifest, plus a JSON view.

A :class:`Report` entry declares the three steps; :func:`produce` makes a report with a folder
of its own in ``outbox/`` (built completely before anything is written, then written beside the
folder and swapped in whole), and :func:`write_into` writes entries into a folder someone else
swaps in: the daily run's ``.run-NN.partial``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from osb_batch import catalogue as catalogue_mod
from osb_batch.delivery.folders import prepare
from osb_batch.delivery.sending import deliver_folder
from osb_batch.ledger import session
from osb_batch.ledger.database import Ledger
from osb_batch.progress import QUIET, Progress
from osb_batch.settings import Settings
from osb_batch.workspace import Home, sha256_of
from osb_batch.writers.common import atomic_path

from .period import Period

Source = TypeVar("Source")


@dataclass(frozen=True, slots=True)
class Basis:
    """What a report with a folder of its own is built from."""

    ledger: Ledger
    settings: Settings
    today: dt.date
    progress: Progress = QUIET                       # told of the stages; a report may tell it more
    now: dt.datetime | None = None                   # the moment it is made (aware); None: the end of today


@dataclass(frozen=True, slots=True)
class Report(Generic[Source]):
    """One entry of a registry.

    ``build(source, period, lang)`` reads the records (None: nothing to write this time; an
    exception: nothing is written at all); ``write(records, period, folder, lang, version)``
    writes them into ``folder`` and returns (path, form key) per file, or (path, form key,
    person) for a file meant for one person; ``as_json(records)`` is
    what ``--json`` prints and what the manifest starts with.
    """

    key: str
    kind: str                                        # of period, see period.py
    build: Callable[[Source, Period, str], Any]
    write: Callable[[Any, Period, Path, str, str], list[tuple]]
    as_json: Callable[[Any], dict] | None = None
    folder: str = ""                                 # in outbox/, e.g. "对账-{period}"; "" in a run folder


@dataclass(slots=True)
class Produced:
    folder: Path
    result: dict                                     # the JSON view


def output_entry(home: Home, final: Path, path: Path, form: str, person: str | None = None,
                 due: str | None = None) -> dict:
    """The manifest's line for ``path``, named at its place once ``final`` is swapped in; ``person``:
    whom a file of one person is for (an SLT member's approvals, a UM's notices, a submitter's copy);
    ``due``: by when they must act on it (the earliest approval deadline of an approval workbook)."""
    entry = {"file": home.relative(final / path.name), "form": form, "sha256": sha256_of(path)}
    return {**entry, **({"person": person} if person else {}), **({"due": due} if due else {})}


def write_into(folder: Path, reports: Iterable[Report[Source]], source: Source, period: Period, lang: str,
               version: str) -> Iterator[tuple]:
    """Build and write each entry that has something to say; yield (path, form key[, person]) per file."""
    for report in reports:
        records = report.build(source, period, lang)
        if records is not None:
            yield from report.write(records, period, folder, lang, version)


def produce(home: Home, report: Report[Basis], basis: Basis, period: Period, lang: str) -> Produced:
    """Build ``report`` for ``period`` and swap its folder into ``outbox/`` with a manifest.json."""
    with basis.progress.stage("build"):
        records = report.build(basis, period, lang)
    final = home.outbox / report.folder.format(period=period.label)
    partial = final.with_name(f".{final.name}.partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    written = report.write(records, period, partial, lang, catalogue_mod.load().version)
    result = report.as_json(records) if report.as_json else {}
    entries = [output_entry(home, final, *record) for record in written]
    prepare(basis.ledger, basis.settings, partial, home.relative(final), entries, basis.today,
            basis.now or dt.datetime.now(dt.UTC))
    # a report listing its own outputs (paths, as its --json prints them) keeps them; the entries go to "files"
    manifest = {**result, "written_on": basis.today.isoformat(),
                **({"files": entries} if "outputs" in result else {"outputs": entries})}
    with atomic_path(partial / "manifest.json") as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    swap_in(partial, final)
    return Produced(final, result)


def swap_in(partial: Path, final: Path) -> None:
    """Put ``partial`` in the place of ``final``; the old folder is kept until the new one is there."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(partial, final)
    if old.exists():
        shutil.rmtree(old)


def produce_alone(home: Home, settings: Settings, make: Callable[[Basis], Produced], *, today: dt.date,
                  command: str, progress: Progress = QUIET, now: dt.datetime | None = None) -> Produced:
    """``make`` a folder (:func:`produce` or a composite of it) holding the run lock, so that no
    daily run changes the ledger meanwhile; then each person is sent their files of it (with
    ``[mail]``), noted in its manifest's ``deliveries``. ``command`` says who holds the lock.

    Raises workspace.RunBusy when another run holds the lock.
    """
    with session.locked(home, settings, f"pid {os.getpid()}, {command}") as ledger:
        done = make(Basis(ledger, settings, today, progress, now))
        deliver_folder(home, ledger, settings, done.folder, today, now=now)
        return done
