"""The working folder: where inbox, outbox, archive, quarantine and state live, the run lock,
the file moves that must never lose an input, and which inbox files are still open in Excel,
WPS or LibreOffice (their owner files, :mod:`.owner_files`)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .owner_files import OpenElsewhere, holder, is_owner_file

IGNORED_PREFIXES = ("~$", ".", "~")     # Excel/WPS owner files, hidden and temporary files


class NotAWorkingFolder(Exception):
    """The folder has no rules.toml: a mistyped ``--home`` must not become a new, empty working folder."""

    def __init__(self, root: Path):
        super().__init__(str(root))
        self.root = root


@dataclass(frozen=True, slots=True)
class InboxListing:
    """The inbox as a run sees it: files to take, files open elsewhere, owner files left behind."""

    files: list[Path]                    # in arrival order
    open_elsewhere: list[OpenElsewhere]
    stale_owner_files: list[Path]        # owner files whose workbook is not beside them


@dataclass(frozen=True, slots=True)
class Home:
    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def ledger_path(self) -> Path:
        return self.state / "ledger.sqlite"

    @property
    def rules(self) -> Path:
        return self.root / "rules.toml"

    @property
    def templates(self) -> Path:
        return self.root / "templates" / "xlsx"

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def check(self) -> None:
        """Raise :class:`NotAWorkingFolder` unless the folder holds a rules.toml (``osb-batch init`` makes one)."""
        if not self.rules.is_file():
            raise NotAWorkingFolder(self.root)

    def inbox_files(self) -> list[Path]:
        """Inbox files to take now, in arrival order (modification time, then name): hidden and
        temporary files are skipped, and so are workbooks still open in another program."""
        return self.inbox_listing().files

    def inbox_listing(self) -> InboxListing:
        """Every inbox file sorted into: to take (arrival order), open elsewhere, stale owner files."""
        if not self.inbox.is_dir():
            return InboxListing([], [], [])
        files, owners = [], set()
        for p in self.inbox.rglob("*"):
            *folders, name = p.relative_to(self.inbox).parts
            if not p.is_file() or any(part.startswith(IGNORED_PREFIXES) for part in folders):
                continue
            if is_owner_file(name):
                owners.add(p)
            elif not name.startswith(IGNORED_PREFIXES):
                files.append(p)
        held = {p: who for p in files if (who := holder(p, owners)) is not None}
        used = {o.owner_file for o in held.values()}
        free = sorted((p for p in files if p not in held), key=lambda p: (p.stat().st_mtime_ns, p.as_posix()))
        return InboxListing(free, sorted(held.values(), key=lambda o: o.path.as_posix()),
                            sorted(p for p in owners if p not in used))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_copy(source: Path, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def archive_copy(home: Home, source: Path, sha: str, day: str) -> Path:
    """Copy an input to ``archive/DAY/<hash>-<name>`` (durably) unless it is already there."""
    target = home.archive / day / f"{sha[:16]}-{source.name}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        _fsync_copy(source, target)
    return target


def quarantine_move(home: Home, source: Path, day: str, reason: str) -> Path:
    """Move an unreadable input to ``quarantine/DAY/`` with a ``.txt`` saying why."""
    folder = home.quarantine / day
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    n = 1
    while target.exists():
        target = folder / f"{source.stem}({n}){source.suffix}"
        n += 1
    note = target.with_name(target.name + ".txt")
    # read in Notepad on Chinese Windows: a byte-order mark (else it guesses GBK) and CRLF line ends
    note.write_text(reason.replace("\r\n", "\n"), encoding="utf-8-sig", newline="\r\n")
    shutil.move(source, target)
    return target


class RunBusy(RuntimeError):
    """Another run holds the lock; the message is how that run described itself."""


@contextlib.contextmanager
def holding_lock(home: Home, who: str) -> Iterator[None]:
    """Hold the run lock for the block; raise :class:`RunBusy` at once when another run has it."""
    lock = RunLock(home)
    holder = lock.acquire(who)
    if holder is not None:
        raise RunBusy(holder)
    try:
        yield
    finally:
        lock.release()


class RunLock:
    """One run at a time: an exclusive, non-blocking flock on ``state/run.lock``."""

    def __init__(self, home: Home):
        self.path = home.state / "run.lock"
        self.fh = None

    def acquire(self, who: str) -> str | None:
        """Take the lock; return None, or the description of the run that holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "unknown"
            self.fh.close()
            self.fh = None
            return holder
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(who)
        self.fh.flush()
        return None

    def release(self) -> None:
        if self.fh:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
            self.fh = None
