"""A row whose object was deleted elsewhere (another tab or device): its actions say so."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.contacts.models import Contact


@pytest.mark.parametrize("action", ["Favourite", "Edit", "Delete"])
def test_an_action_on_a_row_deleted_elsewhere_keeps_the_list(page, visit, ada, action):
    visit("/contacts/")
    row = page.locator(f"#contact-{ada.pk}")
    expect(row).to_be_visible()
    Contact.objects.filter(pk=ada.pk).delete()  # deleted in another tab

    page.once("dialog", lambda d: d.accept())
    row.get_by_role(
        "button" if action == "Favourite" else "link", name=f"{action} Ada Lovelace"
    ).click()
    expect(page.locator("[data-toast]").first).to_contain_text(
        "That page or item does not exist, or it is not yours."
    )
    expect(page.get_by_role("heading", name="Contacts", exact=True)).to_be_visible()
    expect(page.get_by_role("searchbox")).to_be_visible()  # the page around the list is kept
