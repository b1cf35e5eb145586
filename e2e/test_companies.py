"""Companies in a real browser: the list, the inline editor, Undo, and the company picker."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from apps.companies.models import Company
from apps.companies.tests.factories import CompanyFactory
from apps.contacts.models import Contact
from apps.contacts.tests.factories import ContactFactory


@pytest.fixture(autouse=True)
def no_console_errors(page: Page) -> Iterator[None]:
    """Fail on any console error besides the browser's note of a 4xx answer (a 422 form).

    The ``page`` fixture of e2e/conftest.py already fails on CSP violations and script errors.
    """
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(msg.text)

    page.on("console", on_console)
    yield
    assert not errors, "\n".join(errors)


def rows(page: Page):
    return page.locator("#company-rows tr[data-row]")


def focus_by_tab(page: Page, label: str) -> None:
    """Press Tab until the field labelled LABEL has the focus (keyboard only)."""
    field = page.get_by_label(label, exact=True)
    for _ in range(30):
        if field.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {label}")


def test_create_a_company_then_search_it(page, visit, owner, check_a11y):
    CompanyFactory.create(owner=owner, name="Globex", website="https://globex.example")
    visit("/companies/")
    expect(page.locator("#company-count")).to_have_text("1 company")
    page.keyboard.press("n")
    expect(page.get_by_role("heading", name="New company")).to_be_visible()
    expect(page.get_by_label("Name")).to_be_focused()
    page.get_by_label("Name").fill("Acme Engines")
    page.get_by_label("Website").fill("acme.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Acme Engines", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="https://acme.example")).to_be_visible()
    check_a11y(page)
    assert Company.objects.get(owner=owner, name="Acme Engines").website == "https://acme.example"

    page.get_by_role("link", name="Back to list").click()
    expect(rows(page)).to_have_count(2)
    page.get_by_label("Search companies").fill("ENGINES")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("Acme Engines")
    expect(page.locator("#company-count")).to_have_text("1 company match “ENGINES”")
    expect(page).to_have_url(re.compile(r"/companies/\?q=ENGINES"))
    check_a11y(page)


def test_a_duplicate_name_is_refused_in_the_form(page, visit, owner):
    CompanyFactory.create(owner=owner, name="Acme")
    visit("/companies/new/")
    page.get_by_label("Name").fill("ACME")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("You already have a company with this name.")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("ACME")
    assert Company.objects.filter(owner=owner).count() == 1


def test_inline_edit_of_a_row_by_keyboard(page, visit, owner, check_a11y):
    acme = CompanyFactory.create(owner=owner, name="Acme", website="")
    CompanyFactory.create(owner=owner, name="Zeta", website="")
    ada = ContactFactory.create(owner=owner, first_name="Ada", last_name="Lovelace", company=acme)
    visit("/companies/")
    kb = page.keyboard
    kb.press("j")
    row = page.locator(f"#company-{acme.pk}")
    expect(row).to_have_attribute("aria-current", "true")
    kb.press("e")
    name = row.get_by_label("Name")
    expect(name).to_be_focused()
    check_a11y(page)
    kb.press("Control+a")
    kb.type("Acme Motors")
    kb.press("Enter")
    expect(row).to_contain_text("Acme Motors")
    expect(row.get_by_label("Name")).to_have_count(0)  # the editor is gone
    expect(row).to_be_focused()
    acme.refresh_from_db()
    ada.refresh_from_db()
    assert acme.name == "Acme Motors" and ada.company_name == "Acme Motors"
    # An invalid save stays in the row, with the message.
    kb.press("e")
    expect(row.get_by_label("Name")).to_be_focused()
    kb.press("Control+a")
    kb.type("zeta")
    kb.press("Enter")
    expect(row.get_by_role("alert")).to_have_text("You already have a company with this name.")
    expect(row.get_by_label("Name")).to_be_focused()
    kb.press("Escape")
    expect(row).to_contain_text("Acme Motors")
    expect(row.get_by_label("Name")).to_have_count(0)


def test_delete_and_undo_from_the_toast(page, visit, owner, check_a11y):
    acme = CompanyFactory.create(owner=owner, name="Acme")
    CompanyFactory.create(owner=owner, name="Zeta")
    ada = ContactFactory.create(owner=owner, first_name="Ada", last_name="Lovelace", company=acme)
    visit("/companies/")
    page.once("dialog", lambda d: d.accept())
    page.locator(f"#company-{acme.pk}").get_by_role("link", name="Delete Acme").click()
    expect(page.locator(f"#company-{acme.pk}")).to_have_count(0)
    toast = page.locator("#toasts [data-toast]", has_text="Deleted Acme.")
    expect(toast).to_be_visible()
    expect(page.locator("#company-count")).to_have_text("1 company")
    check_a11y(page)
    ada.refresh_from_db()
    assert ada.company_id is None
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator(f"#company-{acme.pk}")).to_be_visible()
    expect(page.get_by_text("Restored 1 company.")).to_be_visible()
    ada.refresh_from_db()
    assert ada.company_id == acme.pk and ada.company_name == "Acme"


def test_choose_a_company_with_the_picker_by_keyboard_only(page, visit, owner, check_a11y):
    acme = CompanyFactory.create(owner=owner, name="Acme Engines")
    CompanyFactory.create(owner=owner, name="Globex")
    ada = ContactFactory.create(owner=owner, first_name="Ada", last_name="Lovelace")
    visit(f"/contacts/{ada.pk}/")
    kb = page.keyboard
    kb.press("e")
    expect(page.get_by_role("heading", name="Edit Ada Lovelace")).to_be_visible()
    focus_by_tab(page, "Company")
    picker = page.get_by_role("combobox", name="Company")
    listbox = page.get_by_role("listbox", name="Companies")
    kb.type("engi")
    option = listbox.get_by_role("option", name="Acme Engines", exact=True)
    expect(option).to_be_visible()
    expect(listbox.get_by_role("option", name="Globex")).to_have_count(0)
    expect(picker).to_have_attribute("aria-expanded", "true")
    check_a11y(page)
    kb.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(picker).to_have_attribute("aria-activedescendant", re.compile(r".+"))
    kb.press("Enter")  # chooses; does not submit
    expect(picker).to_have_value("Acme Engines")
    expect(listbox).to_be_hidden()
    expect(picker).to_be_focused()
    expect(page.get_by_role("heading", name="Edit Ada Lovelace")).to_be_visible()
    kb.press("Enter")  # now it submits the form
    expect(page.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()
    company_link = page.get_by_role("link", name="Acme Engines")
    expect(company_link).to_be_visible()
    ada.refresh_from_db()
    assert ada.company_id == acme.pk
    company_link.click()
    expect(page.get_by_role("heading", name="Acme Engines", exact=True)).to_be_visible()
    contacts = page.get_by_role("table", name="Contacts")
    expect(contacts.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    check_a11y(page)


def test_a_new_company_name_typed_in_the_picker_creates_it(page, visit, owner):
    CompanyFactory.create(owner=owner, name="Acme Engines")
    ada = ContactFactory.create(owner=owner, first_name="Ada", last_name="Lovelace")
    visit(f"/contacts/{ada.pk}/edit/")
    picker = page.get_by_role("combobox", name="Company")
    picker.fill("Brand New Co")
    listbox = page.get_by_role("listbox", name="Companies")
    expect(listbox.get_by_role("option", name="New company “Brand New Co”")).to_be_visible()
    picker.press("Enter")  # no option highlighted: Enter submits what was typed
    expect(page.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Brand New Co")).to_be_visible()
    company = Company.objects.get(owner=owner, name="Brand New Co")
    ada.refresh_from_db()
    assert ada.company_id == company.pk
    visit("/companies/")
    expect(rows(page)).to_have_count(2)


def test_escape_in_the_picker_closes_the_list_not_the_row_editor(
    page, visit, owner, ada, check_a11y
):
    CompanyFactory.create(owner=owner, name="Engines Two")
    visit("/contacts/")
    row = page.locator(f"#contact-{ada.pk}")
    row.get_by_role("link", name="Edit Ada Lovelace").click()
    expect(row.get_by_label("First name")).to_be_focused()
    picker = row.get_by_role("combobox", name="Company")
    picker.focus()
    picker.press("Control+a")
    page.keyboard.type("Engines T")
    listbox = row.get_by_role("listbox", name="Companies")
    expect(listbox.get_by_role("option", name="New company “Engines T”")).to_be_visible()
    check_a11y(page)
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(picker).to_have_attribute("aria-expanded", "false")
    expect(picker).to_be_visible()  # the row editor is still open
    expect(picker).to_be_focused()
    expect(picker).to_have_value("Engines T")
    page.keyboard.press("Escape")  # the list is closed: this Escape cancels the editor
    expect(row.get_by_role("combobox")).to_have_count(0)
    expect(row).to_contain_text("Engines")
    assert Contact.objects.get(pk=ada.pk).company_name == "Engines"


def test_picker_in_the_row_editor_chooses_and_saves(page, visit, owner, ada):
    two = CompanyFactory.create(owner=owner, name="Engines Two")
    visit("/contacts/")
    row = page.locator(f"#contact-{ada.pk}")
    row.get_by_role("link", name="Edit Ada Lovelace").click()
    picker = row.get_by_role("combobox", name="Company")
    picker.focus()
    picker.press("Control+a")
    page.keyboard.type("two")
    # Wait for the answer to "two" (the list shown on focus also holds Engines Two).
    expect(row.get_by_role("option", name="New company “two”")).to_be_visible()
    option = row.get_by_role("option", name="Engines Two", exact=True)
    page.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(picker).to_have_value("Engines Two")
    expect(row.get_by_role("combobox")).to_have_count(1)  # chosen, not yet saved
    page.keyboard.press("Enter")
    expect(row.get_by_role("link", name="Engines Two")).to_be_visible()
    ada.refresh_from_db()
    assert ada.company_id == two.pk


def test_escape_before_the_options_arrive_keeps_the_list_closed(page, visit, owner, ada):
    CompanyFactory.create(owner=owner, name="Engines Two")
    visit(f"/contacts/{ada.pk}/edit/")
    picker = page.get_by_role("combobox", name="Company")
    listbox = page.get_by_role("listbox", name="Companies")
    picker.focus()
    expect(listbox).to_be_visible()  # the options shown on focus
    picker.press("End")
    page.keyboard.type(" T")
    page.keyboard.press("Escape")  # before the typed text's options arrive (200 ms later)
    expect(listbox).to_be_hidden()
    page.wait_for_timeout(800)
    expect(listbox).to_be_hidden()
    expect(picker).to_be_focused()


def test_a_click_on_an_option_chooses_it(page, visit, owner):
    CompanyFactory.create(owner=owner, name="Acme Engines")
    ada = ContactFactory.create(owner=owner, first_name="Ada", last_name="Lovelace")
    visit(f"/contacts/{ada.pk}/edit/")
    picker = page.get_by_role("combobox", name="Company")
    picker.fill("acme")
    option = page.get_by_role("option", name="Acme Engines", exact=True)
    expect(page.get_by_role("option", name="New company “acme”")).to_have_count(0)
    option.click()
    expect(picker).to_have_value("Acme Engines")
    expect(picker).to_be_focused()
    expect(picker).to_have_attribute("aria-expanded", "false")


def test_company_page_loads_more_contacts_on_scroll(page, visit, owner):
    acme = CompanyFactory.create(owner=owner, name="Acme")
    ContactFactory.create_batch(55, owner=owner, company=acme)
    ContactFactory.create_batch(2, owner=owner, company="Other")
    visit(f"/companies/{acme.pk}/")
    contacts = page.get_by_role("table", name="Contacts").locator("tr[data-row]")
    expect(contacts).to_have_count(50)
    expect(page.get_by_role("heading", name="Contacts")).to_contain_text("55")
    page.locator("#load-more").scroll_into_view_if_needed()
    expect(contacts).to_have_count(55)
    expect(page.locator("#load-more")).to_have_count(0)
