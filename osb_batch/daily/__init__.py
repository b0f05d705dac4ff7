"""The daily run: inbox -> ledger -> outbox, exactly once.

The run itself (locking, reading, applying forms in dependency order, committing, moving
files), the order steps (QC, AC, CC, MA, BG), deadlines and the problem log, and the run's
outputs.
"""
