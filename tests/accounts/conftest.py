"""Fixtures for the account integration tests."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apps.users.models import User
from apps.users.tests.factories import PASSWORD, UserFactory

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|\d{6})\s*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    """Rate-limit counters live in the cache; start every test from zero."""
    cache.clear()


@pytest.fixture
def user(db: None) -> User:
    return UserFactory.create(email="owner@example.com", name="Olive Owner")


@pytest.fixture
def other_user(db: None) -> User:
    return UserFactory.create(email="other@example.com", name="Otto Other")


def password_login(client: Client, email: str, password: str = PASSWORD) -> Any:
    """Sign in through the real login form (which records a fresh authentication)."""
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def signed_in(client: Client, user: User) -> Client:
    """A client signed in as USER through the login form (recently authenticated)."""
    response = password_login(client, user.email)
    assert response.status_code == 302, response.content
    return client


def age_authentication(client: Client, seconds: int = 3600) -> None:
    """Pretend the client's last (re)authentication happened SECONDS ago."""
    session = client.session
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    for record in records:
        record["at"] = time.time() - seconds
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()


def last_code(to: str | None = None) -> str:
    """Return the one-time code in the newest email (to TO when given)."""
    messages = [m for m in mail.outbox if to is None or to in m.to]
    assert messages, f"no email to {to}"
    match = CODE_RE.search(str(messages[-1].body))
    assert match, messages[-1].body
    return match.group(1)


@pytest.fixture
def code_from_email() -> Callable[..., str]:
    return last_code


HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/accounts/"}
