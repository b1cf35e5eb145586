"""The contacts list, declared on the app toolkit (common.lists, docs/building-an-app.md)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest

from apps.contacts import selectors
from apps.contacts.models import Contact
from apps.users.models import User
from common.lists import OwnedList


class ContactList(OwnedList):
    """Each user's address book: search, three sorts, keyset pages, a lazy count."""

    model = Contact
    # `search` is lower-cased in the database; on PostgreSQL a trigram GIN index serves
    # this LIKE '%term%' (docs/decisions/0100).
    search_field = "search"
    search_lookup = "contains"
    # Each ordering ends with the unique id and matches an index in Contact.Meta.indexes
    # (owner first).
    sorts = {
        "name": ("Name", ("last_name", "first_name", "id")),
        "company": ("Company", ("company", "id")),
        "updated": ("Recently updated", ("-updated_at", "-id")),
    }
    default_sort = "name"
    page_size = 50
    defer = ("notes", "search")
    template_name = "contacts/list.html"
    count_template_name = "contacts/count.html"
    url_name = "contacts:list"
    count_url_name = "contacts:count"

    @classmethod
    def get_extra_context(cls, request: HttpRequest) -> dict[str, Any]:
        # A callable: the template calls it only when it renders the full page.
        return {
            "latest_export": lambda: selectors.contact_export_latest(
                owner=cast("User", request.user)
            ),
        }
