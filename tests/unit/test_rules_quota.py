"""AC: one row per quota situation of domain.md step 4."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from osb_batch.rules.quota import QuotaKey, QuotaLine, QuotaPolicy, Transfer, allocate, fully_cut, record

MONTH = "2026-11"
UNLIMITED, ZERO_QUOTA = QuotaPolicy("unlimited"), QuotaPolicy("zero")


def ck(code="P1", customer="C1", region="上海", month=MONTH):
    return QuotaKey(month, "customer", "E", region, customer, code)


def rk(code="P1", region="上海", month=MONTH):
    return QuotaKey(month, "region", "E", region, "", code)


def ql(qty, order_no="SO-1", product="P1", group="G1", customer="C1", approved=False, line=0):
    return QuotaLine(order_no, line, MONTH, "E", "上海", customer, product, group, D(qty), approved)


def tr(qty, source, target, product="P1", group="G1"):
    return Transfer(MONTH, source, target, product, group, D(qty))


# quotas, transfers, taken, policy, lines, expected (status, granted, cut, over_quota) per line
CASES = [
    pytest.param({ck(): D(100), rk(): D(500)}, [], {}, UNLIMITED, [ql(60)], [("pass", 60, 0, 0)],
                 id="within quota passes"),
    pytest.param({ck(): D(100), rk(): D(500)}, [], {}, UNLIMITED, [ql(100)], [("pass", 100, 0, 0)],
                 id="exactly the quota passes"),
    pytest.param({ck(): D(100), rk(): D(500)}, [], {}, UNLIMITED, [ql(150)], [("cut", 100, 50, 0)],
                 id="over the customer quota is cut"),
    pytest.param({ck(): D(100), rk(): D(80)}, [], {}, UNLIMITED, [ql(90)], [("cut", 80, 10, 0)],
                 id="the smaller of customer and region remaining is allowed"),
    pytest.param({rk(): D(100)}, [], {rk(): D(120)}, UNLIMITED, [ql(30)], [("cut", 0, 30, 0)],
                 id="negative remaining cuts to 0"),
    pytest.param({rk(): D(100)}, [tr(50, "浙江", "上海")], {}, UNLIMITED, [ql(150)], [("pass", 150, 0, 0)],
                 id="a transfer in adds to the region quota"),
    pytest.param({rk(): D(100)}, [tr(30, "上海", "浙江")], {}, UNLIMITED, [ql(100)], [("cut", 70, 30, 0)],
                 id="a transfer out takes from the region quota"),
    pytest.param({rk(): D(100)}, [Transfer("2026-10", "浙江", "上海", "P1", "G1", D(50)), tr(50, "浙江", "江苏")], {},
                 UNLIMITED, [ql(150)], [("cut", 100, 50, 0)], id="transfers of another month or region do not count"),
    pytest.param({ck(): D(100)}, [], {}, UNLIMITED, [ql(150, approved=True)], [("over_quota", 150, 0, 50)],
                 id="an SLT over-quota approval passes the line whole"),
    pytest.param({rk(): D(100)}, [], {rk(): D(120)}, UNLIMITED, [ql(30, approved=True)],
                 [("over_quota", 30, 0, 30)], id="over-quota approval beyond a negative remaining"),
    pytest.param({ck(): D(100)}, [], {}, UNLIMITED, [ql(60, approved=True)], [("pass", 60, 0, 0)],
                 id="an approval is not needed within quota"),
    pytest.param({ck("G1"): D(100)}, [], {}, UNLIMITED, [ql(150)], [("cut", 100, 50, 0)],
                 id="a product-group quota governs its products"),
    pytest.param({ck("G1"): D(100), ck("P1"): D(200)}, [], {}, UNLIMITED, [ql(150)], [("pass", 150, 0, 0)],
                 id="the product's own quota wins over its group's"),
    pytest.param({ck("G1"): D(100)}, [], {}, UNLIMITED, [ql(60), ql(60, product="P2", line=1)],
                 [("pass", 60, 0, 0), ("cut", 40, 20, 0)], id="products of one group share its quota"),
    pytest.param({rk("G1"): D(100)}, [tr(50, "浙江", "上海")], {}, UNLIMITED, [ql(150)], [("pass", 150, 0, 0)],
                 id="a product transfer moves its group's region quota"),
    pytest.param({}, [], {}, UNLIMITED, [ql(10**6)], [("pass", 10**6, 0, 0)], id="no quota row, unlimited"),
    pytest.param({}, [], {}, ZERO_QUOTA, [ql(10)], [("cut", 0, 10, 0)], id="no quota row, zero"),
    pytest.param({}, [tr(8, "浙江", "上海")], {}, ZERO_QUOTA, [ql(10)], [("cut", 8, 2, 0)],
                 id="no quota row, zero, plus a transfer in"),
    pytest.param({ck(month="2026-10"): D(100), ck(customer="C2"): D(5)}, [], {}, ZERO_QUOTA, [ql(10)],
                 [("cut", 0, 10, 0)], id="another month's or customer's quota does not apply"),
    pytest.param({rk(): D(100)}, [], {}, ZERO_QUOTA, [ql(80)], [("pass", 80, 0, 0)],
                 id="a region row alone limits the line; the customer level is open"),
    pytest.param({ck(): D(100)}, [], {ck(): D(70)}, UNLIMITED, [ql(50)], [("cut", 30, 20, 0)],
                 id="quantity taken earlier this month counts"),
    pytest.param({ck(): D(100), rk(): D(500)}, [], {}, UNLIMITED, [ql(60, "SO-1"), ql(60, "SO-2")],
                 [("pass", 60, 0, 0), ("cut", 40, 20, 0)], id="the second order sees the first one's consumption"),
    pytest.param({ck(): D(100)}, [], {}, UNLIMITED, [ql(150, "SO-1", approved=True), ql(10, "SO-2")],
                 [("over_quota", 150, 0, 50), ("cut", 0, 10, 0)], id="approved over-quota consumes quota too"),
    pytest.param({rk(): D(100)}, [], {}, UNLIMITED, [ql(60, "SO-1"), ql(60, "SO-2", customer="C2")],
                 [("pass", 60, 0, 0), ("cut", 40, 20, 0)], id="customers of one region share its quota"),
]


@pytest.mark.parametrize("quotas, transfers, taken, policy, lines, expected", CASES)
def test_allocate(quotas, transfers, taken, policy, lines, expected):
    allocations = allocate(lines, quotas, transfers, dict(taken), policy)
    got = [(a.status, a.granted, a.cut, a.over_quota) for a in allocations]
    assert got == [(status, D(g), D(c), D(o)) for status, g, c, o in expected]
    assert all(a.requested == a.granted + a.cut for a in allocations)


def test_taken_is_updated_in_place_at_both_levels():
    taken = {rk(): D(5)}
    allocate([ql(60), ql(60, "SO-2")], {ck(): D(100), rk(): D(500)}, [], taken, UNLIMITED)
    assert taken == {ck(): D(100), rk(): D(105)}


def test_record_rebuilds_taken_like_allocate():
    quotas, lines = {ck("G1"): D(100)}, [ql(30), ql(20, product="P2")]
    replayed: dict = {}
    for line in lines:
        record(replayed, line, line.qty, quotas, UNLIMITED)
    allocated: dict = {}
    allocate(lines, quotas, [], allocated, UNLIMITED)
    assert replayed == allocated == {ck("G1"): D(50)}


@pytest.mark.parametrize("lines, expected", [
    pytest.param([ql(150)], ("quota-cut", {"value": "150", "allowed": "100", "cut": "50"}), id="cut"),
    pytest.param([ql(150, approved=True)], ("quota-over-approved", {"value": "150", "allowed": "100", "over": "50"}),
                 id="approved over-quota"),
    pytest.param([ql(50)], None, id="a passing line has nothing to report"),
])
def test_allocation_reason(lines, expected):
    [allocation] = allocate(lines, {ck(): D(100)}, [], {}, UNLIMITED)
    found = allocation.reason()
    assert (found and (found.rule, found.params_dict)) == expected


def test_missing_quota_is_flagged_and_unlimited():
    [allocation] = allocate([ql(5)], {}, [], {}, UNLIMITED)
    assert allocation.quota_missing and allocation.allowed is None


def test_unknown_when_missing_is_refused():
    with pytest.raises(ValueError, match="when_missing"):
        QuotaPolicy("maybe")


# quotas, taken, lines, expected fully_cut reason params (None: the order goes on to CC)
FULLY_CUT = [
    pytest.param({rk(): D(0)}, {}, [ql(10)], {"lines": "1", "cut": "10"},
                 id="one line cut to 0 leaves nothing to ship"),
    pytest.param({rk(): D(100)}, {rk(): D(100)}, [ql(10), ql(5, product="P1", line=1)], {"lines": "2", "cut": "15"},
                 id="every line cut to 0 by quota taken earlier"),
    pytest.param({rk(): D(100)}, {rk(): D(120)}, [ql(10)], {"lines": "1", "cut": "10"},
                 id="a region already over its quota cuts to 0, not below"),
    pytest.param({rk(): D(5)}, {}, [ql(10)], None, id="a line cut to a part still ships"),
    pytest.param({rk("P1"): D(0)}, {}, [ql(10), ql(3, product="P2", line=1)], None,
                 id="one line cut to 0 beside a line without quota still ships"),
    pytest.param({rk(): D(0)}, {}, [ql(10, approved=True)], None,
                 id="an over-quota approval keeps the line whole"),
    pytest.param({}, {}, [], None, id="an order without lines is not cut"),
]


@pytest.mark.parametrize("quotas, taken, lines, expected", FULLY_CUT)
def test_fully_cut(quotas, taken, lines, expected):
    reason = fully_cut(allocate(lines, quotas, [], dict(taken), UNLIMITED))
    assert (reason and (reason.rule, reason.line, reason.params_dict)) == (
        expected and ("quota-fully-cut", None, expected))
