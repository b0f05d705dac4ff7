"""Unit tests: rules and pure functions, no files."""
