"""Unit tests for the contact services and selectors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.companies.tests.factories import CompanyFactory
from apps.contacts import services
from apps.contacts.lists import ContactList
from apps.contacts.models import Contact, DeletedContacts
from apps.contacts.tests.factories import ContactFactory
from common.exceptions import ApplicationError, ConflictError
from common.lists.selectors import list_page, list_search, normalise_sort

pytestmark = pytest.mark.django_db


def test_create_strips_whitespace(owner):
    contact = services.contact_create(
        owner=owner, data={"first_name": "  Grace ", "last_name": " Hopper ", "email": " g@x.org "}
    )
    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name, contact.email) == ("Grace", "Hopper", "g@x.org")
    assert contact.version == 1


def test_create_needs_a_name_or_email(owner):
    with pytest.raises(ValidationError) as exc:
        services.contact_create(owner=owner, data={"phone": "123"})
    assert "Give at least a name or an email address." in exc.value.message_dict["__all__"]


def test_email_is_unique_per_owner_case_insensitively(owner, other_user, contact):
    with pytest.raises(ValidationError) as exc:
        services.contact_create(owner=owner, data={"first_name": "X", "email": "ADA@Example.com"})
    assert exc.value.message_dict["email"] == ["Already used by Ada Lovelace."]
    # Another user may use the same address.
    services.contact_create(owner=other_user, data={"first_name": "X", "email": "ada@example.com"})


def test_too_long_values_are_rejected(owner):
    with pytest.raises(ValidationError) as exc:
        services.contact_create(
            owner=owner, data={"first_name": "x" * 101, "notes": "n" * 5001, "email": "bad"}
        )
    assert set(exc.value.message_dict) == {"first_name", "notes", "email"}


def test_update_bumps_version_and_refuses_stale_version(contact):
    saved = services.contact_update(contact=contact, data={"company": "Analytical"}, version=1)
    assert saved.version == 2
    with pytest.raises(ConflictError) as exc:
        services.contact_update(contact=contact, data={"company": "Stale"}, version=1)
    assert exc.value.extra["current"].company_name == "Analytical"
    contact.refresh_from_db()
    assert contact.company_name == "Analytical"


def test_update_without_version_is_a_conflict(contact):
    with pytest.raises(ConflictError):
        services.contact_update(contact=contact, data={"company": "X"}, version=None)


def test_favourite_is_idempotent(contact):
    services.contact_favourite_set(contact=contact, favourite=True)
    services.contact_favourite_set(contact=contact, favourite=True)
    contact.refresh_from_db()
    assert contact.is_favourite and contact.version == 2


def test_delete_and_undo_restore_exactly(owner, other_user, contact):
    contact.notes = "likes engines"
    contact.is_favourite = True
    contact.save()
    before = Contact.objects.filter(pk=contact.pk).values().get()
    theirs = ContactFactory.create(owner=other_user)
    trash = services.contacts_delete(owner=owner, ids=[contact.pk, theirs.pk])
    assert trash is not None and len(trash.rows) == 1
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Contact.objects.filter(pk=theirs.pk).exists()  # not theirs to delete

    assert services.contacts_restore(owner=owner, trash_id=trash.pk) == 1
    assert Contact.objects.filter(pk=contact.pk).values().get() == before
    assert not DeletedContacts.objects.exists()
    with pytest.raises(ApplicationError):
        services.contacts_restore(owner=owner, trash_id=trash.pk)


def test_undo_is_owner_scoped(owner, other_user, contact):
    trash = services.contacts_delete(owner=owner, ids=[contact.pk])
    assert trash is not None
    with pytest.raises(ApplicationError):
        services.contacts_restore(owner=other_user, trash_id=trash.pk)


def test_undo_refuses_when_email_was_taken_meanwhile(owner, contact):
    trash = services.contacts_delete(owner=owner, ids=[contact.pk])
    assert trash is not None
    services.contact_create(owner=owner, data={"first_name": "New", "email": "ada@example.com"})
    with pytest.raises(ApplicationError, match="now used"):
        services.contacts_restore(owner=owner, trash_id=trash.pk)
    assert DeletedContacts.objects.filter(pk=trash.pk).exists()  # nothing lost


def test_delete_nothing_returns_none(owner):
    assert services.contacts_delete(owner=owner, ids=[]) is None


def test_search_matches_each_field_case_insensitively(owner, other_user):
    ContactFactory(
        owner=owner,
        first_name="Zelda",
        last_name="Fitzgerald",
        email="z@a.org",
        phone="+44 20 1234",
        company_name="Jazz Age Ltd",
    )
    ContactFactory(owner=other_user, first_name="Zelda", last_name="Other")
    for term in ("zel", "FITZ", "z@a.org", "20 12", "jazz age", "  zelda  "):
        found = list_search(config=ContactList, owner=owner, query=term)
        assert [c.first_name for c in found] == ["Zelda"], term
    assert not list_search(config=ContactList, owner=owner, query="nobody").exists()


def test_list_pages_through_every_contact_once_in_each_sort(owner):
    ContactFactory.create_batch(23, owner=owner)
    for sort in ContactList.sorts:
        seen: list[int] = []
        cursor: str | None = None
        while True:
            page = list_page(config=ContactList, owner=owner, sort=sort, cursor=cursor, page_size=5)
            seen.extend(c.pk for c in page.items)
            if not page.has_next:
                break
            cursor = page.next_cursor
        assert len(seen) == len(set(seen)) == 23, sort


def test_unknown_sort_falls_back_to_name():
    assert normalise_sort(config=ContactList, sort="password") == "name"


def test_merge_fills_only_the_given_values_and_bumps_the_version(owner, contact):
    engines = CompanyFactory(owner=owner, name="Engines")
    Contact.objects.filter(pk=contact.pk).update(company=engines, company_name="Engines")
    merged = services.contact_merge(
        owner=owner, contact_id=contact.pk, data={"phone": "+44 1", "company": "", "notes": ""}
    )
    contact.refresh_from_db()
    assert (contact.phone, contact.company_name, contact.version) == ("+44 1", "Engines", 2)
    assert merged.version == contact.version


def test_merge_never_reaches_another_users_contact(owner, other_user, contact):
    with pytest.raises(Contact.DoesNotExist):
        services.contact_merge(owner=other_user, contact_id=contact.pk, data={"phone": "1"})


@pytest.mark.django_db(transaction=True)
def test_an_import_update_never_overwrites_an_edit_saved_meanwhile(owner, monkeypatch):
    """Finding: the import's update read the row unlocked and saved every field back.

    An inline edit saved between that read and write was silently reverted. Now the
    merge holds the row lock: the edit waits, then sees the new version (a conflict).
    """
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    import threading

    contact = Contact.objects.get(pk=ContactFactory(owner=owner, notes="old notes", phone="").pk)
    merging, edited = threading.Event(), threading.Event()
    real_validate = services.contact_validate

    def slow_validate(*, contact, check_email=True):
        if threading.current_thread().name == "import":
            merging.set()
            edited.wait(timeout=2)  # the edit runs now, while the import is mid-write
        real_validate(contact=contact, check_email=check_email)

    monkeypatch.setattr(services, "contact_validate", slow_validate)
    outcome: list[str] = []

    def run_import() -> None:
        try:
            services.contact_merge(owner=owner, contact_id=contact.pk, data={"phone": "+1 555"})
        finally:
            connections.close_all()

    def run_edit() -> None:
        merging.wait(timeout=10)
        try:
            services.contact_update(contact=contact, data={"notes": "new notes"}, version=1)
            outcome.append("saved")
        except ConflictError:
            outcome.append("conflict")
        finally:
            edited.set()
            connections.close_all()

    threads = [
        threading.Thread(target=run_import, name="import"),
        threading.Thread(target=run_edit),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    contact.refresh_from_db()
    assert contact.phone == "+1 555"
    if outcome == ["saved"]:
        assert contact.notes == "new notes"  # a saved edit is never reverted
    else:
        assert outcome == ["conflict"]
        assert contact.notes == "old notes"
