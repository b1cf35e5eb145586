"""The security log in a real browser: a sign-in through the form shows on the account page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.conftest import PASSWORD


def test_sign_in_shows_in_the_security_log(page, visit, make_user, check_a11y):
    make_user(email="logged@example.com")
    visit("/accounts/login/")
    page.get_by_label("Email").fill("logged@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()

    page.get_by_role("banner").get_by_role("link", name="Account").click()
    section = page.get_by_role("region", name="Security log")
    expect(section).to_be_visible()
    row = section.get_by_test_id("security-event").first
    expect(row).to_contain_text("Signed in")
    expect(row).to_contain_text("Chrome on")  # this browser
    expect(row.locator("time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
    )
    check_a11y(page)

    section.get_by_role("link", name="Show all security events").click()
    expect(page.get_by_role("heading", name="Security log", exact=True)).to_be_visible()
    expect(page.get_by_test_id("security-event").first).to_contain_text("Signed in")
    check_a11y(page)
