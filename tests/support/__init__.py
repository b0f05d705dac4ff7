"""Helpers shared by tests, the demo and benchmarks."""
