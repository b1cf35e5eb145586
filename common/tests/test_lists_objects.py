"""The toolkit's object pages (common.lists.objects, urls, services) on their own."""

from __future__ import annotations

import pytest
from django.urls import URLPattern

from apps.companies.lists import CompanyList
from apps.contacts import services
from apps.contacts.models import Contact, DeletedContacts
from apps.contacts.tests.factories import ContactFactory
from common.lists.services import objects_delete, objects_restore
from common.tests.test_lists import EventList

pytestmark = pytest.mark.django_db


def _names(patterns: list[URLPattern]) -> set[str]:
    return {p.name for p in patterns if p.name}


def test_a_list_gets_only_the_pages_it_declares():
    # The security-event list declares no forms, templates or trash: no object page at all
    # (in particular no delete route that would end in ImproperlyConfigured, a 500).
    assert _names(EventList.urls()) == {"list", "count"}
    assert _names(CompanyList.urls()) == {
        "list", "count", "create", "detail", "edit", "row", "row_edit", "delete",
        "bulk_delete", "undo",
    }  # fmt: skip


def test_undo_restores_every_stored_value_exactly(user):
    contact = ContactFactory(owner=user, company="Acme", notes="line 1\nline 2")
    Contact.objects.filter(pk=contact.pk).update(version=7)
    before = Contact.objects.values().get(pk=contact.pk)
    trash = objects_delete(model=Contact, trash_model=DeletedContacts, owner=user, ids=[contact.pk])
    assert trash is not None and not Contact.objects.filter(pk=contact.pk).exists()
    objects_restore(model=Contact, trash_model=DeletedContacts, owner=user, trash_id=trash.pk)
    assert Contact.objects.values().get(pk=contact.pk) == before  # microseconds included


def test_undo_clears_a_link_to_an_object_deleted_meanwhile(user):
    contact = ContactFactory(owner=user, company="Acme")
    trash = objects_delete(model=Contact, trash_model=DeletedContacts, owner=user, ids=[contact.pk])
    assert trash is not None
    contact.company.delete()
    services.contacts_restore(owner=user, trash_id=trash.pk)
    restored = Contact.objects.get(pk=contact.pk)
    assert (restored.company_id, restored.company_name) == (None, "")
