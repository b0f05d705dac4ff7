"""Integration tests: one adapter (reader, ledger, writer) against real files or SQLite."""
