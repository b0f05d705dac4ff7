"""Reading: a file's bytes -> typed rows of one catalogue form, every problem a located finding.

What a file really is (:mod:`.sniff`) and which cells calamine reads as empty although they hold
a formula or an error (:mod:`.cell_scan`); cell values as staff type them (:mod:`.cell_values`,
built from :mod:`.cell_text`, :mod:`.cell_numbers`, :mod:`.cell_dates` and
:mod:`.cell_choices`); which form a sheet holds and where its header is
(:mod:`.form_detection`); the workbook reader (:mod:`.workbook`, reading a table's cells column
by column in :mod:`.columns`); the row checks -- required fields, duplicate keys, references to
the master data they are handed (:mod:`.row_checks`); and what a command sets up before reading
(:mod:`.context`). Nothing here knows a business rule, and nothing opens or writes the ledger.
"""
