"""Benchmarks of the client and the fake, each a ratio against a bare baseline measured in the same run.

Run with ``python -m bench`` (or ``make bench``)."""
