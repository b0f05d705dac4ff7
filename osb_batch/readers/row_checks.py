"""Row rules and references: pure functions from read rows (and known master data) to findings.

Field rules (type, allowed values, range) are applied while reading; this module adds what
needs a whole row or a whole file (required fields, conditional requirements, blank keys,
duplicate keys) and what needs the ledger (unknown customer, product, region).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter

from osb_batch.catalogue import Catalogue, Form
from osb_batch.findings import Cap, finding
from osb_batch.text_keys import Matcher

from .cell_values import display
from .workbook import ReadResult, Row, Table

MASTER_FORMS = ("customers", "products")


@dataclass(slots=True)
class Known:
    """Master data the references are checked against: the ledger plus this run's files."""

    customers: set[str] = field(default_factory=set)
    products: set[str] = field(default_factory=set)
    product_groups: set[str] = field(default_factory=set)
    #: (market, region) -> the configured spelling of the region, None when it is not the market's
    region_named: Callable[[str | None, str], str | None] = lambda market, region: region
    #: (market, region) -> the params of an unknown-region finding (the market's name, a hint)
    region_hint: Callable[[str | None, str], dict] = lambda market, region: {}

    def add_master(self, results: Iterable[ReadResult]) -> None:
        for result in results:
            if result.form == "customers":
                self.customers |= {r.values["customer_code"] for _, r in result.rows
                                   if r.ok and r.values.get("customer_code")}
            elif result.form == "products":
                for _, r in result.rows:
                    if r.ok and r.values.get("product_code"):
                        self.products.add(r.values["product_code"])
                        if r.values.get("product_group"):
                            self.product_groups.add(r.values["product_group"])


def _flag(result: ReadResult, table: Table, row: Row, rule: str, key: str, form: Form, cap: Cap | None,
          **params):
    row.errors += 1
    value = row.values.get(key)
    if cap is not None and not cap.allows(result.file, rule, value, table.sheet, key):
        return
    f = form.field(key)
    params = {"label": f.zh, "label_en": f.en, **params}
    result.findings.append(finding(
        rule, file=result.file, form=form.key, sheet=table.sheet, row=row.number,
        column=table.columns.get(key, 0), cell=table.cell(row, key), field=key,
        value="" if value is None else display(value), **params))


#: Forms whose repeated key is the run's business, not a cell error: domain.md says a bank
#: reference or invoice number seen before is a duplicate, warned about and never applied twice,
#: whether it was seen in an earlier file or a row above (see receipts.py, receivables.py).
DUPLICATES_WARNED_WHEN_APPLIED = frozenset({"bank_receipts", "invoices"})


def check_rows(result: ReadResult, form: Form, cap: Cap | None = None) -> None:
    """Required fields, conditional requirements, blank keys and duplicate keys."""
    required = [f.key for f in form.required]
    conditional = [f for f in form.fields if f.required_when]
    key_fields = form.row_key
    required_keys = [form.field(k) for k in key_fields if form.field(k).required]
    key_labels = {"label": "、".join(form.field(k).zh for k in key_fields),
                  "label_en": ", ".join(form.field(k).en for k in key_fields)}
    check_keys = bool(key_fields) and form.key not in DUPLICATES_WARNED_WHEN_APPLIED
    key_of = _getter(key_fields)
    first_seen: dict[tuple, Row] = {}      # key -> the row it was first seen in
    for table, row in result.rows:
        values = row.values
        invalid = row.invalid or ()
        missing = [k for k in required if values[k] is None and k not in invalid]
        keys_blank = bool(missing) and bool(required_keys) and all(
            values[f.key] is None and f.key not in invalid for f in required_keys)
        if keys_blank and any(v is not None for v in values.values()):
            _flag(result, table, row, "key-blank", key_fields[0], form, cap,
                  label="、".join(f.zh for f in required_keys),
                  label_en=", ".join(f.en for f in required_keys))
            continue
        for key in missing:
            _flag(result, table, row, "required-missing", key, form, cap)
        for f in conditional:
            other, wanted = f.required_when
            if values.get(other) == wanted and values.get(f.key) is None:
                o = form.field(other)
                choice = next((c.zh for c in o.choices if c.key == wanted), wanted)
                _flag(result, table, row, "required-when", f.key, form, cap,
                      other_label=o.zh, other_value=choice)
        if check_keys and not keys_blank:
            first = first_seen.setdefault(key_of(values), row)
            if first is not row:
                where = str(first.number) if len(result.tables) == 1 else f"{first.sheet}!{first.number}"
                _flag(result, table, row, "duplicate-key", key_fields[0], form, cap, first=where, **key_labels)


def _getter(keys: tuple[str, ...]):
    """values -> the tuple of ``keys``' values (a tuple also for one key)."""
    if len(keys) == 1:
        return lambda values: (values[keys[0]],)
    return itemgetter(*keys)


def check_references(result: ReadResult, form: Form, known: Known, cap: Cap | None = None) -> None:
    """Unknown customers, products, product groups and regions.

    A code that is a known one but for width and spaces (``Ｃ１０１``, ``C 101``), or a region
    written with its administrative suffix (``河南省``), is read as the known one with an info
    line; any other unknown code is refused with the known codes it is close to (``c101`` ->
    ``C101``: codes keep their case), an unknown region with its market's name and where it
    belongs."""
    refs = [(f.key, f.ref) for f in form.fields if f.ref in {"customers", "products",
                                                              "products_or_groups", "regions"}]
    if not refs:
        return
    matchers = _Matchers(known)
    told: set[tuple[str, object]] = set()      # (field, value) already said to be read as another
    for table, row in result.rows:
        for key, ref in refs:
            value = row.values.get(key)
            if value is None or (ref == "customers" and form.key == "customers"):
                continue
            if ref == "regions":
                _check_region(result, table, row, key, form, known, cap, told)
                continue
            matcher = matchers[ref]
            if value in matcher:
                continue
            named = matcher.resolve(value)
            if named is not None:
                _normalise(result, table, row, key, form, named, told)
                continue
            rule = "unknown-customer" if ref == "customers" else "unknown-product"
            _flag(result, table, row, rule, key, form, cap, **_suggestion(matcher.suggest(value)))


class _Matchers(dict):
    """Reference kind -> a :class:`~osb_batch.text_keys.Matcher` of the known codes, built on first use."""

    def __init__(self, known: Known):
        super().__init__()
        self.known = known

    def __missing__(self, ref: str) -> Matcher:
        k = self.known
        codes = {"customers": k.customers, "products": k.products,
                 "products_or_groups": k.products | k.product_groups}[ref]
        made = self[ref] = Matcher(codes)
        return made


def _suggestion(close: tuple[str, ...]) -> dict[str, str]:
    if not close:
        return {}
    return {"hint_zh": "，是否应为" + "、".join(f"“{c}”" for c in close) + "？",
            "hint_en": "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"}


def _check_region(result: ReadResult, table: Table, row: Row, key: str, form: Form, known: Known,
                  cap: Cap | None, told: set) -> None:
    market, value = row.values.get("market"), row.values[key]
    named = known.region_named(market, value)
    if named is None:
        _flag(result, table, row, "unknown-region", key, form, cap, **known.region_hint(market, value))
    elif named != value:
        _normalise(result, table, row, key, form, named, told)


def _normalise(result: ReadResult, table: Table, row: Row, key: str, form: Form, named: str, told: set) -> None:
    """Read the cell as the known spelling ``named``; say so once per field and spelling in a file."""
    value = row.values[key]
    row.values[key] = named
    if (key, value) in told:
        return
    told.add((key, value))
    f = form.field(key)
    result.findings.append(finding(
        "value-normalised", file=result.file, form=form.key, sheet=table.sheet, row=row.number,
        column=table.columns.get(key, 0), cell=table.cell(row, key), field=key,
        value=display(value), label=f.zh, label_en=f.en, named=named))


def validate(results: list[ReadResult], catalogue: Catalogue, known: Known, cap: Cap | None = None) -> None:
    """Apply row rules to every readable result, then references with this run's master data.

    With a ``cap`` (a caller that only lists findings), findings of one rule and file beyond it
    are counted by the cap instead of built.
    """
    for result in results:
        if result.form and result.tables:
            check_rows(result, catalogue[result.form], cap)
    known.add_master(results)
    for result in results:
        if result.form and result.tables:
            check_references(result, catalogue[result.form], known, cap)
