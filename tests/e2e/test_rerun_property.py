"""A second run changes nothing (issue 9; quality.md "Re-running a date changes nothing that is not new").

For random days — customers with credit limits or prepaid, overdue opening balances, tight region
quotas, bank receipts, orders, and on the next day more receipts, orders and signatures — written
as staff workbooks (:mod:`tests.support.random_day`):

- running a date twice gives the orders and problems of running it once: the second run's
  manifest lists exactly the first one's open orders and open problems, unchanged, and the
  ledger's orders are the same; the next day, run once or twice, too (an order released by that
  day's first run is judged by its state when the day began, so the second run opens no OP
  breach for it: see the last test);
- a run killed at a fault point (``daily.run._fault``) and run again ends where one run ends.

Hypothesis draws a few small days (``max_examples`` keeps the file near 30 s); the kill is
simulated in-process by raising at the fault point, and once for real in a subprocess
(``OSB_FAULT``) on a fixed day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osb_batch import settings as settings_mod
from osb_batch.daily import run as run_mod
from osb_batch.ledger import session
from osb_batch.settings import sections
from osb_batch.workspace import Home

from ..support.random_day import Customer, Day, Order, write_flow, write_master

DAY1, DAY2 = dt.date(2026, 11, 26), dt.date(2026, 11, 27)
CLOSED = ("PAID", "REJECTED", "REFUSED")
FAULTS = ("after-output-1", "after-output-3", "before-commit", "after-commit")
SETTINGS = settings_mod.load(None)
AMOUNTS = [Decimal(x) for x in ("500", "3000", "12000", "40000")]


#: under --ledger=postgresql: the server, and each working folder's settings naming its own database
SERVER: list = []
OWN: dict[Path, settings_mod.Settings] = {}


@pytest.fixture(autouse=True)
def _own_ledgers(request, monkeypatch):
    """Each working folder here has a ledger of its own: on PostgreSQL a database of its own, named
    in its settings, not the test's shared OSB_LEDGER_URL."""
    SERVER.clear()
    if os.environ.get("OSB_LEDGER_URL"):
        SERVER.append(request.getfixturevalue("pg_server"))
        monkeypatch.delenv("OSB_LEDGER_URL")


def own_ledger(root: Path) -> None:
    """Give the working folder at ``root`` a database of its own (on PostgreSQL only)."""
    if not SERVER:
        return
    OWN[root] = dataclasses.replace(SETTINGS, ledger=sections.Ledger(SERVER[0].fresh()))


def settings_of(home: Home) -> settings_mod.Settings:
    return OWN.get(home.root, SETTINGS)


class Killed(BaseException):
    """The process 'dies' at a fault point: nothing after it runs (finally blocks aside)."""


def make_home(root: Path) -> Home:
    home = Home(root)
    for folder in (home.inbox, home.outbox, home.archive, home.quarantine, home.state):
        folder.mkdir(parents=True, exist_ok=True)
    own_ledger(root)
    return home


def run(home: Home, day: dt.date) -> dict:
    return run_mod.run(home, settings_of(home), day).manifest


def killed_run(home: Home, day: dt.date, point: str, monkeypatch) -> bool:
    """Run with a kill at ``point``; whether it fired (a small day may write fewer outputs)."""
    def fault(at: str) -> None:
        if at == point:
            raise Killed(at)
    with monkeypatch.context() as patch:
        patch.setattr(run_mod, "_fault", fault)
        try:
            run(home, day)
        except Killed:
            return True
    return False


def ledger_orders(home: Home) -> list[tuple]:
    ledger = session.open_ledger(home, settings_of(home), readonly=True)
    try:
        return ledger.conn.execute("SELECT order_no, attempt, state, case_id, amount, note_no, reasons, figures "
                                   "FROM orders ORDER BY order_no, attempt").fetchall()
    finally:
        ledger.close()


def facts(manifest: dict) -> tuple[list, list]:
    return manifest["orders"], manifest["problems"]


def still_open(manifest: dict) -> tuple[list, list]:
    """What a run with nothing new must list: the open orders and problems, exactly as they were."""
    return ([o for o in manifest["orders"] if o["state"] not in CLOSED],
            [p for p in manifest["problems"] if p["status"] == "open"])


# random days -------------------------------------------------------------------------------------
def orders(prefix: str, n_customers: int, n_products: int, date: dt.date):
    line = st.tuples(st.integers(0, n_products - 1), st.integers(1, 20))
    rarely = st.integers(0, 7).map(lambda n: n == 7)           # an ST request now and then
    one = st.builds(lambda c, lines, st_: (c, tuple(dict(lines).items()), st_), st.integers(0, n_customers - 1),
                    st.lists(line, min_size=1, max_size=3), rarely if prefix == "SO" else st.just(False))
    return st.lists(one, min_size=3, max_size=10).map(
        lambda rows: [Order(f"{prefix}-{n + 1}", c, lines, st_, date) for n, (c, lines, st_) in enumerate(rows)])


@st.composite
def two_days(draw) -> tuple[Day, Day]:
    """Two days of a handful of customers: rich enough that each draw meets most paths (cut, fully
    cut, over limit, overdue, prepaid, covered by receipts, signed, refused)."""
    n_c, n_p = draw(st.integers(2, 6)), draw(st.integers(1, 3))
    customers = []
    for i in range(n_c):
        prepaid = draw(st.booleans())
        limit = Decimal(0) if prepaid else draw(st.sampled_from([Decimal(0), Decimal(5000), Decimal(30000)]))
        customers.append(Customer(f"R{i + 1:02d}", draw(st.integers(0, 2)), limit, prepaid))
    prices = [draw(st.sampled_from([Decimal("100"), Decimal("250.50"), Decimal("1000")])) for _ in range(n_p)]
    customer = st.integers(0, n_c - 1)
    receipts = st.lists(st.tuples(customer, st.sampled_from(AMOUNTS)), min_size=1, max_size=5)
    first = Day(customers, prices,
                region_quotas=draw(st.dictionaries(st.tuples(st.integers(0, 2), st.integers(0, n_p - 1)),
                                                   st.integers(0, 25), max_size=4)),
                customer_quotas=draw(st.dictionaries(st.tuples(customer, st.integers(0, n_p - 1)),
                                                     st.integers(0, 10), max_size=2)),
                receipts=draw(receipts),
                openings=draw(st.lists(st.tuples(customer, st.sampled_from(AMOUNTS), st.sampled_from([10, 60])),
                                       max_size=3)),
                orders=draw(orders("SO", n_c, n_p, DAY1)))
    signed = draw(st.lists(st.tuples(st.sampled_from(first.orders), st.booleans()), max_size=4,
                           unique_by=lambda a: a[0].order_no)) if first.orders else []
    second = Day(customers, prices, receipts=draw(receipts), orders=draw(orders("SP", n_c, n_p, DAY2)),
                 approvals=signed)
    return first, second


def homes(root: Path, first: Day, names: tuple[str, ...]) -> list[Home]:
    out = []
    for name in names:
        home = make_home(root / name)
        write_master(home.inbox, first, DAY1)
        write_flow(home.inbox, first, DAY1)
        out.append(home)
    return out


# properties --------------------------------------------------------------------------------------
#: Eight days per property, the same eight every time (no example database either): about 10 s each.
PROPERTY = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@PROPERTY
@given(days=two_days())
def test_running_a_date_twice_gives_what_running_it_once_gives(tmp_path_factory, days):
    first, second = days
    once, twice = homes(tmp_path_factory.mktemp("rerun"), first, ("once", "twice"))
    for day, flow in ((DAY1, None), (DAY2, second)):
        if flow is not None:
            for home in (once, twice):
                write_flow(home.inbox, flow, day, tag="-2")
        expected = run(once, day)
        assert facts(run(twice, day)) == facts(expected), day
        orders_again, problems_again = facts(run(twice, day))
        assert orders_again == still_open(expected)[0], f"a second run on {day} changed orders"
        assert problems_again == still_open(expected)[1], f"a second run on {day} changed problems"
        assert ledger_orders(twice) == ledger_orders(once), day


@PROPERTY
@given(days=two_days(), point=st.sampled_from(FAULTS))
def test_a_run_killed_at_any_point_and_run_again_ends_where_one_run_ends(tmp_path_factory, monkeypatch, days,
                                                                          point):
    first, _ = days
    once, killed = homes(tmp_path_factory.mktemp("kill"), first, ("once", "killed"))
    expected = run(once, DAY1)
    fired = killed_run(killed, DAY1, point, monkeypatch)
    again = run(killed, DAY1)
    committed = not fired or point == "after-commit"
    assert facts(again) == (still_open(expected) if committed else facts(expected))
    assert ledger_orders(killed) == ledger_orders(once)


def test_a_real_kill_before_and_after_the_commit_then_a_run_end_where_one_run_ends(tmp_path, osb):
    from ..support.random_day import draw_day
    day = draw_day(3, customers=12, products=10, lines=60)
    once = make_home(tmp_path / "once")
    if osb.url:                               # the fixture's folder keeps the database it was made with
        OWN[osb.home] = dataclasses.replace(SETTINGS, ledger=sections.Ledger(osb.url))
    for inbox in (once.inbox, osb.inbox):
        write_master(inbox, day, DAY1)
        write_flow(inbox, day, DAY1)
    expected = run(once, DAY1)
    for point in ("before-commit", "after-commit"):
        killed = osb.subprocess("run", "--date", DAY1.isoformat(), env={"OSB_FAULT": point})
        assert killed.returncode == 137, killed.stderr
        if point == "before-commit":
            assert any(osb.inbox.iterdir()), "nothing was committed: the inbox is untouched"
    again = osb.run(DAY1.isoformat())
    assert again["run"] == 2
    assert facts(again) == still_open(expected)
    assert ledger_orders(Home(osb.home)) == ledger_orders(once)
    first = json.loads((osb.home / "outbox" / DAY1.isoformat() / "run-01" / "manifest.json").read_text("utf-8"))
    assert facts(first) == facts(expected)



def test_an_order_released_by_todays_receipts_opens_no_deadline_on_a_second_run_today(tmp_path):
    r01 = [Customer("R01", 0, Decimal(30000), False)]
    waiting = Day(r01, [Decimal(100)], openings=[(0, Decimal(500), 60)], orders=[Order("SO-1", 0, ((0, 10),))])
    (home,) = homes(tmp_path, waiting, ("home",))
    assert [(o["state"], o["case"]) for o in run(home, DAY1)["orders"]] == [("PREPAY_REQUIRED", "5-4")]
    write_flow(home.inbox, Day(r01, [Decimal(100)], receipts=[(0, Decimal(5000))]), DAY2, tag="-2")
    released = run(home, DAY2)
    assert [(o["state"], o["case"]) for o in released["orders"]] == [("AWAITING_SIGNATURE", "5-7a")]
    assert facts(run(home, DAY2)) == still_open(released)
