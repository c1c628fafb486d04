"""Benchmarks: run as scripts (``python bench/<name>.py``); figures go to BENCHMARKS.md."""
