"""The contacts list, declared on the app toolkit (common.lists, docs/building-an-app.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.http import HttpRequest

from apps.contacts import services
from apps.contacts.forms import ContactCreateForm, ContactForm, RowForm
from apps.contacts.models import Contact, ContactExport, DeletedContacts
from common.lists import OwnedList
from common.lists.csvjobs.views import latest_export


class ContactList(OwnedList):
    """Each user's address book: search, three sorts, keyset pages, a lazy count, the
    contact pages, an inline row editor, and delete (one or many) with Undo."""

    model = Contact
    # `search` is lower-cased in the database; on PostgreSQL a trigram GIN index serves
    # this LIKE '%term%' (docs/decisions/0100).
    search_field = "search"
    search_lookup = "contains"
    # Each ordering ends with the unique id and matches an index in Contact.Meta.indexes
    # (owner first).
    sorts = {
        "name": ("Name", ("last_name", "first_name", "id")),
        "company": ("Company", ("company_name", "id")),
        "updated": ("Recently updated", ("-updated_at", "-id")),
    }
    default_sort = "name"
    page_size = 50
    defer = ("notes", "search")
    template_name = "contacts/list.html"
    count_template_name = "lists/count.html"
    count_tallied = True  # migration 0004 tallies contacts per owner
    url_name = "contacts:list"
    count_url_name = "contacts:count"

    detail_template_name = "contacts/detail.html"
    form_class = ContactForm
    create_form_class = ContactCreateForm
    form_template_name = "contacts/form.html"
    row_form_class = RowForm
    trash_model = DeletedContacts
    bulk_max = services.BULK_DELETE_MAX

    @classmethod
    def create(cls, *, owner: Any, data: Mapping[str, Any], submission_key: UUID | None) -> Contact:
        return services.contact_create(owner=owner, data=data, submission_key=submission_key)

    @classmethod
    def update(cls, *, obj: Any, data: Mapping[str, Any], version: int | None) -> Contact:
        return services.contact_update(contact=obj, data=data, version=version)

    @classmethod
    def delete(cls, *, owner: Any, ids: list[int]) -> DeletedContacts | None:
        return services.contacts_delete(owner=owner, ids=ids)

    @classmethod
    def restore(cls, *, owner: Any, trash_id: int) -> int:
        return services.contacts_restore(owner=owner, trash_id=trash_id)

    @classmethod
    def get_extra_context(cls, request: HttpRequest) -> dict[str, Any]:
        # A callable: the template calls it only when it renders the full page.
        return {"latest_export": lambda: latest_export(request=request, model=ContactExport)}
