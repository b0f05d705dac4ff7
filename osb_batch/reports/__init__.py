"""Periodic outputs: a period -> records read from the ledger -> writers -> an outbox folder.

Every report has the same shape and is listed in one registry that both the CLI and the daily
run read.
"""
