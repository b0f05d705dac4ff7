"""The demo week's outputs, cell by cell, against the golden files in ``tests/golden/demo_week/``.

``osb-batch demo --days 5 --date 2026-11-26`` then ``osb-batch reconcile --period 2026H2 --date
2026-12-01``, both through the CLI. The golden set is the part of the outbox a reviewer can read
(about 320 KB of dumps, 42 files), chosen so that every writer appears at least once:

* every day: manifest.json, the exceptions list (异常清单), the order register (订单备忘录), the
  approval workbooks (待审批单-*), the delivery notes (送货单) and the KPI workbook (OSB指标);
* the receivables workbook (应收款记录) of the first and the last day;
* the receipts pool (到款池) of days 1 and 2; the returned copy of day 1's orders (退回修改件-订单);
* the reconciliation: its manifest.json, the summary workbook (对账汇总) and the statements of
  C002 and C003.

Left out: the unit managers' notices, the problem log, the HTML summaries, the other returned
copies, receipts pools and statements. Regenerate with ``pytest --update-golden`` after a change
that is meant to change what people see, and read the diff before committing it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..conftest import copy_of
from ..support.golden import dump_file

DAYS = [f"2026-11-{d}" for d in range(26, 31)]
EVERY_DAY = ("manifest.json", "异常清单-", "订单备忘录-", "待审批单-", "送货单-", "OSB指标-")
RECONCILIATION = "对账-2026H2"
CHOSEN = [
    *(rf"{day}/run-01/{re.escape(name)}" for day in DAYS for name in EVERY_DAY),
    *(rf"{day}/run-01/应收款记录-" for day in (DAYS[0], DAYS[-1])),
    *(rf"{day}/run-01/到款池-" for day in DAYS[:2]),
    rf"{DAYS[0]}/run-01/退回修改件-订单-",
    rf"{RECONCILIATION}/manifest\.json$",
    rf"{RECONCILIATION}/对账汇总-",
    rf"{RECONCILIATION}/对账单-2026H2-C00[23]-",
]


@pytest.fixture(scope="module")
def outbox(demo_week, tmp_path_factory) -> Path:
    osb = copy_of(demo_week[0], tmp_path_factory.mktemp("golden-week") / "work")
    osb("reconcile", "--period", "2026H2", "--date", "2026-12-01")
    return osb.home / "outbox"


def chosen(outbox: Path) -> list[str]:
    names = sorted(p.relative_to(outbox).as_posix() for p in outbox.rglob("*") if p.is_file())
    return [n for n in names if any(re.match(pattern, n) for pattern in CHOSEN)]


def test_the_golden_set_names_every_kind_of_output(outbox):
    names = chosen(outbox)
    assert len([n for n in names if n.endswith("manifest.json")]) == len(DAYS) + 1
    for kind in ("异常清单", "订单备忘录", "待审批单", "送货单", "OSB指标", "应收款记录", "到款池", "退回修改件",
                 "对账汇总", "对账单"):
        assert any(f"/{kind}" in n for n in names), kind


def test_the_week_writes_the_outputs_listed_in_the_golden_index(outbox, golden):
    golden("demo_week/index", "".join(f"{name}\n" for name in chosen(outbox)))


def test_every_chosen_output_dumps_as_its_golden_file(outbox, golden):
    for name in chosen(outbox):
        golden(f"demo_week/{name}", dump_file(outbox / name))
