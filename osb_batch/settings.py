"""``rules.toml``: everything a user can set, declared once and loaded into frozen dataclasses.

Each setting is a dataclass field made with :func:`setting`: its annotation is its type, its
default is its default, its ``check`` is its allowed values. Loading derives everything from
those declarations and reports every problem at once -- unknown sections and keys (with a
did-you-mean), wrong types, bad values, clashes between markets -- each naming the dotted key
and its line in the file. The packaged ``default_rules.toml`` is what ``osb-batch init`` writes
and what applies when there is no rules.toml; its values equal the declared defaults.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .catalogue import Choice
from .hanzi import simplified

DEFAULT_RULES_TEXT = resources.files("osb_batch").joinpath("default_rules.toml").read_text(encoding="utf-8")

Check = Callable[[Any], str | None]   # what is wrong with a (well-typed) value, or None
SIGNERS = ("gm", "director", "deputy")


class SettingsError(ValueError):
    """rules.toml cannot be used; ``problems`` lists everything wrong with it, in file order."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(f"  - {p}" for p in self.problems)


def setting(default: Any = MISSING, check: Check | None = None) -> Any:
    """Declare one key of a section: its default (none = required) and its allowed values."""
    return field(default=default, metadata={"check": check})


def one_of(*allowed: str) -> Check:
    return lambda v: None if v in allowed else "must be one of " + ", ".join(f"'{a}'" for a in allowed)


def between(low: int, high: int) -> Check:
    return lambda v: None if low <= v <= high else f"must be between {low} and {high}"


def above(low: int) -> Check:
    return lambda v: None if v > low else f"must be greater than {low}"


def at_least(low: int) -> Check:
    return lambda v: None if v >= low else f"must be at least {low}"


def nonblank(value: str) -> str | None:
    return None if value else "must not be empty"


def no_blanks(values: tuple[str, ...]) -> str | None:
    return None if all(values) else "must not contain empty names"


def names(values: tuple[str, ...]) -> str | None:
    """A non-empty list of distinct, non-empty names."""
    if not values:
        return "must name at least one person"
    if not all(values):
        return "must not contain empty names"
    twice = next((v for i, v in enumerate(values) if _norm(v) in map(_norm, values[:i])), None)
    return f"'{twice}' is listed twice" if twice else None


def distinct_dates(values: tuple[dt.date, ...]) -> str | None:
    twice = next((d for i, d in enumerate(values) if d in values[:i]), None)
    return f"{twice} is listed twice" if twice else None


def increasing_days(values: tuple[int, ...]) -> str | None:
    if not values:
        return "must list at least one bucket"
    if values[0] <= 0 or any(b <= a for a, b in zip(values, values[1:], strict=False)):
        return "must be increasing whole numbers of days, the first greater than 0"
    return None


_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


def period_ends(values: tuple[str, ...]) -> str | None:
    """Two period ends, "MM-DD", in calendar order; the second must be 12-31 (a half year each)."""
    if len(values) != 2:
        return "must list two period ends, e.g. [\"06-30\", \"12-31\"]"
    for v in values:
        m = _MONTH_DAY.fullmatch(v)
        try:
            dt.date(2024, int(m[1]), int(m[2])) if m else None
        except ValueError:
            m = None
        if not m:
            return f"'{v}' is not a month-day written as MM-DD"
    if values[1] != "12-31" or values[0] >= values[1]:
        return "must be [first half end, \"12-31\"], the first before the second"
    return None


def timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "must be an IANA time zone name such as 'Asia/Shanghai'"
    return None


@dataclass(frozen=True, slots=True)
class General:
    lang: str = setting("zh", one_of("zh", "en"))
    timezone: str = setting("Asia/Shanghai", timezone)
    company: str = setting("本公司", nonblank)


@dataclass(frozen=True, slots=True)
class Intake:
    header_search_rows: int = setting(20, between(1, 100))
    max_uncompressed_mb: int = setting(200, above(0))
    max_compression_ratio: int = setting(200, above(1))
    max_rows: int = setting(1_000_000, above(0))


@dataclass(frozen=True, slots=True)
class Slt:
    """Display names (titles by default) of the three SLT members who sign."""

    gm: str = setting("总经理", nonblank)
    director: str = setting("销售总监", nonblank)
    deputy: str = setting("销售副总监", nonblank)


@dataclass(frozen=True, slots=True)
class Market:
    """One ``[markets.CODE]`` table; an empty ``regions`` accepts any region."""

    code: str
    zh: str = setting(check=nonblank)
    en: str = setting(check=nonblank)
    signer: str = setting(check=one_of(*SIGNERS))
    regions: tuple[str, ...] = setting((), no_blanks)
    _region_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_region_keys", frozenset(map(_norm, self.regions)))

    def has_region(self, region: str) -> bool:
        """Whether ``region`` (simplified or traditional) belongs here."""
        return not self.regions or _norm(region) in self._region_keys


@dataclass(frozen=True, slots=True)
class Qc:
    """Qualification check (QC) of orders."""

    max_order_age_days: int = setting(30, above(0))
    price_tolerance: Decimal = setting(Decimal("0.005"), at_least(0))
    amount_tolerance: Decimal = setting(Decimal("0.01"), at_least(0))


@dataclass(frozen=True, slots=True)
class Quota:
    """Quota check (AC)."""

    when_missing: str = setting("unlimited", one_of("unlimited", "zero"))


@dataclass(frozen=True, slots=True)
class Credit:
    """Credit check (CC): the decision table's two thresholds."""

    tolerance: Decimal = setting(Decimal("0.20"), between(0, 10))
    prepay_shortfall_cap: Decimal = setting(Decimal("10000.00"), at_least(0))


@dataclass(frozen=True, slots=True)
class Ma:
    """Manager approval (MA)."""

    auto_sign_pass: bool = setting(False)


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Deadlines of the problem log and the KPI targets."""

    st_working_days: int = setting(1, at_least(0))
    shipping_target_hours: int = setting(24, above(0))
    shipping_breach_hours: int = setting(48, above(0))
    shipping_accuracy_target: Decimal = setting(Decimal("0.98"), between(0, 1))
    shipping_24h_target: Decimal = setting(Decimal("1.00"), between(0, 1))
    op_same_day_target: Decimal = setting(Decimal("1.00"), between(0, 1))
    collection_target: Decimal = setting(Decimal("0.90"), between(0, 1))
    collection_window_days: int = setting(5, at_least(0))
    op_same_day: bool = setting(True)

    def conflicts(self) -> Iterable[tuple[str, str]]:
        if self.shipping_breach_hours < self.shipping_target_hours:
            yield ("shipping_breach_hours",
                   f"must not be less than shipping_target_hours ({self.shipping_target_hours})")


@dataclass(frozen=True, slots=True)
class Receivables:
    """Ageing of open receivables."""

    ageing_buckets: tuple[int, ...] = setting((30, 60, 90, 180), increasing_days)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The half-year reconciliation."""

    period_ends: tuple[str, ...] = setting(("06-30", "12-31"), period_ends)
    date_window_days: int = setting(3, at_least(0))
    reply_days: int = setting(15, at_least(1))

    def period(self, label: str) -> tuple[dt.date, dt.date] | None:
        """``2026H1`` -> (2026-01-01, 2026-06-30) with the configured first-half end; None if not a period."""
        m = re.fullmatch(r"(\d{4})\s*[Hh]([12])", label.strip())
        if not m:
            return None
        year, half = int(m[1]), int(m[2])
        month, day = map(int, self.period_ends[0].split("-"))
        first_end = dt.date(year, month, day)
        if half == 1:
            return dt.date(year, 1, 1), first_end
        return first_end + dt.timedelta(days=1), dt.date(year, 12, 31)

    def period_of(self, day: dt.date) -> str:
        """The label of the period holding ``day``."""
        start, end = self.period(f"{day.year}H1")
        return f"{day.year}H1" if day <= end else f"{day.year}H2"


@dataclass(frozen=True, slots=True)
class Calendar:
    """Overrides of the Chinese working-day calendar, for years the installed data lacks."""

    holidays: tuple[dt.date, ...] = setting((), distinct_dates)
    workdays: tuple[dt.date, ...] = setting((), distinct_dates)

    def conflicts(self) -> Iterable[tuple[str, str]]:
        for day in self.workdays:
            if day in self.holidays:
                yield ("workdays", f"{day} is also listed in holidays")


@dataclass(frozen=True, slots=True)
class People:
    """Named people with a role of their own."""

    secretaries: tuple[str, ...] = setting(("王丽娜", "陈晓燕", "刘婷"), names)


@dataclass(frozen=True, slots=True)
class Roles:
    """One ``[roles.CODE]`` table: who handles the orders of market CODE."""

    code: str
    csr: str = setting(check=nonblank)
    scr: str = setting(check=nonblank)
    bcr: str = setting(check=nonblank)


SECTIONS: Mapping[str, type] = {"general": General, "intake": Intake, "slt": Slt, "qc": Qc, "quota": Quota,
                                "credit": Credit, "ma": Ma, "deadlines": Deadlines, "receivables": Receivables,
                                "reconciliation": Reconciliation, "calendar": Calendar, "people": People}
TOP_LEVEL = ("general", "intake", "markets", "slt", "qc", "quota", "credit", "ma", "deadlines", "receivables",
             "reconciliation", "calendar", "roles", "people")


@dataclass(frozen=True, slots=True)
class Settings:
    general: General = field(default_factory=General)
    intake: Intake = field(default_factory=Intake)
    markets: tuple[Market, ...] = ()
    slt: Slt = field(default_factory=Slt)
    qc: Qc = field(default_factory=Qc)
    quota: Quota = field(default_factory=Quota)
    credit: Credit = field(default_factory=Credit)
    ma: Ma = field(default_factory=Ma)
    deadlines: Deadlines = field(default_factory=Deadlines)
    receivables: Receivables = field(default_factory=Receivables)
    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    calendar: Calendar = field(default_factory=Calendar)
    roles: tuple[Roles, ...] = ()           # one per market, in the order of ``markets``
    people: People = field(default_factory=People)

    def market(self, label: object) -> Market | None:
        """The market named by its code, Chinese (simplified or traditional) or English name."""
        if not isinstance(label, str) or not label.strip():
            return None
        key = _norm(label)
        return next((m for m in self.markets if key in (_norm(m.code), _norm(m.zh), _norm(m.en))), None)

    def roles_of(self, market: object) -> Roles | None:
        """CSR, SCR and BCR of the market named by ``market`` (any label), or None if it is unknown."""
        found = self.market(market)
        return next((r for r in self.roles if found and r.code == found.code), None)

    def market_choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(key=m.code, zh=m.zh, en=m.en) for m in self.markets)

    def region_known(self, market: str | None, region: str) -> bool:
        """Whether ``region`` belongs to ``market`` (any label); to any market if that is unknown."""
        found = self.market(market)
        return any(m.has_region(region) for m in ((found,) if found else self.markets))

    def today(self) -> dt.date:
        return dt.datetime.now(ZoneInfo(self.general.timezone)).date()


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
        self.lines = _line_index(text)
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
        self.problem("wrong type for", path, f"expected {expected}, got {_describe(value)}")

    def table(self, cls: type, raw: Mapping[str, Any], path: tuple[str, ...], **extra: Any) -> Any:
        """An instance of ``cls`` from one TOML table, or None when a key is missing or bad."""
        declared = {f.name: f for f in fields(cls) if "check" in f.metadata}
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
            try:
                value = _convert(f.type, raw[name])
            except TypeError:
                self.wrong_type((*path, name), _EXPECTED[f.type], raw[name])
                ok = False
                continue
            except ValueError as exc:
                self.problem("invalid value for", (*path, name), str(exc))
                ok = False
                continue
            if (detail := f.metadata["check"] and f.metadata["check"](value)):
                self.problem("invalid value for", (*path, name), f"{detail} (got {_show(value)})")
                ok = False
            values[name] = value
        if not ok:
            return None
        made = cls(**extra, **values)
        for key, detail in getattr(made, "conflicts", lambda: ())():
            self.problem("invalid value for", (*path, key), detail)
            ok = False
        return made if ok else None

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
                owner = names.setdefault(_norm(name), m.code)
                if owner != m.code:
                    self.problem("duplicate market name", ("markets", m.code, key),
                                 f"'{name}' already names market {owner}")
            seen: set[str] = set()
            for region in m.regions:
                owner = regions.setdefault(_norm(region), m.code)
                if owner != m.code or _norm(region) in seen:
                    detail = f"already a region of market {owner}" if owner != m.code else "listed twice"
                    self.problem("duplicate region in", ("markets", m.code, "regions"), f"'{region}' is {detail}")
                seen.add(_norm(region))


_CODE = re.compile(r"[A-Z][A-Z0-9]*")
_EXPECTED = {"str": "a string", "int": "an integer", "bool": "true or false",
             "Decimal": "a number (e.g. 0.20 or \"0.20\")", "tuple[str, ...]": "a list of strings",
             "tuple[int, ...]": "a list of whole numbers",
             "tuple[dt.date, ...]": "a list of dates (e.g. [\"2027-10-01\"] or [2027-10-01])"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _convert(kind: str, value: Any) -> Any:
    """``value`` as the declared type; TypeError when it is not one."""
    if kind == "bool" and isinstance(value, bool):
        return value
    if isinstance(value, bool):
        raise TypeError(kind)
    if kind == "str" and isinstance(value, str):
        return value.strip()
    if kind == "int" and isinstance(value, int):
        return value
    if kind == "Decimal" and isinstance(value, int | float | str):
        try:
            number = Decimal(str(value).strip())     # via str(): 0.2 stays 0.2, not its binary float
        except InvalidOperation:
            raise TypeError(kind) from None
        if number.is_finite():
            return number
    if kind == "tuple[str, ...]" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value)
    if kind == "tuple[int, ...]" and isinstance(value, list) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        return tuple(value)
    if kind == "tuple[dt.date, ...]" and isinstance(value, list):
        return tuple(_date(v) for v in value)
    raise TypeError(kind)


def _date(value: Any) -> dt.date:
    """A TOML date, or an ISO date string; TypeError for anything else, ValueError for a non-date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise TypeError("date")
    text = value.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"\"{value}\" is not a real date") from None
    raise ValueError(f"\"{value}\" is not a date written as YYYY-MM-DD")


def _describe(value: object) -> str:
    toml_type = {bool: "boolean", int: "integer", float: "float", str: "string",
                 list: "array", dict: "table"}.get(type(value), "date/time")
    return toml_type if isinstance(value, dict) else f"{toml_type} {_show(value)}"


def _show(value: object) -> str:
    """A value as it would be written in TOML."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_show, value)) + "]"
    return str(value)


@lru_cache(maxsize=4096)
def _norm(text: object) -> str:
    """Comparison key: simplified characters, no surrounding space, case-folded."""
    return simplified(str(text).strip()).casefold()


_HEADER = re.compile(r"\s*\[\[?([^\[\]]+)\]\]?\s*(?:#.*)?$")
_PART = r"(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
_KEY = re.compile(rf"\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")


def _line_index(text: str) -> dict[tuple[str, ...], int]:
    """First line of every table header and key path (and their prefixes); best effort."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        if match := _HEADER.match(line):
            table = path = _split(match[1])
        elif match := _KEY.match(line):
            path = table + _split(match[1])
        else:
            continue
        for i in range(1, len(path) + 1):
            lines.setdefault(path[:i], number)
    return lines


def _split(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in dotted.split("."))
