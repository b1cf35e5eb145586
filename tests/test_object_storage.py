"""Private files in S3-compatible object storage, end to end against a real S3 API (moto).

Every path that touches a private file runs with ``STORAGES["private"]`` set to the S3
backend: an upload and its import, a contacts export and its download, a data export and
its download, account deletion (objects go once it commits) and the retention purge.
"""

from __future__ import annotations

import io
import logging
import threading
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.forms import DELETE_CONFIRMATION
from apps.accounts.models import DataExport
from apps.accounts.tests.helpers import password_login
from apps.accounts.tests.test_delete_complete import give_data
from apps.contacts.models import Contact, ContactExport, ContactImport, JobStatus
from apps.contacts.tests.factories import ContactFactory
from apps.core.retention import ORPHAN_FILES, expired_purge
from apps.users.models import User
from apps.users.tests.factories import UserFactory
from common.storage import private_storage
from tests.servers import free_port, manage, production_env

boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (requirements/base.txt)")
moto_server = pytest.importorskip(
    "moto.server", reason="moto[server] is not installed (requirements/dev.txt)"
)

REGION = "us-east-1"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}  # moto accepts any
PREFIX = "private"
STARTUP_SECONDS = 15

# Real transactions: jobs are queued, and files deleted, when a transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """Start moto's S3 server on 127.0.0.1 for this module; stop it afterwards."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    # start() waits forever when the server cannot bind: give it a bounded time instead.
    starter = threading.Thread(target=server.start, daemon=True)
    starter.start()
    starter.join(timeout=STARTUP_SECONDS)
    if starter.is_alive():
        pytest.skip(f"moto's S3 server did not start on 127.0.0.1:{port} in {STARTUP_SECONDS} s")
    yield f"http://127.0.0.1:{port}"
    server.stop()


class Bucket:
    """A fresh bucket on the moto server, and the keys in it."""

    def __init__(self, endpoint: str) -> None:
        self.name = f"kis-test-{uuid.uuid4().hex[:12]}"
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["access_key"],
            aws_secret_access_key=CREDENTIALS["secret_key"],
        )
        self.client.create_bucket(Bucket=self.name)

    def keys(self, prefix: str = "") -> set[str]:
        """Return every key under PREFIX (relative to the storage's own prefix)."""
        paginator = self.client.get_paginator("list_objects_v2")
        found: set[str] = set()
        for page in paginator.paginate(Bucket=self.name, Prefix=f"{PREFIX}/{prefix}"):
            found.update(
                item["Key"].removeprefix(f"{PREFIX}/") for item in page.get("Contents", [])
            )
        return found


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, tmp_path: Path) -> Bucket:
    """Point STORAGES["private"] at a new bucket (and MEDIA_ROOT at an empty folder)."""
    made = Bucket(s3_endpoint)
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "common.storage_s3.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": made.name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "location": PREFIX,
                **CREDENTIALS,
            },
        },
    }
    from common.storage_s3 import PrivateS3Storage

    assert isinstance(private_storage(), PrivateS3Storage)
    return made


@pytest.fixture
def no_local_files(bucket: Bucket, tmp_path: Path) -> Iterator[None]:
    """Fail if anything is written to MEDIA_ROOT/private: the bucket holds every file."""
    yield
    assert not (tmp_path / "private").exists()


def signed_in(email: str) -> tuple[User, Client]:
    """Return a new user and a client signed in through the login form (fresh login)."""
    user = UserFactory.create(email=email)
    client = Client()
    assert password_login(client, user.email).status_code == HTTPStatus.FOUND
    return user, client


@pytest.mark.usefixtures("no_local_files")
def test_upload_is_stored_in_the_bucket_and_imported(
    bucket: Bucket, run_tasks: Callable[[], None]
) -> None:
    owner, client = signed_in("owner@example.com")
    upload = SimpleUploadedFile("people.csv", b"name,email\nAda Lovelace,ada@x.org\n")

    response = client.post(reverse("contacts:import_start"), {"file": upload, "duplicates": "skip"})

    assert response.status_code == HTTPStatus.FOUND, response.content
    job = ContactImport.objects.get(owner=owner)
    assert bucket.keys("imports/") == {job.file.name}
    run_tasks()
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.DONE, 1), job.error
    assert Contact.objects.get(owner=owner).email == "ada@x.org"


def test_two_uploads_with_the_same_name_never_overwrite_each_other(bucket: Bucket) -> None:
    storage = private_storage()
    first = storage.save("imports/upload.csv", ContentFile(b"first"))
    second = storage.save("imports/upload.csv", ContentFile(b"second"))

    assert first != second
    assert bucket.keys("imports/") == {first, second}
    with storage.open(first, "rb") as fh:
        assert fh.read() == b"first"


@pytest.mark.usefixtures("no_local_files")
def test_export_is_downloaded_by_its_owner_only(
    bucket: Bucket, run_tasks: Callable[[], None]
) -> None:
    owner, client = signed_in("owner@example.com")
    ContactFactory(owner=owner, first_name="Ada", last_name="Lovelace", email="ada@x.org")
    assert client.post(reverse("contacts:export_start")).status_code == HTTPStatus.FOUND
    run_tasks()
    job = ContactExport.objects.get(owner=owner)
    assert job.status == JobStatus.DONE, job.error
    assert bucket.keys("exports/") == {job.file.name}
    url = reverse("contacts:export_download", args=[job.pk])

    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].startswith("Ada,Lovelace,ada@x.org")
    _, intruder = signed_in("intruder@example.com")
    assert intruder.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.usefixtures("no_local_files")
def test_data_export_is_downloaded_by_its_owner_only(
    bucket: Bucket, run_tasks: Callable[[], None]
) -> None:
    owner, client = signed_in("owner@example.com")
    ContactFactory(owner=owner, email="ada@x.org")
    assert client.post(reverse("account_export")).status_code == HTTPStatus.FOUND
    run_tasks()
    job = DataExport.objects.get(owner=owner)
    assert job.status == JobStatus.DONE, job.error
    assert bucket.keys("data-exports/") == {job.file.name}
    url = reverse("account_export_download", args=[job.pk])

    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "ada@x.org" in archive.read("data.json").decode()
    _, intruder = signed_in("intruder@example.com")
    assert intruder.get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_purged_data_export_answers_gone(bucket: Bucket, run_tasks: Callable[[], None]) -> None:
    owner, client = signed_in("owner@example.com")
    assert client.post(reverse("account_export")).status_code == HTTPStatus.FOUND
    run_tasks()
    job = DataExport.objects.get(owner=owner)
    bucket.client.delete_object(Bucket=bucket.name, Key=f"{PREFIX}/{job.file.name}")

    response = client.get(reverse("account_export_download", args=[job.pk]))

    assert response.status_code == HTTPStatus.GONE


@pytest.mark.usefixtures("no_local_files")
def test_account_deletion_removes_its_objects_and_no_other(
    bucket: Bucket, run_tasks: Callable[[], None]
) -> None:
    stranger, stranger_client = signed_in("b@example.com")
    give_data(stranger, stranger_client, run_tasks)
    kept = bucket.keys()
    assert len(kept) == 3  # B's export, import upload and data export
    owner, client = signed_in("a@example.com")
    give_data(owner, client, run_tasks)
    assert len(bucket.keys()) == 6

    response = client.post(reverse("account_delete"), {"confirmation": DELETE_CONFIRMATION})

    assert response.status_code == HTTPStatus.FOUND
    assert not User.objects.filter(pk=owner.pk).exists()
    assert bucket.keys() == kept


@pytest.mark.usefixtures("no_local_files")
def test_purge_deletes_expired_and_orphan_objects(bucket: Bucket) -> None:
    owner = UserFactory.create()
    expired = ContactExport(owner=owner, status=JobStatus.DONE)
    expired.file.save("old.csv", ContentFile(b"x"), save=False)
    expired.created_at = expired.finished_at = timezone.now() - timedelta(days=30)
    expired.save()
    fresh = ContactExport(owner=owner, status=JobStatus.DONE, finished_at=timezone.now())
    fresh.file.save("new.csv", ContentFile(b"x"))
    orphan = private_storage().save("imports/2020/01/lost.csv", ContentFile(b"x"))
    assert bucket.keys() == {expired.file.name, fresh.file.name, orphan}

    # Two days on: the orphan is past its day of grace; the fresh export is still kept.
    counts = expired_purge(now=timezone.now() + timedelta(days=2))

    assert counts["contacts.ContactExport"] == 1
    assert counts[ORPHAN_FILES] == 1
    assert bucket.keys() == {fresh.file.name}


def test_private_objects_have_no_url_and_no_public_acl(bucket: Bucket) -> None:
    storage = private_storage()
    name = storage.save("exports/x.csv", ContentFile(b"x"))

    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=f"{PREFIX}/{name}")["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner's alone


def test_production_settings_choose_the_bucket_from_the_environment(s3_endpoint: str) -> None:
    made = Bucket(s3_endpoint)
    env = production_env(
        DATABASE_URL="sqlite:///unused.sqlite3",
        KIS_S3_BUCKET=made.name,
        KIS_S3_ENDPOINT_URL=s3_endpoint,
        KIS_S3_REGION=REGION,
        AWS_ACCESS_KEY_ID=CREDENTIALS["access_key"],
        AWS_SECRET_ACCESS_KEY=CREDENTIALS["secret_key"],
    )
    code = (
        "from django.core.files.base import ContentFile\n"
        "from common.storage import private_storage\n"
        "storage = private_storage()\n"
        "name = storage.save('exports/p.csv', ContentFile(b'from production'))\n"
        "print(type(storage._wrapped).__name__, name)\n"
    )

    kind, name = manage(env, "shell", "-c", code).splitlines()[-1].split()

    assert kind == "PrivateS3Storage"
    assert made.keys() == {name}
