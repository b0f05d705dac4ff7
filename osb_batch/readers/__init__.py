"""Reading: a file's bytes -> typed rows of one catalogue form, every problem a located finding.

Sniffing (what a file really is), cell values as staff type them, which form a sheet holds and
where its header is, the workbook reader, and the row checks that need no ledger. Nothing here
knows a business rule or opens the ledger.
"""
