"""Benchmarks of the opendata toolkit: synthetic packages, timed against frictionless.

Run them all with ``python -m benchmarks`` (see :mod:`benchmarks.run`). They are not part
of the unit tests; ``tests/test_benchmarks.py`` runs them once at 10,000 rows.
"""
