"""The e2e suite really fails on CSP violations: prove the `page` fixture catches them."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect

from e2e.conftest import watch_csp


@pytest.fixture
def violations_urls(settings):
    settings.ROOT_URLCONF = "e2e.csp_violation_urls"


@pytest.mark.parametrize("kind", ["inline-script", "inline-style", "style-block", "eval"])
def test_a_csp_violation_is_caught(kind, context: BrowserContext, base_url, violations_urls):
    page = context.new_page()
    problems = watch_csp(page)
    page.goto(f"{base_url}/csp-violation/{kind}/")
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)  # violation events are dispatched asynchronously

    assert problems, f"the {kind} violation went unnoticed"
    assert all(p.startswith("CSP violation") for p in problems), problems
    assert any("violation event" in p for p in problems), problems
    if kind == "inline-script":
        expect(page).to_have_title("CSP")  # and the browser really blocked it


def test_app_pages_have_no_violation(page, base_url, make_user, login):
    login(make_user())
    for path in ["/", "/accounts/email/", "/accounts/password/change/", "/no-such-page/"]:
        page.goto(base_url + path)
        page.wait_for_load_state("load")
    page.goto(base_url + "/")
    page.keyboard.press("?")  # scripts run: the shortcuts dialog opens
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
