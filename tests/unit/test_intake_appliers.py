"""The intake's table of forms: declared once, in the dependency order of domain.md."""

from __future__ import annotations

from osb_batch import catalogue as catalogue_mod
from osb_batch.daily.intake import APPLIERS
from osb_batch.ledger.masterdata import MASTER_TABLES

DEPENDENCY_ORDER = (
    "customers", "products", "contract_prices", "quotas", "quota_transfers", "opening_balances",
    "staff", "marketing_budget", "bank_receipts", "collection_claims", "invoices", "returns", "shipments", "approvals",
    "problem_updates", "confirmations", "finance_ar", "credit_limit_decisions", "orders",
)


def test_forms_are_applied_master_data_first_and_orders_last():
    assert tuple(APPLIERS) == DEPENDENCY_ORDER
    assert tuple(APPLIERS)[:len(MASTER_TABLES)] == tuple(MASTER_TABLES)


def test_every_listed_form_is_an_input_form_of_the_catalogue():
    catalogue = catalogue_mod.load()
    assert all(catalogue[form].kind == "input" for form in APPLIERS)


def test_every_listed_form_is_acted_on():
    assert [form for form, applier in APPLIERS.items() if applier is None] == []
