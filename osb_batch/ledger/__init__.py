"""The ledger: the only package that speaks SQL.

The database (:mod:`.database`) with its numbered migrations (:mod:`.migrations`), and one
repository per aggregate: orders, master data, receivables, receipts, problems (the OSB problem
log and its deadline facts), plus the read-only queries of ``osb-batch status``. Repositories load
the facts the rules need and store what the rules decided; they decide nothing themselves.
"""
