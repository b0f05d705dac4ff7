"""Comparison keys for the names and codes people type, and the close matches to suggest.

A region is written ``河南``, ``河南省``, ``河 南`` or ``ＨＥ``-style full-width; a code ``C101``,
``Ｃ１０１`` or ``C 101``. The keys below make the spellings that mean the same thing compare
equal: width (NFKC), whitespace anywhere, Traditional -> Simplified Chinese, letter case for
region names, and the administrative suffix of a region (省, 市, 自治区, …). Codes keep their case
(forms.md: "code (trimmed; case kept)"): ``c101`` is not ``C101``, only suggested for it.
Pure text functions: no settings, no files.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from .hanzi import simplified

#: Administrative suffixes a region may be written with, longest first (广西壮族自治区 -> 广西).
REGION_SUFFIXES = ("维吾尔自治区", "特别行政区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区", "省", "市")
#: A region name left shorter than this by a suffix keeps it (沙市 is not 沙).
MIN_REGION_CHARS = 2
#: How alike two codes must be for a suggestion (difflib ratio); region names are two or three
#: characters, so one right character of two is already worth naming.
CLOSE = 0.75
CLOSE_REGION = 0.5


def _plain(text: object) -> str:
    """Half-width, without whitespace anywhere."""
    s = str(text)
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
    return "".join(s.split())


def region_key(text: object) -> str:
    """``河南省``, ``河 南``, ``河南`` -> ``河南``: the key two spellings of one region share."""
    s = _plain(text).casefold()
    if not s.isascii():
        s = simplified(s)
    for suffix in REGION_SUFFIXES:
        if s.endswith(suffix) and len(s) - len(suffix) >= MIN_REGION_CHARS:
            return s[: -len(suffix)]
    return s


def code_key(text: object) -> str:
    """``Ｃ１０１``, `` C 101 `` -> ``C101``: a code as typed in another width or with stray spaces.
    Case is kept: codes are case-sensitive."""
    return _plain(text)


class Matcher:
    """Known codes (or names) indexed once, to resolve and suggest many typed values against.

    :meth:`resolve` accepts a value that is a known one but for width and spaces; :meth:`suggest`
    offers the known ones equal but for letter case, then those close to it (a typo, by difflib:
    at most ``budget`` distinct values are compared, so a flood of unknown codes stays cheap).
    """

    def __init__(self, known: Iterable[str], key=code_key, budget: int = 500, cutoff: float = CLOSE):
        self.key, self.cutoff = key, cutoff
        self.known = known if isinstance(known, set | frozenset) else set(known)
        self.exact: dict[str, str] = {}
        self.folded: dict[str, list[str]] = {}
        for k in known:
            self.exact.setdefault(key(k), k)
            self.folded.setdefault(key(k).casefold(), []).append(k)
        self.budget = budget
        self._memo: dict[str, tuple[str, ...]] = {}

    def __contains__(self, value: object) -> bool:
        return value in self.known

    def resolve(self, value: str) -> str | None:
        """The known value ``value`` is but for width and spaces; None when there is none."""
        return self.exact.get(self.key(value))

    def suggest(self, value: str, limit: int = 3) -> tuple[str, ...]:
        """Known values like ``value``, best first. Only ever a suggestion, never a substitution."""
        if value in self._memo:
            return self._memo[value]
        folded = self.key(value).casefold()
        out = sorted(self.folded.get(folded, ()))
        if len(out) < limit and self.budget > 0:
            self.budget -= 1
            close = difflib.get_close_matches(folded, self.folded, n=limit, cutoff=self.cutoff)
            out += [k for c in close if c != folded for k in sorted(self.folded[c])]
        found = self._memo[value] = tuple(out[:limit])
        return found


__all__ = ["REGION_SUFFIXES", "region_key", "code_key", "Matcher"]
