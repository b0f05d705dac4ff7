"""Writers: records in, workbooks out. They only format.

Each writer takes the plain records of :mod:`.records` / :mod:`.account_records` and writes
one kind of workbook (or the HTML summary) under a temporary name, renamed into place when
complete. A writer never queries the ledger or applies a rule.

What writers share: :mod:`.common` (safe workbooks, the hidden ``_osb`` sheet, atomic writes),
:mod:`.palette` (every colour, named once) and :mod:`.list_sheet` (the declarative list sheet:
columns with catalogue headers, rows of cells, widths, frozen and filtered header, printing).
:mod:`.returned` marks the submitter's own workbook. :mod:`.form_sheet` writes a statistics
form's catalogue layout row by row (hundreds of thousands of rows), from :mod:`.sales_records`
for the sales workbooks (:mod:`.sales_workbooks`).
"""
