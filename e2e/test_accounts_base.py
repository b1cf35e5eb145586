"""The account base in a real browser: signup, verify by emailed code, logout, login."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from e2e.conftest import PASSWORD


def _code_from_last_email() -> str:
    body = str(mail.outbox[-1].body)
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def test_signup_verify_logout_login(page, visit, base_url, transactional_db, check_a11y):
    visit("/accounts/signup/")
    page.get_by_label("Email").fill("new.person@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_role("heading", name="Enter Email Verification Code")).to_be_visible()
    check_a11y(page)
    assert mail.outbox[-1].to == ["new.person@example.com"]
    page.get_by_label("Code").fill(_code_from_last_email())
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_test_id("current-user")).to_have_text("new.person")
    expect(page.locator("#toasts")).to_contain_text("Successfully signed in")
    check_a11y(page)

    page.get_by_role("button", name="Sign out").click()
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_count(0)

    header.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("new.person@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_have_text("new.person")


def test_wrong_password_shows_error(page, visit, make_user):
    make_user(email="someone@example.com")
    visit("/accounts/login/")
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")


def test_theme_toggle_is_remembered(page, visit, base_url):
    visit("/")
    toggle = page.get_by_role("button", name=re.compile("Colour theme"))
    toggle.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    toggle.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    visit("/")  # axe checks contrast in the dark theme too


def test_help_dialog_lists_shortcuts_and_closes_with_escape(page, visit):
    visit("/")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Show keyboard shortcuts")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_expired_session_on_boosted_navigation_goes_to_login_page(page, visit, make_user, login):
    user = make_user(email="expiring@example.com")
    login(user)
    visit("/")
    page.context.clear_cookies()
    page.get_by_role("link", name="Account").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Faccounts%2F$"))
    expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
    # The whole page is the login page, not a fragment swapped into the old one.
    expect(page.locator("header")).to_have_count(1)


def test_boosted_link_to_a_missing_page_shows_the_error_page(page, visit, make_user, login):
    login(make_user())
    visit("/")
    page.evaluate(
        "() => { const a = document.createElement('a'); a.href = '/no/such/page/';"
        " a.textContent = 'Broken link'; document.querySelector('main').append(a);"
        " htmx.process(a); }"
    )
    page.get_by_role("link", name="Broken link").click()
    expect(page.get_by_role("heading", name="Not Found")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/no/such/page/$"))


def test_htmx_error_response_shows_a_readable_toast(page, visit, make_user, login):
    login(make_user())
    visit("/")
    page.evaluate(
        "() => { const b = document.createElement('button'); b.textContent = 'Load part';"
        " b.setAttribute('hx-get', '/no/such/part/'); b.setAttribute('hx-target', 'main');"
        " document.querySelector('main').append(b); htmx.process(b); }"
    )
    page.get_by_role("button", name="Load part").click()
    toast = page.locator("#toasts [data-toast]")
    expect(toast).to_contain_text("does not exist")
    # Nothing was swapped: the page is still the dashboard.
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def test_entry_pages_start_in_their_first_field(page, visit, make_user):
    make_user(email="typist@example.com")
    visit("/accounts/login/")
    expect(page.get_by_label("Email")).to_be_focused()

    # Boosted navigation from the header lands in the form too, so typing just works.
    visit("/")
    page.get_by_role("banner").get_by_role("link", name="Sign up").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.get_by_label("Email")).to_be_focused()

    # After a failed attempt: the email is kept, focus is back in the emptied password field.
    visit("/accounts/login/")
    page.keyboard.type("typist@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("wrong-password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    expect(page.get_by_label("Email")).to_have_value("typist@example.com")
    expect(page.get_by_label("Password")).to_be_focused()
    expect(page.get_by_label("Password")).to_have_value("")
