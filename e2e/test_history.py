"""History and scrolling of a list page: active search, Back/Forward, the lazy count.

Typing a search pushes one history entry (its first keystroke) and replaces it while
the typing goes on (static/js/app.js, ``htmx:beforeHistoryUpdate``); Back and Forward
reload the page from the server (no htmx snapshots, docs/decisions/0010), so the box,
the URL and the results always agree. Parking focus on ``<main>`` never scrolls.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from apps.contacts.tests.factories import ContactFactory

DEBOUNCE_MS = 250  # hx-trigger="input changed delay:250ms" (templates/lists/search_form.html)


def rows(page: Page):
    return page.locator("#contact-rows tr[data-row]")


def _type_slowly(page: Page, text: str) -> None:
    """Type TEXT into the search box one key at a time, each answered before the next."""
    box = page.get_by_label("Search contacts")
    box.focus()
    typed = ""
    for char in text:
        typed += char
        page.keyboard.type(char)
        page.wait_for_timeout(DEBOUNCE_MS + 200)
        expect(page).to_have_url(re.compile(rf"[?&]q={re.escape(typed)}(&|$)"))


def test_search_makes_one_history_entry_and_the_box_follows_back_and_forward(
    page, visit, owner, ada
):
    ContactFactory(owner=owner, first_name="Grace", last_name="Hopper", email="grace@example.com")
    ContactFactory(owner=owner, first_name="Alan", last_name="Turing", email="alan@example.com")
    visit("/contacts/")
    expect(page.locator("#contact-count")).to_have_text("3 contacts")
    entries = page.evaluate("history.length")

    _type_slowly(page, "ada")
    expect(rows(page)).to_have_count(1)
    assert page.evaluate("history.length") == entries + 1  # one entry for the search

    page.go_back()  # once: the list before the search
    expect(page).to_have_url(re.compile(r"/contacts/$"))
    expect(page.locator("#contact-count")).to_have_text("3 contacts")
    expect(page.get_by_label("Search contacts")).to_have_value("")
    expect(rows(page)).to_have_count(3)

    page.go_forward()  # the search again: box, URL and results agree
    expect(page).to_have_url(re.compile(r"/contacts/\?q=ada(&|$)"))
    expect(page.locator("#contact-count")).to_have_text("1 contact match “ada”")
    expect(page.get_by_label("Search contacts")).to_have_value("ada")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("Ada Lovelace")


def test_a_new_search_after_leaving_the_box_is_a_new_entry(page, visit, owner, ada):
    ContactFactory(owner=owner, first_name="Grace", last_name="Hopper", email="grace@example.com")
    visit("/contacts/")
    expect(page.locator("#contact-count")).to_have_text("2 contacts")
    _type_slowly(page, "ada")
    page.locator("#main").focus()  # the search is done
    page.get_by_label("Search contacts").fill("grace")
    expect(page).to_have_url(re.compile(r"q=grace"))
    expect(rows(page).first).to_contain_text("Grace Hopper")
    page.go_back()  # the first search, as the user left it
    expect(page).to_have_url(re.compile(r"q=ada(&|$)"))
    expect(page.get_by_label("Search contacts")).to_have_value("ada")
    expect(rows(page)).to_have_count(1)


def test_loading_the_list_does_not_scroll_when_the_count_arrives(page, visit, owner):
    ContactFactory.create_batch(60, owner=owner)  # taller than the window
    page.set_viewport_size({"width": 1280, "height": 600})
    visit("/contacts/")
    expect(page.locator("#contact-count")).to_have_text("60 contacts")
    page.wait_for_timeout(100)  # let the settle and its focus run
    assert page.evaluate("document.documentElement.scrollHeight > innerHeight")
    assert page.evaluate("window.scrollY") == 0
