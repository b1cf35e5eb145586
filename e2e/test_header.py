"""The header on a phone: nothing runs off screen, and its menu works by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ("/", "/contacts/", "/companies/", "/accounts/")


def _overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [320, 390])
def test_signed_in_pages_fit_a_phone(page: Page, visit, ada, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    for path in PAGES:
        visit(path)
        assert _overflow(page) <= 0, path  # wide tables scroll inside their own box


def test_signed_out_header_fits_a_phone(page: Page, visit) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    visit("/accounts/login/")
    assert _overflow(page) <= 0


def test_phone_menu_opens_and_closes_by_keyboard(page: Page, visit, base_url, ada) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    visit("/contacts/")
    menu = page.locator("summary", has_text="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    companies = page.get_by_role("link", name="Companies")
    expect(companies).to_be_visible()
    page.keyboard.press("Escape")
    expect(companies).to_be_hidden()
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    companies.click()
    expect(page).to_have_url(f"{base_url}/companies/")  # not page.url: it may have moved on
    expect(page.get_by_role("heading", name="Companies", level=1)).to_be_visible()
