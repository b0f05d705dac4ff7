"""Run a file parser that may kill the process instead of raising, in a forked child.

python-calamine's BIFF (.xls) reader trusts the record headers of the file: a damaged record can
make it ask for hundreds of gigabytes, and a failed allocation in Rust aborts the whole process,
past every ``except``. Legacy ``.xls`` files are few and small, so they are parsed in a child:
its death becomes :class:`ParserDied`, which the reader reports as a damaged file.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class ParserDied(Exception):
    """The child parsing a file ended without an answer (killed, aborted)."""


class ParserFailed(Exception):
    """The child's parser raised; ``kind`` is the exception's class name."""

    def __init__(self, kind: str, text: str):
        super().__init__(f"{kind}: {text}")
        self.kind = kind


def _child(parse: Callable[[Path], T], path: Path, conn) -> None:
    faulthandler.disable()                            # an abort's report would land on the batch's terminal
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    try:
        conn.send(("ok", parse(path)))
    except BaseException as exc:  # every failure is the parent's to judge
        conn.send(("error", type(exc).__name__, str(exc)))
    finally:
        conn.close()


def in_child(parse: Callable[[Path], T], path: Path) -> T:
    """``parse(path)`` in a forked child (in this process where fork does not exist)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return parse(path)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(parse, path, send), daemon=True)
    child.start()
    send.close()
    try:
        answer = receive.recv()
    except EOFError:
        answer = None
    finally:
        receive.close()
        child.join()
    if answer is None:
        raise ParserDied(f"the parser stopped without an answer (exit code {child.exitcode})")
    if answer[0] == "error":
        raise ParserFailed(answer[1], answer[2])
    return answer[1]
