"""Fixtures for the contacts integration tests."""

from __future__ import annotations

from apps.contacts.tests.conftest import contact, htmx, other_user, owner, owner_client

__all__ = ["contact", "htmx", "other_user", "owner", "owner_client"]
