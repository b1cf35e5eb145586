"""Hostile-input tests: every route, every method, hostile values (see test_hostile.py)."""
