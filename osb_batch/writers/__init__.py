"""Writers: records in, workbooks out. They only format.

Each writer takes the plain records of :mod:`.records` / :mod:`.account_records` and writes
one kind of workbook (or the HTML summary) under a temporary name, renamed into place when
complete. A writer never queries the ledger or applies a rule.
"""
