"""Fixtures shared by the companies unit tests (``owner``, ``other_user``, ``owner_client``
and ``client_for`` come from the root conftest.py)."""

from __future__ import annotations

import pytest

from apps.companies.tests.factories import CompanyFactory


@pytest.fixture
def company(owner):
    return CompanyFactory.create(
        owner=owner, name="Acme Engines", website="https://acme.example.com", notes="Big client"
    )


@pytest.fixture
def htmx() -> dict[str, str]:
    """Headers of a non-boosted htmx request (asks for a partial)."""
    return {"HX-Request": "true", "HX-Current-URL": "http://testserver/companies/"}
