"""Keyboard in a real browser: single-key shortcuts on/off, the grouped help, Delete on the
selection, the cursor after delete and undo, and toasts that wait and never cover controls."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from apps.contacts.models import Contact
from apps.contacts.tests.factories import ContactFactory


def rows(page: Page):
    return page.locator("#contact-rows tr[data-row]")


def cursor_row(page: Page):
    return page.locator('#contact-rows tr[data-row][aria-current="true"]')


def people(owner, *last_names: str) -> list[Contact]:
    return [ContactFactory.create(owner=owner, first_name="P", last_name=n) for n in last_names]


def test_single_key_shortcuts_off_answer_only_with_alt(page, visit, owner, ada, check_a11y):
    owner.single_key_shortcuts = False
    owner.save()
    visit("/contacts/")
    search = page.get_by_label("Search contacts")
    kb = page.keyboard
    for key in ("j", "/", "n", "x", "?"):
        kb.press(key)
    expect(cursor_row(page)).to_have_count(0)
    expect(search).not_to_be_focused()
    expect(search).to_have_value("")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/contacts/$"))
    expect(page.locator("[data-bulk-count]")).not_to_have_text("1 selected")
    # The hints and aria-keyshortcuts say what to press now.
    new = page.get_by_role("link", name=re.compile("New contact"))
    expect(new.locator("kbd")).to_have_text("Alt+n")
    expect(new).to_have_attribute("aria-keyshortcuts", "Alt+n")

    kb.press("Alt+j")
    expect(rows(page).first).to_have_attribute("aria-current", "true")
    kb.press("Alt+/")
    expect(search).to_be_focused()
    expect(search).to_have_value("")  # the key typed nothing
    kb.press("Escape")
    kb.press("Alt+?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_contain_text("Single-key shortcuts are off")
    next_row = dialog.get_by_role("row", name=re.compile("Move to the next row"))
    expect(next_row).to_contain_text("Alt+j")
    check_a11y(page)
    kb.press("Escape")

    # Keys that type no character work as before: Delete, then Undo with Alt+u.
    page.once("dialog", lambda d: d.accept())
    kb.press("Delete")
    toast = page.locator("#toasts [data-toast]", has_text="Deleted Ada Lovelace.")
    expect(toast.get_by_role("button", name=re.compile("Undo"))).to_contain_text("Alt+u")
    kb.press("u")
    expect(page.get_by_text("Restored 1 contact.")).to_have_count(0)
    kb.press("Alt+u")
    expect(page.get_by_text("Restored 1 contact.")).to_be_visible()
    kb.press("Alt+n")
    expect(page.get_by_role("heading", name="New contact")).to_be_visible()


def test_turning_them_off_on_the_account_page_applies_at_once(page, visit, owner, check_a11y):
    visit("/accounts/")
    box = page.get_by_label("Single-key shortcuts")
    expect(box).to_be_checked()
    box.uncheck()
    page.get_by_role("button", name="Save keyboard settings").click()
    expect(page.get_by_text("Keyboard settings saved.")).to_be_visible()
    expect(page.get_by_label("Single-key shortcuts")).not_to_be_checked()
    check_a11y(page)
    owner.refresh_from_db()
    assert owner.single_key_shortcuts is False

    page.locator("#main").focus()
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    page.keyboard.press("?")
    expect(dialog).to_be_hidden()  # applied to this page without a reload
    page.keyboard.press("Alt+?")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contacts").click()
    expect(page.get_by_role("heading", name="Contacts", exact=True)).to_be_visible()
    page.keyboard.press("n")
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"/contacts/$"))
    page.keyboard.press("Alt+n")
    expect(page.get_by_role("heading", name="New contact")).to_be_visible()

    visit("/accounts/")
    page.get_by_label("Single-key shortcuts").check()
    page.get_by_role("button", name="Save keyboard settings").click()
    expect(page.get_by_text("Keyboard settings saved.")).to_be_visible()
    page.locator("#main").focus()
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    owner.refresh_from_db()
    assert owner.single_key_shortcuts is True


def test_help_groups_every_shortcut_by_area_one_row_per_action(page, visit, ada, check_a11y):
    visit("/contacts/")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()

    def area(name: str):
        return dialog.get_by_role("table", name=name)

    expect(area("Everywhere")).to_contain_text("Show keyboard shortcuts")
    expect(area("Everywhere")).to_contain_text("Cancel, close, or leave a field")
    expect(area("On this page")).to_contain_text("New contact")
    expect(area("On this page")).to_contain_text("Search contacts")
    in_list = area("In the list")
    for action in (
        "Move to the next row",
        "Move to the previous row",
        "Open the row",
        "Select the contact",
        "Edit in place",
        "Delete the contact, or every selected one",
        "Toggle favourite",
    ):
        expect(in_list.get_by_role("row", name=re.compile(re.escape(action)))).to_have_count(1)
    next_row = in_list.get_by_role("row", name=re.compile("Move to the next row"))
    expect(next_row).to_contain_text("j")
    expect(next_row).to_contain_text("Down arrow")
    expect(next_row).not_to_contain_text("Enter")
    # `u` works only while an Undo toast shows, and is listed all the same.
    expect(page.locator("#toasts [data-toast]")).to_have_count(0)
    expect(area("After a delete")).to_contain_text("u")
    expect(area("After a delete")).to_contain_text("Undo the delete")
    check_a11y(page)


def test_delete_with_rows_selected_deletes_them_all_and_keeps_the_cursor(page, visit, owner):
    able, baker, carter, _dunn = people(owner, "Able", "Baker", "Carter", "Dunn")
    visit("/contacts/")
    kb = page.keyboard
    kb.press("j")
    kb.press("x")
    kb.press("j")
    kb.press("x")
    kb.press("j")  # the cursor on Carter, which is not selected
    expect(page.locator("[data-bulk-count]")).to_have_text("2 selected")
    asked: list[str] = []

    def accept(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    kb.press("Delete")
    expect(page.get_by_text("Deleted 2 contacts.")).to_be_visible()
    assert asked == ["Delete the selected contacts?"]  # the confirmation stays
    expect(rows(page)).to_have_count(2)
    assert set(Contact.objects.values_list("last_name", flat=True)) == {"Carter", "Dunn"}
    expect(page.locator(f"#contact-{carter.pk}")).to_have_attribute("aria-current", "true")
    expect(page.locator(f"#contact-{carter.pk}")).to_be_focused()

    kb.press("u")
    expect(page.get_by_text("Restored 2 contacts.")).to_be_visible()
    expect(rows(page)).to_have_count(4)
    expect(page.locator(f"#contact-{able.pk}")).to_have_attribute("aria-current", "true")
    expect(cursor_row(page)).to_have_count(1)
    assert Contact.objects.filter(pk=baker.pk).exists()


def test_hash_with_rows_selected_deletes_them_all(page, visit, owner):
    people(owner, "Able", "Baker", "Carter")
    visit("/contacts/")
    rows(page).nth(0).get_by_role("checkbox").check()
    rows(page).nth(2).get_by_role("checkbox").check()
    page.locator("#main").focus()
    page.once("dialog", lambda d: d.accept())
    page.keyboard.press("#")
    expect(page.get_by_text("Deleted 2 contacts.")).to_be_visible()
    assert list(Contact.objects.values_list("last_name", flat=True)) == ["Baker"]


def test_cursor_stays_on_a_sensible_row_after_delete_and_undo(page, visit, owner):
    _able, baker, carter = people(owner, "Able", "Baker", "Carter")
    visit("/contacts/")
    kb = page.keyboard
    kb.press("j")
    kb.press("j")
    expect(page.locator(f"#contact-{baker.pk}")).to_have_attribute("aria-current", "true")
    page.once("dialog", lambda d: d.accept())
    kb.press("#")
    expect(page.locator(f"#contact-{baker.pk}")).to_have_count(0)
    expect(page.locator(f"#contact-{carter.pk}")).to_have_attribute("aria-current", "true")
    kb.press("u")
    expect(page.get_by_text("Restored 1 contact.")).to_be_visible()
    expect(page.locator(f"#contact-{baker.pk}")).to_have_attribute("aria-current", "true")
    expect(page.locator(f"#contact-{baker.pk}")).to_be_focused()
    kb.press("j")  # and the keys go on from there
    expect(page.locator(f"#contact-{carter.pk}")).to_have_attribute("aria-current", "true")


def test_undo_toast_waits_while_focused_or_hovered_and_is_reached_by_tab(page, visit, ada):
    page.clock.install()
    visit("/contacts/")
    page.once("dialog", lambda d: d.accept())
    page.locator(f"#contact-{ada.pk}").get_by_role("link", name="Delete Ada Lovelace").click()
    toast = page.locator("#toasts [data-toast]", has_text="Deleted Ada Lovelace.")
    expect(toast).to_be_visible()
    undo = toast.get_by_role("button", name=re.compile("Undo"))
    page.locator("#main").focus()
    for _ in range(60):
        if undo.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(undo).to_be_focused()
    page.clock.fast_forward(30_000)
    expect(toast).to_be_visible()  # focused: it waits
    toast.hover()
    page.locator("#main").focus()
    page.clock.fast_forward(30_000)
    expect(toast).to_be_visible()  # hovered: it waits
    page.mouse.move(0, 0)
    page.clock.fast_forward(11_000)
    expect(toast).to_have_count(0)  # then it goes on and leaves


def test_toasts_never_cover_the_cursor_row(page, visit, owner):
    page.set_viewport_size({"width": 1024, "height": 600})
    ContactFactory.create_batch(30, owner=owner)
    visit("/contacts/")
    page.once("dialog", lambda d: d.accept())
    rows(page).first.get_by_role("link", name=re.compile("^Delete")).click()
    toast = page.locator("#toasts [data-toast]").first
    expect(toast).to_be_visible()
    page.locator("#main").focus()
    for _ in range(25):
        page.keyboard.press("j")
    row = cursor_row(page)
    expect(row).to_be_focused()
    row_box = row.bounding_box()
    toast_box = toast.bounding_box()
    assert row_box and toast_box
    assert row_box["y"] + row_box["height"] <= toast_box["y"] + 1, (row_box, toast_box)
    # Scrolled to the end, the last row's actions are clear of the toast too.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    last = rows(page).last.get_by_role("link", name=re.compile("^Delete"))
    box = last.bounding_box()
    assert box
    assert box["y"] + box["height"] <= toast.bounding_box()["y"] + 1
