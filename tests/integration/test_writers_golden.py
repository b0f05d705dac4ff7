"""The list-sheet workbooks against golden files: every cell's value and look, in both languages.

The wording (titles, tallies, state labels, headers) is checked here, once, as normalised cell
dumps under ``tests/golden/writers/``; the other writer tests assert structure. A dump changes
only on purpose: ``pytest --update-golden`` rewrites the files instead of comparing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from osb_batch.writers.delivery_notes import write_delivery_notes
from osb_batch.writers.exceptions import write_exceptions
from osb_batch.writers.kpi import write_kpi
from osb_batch.writers.notices import write_um_notices
from osb_batch.writers.pool import write_pool
from osb_batch.writers.problems import write_problem_log
from osb_batch.writers.receivables import write_receivables
from osb_batch.writers.register import write_order_register

from ..support.golden import dump_workbook
from .test_writers_exceptions import _findings
from .test_writers_orders import _notes, _orders
from .test_writers_receivables import _pool, _report
from .test_writers_reports import _figures, _notices, _problems

DAY = dt.date(2026, 11, 26)
VERSION = "2026.1"
WRITERS: dict[str, Callable[[Path, str], None]] = {
    "exceptions": lambda out, lang: write_exceptions(_findings(), out, lang=lang, version=VERSION,
                                                     title_date=DAY.isoformat()),
    "um_notices": lambda out, lang: write_um_notices(_notices(), out, business_date=DAY, lang=lang,
                                                     version=VERSION),
    "problem_log": lambda out, lang: write_problem_log(_problems(), out, business_date=DAY, lang=lang,
                                                       version=VERSION),
    "kpi": lambda out, lang: write_kpi(_figures(), out, business_date=DAY, lang=lang, version=VERSION),
    "order_register": lambda out, lang: write_order_register(_orders(), out, business_date=DAY, lang=lang,
                                                             version=VERSION),
    "delivery_notes": lambda out, lang: write_delivery_notes(_notes(), out, business_date=DAY, lang=lang,
                                                             version=VERSION),
    "receivables": lambda out, lang: write_receivables(_report(), out, lang=lang, version=VERSION),
    "receipts_pool": lambda out, lang: write_pool(_pool(), out, lang=lang, version=VERSION),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("form", sorted(WRITERS))
def test_list_workbook_matches_its_golden_dump(tmp_path, golden, form, lang):
    out = tmp_path / f"{form}.xlsx"
    WRITERS[form](out, lang)
    golden(f"writers/{form}-{lang}", dump_workbook(out))
