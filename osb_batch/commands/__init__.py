"""What each ``osb-batch`` command does, below the click wiring of :mod:`osb_batch.cli`.

One module per command that needs more than a call: creating a working folder, validating
files, the status view, the forms table, the terminal summary of a run.
"""
