"""Cell values as staff type them -> typed values, or :class:`Invalid` with a rule slug.

Pure functions: no files, no workbooks, no business rules. :func:`converter` builds one closure
per field, checked once per column and then called for every cell, so the common case (a float
for money, a str for a code, a ``datetime.date`` for a date) takes a short path and only text
falls into the slower parsing. The converters of each type live with their kind of value --
:mod:`.cell_text`, :mod:`.cell_numbers`, :mod:`.cell_dates`, :mod:`.cell_choices` -- each in its
module's ``BUILDERS``; this module puts them together and is the reading package's one entry
to cell values.
"""

from __future__ import annotations

from collections.abc import Callable

from osb_batch.catalogue import Field

from . import cell_choices, cell_dates, cell_numbers, cell_text
from .cell_numbers import check_range, range_text
from .cell_text import LIST_SEPARATORS, Invalid, display, formula_error, is_blank, normalize_label

__all__ = ["Invalid", "normalize_label", "is_blank", "converter", "check_range", "range_text", "display"]

_BUILDERS: dict[str, Callable[[bool], Callable[[object], object]]] = {
    **cell_text.BUILDERS, **cell_numbers.BUILDERS, **cell_dates.BUILDERS, **cell_choices.BUILDERS}


def converter(field: Field, *, date1904: bool = False) -> Callable[[object], object]:
    """A function turning one non-blank cell value (as python-calamine gives it) into the field's
    typed value, raising :class:`Invalid` when it is not one."""
    if field.type == "enum":
        element = cell_choices.enum_converter(field)
    else:
        try:
            element = _BUILDERS[field.type](date1904)
        except KeyError:
            raise ValueError(f"field {field.key!r} has unknown type {field.type!r}") from None
    if not field.list:
        return element
    split = LIST_SEPARATORS.split

    def many(value):
        if isinstance(value, str):
            formula_error(value)
            return tuple(element(part) for part in split(value) if not is_blank(part))
        return (element(value),)
    return many
