"""Periodic outputs: a period -> records read from the ledger -> writers -> an outbox folder.

Every report has the same shape (:mod:`.report`) and covers a :mod:`.period`. The reports with a
folder of their own are listed in :mod:`.registry`, which the commands read; the ones every daily
run writes into its run folder are entries of the same shape in ``osb_batch.daily.run_reports``.
"""
