"""Fixtures for the account tests (users and signed-in clients come from the root conftest.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    """Rate-limit counters live in the cache; start every test from zero."""
    cache.clear()
