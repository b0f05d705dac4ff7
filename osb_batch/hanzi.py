"""Simplified/Traditional Chinese conversion (zhconv), imported without its pkg_resources cost.

zhconv reads its dictionary through ``pkg_resources`` when that imports, which costs more
start-up time than the whole conversion; without it, zhconv reads the same file directly.
"""

from __future__ import annotations

import sys

if "zhconv" not in sys.modules and "pkg_resources" not in sys.modules:
    sys.modules["pkg_resources"] = None      # makes zhconv take its plain-file branch
    try:
        import zhconv
    finally:
        del sys.modules["pkg_resources"]
else:
    import zhconv


def simplified(text: str) -> str:
    return zhconv.convert(text, "zh-hans")


def traditional(text: str) -> str:
    return zhconv.convert(text, "zh-hant")
