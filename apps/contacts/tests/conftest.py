"""Fixtures shared by the contacts unit tests (``owner``, ``other_user`` and ``owner_client``
come from the root conftest.py)."""

from __future__ import annotations

import pytest

from apps.contacts.tests.factories import ContactFactory


@pytest.fixture
def contact(owner):
    return ContactFactory(
        owner=owner, first_name="Ada", last_name="Lovelace", email="ada@example.com"
    )


@pytest.fixture
def htmx() -> dict[str, str]:
    """Headers of a non-boosted htmx request (asks for a partial)."""
    return {"HX-Request": "true", "HX-Current-URL": "http://testserver/contacts/"}
