"""End-to-end tests: workbooks written to a working folder, the CLI run, outputs read back."""
