"""The budget decisions kept in the ledger come back exactly as taken, in the order taken."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from osb_batch.ledger.budget_decisions import keep, kept
from osb_batch.ledger.database import Ledger
from osb_batch.rules.budget import Approvers, BudgetPolicy, Claim, Request, apply, in_order, resume

POLICY = BudgetPolicy(Decimal("0.10"), Decimal("500"), 60, 30)
BUDGET = {("2026-11", "E", "promotion"): Decimal("1000")}
WHO = Approvers(mm={"E": ["张伟"]}, slt={"总经理": "gm"}, market_of={"王敏": "E"})
D = dt.date.fromisoformat


def test_kept_decisions_read_back_equal_and_resume_to_the_same_state(tmp_path):
    requests = [Request("FY-1", D("2026-11-02"), "王敏", "E", "promotion", Decimal("800.00"), D("2026-11-10"), "张伟",
                        "C001"),
                Request("FY-2", D("2026-11-03"), "王敏", "E", "promotion", Decimal("300.00"), None, "总经理"),
                Request("FY-3", D("2026-11-03"), "王敏", "E", "advertising", Decimal("1.00"))]
    claims = [Claim("BX-1", D("2026-11-20"), "王敏", "promotion", Decimal("900.00"), "FY-1"),
              Claim("BX-1", D("2026-11-21"), "王敏", "promotion", Decimal("900.00"), "FY-1"),
              Claim("BX-2", D("2026-11-21"), "无名", "promotion", Decimal("10.00"))]
    state = apply(requests, claims, BUDGET, WHO, policy=POLICY)
    taken = in_order(state.requests, state.claims)
    ledger = Ledger.open(tmp_path / "ledger.sqlite")
    try:
        ledger.begin()
        keep(ledger, list(enumerate(taken, start=1)), run_id=1)
        ledger.commit()
        assert kept(ledger) == taken
    finally:
        ledger.close()
    again = resume(BUDGET, taken)
    assert (dict(again.committed), dict(again.claimed)) == (dict(state.committed), dict(state.claimed))
