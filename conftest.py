"""Fixtures shared by every test package."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def user(db: None) -> Any:
    from apps.users.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db: None) -> Any:
    from apps.users.tests.factories import UserFactory

    return UserFactory()
