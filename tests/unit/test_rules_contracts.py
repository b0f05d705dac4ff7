"""The contract register numbers HT-YYYYMM-NNN (management.md "Monthly duties")."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osb_batch.rules.contracts import Contract, Registered, number

D = dt.date.fromisoformat
MONTH = "2026-11"


def c(no: str, day: str) -> Contract:
    return Contract(no, D(day))


def numbers(register: list[Registered]) -> list[tuple[str, str, bool]]:
    return [(r.contract_no, r.register_no, r.late) for r in register]


@pytest.mark.parametrize("contracts, given, expected", [
    # (contracts submitted, numbers already given, [(contract, register number, late)])
    ([c("K3", "2026-11-20"), c("K1", "2026-11-05"), c("K2", "2026-11-05")], [],
     [("K1", "HT-202611-001", False), ("K2", "HT-202611-002", False), ("K3", "HT-202611-003", False)]),
    # other months' contracts are not numbered in this one
    ([c("K1", "2026-10-31"), c("K2", "2026-11-01"), c("K3", "2026-12-01")], [],
     [("K2", "HT-202611-001", False)]),
    # a late arrival signed early in the month takes the next free number, marked late
    ([c("K1", "2026-11-05"), c("K2", "2026-11-20"), c("K0", "2026-11-01")],
     [Registered("K1", D("2026-11-05"), "HT-202611-001"), Registered("K2", D("2026-11-20"), "HT-202611-002")],
     [("K1", "HT-202611-001", False), ("K2", "HT-202611-002", False), ("K0", "HT-202611-003", True)]),
    # a number once given never changes, even when the contract's sign date was corrected since
    ([c("K1", "2026-11-25"), c("K2", "2026-11-03")],
     [Registered("K1", D("2026-11-02"), "HT-202611-001"), Registered("K2", D("2026-11-03"), "HT-202611-002")],
     [("K1", "HT-202611-001", False), ("K2", "HT-202611-002", False)]),
    # a contract numbered in another month keeps that number and is not numbered again
    ([c("K1", "2026-11-02")], [Registered("K1", D("2026-10-31"), "HT-202610-004")], []),
    # a contract submitted twice is numbered once
    ([c("K1", "2026-11-02"), c("K1", "2026-11-02")], [], [("K1", "HT-202611-001", False)]),
])
def test_register_numbers(contracts, given, expected):
    assert numbers(number(contracts, given, MONTH)) == expected


def test_a_rerun_changes_nothing_and_gives_nothing_new():
    contracts = [c("K1", "2026-11-05"), c("K2", "2026-11-20")]
    first = number(contracts, [], MONTH)
    again = number(contracts, first, MONTH)
    assert numbers(again) == numbers(first) and not any(r.new for r in again) and all(r.new for r in first)


contract_lists = st.lists(st.tuples(st.sampled_from([f"K{i}" for i in range(12)]),
                                    st.dates(D("2026-10-25"), D("2026-12-05"))), max_size=15)


@given(contract_lists, contract_lists)
def test_renumbering_the_same_input_is_idempotent_and_keeps_every_number(first_batch, later_batch):
    first = number([Contract(n, d) for n, d in first_batch], [], MONTH)
    everything = [Contract(n, d) for n, d in first_batch + later_batch]
    second = number(everything, first, MONTH)
    assert numbers(number(everything, second, MONTH)) == numbers(second)
    assert set(numbers(first)) <= set(numbers(second))
    serials = [r.register_no for r in second]
    assert len(set(serials)) == len(serials) == len({r.contract_no for r in second})
    assert serials == [f"HT-202611-{i:03d}" for i in range(1, len(serials) + 1)]
