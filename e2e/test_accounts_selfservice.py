"""Account self-service in a real Chromium: codes, 2FA, passkeys, sessions, export, delete."""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from apps.accounts.allauth_internals import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
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


def sign_in(
    page: Page, visit: Any, email: str, password: str = PASSWORD, *, second_factor: bool = False
) -> None:
    visit("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    if not second_factor:
        expect(page.get_by_test_id("current-user")).to_be_visible()


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
    expect(page.get_by_test_id("current-user")).to_have_text("Cora Coder")  # header, out of band
    expect(page.get_by_text("JST")).to_be_visible()
    assert get_user_model().objects.get(email="coder@example.com").timezone == "Asia/Tokyo"


def totp_code(secret: str) -> str:
    """Return the current code, waiting out the last seconds of a 30 s window (no flakes)."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def test_password_reset_by_code(page, visit, make_user, check_a11y):
    make_user(email="forgetful@example.com")
    visit("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    check_a11y(page)
    page.get_by_label("Email").fill("forgetful@example.com")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_role("heading", name="Enter Password Reset Code")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Code").fill(code_for("forgetful@example.com"))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("New password", exact=True).fill("a-fresh-new-passphrase-7")
    page.get_by_label("New Password (again)").fill("a-fresh-new-passphrase-7")
    check_a11y(page)
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()
    check_a11y(page)
    sign_in(page, visit, "forgetful@example.com", "a-fresh-new-passphrase-7")
    expect(page.get_by_test_id("current-user")).to_have_text("forgetful")


def test_email_change_with_verification(page, visit, make_user, check_a11y):
    make_user(email="mover@example.com")
    sign_in(page, visit, "mover@example.com")
    visit("/accounts/")
    page.get_by_role("link", name="Change email address").click()
    check_a11y(page)
    page.get_by_label("Change to").fill("moved@example.com")
    page.get_by_role("button", name="Change Email").click()
    expect(page.get_by_role("heading", name="Enter Email Verification Code")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Code").fill(code_for("moved@example.com"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
    expect(page.get_by_text("Signed in as moved@example.com")).to_be_visible()
    assert get_user_model().objects.filter(email="moved@example.com").exists()
    assert any(m.to == ["mover@example.com"] for m in mail.outbox), "old address notified"


def test_totp_setup_and_login(page, visit, make_user, check_a11y):
    user = make_user(email="totp@example.com")
    sign_in(page, visit, "totp@example.com")
    visit("/accounts/")
    page.get_by_role("link", name="Set up authenticator app").click()
    expect(page.get_by_role("heading", name="Set up authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check_a11y(page)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    check_a11y(page)
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    visit("/accounts/2fa/")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(page, visit, "totp@example.com", second_factor=True)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    check_a11y(page)
    cache.clear()  # the activation code may still be inside its 30 s window
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_have_text("totp")


def _virtual_authenticator(page: Page) -> Any:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def test_passkey_add_rename_and_login(page, visit, make_user, check_a11y):
    user = make_user(email="passkey@example.com")
    _virtual_authenticator(page)
    sign_in(page, visit, "passkey@example.com")
    visit("/accounts/")
    page.get_by_role("link", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Add Security Key")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Name").fill("Laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    assert Authenticator.objects.filter(user=user, type="webauthn").count() == 1

    # Rename in place on the settings page.
    visit("/accounts/")
    name = page.get_by_label(re.compile("Name of passkey added"))
    expect(name).to_have_value("Laptop")
    name.fill("Work laptop")
    page.get_by_role("button", name="Rename").click()
    expect(page.locator("#toasts")).to_contain_text("Passkey renamed.")
    assert Authenticator.objects.get(user=user, type="webauthn").wrap().name == "Work laptop"
    visit("/accounts/2fa/webauthn/")

    # Sign out, then sign in with the passkey alone.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    visit("/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_test_id("current-user")).to_have_text("passkey")


def test_end_another_session(page, visit, make_user, browser, base_url, check_a11y):  # noqa: PLR0917
    make_user(email="twice@example.com")
    other = browser.new_context()
    other_page = other.new_page()
    other_page.goto(base_url + "/accounts/login/")
    other_page.get_by_label("Email").fill("twice@example.com")
    other_page.get_by_label("Password").fill(PASSWORD)
    other_page.get_by_role("button", name="Sign in", exact=True).click()
    expect(other_page.get_by_test_id("current-user")).to_have_text("twice")

    sign_in(page, visit, "twice@example.com")
    visit("/accounts/")
    rows = page.get_by_test_id("session-row")
    expect(rows).to_have_count(2)
    page.get_by_role("button", name=re.compile("^End session from")).click()
    expect(rows).to_have_count(1)
    expect(page.get_by_role("heading", name="Sessions")).to_be_focused()  # focus stays here
    expect(page.locator("#toasts")).to_contain_text("Session ended")
    check_a11y(page)
    visit("/accounts/sessions/")

    other_page.reload()
    expect(other_page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    other.close()


def test_export_download(page, visit, make_user, check_a11y, run_tasks):
    """The export is a background job: the page polls while it waits, then offers the ZIP."""
    make_user(email="exporter@example.com", name="Ex Porter")
    sign_in(page, visit, "exporter@example.com")
    visit("/accounts/")
    page.get_by_role("link", name="Export my data").first.click()
    expect(page.get_by_role("heading", name="Export my data")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Start export").click()
    heading = page.get_by_role("heading", name=re.compile("Export #"))
    expect(heading).to_contain_text("Waiting to start")
    expect(page.locator("#job-status")).to_have_attribute("hx-trigger", "every 1s")
    check_a11y(page)

    run_tasks()  # django-tasks-db's own worker builds the ZIP
    expect(heading).to_contain_text("Done", timeout=5_000)  # reached by polling, no reload
    expect(page.locator("#job-status")).not_to_have_attribute("hx-trigger", "every 1s")
    expect(page.get_by_text("Available until")).to_be_visible()
    check_a11y(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download ZIP").click()
    download = info.value
    assert download.suggested_filename.startswith("kis-export-")
    with zipfile.ZipFile(download.path()) as archive:
        assert "data.json" in archive.namelist()
        assert b"Ex Porter" in archive.read("data.json")


def test_account_deletion_after_reauthentication(page, visit, make_user, login, check_a11y):
    user = make_user(email="leaver@example.com")
    login(user)  # a session without a recent sign-in: deletion asks for the password
    visit("/accounts/delete/")
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Incorrect password.")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Delete my account")).to_be_visible()
    check_a11y(page)
    field = page.get_by_label(re.compile("to confirm"))
    field.fill("delete it")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Nothing was deleted")).to_be_visible()
    assert get_user_model().objects.filter(email="leaver@example.com").exists()

    page.get_by_label(re.compile("to confirm")).fill("delete my account")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account has been deleted")).to_be_visible()
    check_a11y(page)
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    assert not get_user_model().objects.filter(email="leaver@example.com").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/2fa/webauthn/add/",
        "/accounts/sessions/",
        "/accounts/export/",
        "/accounts/delete/",
    ],
)
def test_account_pages_are_accessible(page, visit, make_user, path):
    make_user(email="a11y@example.com")
    sign_in(page, visit, "a11y@example.com")
    expect(page.get_by_test_id("current-user")).to_be_visible()
    visit(path)
    expect(page.get_by_role("navigation", name="Account")).to_be_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/login/code/",
        "/accounts/password/reset/",
        "/accounts/deleted/",
    ],
)
def test_entrance_pages_are_accessible(page, visit, path):
    visit(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_account_pages_in_the_dark_theme(page, visit, make_user, base_url):
    user = make_user(email="night@example.com")
    page.context.add_cookies([{"name": "kis_theme", "value": "dark", "url": base_url}])
    sign_in(page, visit, "night@example.com")
    Authenticator.objects.create(  # a passkey row, so its rename form is checked too
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Key", "credential": {}}
    )
    for path in ("/accounts/", "/accounts/2fa/", "/accounts/delete/", "/accounts/email/"):
        visit(path)
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")


def test_account_navigation_to_a_section_moves_focus_there(page, visit, make_user):
    make_user(email="navigator@example.com")
    sign_in(page, visit, "navigator@example.com")
    visit("/accounts/")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sessions").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#sessions-section")).to_be_focused()  # the next Tab starts there
