"""Who signed a management form: a name written in an ``approved_by`` cell, read against the SLT.

The order approvals (domain.md OP 6) accept a decision only from the SLT member it belongs to, and
let a secretary sign on that member's behalf (代签) when the row says so. The management forms
(``credit_limit_decisions``, ``expense_request``) carry one free-text ``approved_by`` cell instead
of a member key and an on-behalf flag, so the same rule reads that cell: it names an SLT member
by one of their names (personal name, title or key), alone, or together with a secretary's name
(``王丽娜代总经理``, ``总经理（王丽娜代签）``), which is a signature on the member's behalf.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from osb_batch.hanzi import simplified


@dataclass(frozen=True, slots=True)
class Signer:
    """The member whose signature a cell carries; ``secretary`` set when signed on their behalf."""

    member: str
    secretary: str | None = None

    @property
    def on_behalf(self) -> bool:
        return self.secretary is not None


def name_key(text: object) -> str:
    """Comparison key of a name: NFKC, simplified characters, no spaces, case-folded."""
    plain = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(simplified(plain).split()).casefold()


def signer(written: str | None, members: Mapping[str, str], secretaries: Iterable[str] = ()) -> Signer | None:
    """The SLT member ``written`` names, or None when it names none (or two).

    Args:
        written: the ``approved_by`` cell.
        members: every name an SLT member goes by (roster name, ``[slt]`` title, key) -> the member.
        secretaries: the names of those who may sign on a member's behalf (SSG).
    """
    text = name_key(written)
    if not text:
        return None
    exact = {member for alias, member in members.items() if name_key(alias) == text}
    if len(exact) == 1:
        return Signer(exact.pop())
    secretary = max((s for s in secretaries if name_key(s) and name_key(s) in text),
                    key=lambda s: len(name_key(s)), default=None)
    if secretary is None:
        return None
    rest = text.replace(name_key(secretary), " ")       # a member's name inside the secretary's is not theirs
    named = {member for alias, member in members.items() if name_key(alias) and name_key(alias) in rest}
    return Signer(named.pop(), secretary) if len(named) == 1 else None
