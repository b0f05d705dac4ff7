"""The ledger: the only package that speaks SQL.

The database with its numbered migrations, and one repository per aggregate (orders, master
data, receivables, receipts, problems). Repositories load the facts the rules need and store
what the rules decided; they decide nothing themselves.
"""
