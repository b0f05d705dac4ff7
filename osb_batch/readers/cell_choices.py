"""Yes/no and choice cells: booleans as staff write them, and an enum's labels -> its key."""

from __future__ import annotations

from collections.abc import Callable

from osb_batch.catalogue import Field

from .cell_text import BUILDERS as TEXT_BUILDERS
from .cell_text import Invalid, clean, formula_error, normalize_label, to_text

_TRUE = frozenset({"是", "y", "yes", "true", "1", "1.0", "√", "✓", "✔", "对", "t", "相符", "一致"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "0.0", "×", "✗", "✘", "x", "错", "f", "不符", "不相符", "不一致"})


def _boolean(date1904: bool) -> Callable[[object], object]:
    def boolean(value):
        t = type(value)
        if t is bool:
            return value
        if t is str:
            s = clean(value)
            if s in _TRUE:
                return True
            if s in _FALSE:
                return False
            formula_error(value)
        elif t is int or t is float:
            if value == 1:
                return True
            if value == 0:
                return False
        raise Invalid("invalid-boolean")
    return boolean


BUILDERS: dict[str, Callable[[bool], Callable[[object], object]]] = {"boolean": _boolean}


def enum_converter(field: Field) -> Callable[[object], object]:
    """Any label of a choice (key, Chinese or English, loosely compared) -> the choice's key."""
    if not field.choices:
        # choices_from not resolved (no rules.toml in hand): pass the text on; validate checks it
        return TEXT_BUILDERS["text"](False)
    index: dict[str, str] = {}
    for choice in field.choices:
        for label in (choice.key, choice.zh, choice.en):
            if label:
                index.setdefault(normalize_label(label), choice.key)
    allowed = "/".join(c.zh for c in field.choices)

    def enum(value):
        if isinstance(value, str):
            formula_error(value)
            key = index.get(normalize_label(value))
        else:
            key = index.get(normalize_label(to_text(value)))
        if key is None:
            raise Invalid("invalid-choice", allowed=allowed)
        return key
    return enum
