"""Unit tests for the company services (and contact_company_resolve, which uses them)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from apps.companies import services
from apps.companies.models import NAME_MAX, NOTES_MAX, WEBSITE_MAX, Company, DeletedCompanies
from apps.companies.tests.factories import CompanyFactory
from apps.contacts.models import COMPANY_MAX, Contact
from apps.contacts.services import (
    contact_company_resolve,
    contact_create,
    contact_update,
    contacts_delete,
    contacts_restore,
)
from apps.contacts.tests.factories import ContactFactory
from apps.core.idempotency import AlreadySubmitted
from common.exceptions import ApplicationError, ConflictError

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------ create
def test_create_trims_and_collapses_the_name(owner):
    company = services.company_create(
        owner=owner, data={"name": "  Acme \t  Engines ", "notes": " hi "}
    )
    company.refresh_from_db()
    assert (company.name, company.notes, company.version) == ("Acme Engines", "hi", 1)
    assert company.owner == owner


def test_create_ignores_fields_that_are_not_editable(owner, other_user):
    company = services.company_create(
        owner=owner, data={"name": "Acme", "owner": other_user, "version": 99, "id": 12345}
    )
    company.refresh_from_db()
    assert company.owner == owner and company.version == 1 and company.pk != 12345


@pytest.mark.parametrize("name", ["", "   ", None])
def test_create_needs_a_name(owner, name):
    with pytest.raises(ValidationError) as exc:
        services.company_create(owner=owner, data={"name": name, "website": "acme.com"})
    assert set(exc.value.message_dict) == {"name"}
    assert not Company.objects.exists()


def test_duplicate_name_in_another_case_is_a_field_error(owner, other_user, company):
    with pytest.raises(ValidationError) as exc:
        services.company_create(owner=owner, data={"name": "  ACME   engines "})
    assert exc.value.message_dict == {"name": ["You already have a company with this name."]}
    assert Company.objects.filter(owner=owner).count() == 1
    # Another user may have a company of the same name.
    services.company_create(owner=other_user, data={"name": "Acme Engines"})


@pytest.mark.parametrize("field", ["name", "website", "notes"])
def test_nul_bytes_are_refused_in_every_field(owner, field):
    data = {"name": "Acme", "website": "https://acme.example.com", "notes": "n"}
    data[field] = data[field] + "\x00x"
    with pytest.raises(ValidationError) as exc:
        services.company_create(owner=owner, data=data)
    assert field in exc.value.message_dict
    assert not Company.objects.exists()


def test_lone_surrogate_is_refused(owner):
    with pytest.raises(ValidationError) as exc:
        services.company_create(owner=owner, data={"name": "Acme \ud800"})
    assert "name" in exc.value.message_dict


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("acme.com", "https://acme.com"),
        ("  www.acme.com/about ", "https://www.acme.com/about"),
        ("http://acme.com", "http://acme.com"),
        ("https://acme.com/x?y=1", "https://acme.com/x?y=1"),
        ("", ""),
    ],
)
def test_website_without_a_scheme_gets_https(owner, typed, stored):
    company = services.company_create(owner=owner, data={"name": "Acme", "website": typed})
    company.refresh_from_db()
    assert company.website == stored


@pytest.mark.parametrize("website", ["not a url", "javascript:alert(1)", "ftp//x", "https://"])
def test_website_must_be_a_url(owner, website):
    with pytest.raises(ValidationError) as exc:
        services.company_create(owner=owner, data={"name": "Acme", "website": website})
    assert "website" in exc.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "n" * (NAME_MAX + 1)),
        ("website", "https://example.com/" + "p" * WEBSITE_MAX),
        ("notes", "x" * (NOTES_MAX + 1)),
    ],
)
def test_too_long_values_are_field_errors(owner, field, value):
    data = {"name": "Acme", field: value}
    with pytest.raises(ValidationError) as exc:
        services.company_create(owner=owner, data=data)
    assert set(exc.value.message_dict) == {field}
    assert not Company.objects.exists()


def test_longest_values_are_accepted(owner):
    website = "https://example.com/" + "p" * (WEBSITE_MAX - len("https://example.com/"))
    company = services.company_create(
        owner=owner, data={"name": "n" * NAME_MAX, "website": website, "notes": "x" * NOTES_MAX}
    )
    company.refresh_from_db()
    assert len(company.name) == NAME_MAX and len(company.notes) == NOTES_MAX


def test_same_submission_key_creates_one_company(owner, other_user):
    key = uuid.uuid4()
    first = services.company_create(owner=owner, data={"name": "Acme"}, submission_key=key)
    with pytest.raises(AlreadySubmitted) as exc:
        services.company_create(owner=owner, data={"name": "Acme 2"}, submission_key=key)
    assert exc.value.result_url == first.get_absolute_url()
    assert Company.objects.filter(owner=owner).count() == 1
    # Keys are per user.
    services.company_create(owner=other_user, data={"name": "Acme"}, submission_key=key)


def test_failed_create_does_not_use_up_its_submission_key(owner, company):
    key = uuid.uuid4()
    with pytest.raises(ValidationError):
        services.company_create(owner=owner, data={"name": "acme engines"}, submission_key=key)
    services.company_create(owner=owner, data={"name": "Other"}, submission_key=key)
    assert Company.objects.filter(owner=owner, name="Other").exists()


# ------------------------------------------------------------------------------ update
def test_update_bumps_version_and_refuses_a_stale_one(company):
    saved = services.company_update(company=company, data={"notes": "New notes"}, version=1)
    assert saved.version == 2
    with pytest.raises(ConflictError) as exc:
        services.company_update(company=company, data={"notes": "Stale"}, version=1)
    assert exc.value.extra["current"].notes == "New notes"
    company.refresh_from_db()
    assert company.notes == "New notes" and company.version == 2


def test_update_without_a_version_is_a_conflict(company):
    with pytest.raises(ConflictError):
        services.company_update(company=company, data={"name": "X"}, version=None)
    company.refresh_from_db()
    assert company.name == "Acme Engines" and company.version == 1


def test_update_validates_like_create(owner, company):
    CompanyFactory.create(owner=owner, name="Globex")
    with pytest.raises(ValidationError) as exc:
        services.company_update(
            company=company, data={"name": "GLOBEX", "website": "nope nope"}, version=1
        )
    assert set(exc.value.message_dict) == {"name", "website"}
    company.refresh_from_db()
    assert company.name == "Acme Engines" and company.version == 1


def test_update_may_change_only_the_case_of_the_name(company):
    saved = services.company_update(company=company, data={"name": "ACME ENGINES"}, version=1)
    assert saved.name == "ACME ENGINES"


def test_update_keeps_fields_not_in_data(company):
    services.company_update(company=company, data={"name": "Acme Two"}, version=1)
    company.refresh_from_db()
    assert company.notes == "Big client" and company.website == "https://acme.example.com"


def test_rename_updates_contacts_company_name_and_version(owner, other_user, company):
    ada = ContactFactory.create(owner=owner, company=company)
    bob = ContactFactory.create(owner=owner, company=company)
    loner = ContactFactory.create(owner=owner, company="Globex")
    assert ada.company_name == "Acme Engines"
    services.company_update(company=company, data={"name": "Acme Motors"}, version=1)
    for contact in (ada, bob):
        contact.refresh_from_db()
        assert contact.company_name == "Acme Motors" and contact.version == 2
    loner.refresh_from_db()
    assert loner.company_name == "Globex" and loner.version == 1
    # The contacts' search column follows (it is generated from company_name).
    assert set(Contact.objects.filter(search__contains="acme motors")) == {ada, bob}


def test_rename_makes_an_open_contact_form_stale(owner, company):
    ada = ContactFactory.create(owner=owner, company=company)
    services.company_update(company=company, data={"name": "Acme Motors"}, version=1)
    with pytest.raises(ConflictError):
        contact_update(contact=ada, data={"company": "Acme Engines"}, version=1)


def test_update_without_a_new_name_leaves_contacts_alone(owner, company):
    ada = ContactFactory.create(owner=owner, company=company)
    services.company_update(company=company, data={"notes": "changed"}, version=1)
    ada.refresh_from_db()
    assert ada.version == 1


# ------------------------------------------------------------------------------ delete / undo
def test_delete_unlinks_contacts_and_undo_links_them_back(owner, company):
    ada = ContactFactory.create(owner=owner, company=company)
    bob = ContactFactory.create(owner=owner, company=company)
    other = ContactFactory.create(owner=owner, company="Globex")
    before = Company.objects.filter(pk=company.pk).values().get()

    trash = services.companies_delete(owner=owner, ids=[company.pk])
    assert trash is not None and len(trash.rows) == 1
    assert not Company.objects.filter(pk=company.pk).exists()
    for contact in (ada, bob):
        contact.refresh_from_db()
        assert contact.company_id is None and contact.company_name == ""
        assert contact.version == 2
    other.refresh_from_db()
    assert other.company_name == "Globex" and other.version == 1

    assert services.companies_restore(owner=owner, trash_id=trash.pk) == 1
    assert Company.objects.filter(pk=company.pk).values().get() == before
    for contact in (ada, bob):
        contact.refresh_from_db()
        assert contact.company_id == company.pk and contact.company_name == "Acme Engines"
        assert contact.version == 3
    assert not DeletedCompanies.objects.filter(pk=trash.pk).exists()


def test_undo_leaves_a_contact_that_got_another_company_meanwhile(owner, company):
    ada = ContactFactory.create(owner=owner, company=company)
    bob = ContactFactory.create(owner=owner, company=company)
    trash = services.companies_delete(owner=owner, ids=[company.pk])
    ada.refresh_from_db()
    contact_update(contact=ada, data={"company": "Globex"}, version=ada.version)
    services.companies_restore(owner=owner, trash_id=trash.pk)
    ada.refresh_from_db()
    bob.refresh_from_db()
    assert ada.company_name == "Globex" and ada.company.name == "Globex"
    assert bob.company_id == company.pk


def test_undo_skips_a_contact_deleted_meanwhile(owner, company):
    ada = ContactFactory.create(owner=owner, company=company)
    trash = services.companies_delete(owner=owner, ids=[company.pk])
    ada.delete()
    assert services.companies_restore(owner=owner, trash_id=trash.pk) == 1
    assert Company.objects.filter(pk=company.pk).exists()


def test_undo_after_a_same_name_company_was_created_is_a_clear_error(owner, company):
    ada = ContactFactory.create(owner=owner, company=company)
    trash = services.companies_delete(owner=owner, ids=[company.pk])
    services.company_create(owner=owner, data={"name": "ACME engines"})
    with pytest.raises(ApplicationError) as exc:
        services.companies_restore(owner=owner, trash_id=trash.pk)
    assert "same name" in exc.value.message
    assert DeletedCompanies.objects.filter(pk=trash.pk).exists()  # nothing half-done
    ada.refresh_from_db()
    assert ada.company_id is None


def test_undo_twice_is_an_application_error(owner, company):
    trash = services.companies_delete(owner=owner, ids=[company.pk])
    services.companies_restore(owner=owner, trash_id=trash.pk)
    with pytest.raises(ApplicationError):
        services.companies_restore(owner=owner, trash_id=trash.pk)


def test_bulk_delete_and_undo_several(owner):
    companies = CompanyFactory.create_batch(3, owner=owner)
    contacts = [ContactFactory.create(owner=owner, company=c) for c in companies]
    trash = services.companies_delete(owner=owner, ids=[c.pk for c in companies[:2]])
    assert trash is not None and len(trash.rows) == 2
    assert list(Company.objects.filter(owner=owner)) == [companies[2]]
    assert services.companies_restore(owner=owner, trash_id=trash.pk) == 2
    for contact, company in zip(contacts, companies, strict=True):
        contact.refresh_from_db()
        assert contact.company_id == company.pk and contact.company_name == company.name


def test_delete_ignores_other_users_ids(owner, other_user, company):
    theirs = CompanyFactory.create(owner=other_user, name="Theirs")
    their_contact = ContactFactory.create(owner=other_user, company=theirs)
    assert services.companies_delete(owner=owner, ids=[theirs.pk]) is None
    trash = services.companies_delete(owner=owner, ids=[company.pk, theirs.pk])
    assert trash is not None and [row["id"] for row in trash.rows] == [company.pk]
    assert Company.objects.filter(pk=theirs.pk).exists()
    their_contact.refresh_from_db()
    assert their_contact.company_id == theirs.pk and their_contact.version == 1


def test_other_users_cannot_undo_a_delete(owner, other_user, company):
    trash = services.companies_delete(owner=owner, ids=[company.pk])
    with pytest.raises(ApplicationError):
        services.companies_restore(owner=other_user, trash_id=trash.pk)
    assert not Company.objects.filter(pk=company.pk).exists()
    assert DeletedCompanies.objects.filter(pk=trash.pk).exists()


def test_delete_of_nothing_returns_none(owner):
    assert services.companies_delete(owner=owner, ids=[]) is None
    assert services.companies_delete(owner=owner, ids=[999_999]) is None
    assert not DeletedCompanies.objects.exists()


# ------------------------------------------------------------------------------ get or create
def test_get_or_create_finds_in_any_case_or_creates(owner, other_user, company):
    assert services.company_get_or_create(owner=owner, name=" acme   ENGINES ") == company
    theirs = services.company_get_or_create(owner=other_user, name="Acme Engines")
    assert theirs is not None and theirs.owner == other_user and theirs != company
    new = services.company_get_or_create(owner=owner, name="  New   Co ")
    assert new is not None and new.name == "New Co" and new.owner == owner
    assert services.company_get_or_create(owner=owner, name="   ") is None


def test_contact_company_resolve_finds_or_creates_the_company(owner, company):
    found = contact_company_resolve(owner=owner, data={"company": "ACME engines", "x": 1})
    assert found == {"company": company, "x": 1}
    created = contact_company_resolve(owner=owner, data={"company": "Globex"})
    assert created["company"].name == "Globex" and created["company"].owner == owner
    assert contact_company_resolve(owner=owner, data={"company": ""})["company"] is None
    assert contact_company_resolve(owner=owner, data={"first_name": "A"}) == {"first_name": "A"}
    assert contact_company_resolve(owner=owner, data={"company": company}) == {"company": company}


def test_contact_create_with_a_company_name_links_it(owner, company):
    contact = contact_create(owner=owner, data={"first_name": "Ada", "company": "acme ENGINES"})
    contact.refresh_from_db()
    assert contact.company_id == company.pk and contact.company_name == "Acme Engines"
    assert Company.objects.filter(owner=owner).count() == 1


@pytest.mark.parametrize("name", ["c" * (COMPANY_MAX + 1), "Acme\x00"])
def test_contact_company_that_cannot_be_a_company_is_a_company_field_error(owner, name):
    with pytest.raises(ValidationError) as exc:
        contact_company_resolve(owner=owner, data={"company": name})
    assert set(exc.value.message_dict) == {"company"}
    with pytest.raises(ValidationError) as exc:
        contact_create(owner=owner, data={"first_name": "Ada", "company": name})
    assert "company" in exc.value.message_dict
    assert not Company.objects.exists() and not Contact.objects.exists()


def test_bulk_delete_over_the_limit_changes_nothing(owner, company):
    ada = ContactFactory.create(owner=owner, company=company)
    extra = [Company(owner=owner, name=f"Bulk {n}") for n in range(services_limit())]
    Company.objects.bulk_create(extra)
    ids = list(Company.objects.filter(owner=owner).values_list("pk", flat=True))
    with pytest.raises(ApplicationError):
        services.companies_delete(owner=owner, ids=ids)
    ada.refresh_from_db()
    assert ada.company_id == company.pk and ada.company_name == "Acme Engines"
    assert Company.objects.filter(owner=owner).count() == len(ids)


def services_limit() -> int:
    from common.lists.services import BULK_DELETE_MAX

    return BULK_DELETE_MAX


def test_undo_after_the_undo_window_is_an_application_error(owner, company, settings):
    trash = services.companies_delete(owner=owner, ids=[company.pk])
    DeletedCompanies.objects.filter(pk=trash.pk).update(
        created_at=trash.created_at - settings.RETENTION_UNDO - timedelta(seconds=1)
    )
    with pytest.raises(ApplicationError) as exc:
        services.companies_restore(owner=owner, trash_id=trash.pk)
    assert "expired" in exc.value.message


def _company_name_matches_link(contact: Contact) -> bool:
    contact.refresh_from_db()
    return contact.company_name == (contact.company.name if contact.company else "")


def test_contact_undo_after_its_company_was_renamed_shows_the_new_name(owner, company):
    ada = ContactFactory.create(owner=owner, company=company)
    trash = contacts_delete(owner=owner, ids=[ada.pk])
    services.company_update(company=company, data={"name": "Acme Motors"}, version=1)
    contacts_restore(owner=owner, trash_id=trash.pk)
    assert _company_name_matches_link(ada)


def test_contact_undo_after_its_company_was_deleted_has_no_company_name(owner, company):
    ada = ContactFactory.create(owner=owner, company=company)
    trash = contacts_delete(owner=owner, ids=[ada.pk])
    services.companies_delete(owner=owner, ids=[company.pk])
    contacts_restore(owner=owner, trash_id=trash.pk)
    assert _company_name_matches_link(ada)
