"""The look, checked in Chromium: error contrast in both themes, calm errors, the TOTP key's
Copy button, a visible focus ring on menu items, a quiet current page, the theme toggle's
icon and the signed-in dashboard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from e2e.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

THEMES = ("light", "dark")


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    cache.clear()  # rate-limit counters


@pytest.fixture
def totp_user(make_user: Any) -> Any:
    return make_user(email="totp@example.com")


def _theme(page: Page, base_url: str, theme: str) -> None:
    page.context.add_cookies([{"name": "kis_theme", "value": theme, "url": base_url}])


def _sign_in(page: Page, visit: Any, email: str) -> None:
    visit("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _tab_to(page: Page, locator: Any, limit: int = 40) -> None:
    """Press Tab (Shift+Tab if LOCATOR comes before the focus) until LOCATOR has the focus,
    so that :focus-visible applies as it does for a keyboard user."""
    before = locator.evaluate(
        "el => !!document.activeElement && document.activeElement !== document.body &&"
        " !!(el.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    key = "Shift+Tab" if before else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError("never reached by Tab")


def _ring(locator: Any) -> dict[str, str]:
    return locator.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return {style: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"
    )


def _has_ring(ring: dict[str, str]) -> bool:
    width = float(ring["width"].removesuffix("px") or 0)
    return (ring["style"] not in ("none", "") and width >= 2) or ring["shadow"] not in ("none", "")


@pytest.mark.parametrize("theme", THEMES)
def test_signup_errors_meet_contrast_and_are_calm(
    page: Page, visit, check_a11y, base_url, theme
) -> None:
    _theme(page, base_url, theme)
    visit("/accounts/signup/")
    page.get_by_label("Email").fill("short@example.com")
    page.get_by_label("Password", exact=True).fill("abc")
    page.get_by_label("Password (again)").fill("abd")
    page.get_by_role("button", name="Sign up").click()
    errors = page.locator("[id$='-errors']").first
    expect(errors).to_be_visible()
    check_a11y(page)  # axe's color-contrast included: the error text on its background
    size = errors.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size <= 14


def test_an_error_box_is_a_quiet_tint_not_a_banner(page: Page, visit, make_user) -> None:
    make_user(email="someone@example.com")
    visit("/accounts/login/")
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    alert = page.get_by_role("alert").filter(has_text="not correct")
    expect(alert).to_be_visible()
    look = alert.evaluate(
        "el => { const s = getComputedStyle(el); return {bg: s.backgroundColor,"
        " color: s.color, body: getComputedStyle(document.body).color,"
        " size: parseFloat(s.fontSize), bar: parseFloat(s.borderInlineStartWidth)}; }"
    )
    assert look["color"] == look["body"]  # body text, not white-on-pink
    assert look["size"] <= 14
    assert look["bar"] >= 3, look
    numbers = [float(c) for c in re.findall(r"[\d.]+", look["bg"])[:3]]
    # a light tint in the light theme, not a saturated fill (oklab lightness or rgb channels)
    assert (numbers[0] > 0.9) if look["bg"].startswith("oklab") else (min(numbers) > 200), look


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.usefixtures("totp_user")
def test_totp_page_contrast_and_copy_button(page: Page, visit, check_a11y, base_url, theme) -> None:
    _theme(page, base_url, theme)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    _sign_in(page, visit, "totp@example.com")
    visit("/accounts/2fa/totp/activate/")
    secret = page.locator("#totp-secret")
    expect(secret).to_be_visible()
    assert "mono" in secret.evaluate("el => getComputedStyle(el).fontFamily").lower()
    key = secret.inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", key)

    copy = page.get_by_role("button", name="Copy the key", exact=True)
    _tab_to(page, copy)
    assert _has_ring(_ring(copy))
    page.keyboard.press("Enter")
    expect(page.locator("[data-copy-status]")).to_have_text("Copied")
    expect(page.get_by_role("button", name="Copied the key", exact=True)).to_be_focused()
    assert page.evaluate("navigator.clipboard.readText()") == key

    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    check_a11y(page)


def test_menu_items_show_a_focus_ring(page: Page, visit, ada) -> None:
    visit("/contacts/")
    current = page.get_by_role("navigation", name="Main").get_by_role("link", name="Contacts")
    _tab_to(page, current)
    assert _has_ring(_ring(current)), _ring(current)
    visit("/accounts/")
    item = page.get_by_role("navigation", name="Account").get_by_role("link", name="Password")
    _tab_to(page, item)
    assert _has_ring(_ring(item)), _ring(item)


def test_the_current_page_is_marked_quietly(page: Page, visit, ada) -> None:
    visit("/contacts/")
    current = page.locator("header nav a[aria-current='page']").first
    expect(current).to_have_text("Contacts")
    look = current.evaluate(
        "el => { const s = getComputedStyle(el); return {bg: s.backgroundColor,"
        " weight: parseInt(s.fontWeight), line: s.textDecorationLine}; }"
    )
    assert look["bg"] in ("rgba(0, 0, 0, 0)", "transparent"), look  # not a filled button
    assert look["weight"] >= 600
    assert "underline" in look["line"]


def test_theme_toggle_has_an_icon_and_a_name(page: Page, visit) -> None:
    visit("/")
    toggle = page.get_by_role("button", name="Colour theme: system")
    expect(toggle.locator("svg[data-theme-icon='system']")).to_be_visible()
    expect(toggle.locator("svg[data-theme-icon='dark']")).to_be_hidden()
    toggle.click()
    toggle = page.get_by_role("button", name="Colour theme: light")
    expect(toggle.locator("svg[data-theme-icon='light']")).to_be_visible()
    expect(toggle.locator("svg[data-theme-icon='system']")).to_be_hidden()


def test_account_page_has_no_card_inside_a_card(page: Page, visit, owner) -> None:
    visit("/accounts/")
    assert page.locator(".card .card").count() == 0
    expect(page.get_by_role("heading", name="Sessions")).to_be_visible()


@pytest.mark.parametrize("theme", THEMES)
def test_signed_in_home_is_a_dashboard(page: Page, visit, base_url, ada, theme) -> None:
    _theme(page, base_url, theme)
    visit("/")
    expect(page.get_by_test_id("count-contacts")).to_have_text("1")
    expect(page.get_by_test_id("count-companies")).to_have_text("1")
    page.get_by_test_id("recent-contacts").get_by_role(
        "link", name=re.compile("Ada Lovelace")
    ).click()
    expect(page).to_have_url(re.compile(rf"/contacts/{ada.pk}/$"))
    visit("/")
    page.get_by_role("link", name=re.compile("^Contacts")).filter(
        has=page.get_by_test_id("count-contacts")
    ).click()
    expect(page).to_have_url(re.compile(r"/contacts/$"))
