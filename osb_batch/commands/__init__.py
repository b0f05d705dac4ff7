"""What each ``osb-batch`` command does, below the click wiring of :mod:`osb_batch.cli`.

One module per command that needs more than a call: creating a working folder, the demo,
validating files, the reconciliation, the status view, the forms table, the templates, the
terminal summary of a run. None imports click: the CLI parses options and prints.
"""
