"""Edits in two tabs: a save after a delete elsewhere, and conflicts merged field by field."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from apps.contacts.models import Contact


def _tab(page: Page, base_url: str, path: str) -> Page:
    """Open PATH in a second tab of the same browser (same session)."""
    other = page.context.new_page()
    other.goto(base_url + path)
    return other


def test_delete_in_one_tab_then_save_in_the_other_keeps_the_values(
    page, visit, base_url, ada, check_a11y
):
    visit(f"/contacts/{ada.pk}/edit/")  # tab A
    b = _tab(page, base_url, "/contacts/")
    b.once("dialog", lambda d: d.accept())
    b.locator(f"#contact-{ada.pk}").get_by_role("link", name="Delete Ada Lovelace").click()
    expect(b.get_by_text("Deleted Ada Lovelace.")).to_be_visible()
    assert not Contact.objects.exists()

    page.get_by_label("Phone").fill("555 0199")
    page.get_by_role("button", name="Save").click()
    notice = page.locator("[data-deleted]")
    expect(notice).to_contain_text("This contact was deleted (in another tab or device).")
    expect(page.get_by_label("Phone")).to_have_value("555 0199")  # nothing typed is lost
    expect(page.get_by_label("First name")).to_have_value("Ada")
    check_a11y(page)
    page.get_by_role("button", name="Save as new contact").click()
    expect(page.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()
    saved = Contact.objects.get()
    assert (saved.phone, saved.email, saved.company_name) == (
        "555 0199",
        "ada@example.com",
        "Engines",
    )


def test_inline_save_after_a_delete_elsewhere_offers_save_as_new(page, visit, base_url, ada):
    visit("/contacts/")
    row = page.locator(f"#contact-{ada.pk}")
    row.get_by_role("link", name="Edit Ada Lovelace").click()
    expect(row.get_by_label("First name")).to_be_focused()
    b = _tab(page, base_url, f"/contacts/{ada.pk}/delete/")
    b.get_by_role("button", name="Delete").click()
    expect(b.get_by_text("Deleted Ada Lovelace.")).to_be_visible()

    row.get_by_label("Phone").fill("555 0123")
    row.get_by_label("Phone").press("Enter")
    expect(row.get_by_role("alert")).to_contain_text("was deleted")
    expect(row.get_by_label("Phone")).to_have_value("555 0123")
    row.get_by_role("button", name="Save as new").click()
    expect(page.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()
    assert Contact.objects.get().phone == "555 0123"


def test_a_conflict_keeps_the_change_made_in_the_other_tab(page, visit, base_url, ada):
    visit(f"/contacts/{ada.pk}/edit/")  # tab A
    b = _tab(page, base_url, f"/contacts/{ada.pk}/edit/")
    b.get_by_label("Phone").fill("555 0100")
    b.get_by_role("button", name="Save").click()
    expect(b.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()

    page.get_by_label("Email").fill("augusta@example.com")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-conflict]")).to_contain_text("changed elsewhere")
    expect(page.get_by_label("Phone")).to_have_value("555 0100")  # theirs, not reverted
    expect(page.get_by_label("Email")).to_have_value("augusta@example.com")  # mine
    expect(page.locator("[data-clash]")).to_have_count(0)
    page.get_by_role("button", name="Save my values").click()
    expect(page.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()
    saved = Contact.objects.get()
    assert (saved.phone, saved.email) == ("555 0100", "augusta@example.com")


def test_a_field_changed_in_both_tabs_shows_both_values(page, visit, base_url, ada, check_a11y):
    visit(f"/contacts/{ada.pk}/edit/")  # tab A
    b = _tab(page, base_url, f"/contacts/{ada.pk}/edit/")
    b.get_by_label("Phone").fill("555 0111")
    b.get_by_role("button", name="Save").click()
    expect(b.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()

    page.get_by_label("Phone").fill("555 0222")
    page.get_by_role("button", name="Save").click()
    clash = page.locator('[data-clash="phone"]')
    expect(clash).to_contain_text("555 0222")  # mine
    expect(clash).to_contain_text("555 0111")  # theirs
    expect(page.get_by_label("Phone")).to_have_value("555 0222")
    expect(clash.get_by_role("radio", name="Keep yours")).to_be_checked()  # the default
    check_a11y(page)
    clash.get_by_role("radio", name="Use the other value").check()
    page.get_by_role("button", name="Save my values").click()
    expect(page.get_by_role("heading", name="Ada Lovelace", exact=True)).to_be_visible()
    assert Contact.objects.get().phone == "555 0111"
