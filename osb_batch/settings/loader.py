"""Loading rules.toml: parse the text, walk it against the declarations, report every problem.

Unknown sections and keys (with a did-you-mean), wrong types, bad values, clashes between
markets and markets without roles are collected in one pass, each naming the dotted key and its
line in the file, and raised together as :class:`SettingsError`. The packaged
``default_rules.toml`` is what ``osb-batch init`` writes and what applies when there is no
rules.toml; its values equal the declared defaults.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .checks import norm
from .key_lines import line_index
from .markets import Market, Roles
from .schema import SECTIONS, TOP_LEVEL, Settings
from .values import EXPECTED, convert, describe, show

DEFAULT_RULES_TEXT = resources.files("osb_batch").joinpath("default_rules.toml").read_text(encoding="utf-8")
_CODE = re.compile(r"[A-Z][A-Z0-9]*")


class SettingsError(ValueError):
    """rules.toml cannot be used; ``problems`` lists everything wrong with it, in file order."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(f"  - {p}" for p in self.problems)


def load(path: Path | None = None) -> Settings:
    """Settings from ``path``; the packaged defaults when there is no file."""
    if path is None or not Path(path).exists():
        return _defaults()
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SettingsError([f"cannot read {path}: {exc.strerror or exc}"]) from None
    try:
        text = data.decode("utf-8-sig")          # Notepad may add a BOM
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise SettingsError([f"the file is not UTF-8 text (line {line}); save it as UTF-8"]) from None
    return parse(text)


@cache
def _defaults() -> Settings:
    return parse(DEFAULT_RULES_TEXT)


def parse(text: str) -> Settings:
    """Settings from rules.toml text, or :class:`SettingsError` listing every problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([f"TOML syntax error: {exc}"]) from None
    loader = _Loader(text)
    for name, value in raw.items():
        if name not in TOP_LEVEL:
            loader.unknown("section", (name,), TOP_LEVEL)
        elif not isinstance(value, dict):
            loader.wrong_type((name,), "a table", value)
    parts = {name: loader.table(cls, raw.get(name, {}), (name,)) for name, cls in SECTIONS.items()
             if isinstance(raw.get(name, {}), dict)}
    markets = loader.markets(raw["markets"]) if isinstance(raw.get("markets"), dict) else None
    codes = ([c for c in raw["markets"] if _CODE.fullmatch(c)] if markets is not None
             else [m.code for m in _defaults().markets])
    roles = loader.roles(raw["roles"], codes) if isinstance(raw.get("roles"), dict) else None
    if roles is None:                           # no [roles] in the file: the defaults of the markets it has
        roles = tuple(r for r in _defaults().roles if r.code in codes)
        loader.every_market_has_roles(codes, roles)
    if loader.problems:
        raise SettingsError(p for _, p in sorted(loader.problems, key=lambda lp: lp[0] or 1 << 30))
    return Settings(**parts, markets=_defaults().markets if markets is None else markets,
                    roles=tuple(sorted(roles, key=lambda r: codes.index(r.code))))


class _Loader:
    """Walks the parsed TOML against the declarations, collecting ``(line, problem)``."""

    def __init__(self, text: str):
        self.lines = line_index(text)
        self.problems: list[tuple[int | None, str]] = []

    def problem(self, what: str, path: tuple[str, ...], detail: str = "", at: tuple[str, ...] = ()) -> None:
        """Record a problem with ``path``, located at the line of ``at`` (default: of ``path``)."""
        at = at or path
        line = next((self.lines[at[:i]] for i in range(len(at), 0, -1) if at[:i] in self.lines), None)
        where = f" (line {line})" if line else ""
        self.problems.append((line, f"{what} '{'.'.join(path)}'{where}" + (f" — {detail}" if detail else "")))

    def unknown(self, what: str, path: tuple[str, ...], known: Iterable[str]) -> None:
        known = list(known)
        close = difflib.get_close_matches(path[-1], known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "expected one of " + ", ".join(known)
        self.problem(f"unknown {what}", path, hint)

    def wrong_type(self, path: tuple[str, ...], expected: str, value: object) -> None:
        self.problem("wrong type for", path, f"expected {expected}, got {describe(value)}")

    def table(self, cls: type, raw: Mapping[str, Any], path: tuple[str, ...], **extra: Any) -> Any:
        """An instance of ``cls`` from one TOML table, or None when a key is missing or bad."""
        declared = {f.name: f for f in fields(cls) if "check" in f.metadata or "tables" in f.metadata}
        for key in raw:
            if key not in declared:
                self.unknown("key", (*path, key), declared)
        values, ok = {}, True
        for name, f in declared.items():
            if name not in raw:
                if f.default is MISSING:
                    self.problem("missing key", (*path, name))
                    ok = False
                continue
            if "tables" in f.metadata:
                values[name] = self.tables(f.metadata["tables"], raw[name], (*path, name))
                ok = ok and values[name] is not None
                continue
            try:
                value = convert(f.type, raw[name])
            except TypeError:
                self.wrong_type((*path, name), EXPECTED[f.type], raw[name])
                ok = False
                continue
            except ValueError as exc:
                self.problem("invalid value for", (*path, name), str(exc))
                ok = False
                continue
            if (detail := f.metadata["check"] and f.metadata["check"](value)):
                self.problem("invalid value for", (*path, name), f"{detail} (got {show(value)})")
                ok = False
            values[name] = value
        if not ok:
            return None
        made = cls(**extra, **values)
        for key, detail in getattr(made, "conflicts", lambda: ())():
            self.problem("invalid value for", (*path, key), detail)
            ok = False
        return made if ok else None

    def tables(self, cls: type, raw: Any, path: tuple[str, ...]) -> tuple | None:
        """The instances of ``cls`` an array of tables (``[[a.b]]``) holds, named ``a.b[1]``, ``a.b[2]``…;
        None when one of them is bad."""
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            self.wrong_type(path, f"an array of tables ([[{'.'.join(path)}]])", raw)
            return None
        made = [self.table(cls, item, (*path[:-1], f"{path[-1]}[{i}]")) for i, item in enumerate(raw, 1)]
        return None if any(m is None for m in made) else tuple(made)

    def markets(self, raw: Mapping[str, Any]) -> tuple[Market, ...]:
        if not raw:
            self.problem("no markets in", ("markets",), "declare at least one [markets.CODE] table")
        found = []
        for code, table in raw.items():
            path = ("markets", code)
            if not _CODE.fullmatch(code):
                self.problem("invalid market code", path, "use uppercase ASCII letters and digits, e.g. [markets.E]")
            elif not isinstance(table, dict):
                self.wrong_type(path, "a table", table)
            elif market := self.table(Market, table, path, code=code):
                found.append(market)
        self.clashes(found)
        return tuple(found)

    def roles(self, raw: Mapping[str, Any], codes: list[str]) -> tuple[Roles, ...]:
        """The ``[roles.CODE]`` tables: one for every market ``codes`` names, and no other."""
        found = []
        for code, table in raw.items():
            path = ("roles", code)
            if code not in codes:
                self.unknown("market", path, codes)
            elif not isinstance(table, dict):
                self.wrong_type(path, "a table", table)
            elif roles := self.table(Roles, table, path, code=code):
                found.append(roles)
        self.every_market_has_roles([c for c in codes if c not in raw], found)
        return tuple(found)

    def every_market_has_roles(self, codes: Iterable[str], roles: Iterable[Roles]) -> None:
        """Report each market of ``codes`` that ``roles`` leaves without its CSR, SCR and BCR."""
        have = {r.code for r in roles}
        for code in codes:
            if code in have:
                continue
            if ("markets", code) in self.lines:
                self.problem("missing table", ("roles", code), f"market {code}, declared on this line, "
                             f"needs a [roles.{code}] table with csr, scr and bcr", at=("markets", code))
            else:
                self.problem("missing table", ("roles", code), f"[roles] replaces the default roles as a whole, "
                             f"so default market {code} needs a [roles.{code}] table too")

    def clashes(self, markets: list[Market]) -> None:
        """A name may denote one market only, and a region may belong to one market only."""
        names: dict[str, str] = {}
        regions: dict[str, str] = {}
        for m in markets:
            for key, name in (("code", m.code), ("zh", m.zh), ("en", m.en)):
                owner = names.setdefault(norm(name), m.code)
                if owner != m.code:
                    self.problem("duplicate market name", ("markets", m.code, key),
                                 f"'{name}' already names market {owner}")
            seen: set[str] = set()
            for region in m.regions:
                owner = regions.setdefault(norm(region), m.code)
                if owner != m.code or norm(region) in seen:
                    detail = f"already a region of market {owner}" if owner != m.code else "listed twice"
                    self.problem("duplicate region in", ("markets", m.code, "regions"), f"'{region}' is {detail}")
                seen.add(norm(region))
