"""Delivery: each person receives their own files (interface.md "Delivery").

:mod:`.people` turns rules.toml ``[delivery]`` and the roster into the receivers and their
addresses; :mod:`.folders` lays out ``收件人/<name>/`` inside a run, report or reconciliation
folder before it is swapped in, and queues the files owed to each person in the ledger
(:mod:`osb_batch.ledger.deliveries`); :mod:`.letters` words one message per person;
:mod:`.sending` sends what is owed through SMTP after the ledger commit and notes the result in
the folder's manifest. Who receives which form is the pure table :mod:`osb_batch.rules.recipients`.
"""
