"""Delivery: each person receives their own files (interface.md "Delivery").

:mod:`.people` turns rules.toml ``[delivery]`` and the roster into the receivers and their
addresses; :mod:`.folders` lays out ``收件人/<name>/`` inside a run, report or reconciliation
folder before it is swapped in. Who receives which form is the pure table
:mod:`osb_batch.rules.recipients`.
"""
