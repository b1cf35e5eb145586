"""Retention enforced on read: an expired Undo or export download says so (not a 500)."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from apps.contacts import services
from apps.contacts.models import Contact, ContactExport, DeletedContacts, JobStatus
from apps.contacts.tests.factories import ContactFactory
from common.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def _delete_aged(owner, minutes: float) -> DeletedContacts:
    contact = ContactFactory(owner=owner)
    trash = services.contacts_delete(owner=owner, ids=[contact.pk])
    assert trash is not None
    DeletedContacts.objects.filter(pk=trash.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )
    return trash


def test_undo_within_the_retention_period_restores(owner):
    trash = _delete_aged(owner, minutes=9)
    assert services.contacts_restore(owner=owner, trash_id=trash.pk) == 1


def test_undo_after_the_retention_period_has_expired(owner):
    trash = _delete_aged(owner, minutes=11)
    with pytest.raises(ApplicationError, match="This undo has expired"):
        services.contacts_restore(owner=owner, trash_id=trash.pk)
    assert not Contact.objects.filter(owner=owner).exists()


def test_expired_undo_is_a_readable_error_page(owner_client, owner, settings):
    settings.RETENTION_UNDO = timedelta(minutes=1)
    trash = _delete_aged(owner, minutes=2)
    response = owner_client.post(reverse("contacts:undo", args=[trash.pk]))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This undo has expired" in response.content.decode()
    assert "1\xa0minute" in response.content.decode()


@pytest.fixture
def finished_export(owner, settings, tmp_path) -> ContactExport:
    settings.MEDIA_ROOT = tmp_path
    job = ContactExport(owner=owner, status=JobStatus.DONE, finished_at=timezone.now())
    job.file.save("contacts.csv", ContentFile(b"first_name\nAda\n"), save=True)
    return job


def test_export_download_within_the_retention_period(owner_client, finished_export):
    finished_export.finished_at = timezone.now() - timedelta(days=6)
    finished_export.save()
    response = owner_client.get(reverse("contacts:export_download", args=[finished_export.pk]))
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == b"first_name\nAda\n"


def test_expired_export_download_is_gone(owner_client, finished_export):
    finished_export.finished_at = timezone.now() - timedelta(days=8)
    finished_export.save()
    response = owner_client.get(reverse("contacts:export_download", args=[finished_export.pk]))
    assert response.status_code == HTTPStatus.GONE
    assert "This export has expired" in response.content.decode()
    assert "Start a new export" in response.content.decode()


def test_export_whose_file_is_no_longer_stored_is_gone_not_a_500(owner_client, finished_export):
    """A file purged (or lost) while its row remains answers 410 with a way forward."""
    finished_export.file.storage.delete(finished_export.file.name)
    response = owner_client.get(reverse("contacts:export_download", args=[finished_export.pk]))
    assert response.status_code == HTTPStatus.GONE
    assert "no longer available" in response.content.decode()
    assert "Start a new export" in response.content.decode()
