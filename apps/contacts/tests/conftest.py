"""Fixtures shared by the contacts unit tests."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.contacts.tests.factories import ContactFactory
from apps.users.tests.factories import UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.com")


@pytest.fixture
def other_user(db):
    return UserFactory(email="other@example.com")


@pytest.fixture
def contact(owner):
    return ContactFactory(
        owner=owner, first_name="Ada", last_name="Lovelace", email="ada@example.com"
    )


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def htmx() -> dict[str, str]:
    """Headers of a non-boosted htmx request (asks for a partial)."""
    return {"HX-Request": "true", "HX-Current-URL": "http://testserver/contacts/"}
