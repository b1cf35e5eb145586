"""Account self-service in a real Chromium: codes, 2FA, passkeys, sessions, export, delete."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from e2e.conftest import PASSWORD

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|\d{6})\s*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()  # rate-limit counters and used TOTP codes
    mail.outbox = []
    yield


def code_for(email: str) -> str:
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, f"no email to {email}"
    match = CODE_RE.search(str(messages[-1].body))
    assert match, messages[-1].body
    return match.group(1)


def sign_in(page: Page, visit: Any, email: str, password: str = PASSWORD) -> None:
    visit("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_login_by_code_and_settings_page(page, visit, make_user, check_a11y):
    make_user(email="coder@example.com")
    visit("/accounts/login/")
    page.get_by_role("link", name="Send me a sign-in code").click()
    check_a11y(page)
    page.get_by_label("Email").fill("coder@example.com")
    page.get_by_role("button", name="Request Code").click()
    expect(page.get_by_role("heading", name="Enter Sign-In Code")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Code").fill(code_for("coder@example.com"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("current-user")).to_have_text("coder")

    page.get_by_role("banner").get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
    check_a11y(page)

    # Profile saved in place (htmx), no page load.
    page.get_by_label("Display name").fill("Cora Coder")
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#toasts")).to_contain_text("Profile saved.")
    expect(page.get_by_text("JST")).to_be_visible()
    assert get_user_model().objects.get(email="coder@example.com").timezone == "Asia/Tokyo"
