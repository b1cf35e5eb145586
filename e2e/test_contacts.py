"""Contacts in a real browser: every interaction, checked with axe-core on each page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from apps.contacts.models import Contact, ContactImport
from apps.contacts.tests.factories import ContactFactory
from e2e.conftest import PASSWORD


def rows(page: Page):
    return page.locator("#contact-rows tr[data-row]")


def test_active_search_and_lazy_count(page, visit, owner, ada, check_a11y):
    ContactFactory(owner=owner, first_name="Grace", last_name="Hopper", company="Navy")
    ContactFactory(owner=owner, first_name="Alan", last_name="Turing", company="Bletchley")
    visit("/contacts/")
    expect(page.locator("#contact-count")).to_have_text("3 contacts")
    page.get_by_label("Search contacts").fill("nav")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("Grace Hopper")
    expect(page.locator("#contact-count")).to_have_text("1 contact match “nav”")
    expect(page).to_have_url(re.compile(r"/contacts/\?q=nav"))
    check_a11y(page)
    page.get_by_label("Search contacts").fill("")
    expect(rows(page)).to_have_count(3)
    page.get_by_role("link", name="Company").click()
    expect(page).to_have_url(re.compile(r"sort=company"))
    expect(rows(page).first).to_contain_text("Alan Turing")  # Bletchley
    page.reload()
    expect(rows(page).first).to_contain_text("Alan Turing")


def test_back_button_restores_the_search_and_its_results(page, visit, owner, ada):
    ContactFactory(owner=owner, first_name="Grace", last_name="Hopper")
    visit("/contacts/")
    page.get_by_label("Search contacts").fill("lovelace")
    expect(page).to_have_url(re.compile(r"q=lovelace"))
    expect(rows(page)).to_have_count(1)
    rows(page).first.get_by_role("link", name="Ada Lovelace", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Ada Lovelace"))).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=lovelace"))
    expect(page.get_by_label("Search contacts")).to_have_value("lovelace")
    expect(rows(page)).to_have_count(1)


def test_load_more_on_scroll(page, visit, owner):
    ContactFactory.create_batch(75, owner=owner)
    visit("/contacts/")
    expect(rows(page)).to_have_count(50)
    page.locator("#load-more").scroll_into_view_if_needed()
    expect(rows(page)).to_have_count(75)
    expect(page.locator("#load-more")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"cursor="))


def test_create_with_inline_email_validation_then_edit(page, visit, owner, ada, check_a11y):
    visit("/contacts/new/")
    hint = "Optional; checked for duplicates."
    expect(page.locator("#email-feedback")).to_have_text(hint)  # its place is never empty
    page.get_by_label("First name").fill("Augusta")
    page.get_by_label("Email").fill("ADA@example.com")
    expect(page.locator("#email-feedback")).to_have_text("Already used by Ada Lovelace.")
    check_a11y(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").first).to_contain_text("correct the marked fields")
    expect(page.get_by_label("First name")).to_have_value("Augusta")  # nothing lost
    page.get_by_label("Email").fill("augusta@example.com")
    expect(page.locator("#email-feedback")).to_have_text("Email is available.")
    page.get_by_label("Email").fill("")
    expect(page.locator("#email-feedback")).to_have_text(hint)
    page.get_by_label("Email").fill("augusta@example.com")
    expect(page.locator("#email-feedback")).to_have_text("Email is available.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Augusta")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Company").fill("Analytical")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Analytical")).to_be_visible()


def test_inline_edit_enter_saves_escape_cancels(page, visit, ada, check_a11y):
    visit("/contacts/")
    row = page.locator(f"#contact-{ada.pk}")
    row.get_by_role("link", name="Edit Ada Lovelace").click()
    first = page.get_by_label("First name")
    expect(first).to_be_focused()
    check_a11y(page)
    first.fill("Augusta")
    first.press("Enter")
    expect(row).to_contain_text("Augusta Lovelace")
    expect(row).to_be_focused()
    row.get_by_role("link", name="Edit Augusta Lovelace").click()
    page.get_by_label("First name").fill("Nobody")
    page.get_by_label("First name").press("Escape")
    expect(row).to_contain_text("Augusta Lovelace")
    expect(row).to_be_focused()
    assert Contact.objects.get().first_name == "Augusta"


def test_stale_edit_is_refused_with_current_values(page, visit, ada):
    visit(f"/contacts/{ada.pk}/edit/")
    Contact.objects.filter(pk=ada.pk).update(company_name="Changed Elsewhere", version=2)
    page.get_by_label("Company").fill("Mine")
    page.get_by_role("button", name="Save").click()
    alert = page.locator("[data-conflict]")
    expect(alert).to_contain_text("changed elsewhere")
    expect(alert).to_contain_text("Changed Elsewhere")
    expect(page.get_by_label("Company")).to_have_value("Mine")
    page.get_by_role("button", name="Save my values").click()
    expect(page.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()
    assert Contact.objects.get().company_name == "Mine"


def test_delete_and_undo(page, visit, owner, ada, check_a11y):
    ContactFactory(owner=owner, first_name="Bob", last_name="Zed")
    visit("/contacts/")
    page.once("dialog", lambda d: d.accept())
    page.locator(f"#contact-{ada.pk}").get_by_role("link", name="Delete Ada Lovelace").click()
    expect(page.locator(f"#contact-{ada.pk}")).to_have_count(0)
    toast = page.locator("#toasts [data-toast]", has_text="Deleted Ada Lovelace.")
    expect(toast).to_be_visible()
    expect(page.locator("#contact-count")).to_have_text("1 contact")
    check_a11y(page)
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator(f"#contact-{ada.pk}")).to_be_visible()
    expect(page.get_by_text("Restored 1 contact.")).to_be_visible()


def test_undo_by_keyboard_after_deleting_the_last_visible_row(page, visit, ada):
    visit("/contacts/?q=lovelace")
    kb = page.keyboard
    kb.press("j")
    page.once("dialog", lambda d: d.accept())
    kb.press("#")
    expect(rows(page)).to_have_count(0)
    expect(page.get_by_label("Search contacts")).not_to_be_focused()  # `u` must not type
    kb.press("u")
    expect(page.get_by_text("Restored 1 contact.")).to_be_visible()
    expect(page.get_by_label("Search contacts")).to_have_value("lovelace")
    assert Contact.objects.filter(pk=ada.pk).exists()


def test_bulk_delete_with_select_all(page, visit, owner):
    ContactFactory.create_batch(4, owner=owner)
    visit("/contacts/")
    page.get_by_label("Select all on this page").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("4 selected")
    rows(page).nth(1).get_by_role("checkbox").uncheck()
    expect(page.locator("[data-bulk-count]")).to_have_text("3 selected")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Delete selected").click()
    expect(page.get_by_text("Deleted 3 contacts.")).to_be_visible()
    expect(rows(page)).to_have_count(1)
    assert Contact.objects.count() == 1


def test_export_with_progress_and_download(page, visit, ada, run_tasks, check_a11y):
    """The real DB task backend: the page polls while the job waits, then offers the file."""
    visit("/contacts/")
    page.get_by_role("button", name="Export CSV").click()
    heading = page.get_by_role("heading", name=re.compile("Export #"))
    expect(heading).to_contain_text("Waiting to start")
    expect(page.locator("progress")).to_be_visible()
    expect(page.locator("#job-status")).to_have_attribute("hx-trigger", "every 1s")
    check_a11y(page)

    run_tasks()  # django-tasks-db's own worker runs the queued export
    expect(heading).to_contain_text("Done", timeout=5_000)  # reached by polling, no reload
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator("#job-status")).not_to_have_attribute("hx-trigger", "every 1s")
    check_a11y(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    content = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert "Ada,Lovelace,ada@example.com" in content


def test_import_reports_bad_rows(visit, owner, run_tasks, check_a11y, tmp_path):
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "name,email\nAda Lovelace,ada@example.com\nBad Row,not-an-email\n", encoding="utf-8"
    )
    page = visit("/contacts/import/")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name=re.compile("Import #"))).to_contain_text(
        "Waiting to start"
    )
    run_tasks()  # the real DB worker; the page learns the result by polling
    expect(page.locator("[data-import-summary]")).to_contain_text("1 created")
    expect(page.get_by_role("table")).to_contain_text("Enter a valid email address.")
    expect(page.get_by_role("cell", name="3", exact=True)).to_be_visible()
    check_a11y(page)
    assert ContactImport.objects.get().rejected_count == 1


def test_import_of_a_wrong_file_shows_a_clear_error(page, visit, owner, tmp_path):
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("name,email\nZoë,z@x.org\n".encode("latin-1"))
    visit("/contacts/import/")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("not UTF-8")


def test_keyboard_only_journey(page, visit, owner, ada, check_a11y):
    ContactFactory(owner=owner, first_name="Zed", last_name="Zulu")
    visit("/contacts/")
    kb = page.keyboard
    kb.press("/")
    expect(page.get_by_label("Search contacts")).to_be_focused()
    kb.type("lovelace")
    expect(rows(page)).to_have_count(1)
    kb.press("Escape")  # leave the field, for a place where shortcuts work
    expect(page.locator("#main")).to_be_focused()
    kb.press("j")
    expect(rows(page).first).to_have_attribute("aria-current", "true")
    kb.press("f")
    expect(rows(page).first.get_by_role("button", name="Favourite Ada Lovelace")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("#announcer")).to_have_text("Marked as favourite")  # said, not just drawn
    kb.press("x")
    expect(page.locator("[data-bulk-count]")).to_have_text("1 selected")
    kb.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Ada Lovelace"))).to_be_visible()
    kb.press("e")
    expect(page.get_by_role("heading", name="Edit Ada Lovelace")).to_be_visible()
    expect(page.get_by_label("First name")).to_be_focused()  # the form starts in its first field
    while not page.get_by_label("Company").evaluate("el => el === document.activeElement"):
        kb.press("Tab")
    kb.press("Control+a")
    kb.type("Difference Engines")
    kb.press("Enter")
    expect(page.get_by_text("Difference Engines")).to_be_visible()
    check_a11y(page)
    kb.press("#")
    expect(page.get_by_role("heading", name="Delete Ada Lovelace?")).to_be_visible()
    expect(page.get_by_role("button", name="Delete")).to_be_focused()
    check_a11y(page)
    kb.press("Enter")
    expect(page.get_by_text("Deleted Ada Lovelace.")).to_be_visible()
    assert not Contact.objects.filter(pk=ada.pk).exists()
    kb.press("u")
    expect(page.get_by_text("Restored 1 contact.")).to_be_visible()
    expect(page.get_by_role("link", name="Ada Lovelace", exact=True)).to_be_visible()
    assert Contact.objects.get(pk=ada.pk).company_name == "Difference Engines"
    kb.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_contain_text("Edit in place")
    expect(dialog).to_contain_text("Delete the contact")
    kb.press("Escape")
    expect(dialog).to_be_hidden()
    kb.press("n")
    expect(page.get_by_role("heading", name="New contact")).to_be_visible()


def test_new_contact_by_keyboard_starts_in_the_first_field(page, visit, owner):
    visit("/contacts/")
    kb = page.keyboard
    kb.press("n")
    expect(page.get_by_role("heading", name="New contact")).to_be_visible()
    expect(page.get_by_label("First name")).to_be_focused()
    kb.type("Grace")
    kb.press("Tab")
    kb.type("Hopper")
    kb.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Grace Hopper"))).to_be_visible()
    assert Contact.objects.filter(owner=owner, first_name="Grace", last_name="Hopper").exists()


def test_inline_edit_conflict_shows_current_values(page, visit, ada):
    visit("/contacts/")
    row = page.locator(f"#contact-{ada.pk}")
    row.get_by_role("link", name="Edit Ada Lovelace").click()
    # The edit form must be on screen (holding version 1) before the change elsewhere.
    expect(row.get_by_label("First name")).to_be_focused()
    Contact.objects.filter(pk=ada.pk).update(company_name="Elsewhere Ltd", version=5)
    page.get_by_label("Company").fill("Mine")
    page.get_by_label("Company").press("Enter")
    expect(row.get_by_role("alert")).to_contain_text("Changed elsewhere")
    expect(row.get_by_role("alert")).to_contain_text("Elsewhere Ltd")
    expect(page.get_by_label("Company")).to_have_value("Mine")
    page.get_by_label("Company").press("Enter")  # a deliberate overwrite
    # The saved row links to its company (the picker's options also say "Mine": not enough).
    expect(row.get_by_role("link", name="Mine", exact=True)).to_be_visible()
    assert Contact.objects.get().company_name == "Mine"


def test_row_actions_work_right_after_signing_in_through_the_form(page, visit, make_user):
    """Signing in rotates the CSRF token; htmx must send the new one, not the first page's."""
    user = make_user(email="fresh@example.com")
    ada = ContactFactory(owner=user, first_name="Ada", last_name="Lovelace")
    visit("/accounts/login/")  # the first full page load, signed out
    page.get_by_label("Email").fill("fresh@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contacts").click()
    page.once("dialog", lambda d: d.accept())
    page.locator(f"#contact-{ada.pk}").get_by_role("link", name="Delete Ada Lovelace").click()
    expect(page.get_by_text("Deleted Ada Lovelace.")).to_be_visible()
    assert not Contact.objects.filter(pk=ada.pk).exists()


def test_inline_edit_error_puts_focus_on_the_invalid_field(page, visit, owner, ada):
    grace = ContactFactory(owner=owner, first_name="Grace", last_name="Hopper", email="")
    visit("/contacts/")
    row = page.locator(f"#contact-{grace.pk}")
    row.get_by_role("link", name="Edit Grace Hopper").click()
    expect(row.get_by_label("First name")).to_be_focused()
    row.get_by_label("Email").fill("ada@example.com")
    row.get_by_label("Email").press("Enter")
    expect(row.get_by_role("alert")).to_have_text("Already used by Ada Lovelace.")
    expect(row.get_by_label("Email")).to_be_focused()  # typing goes on where the error is
    expect(row.get_by_label("First name")).to_have_value("Grace")


def test_j_past_the_last_row_loads_the_next_page(page, visit, owner):
    ContactFactory.create_batch(55, owner=owner)
    visit("/contacts/")
    for _ in range(50):
        page.keyboard.press("j")
    expect(rows(page).nth(49)).to_have_attribute("aria-current", "true")
    page.keyboard.press("j")
    expect(rows(page)).to_have_count(55)
    expect(rows(page).nth(50)).to_have_attribute("aria-current", "true")
    expect(rows(page).nth(50)).to_be_focused()


def test_failed_save_goes_on_in_the_invalid_field_and_adds_no_history(page, visit, ada):
    visit("/contacts/")
    page.get_by_role("link", name="New contact").click()
    page.get_by_label("First name").fill("Augusta")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Company").press("Enter")  # submitted from another field
    expect(page.locator("#email-feedback")).to_contain_text("Already used by Ada Lovelace.")
    expect(page.get_by_label("Email")).to_be_focused()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    page.go_back()  # one step back leaves the form: the failed save made no history entry
    expect(page.get_by_role("heading", name="Contacts", exact=True)).to_be_visible()
