"""The budget decisions kept in the ledger come back exactly as taken, in the order taken; the execution
workbook's records read them with the sales facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from osb_batch.ledger.attribution import record_customer_versions
from osb_batch.ledger.budget_decisions import keep, kept
from osb_batch.ledger.database import Ledger
from osb_batch.reports.budget_execution import as_json, build
from osb_batch.reports.period import parse
from osb_batch.reports.report import Basis
from osb_batch.rules.budget import Approvers, BudgetPolicy, Claim, Request, apply, in_order, resume
from osb_batch.settings import load

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


def test_the_evaluation_and_expense_rates_read_the_sales_up_to_the_months_end(tmp_path):
    ledger = Ledger.open(tmp_path / "ledger.sqlite")
    try:
        ledger.begin()
        run = ledger.add_run("2026-10-01", 1, "2026-10-01T09:00:00", "outbox")
        ledger.conn.execute("INSERT INTO customers (customer_code, market, region, account_manager, unit_manager) "
                            "VALUES ('C1', 'E', '上海', '王敏', '李强')")
        record_customer_versions(ledger, run_id=run)
        ledger.conn.executemany("INSERT INTO invoices VALUES (?, NULL, 'C1', ?, ?, NULL, 1)", [
            ("INV-1", "2026-10-20", "400.00"), ("INV-2", "2026-11-15", "600.00"), ("INV-3", "2026-12-02", "999.00")])
        ledger.conn.execute("INSERT INTO documents (form, row_key, period, content, run_id) VALUES "
                            "('marketing_budget', '2026-11|E|promotion', '2026-11', ?, 1)",
                            ('{"month": "2026-11", "market": "E", "expense_type": "promotion", '
                             '"budget_amount": "10000.00"}',))
        state = apply([Request("FY-1", D("2026-11-02"), "王敏", "E", "promotion", Decimal("1000.00"), D("2026-11-10"),
                               "张伟", "C1")],
                      [Claim("BX-1", D("2026-11-20"), "王敏", "promotion", Decimal("1000.00"), "FY-1")],
                      BUDGET, WHO, policy=POLICY)
        keep(ledger, list(enumerate(in_order(state.requests, state.claims), start=1)), run_id=run)
        settings = load(None)
        period = parse("monthly", "2026-11", settings)
        rec = build(Basis(ledger, settings, period.end), period, "zh")
    finally:
        ledger.rollback()
        ledger.close()
    (effect,) = rec.effects
    assert (effect.before, effect.after, effect.change) == (Decimal("400.00"), Decimal("600.00"), Decimal("0.5000"))
    assert [(scope, r.market, r.expenses, r.sales, r.rate) for scope, r in rec.rates] == [
        ("month", "E", Decimal("1000.00"), Decimal("600.00"), Decimal("1.6667")),
        ("ytd", "E", Decimal("1000.00"), Decimal("1000.00"), Decimal("1.0000"))]
    assert as_json(rec) == {"budget": [{"market": "E", "expense_type": "promotion", "budget": "10000.00",
                                        "committed": "0.00", "claimed": "1000.00", "remaining": "9000.00"}]}
