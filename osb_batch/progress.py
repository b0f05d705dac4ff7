"""Progress of long work, for a person watching a terminal.

The daily run and the reports announce each stage (reading the inbox, applying it with the
order steps, writing outputs, reading the ledger, writing statements) to a :class:`Progress`.
The command line passes one that draws on stderr when stderr is a terminal; everyone else gets
:data:`QUIET`, which does nothing, so a scheduled run, ``--json`` and the tests print nothing
extra. This module knows no terminal library: the drawing is the CLI's.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Protocol

#: stage key -> (Chinese, English) label
STAGES = {
    "read": ("读取收件箱", "Reading inbox files"),
    "apply": ("录入台账、处理订单", "Applying inputs and taking the order steps"),
    "write": ("写出文件", "Writing outputs"),
    "build": ("汇总台账", "Reading the ledger"),
    "statements": ("写出对账单", "Writing statements"),
}


class Step(Protocol):
    def advance(self, n: int = 1) -> None:
        """``n`` more items of the stage are done."""


class Progress(Protocol):
    def stage(self, key: str, total: int | None = None) -> AbstractContextManager[Step]:
        """A stage of :data:`STAGES` for the length of a ``with`` block; ``total`` items if known."""


def label(key: str, lang: str) -> str:
    zh, en = STAGES[key]
    return en if lang == "en" else zh


class _Quiet:
    def advance(self, n: int = 1) -> None:
        pass

    def stage(self, key: str, total: int | None = None) -> AbstractContextManager[Step]:
        return nullcontext(self)


QUIET: Progress = _Quiet()
