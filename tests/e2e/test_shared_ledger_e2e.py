"""Two working folders on one PostgreSQL ledger, running one after the other: every document
kept once, none lost, none doubled; a file one folder took is a duplicate in the other."""

from __future__ import annotations

import pytest

from ..conftest import CUSTOMER_HEADER, Osb, write_xlsx
from .test_orders_e2e import ORDER_HEADER, PRODUCTS, customer, order

pytestmark = pytest.mark.postgresql


@pytest.fixture
def two_sites(tmp_path, pg_server, monkeypatch) -> tuple[Osb, Osb]:
    monkeypatch.setenv("OSB_LEDGER_URL", pg_server.fresh())
    sites = Osb(tmp_path / "site-a"), Osb(tmp_path / "site-b")
    for site in sites:
        site("init", str(site.home))
    return sites


def orders_file(site: Osb, name: str, prefix: str, n: int, customer_code: str) -> None:
    write_xlsx(site.inbox / name, [ORDER_HEADER, *(order(f"{prefix}-{i}", customer_code, qty="1")
                                                   for i in range(1, n + 1))])


def test_two_folders_one_after_the_other_lose_and_double_nothing(two_sites):
    a, b = two_sites
    write_xlsx(a.inbox / "a-客户.xlsx", [CUSTOMER_HEADER, customer("C1", "华东", "上海", "1,000,000.00"),
                                         customer("C2", "华北", "北京", "1,000,000.00")])
    write_xlsx(a.inbox / "b-产品.xlsx", PRODUCTS)
    a.run("2026-11-25")
    orders_file(a, "订单-A1.xlsx", "SA", 5, "C1")
    orders_file(b, "订单-B1.xlsx", "SB", 7, "C2")
    taken_by_a = (a.inbox / "订单-A1.xlsx").read_bytes()
    first_a, first_b = a.run("2026-11-26"), b.run("2026-11-26")
    orders_file(a, "订单-A2.xlsx", "SC", 3, "C1")
    (b.inbox / "订单-A1.xlsx").write_bytes(taken_by_a)
    second_b, second_a = b.run("2026-11-26"), a.run("2026-11-26")
    assert [m["run"] for m in (first_a, first_b, second_b, second_a)] == [1, 2, 3, 4]
    assert {i["file"]: i["status"] for i in second_b["inputs"]} == {"inbox/订单-A1.xlsx": "duplicate"}
    with a.ledger() as db:
        orders = [no for (no,) in db.execute("SELECT order_no FROM orders ORDER BY order_no").fetchall()]
        notes = db.execute("SELECT COUNT(*), COUNT(DISTINCT note_no) FROM delivery_notes").fetchone()
        runs = db.execute("SELECT folder FROM runs ORDER BY id").fetchall()
    assert orders == sorted([f"SA-{i}" for i in range(1, 6)] + [f"SB-{i}" for i in range(1, 8)]
                            + [f"SC-{i}" for i in range(1, 4)])
    assert notes[0] == notes[1]
    assert len(runs) == len({r for (r,) in runs}) == 5
    for site in (a, b):
        assert not any(site.inbox.iterdir())
        assert not list((site.home / "state").glob("*.sqlite*"))
