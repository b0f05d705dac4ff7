"""Where each table header and key of a rules.toml text stands, so problems can name its line."""

from __future__ import annotations

import re

_HEADER = re.compile(r"\s*\[\[?([^\[\]]+)\]\]?\s*(?:#.*)?$")
_PART = r"(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
_KEY = re.compile(rf"\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")


def line_index(text: str) -> dict[tuple[str, ...], int]:
    """First line of every table header and key path (and their prefixes); best effort.

    The n-th table of an array of tables (``[[a.b]]``) is the path ``("a", "b[n]")``.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    arrays: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if match := _HEADER.match(line):
            table = path = _split(match[1])
            if line.lstrip().startswith("[["):      # the n-th table of an array: a.b[n]
                lines.setdefault(path, number)
                arrays[path] = arrays.get(path, 0) + 1
                table = path = (*path[:-1], f"{path[-1]}[{arrays[path]}]")
        elif match := _KEY.match(line):
            path = table + _split(match[1])
        else:
            continue
        for i in range(1, len(path) + 1):
            lines.setdefault(path[:i], number)
    return lines


def _split(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in dotted.split("."))
