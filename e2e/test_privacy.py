"""Private pages in a real Chromium: after logout or an edit, Back asks the server again."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from apps.contacts.tests.factories import ContactFactory

# The bytes (keys and values, UTF-16 code units) in the origin's session and local storage.
_STORED = """() => {
  const size = (store) => Object.keys(store).reduce(
    (n, key) => n + key.length + (store.getItem(key) || "").length, 0);
  return {
    bytes: size(sessionStorage) + size(localStorage),
    keys: Object.keys(sessionStorage).concat(Object.keys(localStorage)),
  };
}"""

# What may stay after logout: htmx's current-path marker, nothing like a page.
MAX_STORED_BYTES = 256


def stored(page: Page) -> dict[str, Any]:
    """Return the byte count and the keys of what the page's origin keeps in web storage."""
    result: dict[str, Any] = page.evaluate(_STORED)
    return result


def settled(page: Page) -> None:
    """Wait until the page shown after Back has run its scripts (htmx handles the next Back).

    With no snapshots, htmx answers Back by reloading the page; a second Back before the
    reloaded page's htmx is ready would change only the address bar.
    """
    page.wait_for_load_state("load")


def expect_login_page(page: Page, *private: str) -> None:
    """Wait for the sign-in page and check that none of PRIVATE is anywhere on it."""
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    settled(page)
    html = page.content()
    for text in private:
        assert text not in html, f"{text!r} is shown after logout"


def test_back_after_logout_shows_no_private_page(page, visit, make_user, login, record_property):
    user = make_user(email="private.person@example.com")
    ContactFactory(owner=user, first_name="Secret", last_name="Keeper", email="keeper@example.com")
    login(user)
    visit("/contacts/")
    page.get_by_role("link", name="Secret Keeper", exact=True).click()
    expect(page.get_by_role("heading", name="Secret Keeper", exact=True)).to_be_visible()
    page.get_by_role("banner").get_by_role("link", name="Account").click()
    expect(page.get_by_text("Signed in as private.person@example.com")).to_be_visible()

    # Something a script kept: the logout's Clear-Site-Data must drop it.
    page.evaluate(
        "localStorage.setItem('kis-probe', 'kept'); sessionStorage.setItem('kis-probe', 'kept')"
    )
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    after_logout = stored(page)
    record_property("web_storage_bytes_after_logout", after_logout["bytes"])
    print(f"web storage after logout: {after_logout}")
    assert "htmx-history-cache" not in after_logout["keys"], after_logout["bytes"]
    assert "kis-probe" not in after_logout["keys"], after_logout
    assert after_logout["bytes"] <= MAX_STORED_BYTES, after_logout

    private = ("private.person", "Secret Keeper", "keeper@example.com", "Sessions")
    page.go_back()  # the account page
    expect_login_page(page, *private)
    page.go_back()  # the contact
    expect_login_page(page, *private)
    after_back = stored(page)
    assert "htmx-history-cache" not in after_back["keys"], after_back
    assert after_back["bytes"] <= MAX_STORED_BYTES, after_back


def test_back_after_saving_the_edit_form_shows_the_new_values(page, visit, ada):
    visit(f"/contacts/{ada.pk}/")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Company").fill("Analytical")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/contacts/{ada.pk}/$"))
    expect(page.get_by_role("main").get_by_text("Analytical")).to_be_visible()

    page.go_back()  # the form, as the server has it now
    expect(page.get_by_label("Company")).to_have_value("Analytical")
    settled(page)
    page.go_back()  # the contact as first opened
    expect(page.get_by_label("Company")).to_have_count(0)
    expect(page.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Analytical")
    expect(page.get_by_role("main")).not_to_contain_text("Engines")


def test_back_after_an_inline_row_edit_shows_the_new_values(page, visit, ada):
    visit(f"/contacts/{ada.pk}/")
    expect(page.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()
    page.get_by_role("link", name="Back to list").click()
    row = page.locator(f"#contact-{ada.pk}")
    row.get_by_role("link", name="Edit Ada Lovelace").click()
    first = page.get_by_label("First name")
    expect(first).to_be_focused()
    first.fill("Augusta")
    first.press("Enter")
    expect(row).to_contain_text("Augusta Lovelace")

    page.go_back()  # the contact, opened before the edit
    expect(page.get_by_role("heading", name="Augusta Lovelace", exact=True)).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Ada Lovelace")
