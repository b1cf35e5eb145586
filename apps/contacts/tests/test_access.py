"""Only the owner reaches a contact or a job: 404 for everyone else, login for anonymous."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from apps.contacts.models import Contact, ContactExport, ContactImport, DeletedContacts, JobStatus

pytestmark = pytest.mark.django_db

CONTACT_URLS = [
    ("get", "contacts:detail"),
    ("get", "contacts:edit"),
    ("post", "contacts:edit"),
    ("get", "contacts:row"),
    ("post", "contacts:row"),
    ("get", "contacts:row_edit"),
    ("post", "contacts:favourite"),
    ("get", "contacts:delete"),
    ("post", "contacts:delete"),
]


@pytest.fixture
def intruder(other_user) -> Client:
    client = Client()
    client.force_login(other_user)
    return client


@pytest.fixture
def export_job(owner):
    job = ContactExport.objects.create(owner=owner, status=JobStatus.DONE)
    job.file.save("x.csv", ContentFile(b"first_name\nAda\n"))
    return job


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(("method", "name"), CONTACT_URLS)
def test_other_users_get_404_for_every_contact_url(intruder, contact, method, name, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"first_name": "Hacked", "version": "1", "favourite": "1"} if method == "post" else None
    response = getattr(intruder, method)(reverse(name, args=[contact.pk]), data, headers=headers)
    assert response.status_code == HTTPStatus.NOT_FOUND
    contact.refresh_from_db()
    assert contact.first_name == "Ada" and not contact.is_favourite


@pytest.mark.parametrize(("method", "name"), CONTACT_URLS)
def test_anonymous_is_sent_to_login_for_every_contact_url(client, contact, method, name):
    response = getattr(client, method)(reverse(name, args=[contact.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_jobs_and_files_are_private(intruder, owner, export_job):
    imp = ContactImport.objects.create(owner=owner, file=ContentFile(b"", name="i.csv"))
    for url in (
        reverse("contacts:export", args=[export_job.pk]),
        reverse("contacts:export_download", args=[export_job.pk]),
        reverse("contacts:import", args=[imp.pk]),
    ):
        assert intruder.get(url).status_code == HTTPStatus.NOT_FOUND, url


def test_undo_of_someone_elses_delete_is_refused(intruder, owner, contact):
    trash = DeletedContacts.objects.create(owner=owner, rows=[])
    response = intruder.post(reverse("contacts:undo", args=[trash.pk]))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert DeletedContacts.objects.filter(pk=trash.pk).exists()


def test_bulk_delete_ignores_other_users_ids(intruder, contact):
    intruder.post(reverse("contacts:bulk_delete"), {"ids": [contact.pk]})
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_owner_downloads_export(owner_client, export_job):
    response = owner_client.get(reverse("contacts:export_download", args=[export_job.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"first_name\nAda\n"
    assert "no-store" in response["Cache-Control"]


def test_export_files_are_not_under_a_public_url(export_job, settings):
    assert export_job.file.path.startswith(str(settings.MEDIA_ROOT / "private"))
    with pytest.raises(ValueError):
        _ = export_job.file.url
