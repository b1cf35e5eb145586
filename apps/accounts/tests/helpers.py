"""Helpers for the account tests: sign in through the form, read emailed codes, age a login."""

from __future__ import annotations

import re
import time
from typing import Any

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.users.tests.factories import PASSWORD

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|\d{6})\s*$", re.MULTILINE)

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/accounts/"}


def password_login(client: Client, email: str, password: str = PASSWORD) -> Any:
    """Sign in through the real login form (which records a fresh authentication)."""
    return client.post(reverse("account_login"), {"login": email, "password": password})


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
