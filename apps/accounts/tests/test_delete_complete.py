"""Deleting an account leaves nothing of it: no row in any table, no file on disk.

Generic on purpose: the proof snapshots every table (by primary key) and every private
file before the user exists, gives the user data in every feature, deletes the account
through the real view, and compares. A new model or file field is covered with no change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_delete
from django.tasks import task
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from apps.accounts.forms import DELETE_CONFIRMATION
from apps.accounts.models import DataExport, SecurityEvent
from apps.accounts.security import security_event_record
from apps.accounts.tests.helpers import password_login
from apps.contacts import services as contact_services
from apps.contacts.models import Contact, ContactExport, ContactImport, JobStatus
from apps.contacts.tests.factories import ContactFactory
from apps.core.models import SubmissionKey
from apps.users.models import User
from apps.users.tests.factories import UserFactory
from common.storage import private_storage

# Real transactions: files must go only once the deletion commits.
pytestmark = pytest.mark.django_db(transaction=True)

Snapshot = dict[str, set[Any]]


@task
def remember_something(*, user_id: int) -> None:
    """A background job enqueued on behalf of a user (left queued)."""


@pytest.fixture
def media(settings, tmp_path: Path) -> Iterator[Path]:
    """An empty MEDIA_ROOT for this test only."""
    settings.MEDIA_ROOT = tmp_path
    yield tmp_path


def rows() -> Snapshot:
    """Return the primary keys of every row of every table."""
    snapshot: Snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        snapshot[meta.db_table] = set(model._default_manager.values_list("pk", flat=True))
    return snapshot


def files(folder: str = "") -> set[str]:
    """Return the name of every file in the private storage (under FOLDER).

    Listed through the storage API, so the proof holds for any backend (object storage too).
    """
    storage = private_storage()
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet
        return set()
    found = {f"{folder}/{name}" if folder else name for name in names}
    for sub in folders:
        found |= files(f"{folder}/{sub}" if folder else sub)
    return found


def changed(before: Snapshot, after: Snapshot) -> dict[str, tuple[set[Any], set[Any]]]:
    """Return {table: (rows gone, rows added)} for every table that differs."""
    return {
        table: (before[table] - after[table], after[table] - before[table])
        for table in before
        if before[table] != after[table]
    }


def give_data(user: User, client: Client, run_tasks: Callable[[], None]) -> None:
    """Give USER (signed in on CLIENT) a row in every feature, and files."""
    ContactFactory.create_batch(3, owner=user)
    gone = ContactFactory(owner=user)
    contact_services.contacts_delete(owner=user, ids=[gone.pk])  # an undo snapshot
    assert client.post(reverse("contacts:export_start")).status_code == HTTPStatus.FOUND
    upload = SimpleUploadedFile("people.csv", b"name,email\nAda Lovelace,ada@x.org\n")
    response = client.post(reverse("contacts:import_start"), {"file": upload, "duplicates": "skip"})
    assert response.status_code == HTTPStatus.FOUND, response.content
    assert client.post(reverse("account_export")).status_code == HTTPStatus.FOUND
    run_tasks()
    for job in (ContactExport, ContactImport, DataExport):
        done = job.objects.get(owner=user)
        assert (done.status, bool(done.file)) == (JobStatus.DONE, True), done.error
    security_event_record(user=user, kind=SecurityEvent.Kind.PASSWORD_CHANGED)
    SubmissionKey.objects.create(owner=user, key="6f1c0a3e-8f0e-4f57-9d5a-0b9b3a8e2c11")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    remember_something.enqueue(user_id=user.pk)  # still queued when the account goes


@pytest.fixture
def stranger(media: Path, run_tasks: Callable[[], None]) -> User:
    """User B, signed in elsewhere, with data in every feature (must survive A's deletion)."""
    b = UserFactory.create(email="b@example.com")
    browser = Client()
    assert password_login(browser, b.email).status_code == HTTPStatus.FOUND
    give_data(b, browser, run_tasks)
    return b


def test_deleting_an_account_leaves_no_row_and_no_file(
    client: Client, stranger: User, media: Path, run_tasks: Callable[[], None]
) -> None:
    rows_before, files_before = rows(), files()
    assert len(files_before) == 3  # B's export, import upload and data export

    a = UserFactory.create(email="a@example.com")
    assert password_login(client, a.email).status_code == HTTPStatus.FOUND
    other_browser = Client(HTTP_USER_AGENT="Other/1.0")
    assert password_login(other_browser, a.email).status_code == HTTPStatus.FOUND
    give_data(a, client, run_tasks)  # adds TOTP: signed in before, both stay signed in
    assert len(files()) == 6
    added = {table for table, (_, new) in changed(rows_before, rows()).items() if new}
    for table in (
        "users_user",
        "account_emailaddress",
        "mfa_authenticator",
        "django_session",
        "usersessions_usersession",
        "contacts_contact",
        "contacts_deletedcontacts",
        "contacts_contactexport",
        "contacts_contactimport",
        "accounts_dataexport",
        "accounts_securityevent",
        "core_submissionkey",
        DBTaskResult._meta.db_table,
    ):
        assert table in added, table
    # Every task done for A carries user_id= (the real export and import jobs too).
    assert DBTaskResult.objects.filter(args_kwargs__kwargs__user_id=a.pk).count() == 4

    response = client.post(reverse("account_delete"), {"confirmation": DELETE_CONFIRMATION})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_deleted")
    assert changed(rows_before, rows()) == {}
    assert files() == files_before
    assert Contact.objects.filter(owner=stranger).count() == 4  # 3 + 1 imported: untouched


def test_a_deletion_that_fails_midway_deletes_no_row_and_no_file(
    client: Client, stranger: User, media: Path, run_tasks: Callable[[], None]
) -> None:
    a = UserFactory.create(email="a@example.com")
    assert password_login(client, a.email).status_code == HTTPStatus.FOUND
    give_data(a, client, run_tasks)
    rows_before, files_before = rows(), files()

    def explode(**kwargs: Any) -> None:
        # The user row goes last: every file row has been deleted (and queued) by now.
        raise RuntimeError("database gone mid-delete")

    post_delete.connect(explode, sender=User, dispatch_uid="explode")
    try:
        with pytest.raises(RuntimeError, match="mid-delete"):
            client.post(reverse("account_delete"), {"confirmation": DELETE_CONFIRMATION})
    finally:
        post_delete.disconnect(sender=User, dispatch_uid="explode")

    assert changed(rows_before, rows()) == {}
    assert files() == files_before
    assert len(files_before) == 6
