"""The forms catalogue: every standard form as data, loaded from ``forms.toml``.

A form is declared once; templates, the reader, validation and the ``forms`` command are all
derived from that declaration. Adding a form is an edit to ``forms.toml``, not new code.
This module knows nothing of files, workbooks or business rules.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from importlib import resources

TYPES = frozenset({
    "text", "code", "integer", "money", "quantity", "date", "datetime",
    "month", "period", "quarter", "boolean", "enum",
})
KINDS = ("input", "output", "other")
PERIOD_KINDS = ("week", "month", "quarter", "year")
REFERENCES = frozenset({"customers", "products", "products_or_groups", "markets", "regions"})


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed value of an enum field: canonical key plus its labels."""

    key: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    zh: str
    en: str
    type: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    choices_from: str = ""          # enum values supplied by rules.toml (e.g. "markets")
    min: Decimal | None = None
    max: Decimal | None = None
    min_exclusive: bool = False
    required_when: tuple[str, str] | None = None   # (other field key, enum key)
    ref: str = ""                   # reference checked against the ledger
    list: bool = False              # `;`-separated list of values
    example: object = None
    note: str = ""                  # 填写说明 for this field
    width: int = 0

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.zh, self.en, self.key)

    def header(self) -> str:
        """The template's header text: the Chinese label, marked `*` when required."""
        return f"{self.zh}*" if self.required else self.zh


@dataclass(frozen=True, slots=True)
class Form:
    key: str
    zh: str
    en: str
    kind: str
    fields: tuple[Field, ...]
    row_key: tuple[str, ...] = ()
    acts: bool = False
    note: str = ""
    _by_key: Mapping[str, Field] = field(default_factory=dict, compare=False, repr=False)
    person_field: str = ""          # whose row it is (staff, salesperson, owner ...), for what people send
    period_field: str = ""          # which period the row covers (week_start, month ...)
    period_kind: str = ""           # week | month | quarter | year; by the period field's type when blank

    def field(self, key: str) -> Field:
        return self._by_key[key]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def names(self) -> tuple[str, ...]:
        """Names a sheet may carry for this form (identification by sheet name)."""
        return (self.key, self.zh, self.en)


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: str
    forms: Mapping[str, Form]

    def __getitem__(self, key: str) -> Form:
        return self.forms[key]

    def __contains__(self, key: object) -> bool:
        return key in self.forms

    def __iter__(self):
        return iter(self.forms.values())

    def of_kind(self, kind: str) -> list[Form]:
        return [f for f in self.forms.values() if f.kind == kind]

    def with_choices(self, sources: Mapping[str, Iterable[Choice]]) -> Catalogue:
        """Resolve ``choices_from`` fields (e.g. markets from rules.toml) into concrete choices."""
        resolved = {name: tuple(values) for name, values in sources.items()}
        forms = {}
        for form in self.forms.values():
            fields = tuple(
                replace(f, choices=resolved[f.choices_from]) if f.choices_from in resolved else f
                for f in form.fields
            )
            forms[form.key] = replace(form, fields=fields, _by_key={f.key: f for f in fields})
        return Catalogue(self.version, forms)


class CatalogueError(ValueError):
    """forms.toml contradicts itself: a bug in the catalogue, caught at load time."""


def _form(key, zh, en, kind, fields, row_key, acts, note) -> Form:
    return Form(key, zh, en, kind, fields, tuple(row_key), acts, note, {f.key: f for f in fields})


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _field(raw: dict, form_key: str) -> Field:
    known = {"key", "zh", "en", "type", "required", "choices", "choices_from", "min", "max",
             "min_exclusive", "required_when", "ref", "list", "example", "note", "width"}
    where = f"{form_key}.{raw.get('key', '?')}"
    if unknown := set(raw) - known:
        raise CatalogueError(f"{where}: unknown attribute(s) {sorted(unknown)}")
    if raw.get("type") not in TYPES:
        raise CatalogueError(f"{where}: type {raw.get('type')!r} is not one of {sorted(TYPES)}")
    if raw.get("ref", "") and raw["ref"] not in REFERENCES:
        raise CatalogueError(f"{where}: ref {raw['ref']!r} is not one of {sorted(REFERENCES)}")
    choices = tuple(Choice(*c) for c in raw.get("choices", ()))
    if raw["type"] == "enum" and not choices and not raw.get("choices_from"):
        raise CatalogueError(f"{where}: an enum needs choices or choices_from")
    when = raw.get("required_when")
    return Field(
        key=raw["key"], zh=raw["zh"], en=raw["en"], type=raw["type"],
        required=bool(raw.get("required", False)), choices=choices,
        choices_from=raw.get("choices_from", ""), min=_decimal(raw.get("min")),
        max=_decimal(raw.get("max")), min_exclusive=bool(raw.get("min_exclusive", False)),
        required_when=(when["field"], when["value"]) if when else None,
        ref=raw.get("ref", ""), list=bool(raw.get("list", False)), example=raw.get("example"),
        note=raw.get("note", ""), width=int(raw.get("width", 0)),
    )


def parse(data: dict) -> Catalogue:
    """Build a catalogue from the parsed TOML document, checking it is self-consistent."""
    forms: dict[str, Form] = {}
    for raw in data["forms"]:
        key = raw["key"]
        if key in forms:
            raise CatalogueError(f"form {key!r} is declared twice")
        if raw.get("kind") not in KINDS:
            raise CatalogueError(f"{key}: kind must be one of {KINDS}")
        fields = tuple(_field(f, key) for f in raw["fields"])
        keys = [f.key for f in fields]
        if len(set(keys)) != len(keys):
            raise CatalogueError(f"{key}: a field key is declared twice")
        for rk in raw.get("row_key", ()):
            if rk not in keys:
                raise CatalogueError(f"{key}: row_key {rk!r} is not a field")
        for f in fields:
            if f.required_when and f.required_when[0] not in keys:
                raise CatalogueError(f"{key}.{f.key}: required_when names an unknown field")
        for attr in ("person_field", "period_field"):
            if raw.get(attr) and raw[attr] not in keys:
                raise CatalogueError(f"{key}: {attr} {raw[attr]!r} is not a field")
        if raw.get("period_kind", "week") not in PERIOD_KINDS:
            raise CatalogueError(f"{key}: period_kind must be one of {PERIOD_KINDS}")
        forms[key] = replace(_form(key, raw["zh"], raw["en"], raw["kind"], fields,
                                   raw.get("row_key", ()), raw.get("acts", False), raw.get("note", "")),
                             person_field=raw.get("person_field", ""), period_field=raw.get("period_field", ""),
                             period_kind=raw.get("period_kind", ""))
    return Catalogue(str(data["version"]), forms)


@cache
def load() -> Catalogue:
    """The catalogue shipped with the package (``osb_batch/forms.toml``)."""
    text = resources.files("osb_batch").joinpath("forms.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text))
