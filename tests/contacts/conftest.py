"""Fixtures for the contacts integration tests (the users come from the root conftest.py)."""

from __future__ import annotations

from apps.contacts.tests.conftest import contact, htmx

__all__ = ["contact", "htmx"]
