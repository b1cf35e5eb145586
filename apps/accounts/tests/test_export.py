"""Export my data: a background job building a ZIP of JSON + CSV from every ``user_data`` hook."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.accounts import services
from apps.accounts.models import DataExport, SecurityEvent
from apps.accounts.tests.helpers import age_authentication
from apps.contacts.models import DeletedContacts
from apps.contacts.tests.factories import ContactFactory
from common.jobs import JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooked_app(monkeypatch):
    """Give the core app a test-only ``user_data`` hook, as the contacts app has."""
    config = apps.get_app_config("core")

    def user_data(*, user):
        return {"notes": [{"title": f"Note of {user.email}", "tags": ["a", "b"]}]}

    monkeypatch.setattr(config, "user_data", user_data, raising=False)
    return config


IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _download(client, job) -> zipfile.ZipFile:
    response = client.get(reverse("account_export_download", args=[job.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="kis-export-')
    assert response["Cache-Control"] == "private, no-store"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _export(client, settings, capture) -> DataExport:
    """Start an export through the view and run its task at once (immediate backend)."""
    settings.TASKS = IMMEDIATE
    with capture(execute=True):
        response = client.post(reverse("account_export"))
    job = DataExport.objects.latest("created_at")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_export_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job


def _csv_rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


@pytest.mark.django_db(transaction=True)
def test_post_queues_a_job_the_worker_builds(signed_in, user, run_tasks):
    """The request only queues the export; the real DB worker builds the ZIP."""
    response = signed_in.post(reverse("account_export"))
    job = DataExport.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_export_job", args=[job.pk])
    assert job.owner == user and job.status == JobStatus.PENDING and not job.file
    task = DBTaskResult.objects.get()  # queued, not run by the request
    assert task.args_kwargs["kwargs"] == {"job_id": job.pk, "user_id": user.pk}
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.DATA_EXPORTED).exists()

    pending = signed_in.get(response["Location"], headers={"HX-Request": "true"})
    assert pending.content.lstrip().startswith(b'<section id="job-status"')
    assert b'hx-trigger="every 1s"' in pending.content  # keeps polling
    assert b'aria-busy="true"' in pending.content
    full = signed_in.get(response["Location"])
    assert b"refresh it" in full.content  # the no-JavaScript way to see progress

    run_tasks()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file
    assert job.total == job.processed > 0
    done = signed_in.get(response["Location"], headers={"HX-Request": "true"})
    assert b"every 1s" not in done.content  # polling stops
    assert b"Download ZIP" in done.content and b"Available until" in done.content
    assert "data.json" in _download(signed_in, job).namelist()


@pytest.mark.usefixtures("hooked_app")
def test_export_zip_holds_every_table_as_json_and_csv(
    signed_in, user, other_user, settings, django_capture_on_commit_callbacks
):
    ContactFactory(owner=user, first_name="Ada", email="ada@example.com")
    ContactFactory(owner=other_user, first_name="Otto", email="otto@example.com")
    job = _export(signed_in, settings, django_capture_on_commit_callbacks)
    archive = _download(signed_in, job)
    names = set(archive.namelist())
    assert {"data.json", "README.txt", "csv/profile.csv", "csv/notes.csv"} <= names
    data = json.loads(archive.read("data.json"))
    assert data["site"] == settings.SITE_NAME
    tables = data["tables"]
    assert {f"csv/{table}.csv" for table in tables} <= names  # every table has its CSV
    assert {"profile", "email_addresses", "sessions", "notes", "contacts_contact"} <= set(tables)
    assert tables["profile"][0]["email"] == user.email
    assert tables["profile"][0]["name"] == "Olive Owner"
    assert [a["email"] for a in tables["email_addresses"]] == [user.email]
    assert len(tables["sessions"]) == 1
    assert tables["notes"] == [{"title": f"Note of {user.email}", "tags": ["a", "b"]}]
    assert [c["email"] for c in tables["contacts_contact"]] == ["ada@example.com"]
    assert other_user.email not in archive.read("data.json").decode()
    assert b"otto@example.com" not in archive.read("csv/contacts_contact.csv")
    assert job.total == job.processed == sum(len(rows) for rows in tables.values())

    rows = _csv_rows(archive, "csv/notes.csv")
    assert rows == [{"title": f"Note of {user.email}", "tags": '["a", "b"]'}]
    assert _csv_rows(archive, "csv/contacts_contact.csv")[0]["email"] == "ada@example.com"
    # No secrets in an export: no session keys, no password hash.
    raw = archive.read("data.json").decode()
    assert signed_in.session.session_key not in raw
    assert user.password not in raw


def test_hostile_cells_are_defused_in_every_csv(
    signed_in, user, monkeypatch, settings, django_capture_on_commit_callbacks
):
    hostile = ['=HYPERLINK("http://evil.test","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]
    user.name = "=1+1"
    user.save(update_fields=["name"])
    ContactFactory(
        owner=user,
        first_name=hostile[0],
        last_name="-2+3",
        company=hostile[1],
        notes=hostile[2],
        phone="+44 20 7946 0000",
    )

    def user_data(*, user):
        return {"notes": ({"a": cell, "b": "\tTAB", "c": "\rCR", "n": -12} for cell in hostile)}

    monkeypatch.setattr(apps.get_app_config("core"), "user_data", user_data, raising=False)
    job = _export(signed_in, settings, django_capture_on_commit_callbacks)
    archive = _download(signed_in, job)
    csv_names = [n for n in archive.namelist() if n.startswith("csv/")]
    assert "csv/notes.csv" in csv_names and "csv/contacts_contact.csv" in csv_names
    for name in csv_names:
        for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))):
            for cell in row:
                assert (
                    not cell.startswith(FORMULA_STARTS)
                    or cell.lstrip("+-").replace(" ", "").isdigit()
                ), (name, cell)
    contact = _csv_rows(archive, "csv/contacts_contact.csv")[0]
    assert contact["first_name"] == "'" + hostile[0]
    assert contact["company_name"] == "'" + hostile[1]
    assert contact["notes"] == "'" + hostile[2]
    assert contact["last_name"] == "'-2+3"
    assert contact["phone"] == "+44 20 7946 0000"  # a phone number stays as typed
    assert _csv_rows(archive, "csv/profile.csv")[0]["name"] == "'=1+1"
    assert {r["n"] for r in _csv_rows(archive, "csv/notes.csv")} == {"-12"}
    # data.json keeps the exact values: it is data, not a spreadsheet.
    tables = json.loads(archive.read("data.json"))["tables"]
    assert tables["contacts_contact"][0]["first_name"] == hostile[0]


def test_text_with_nul_emoji_and_rtl_is_exported_exactly(user, monkeypatch):
    cells = ["nul\x00inside", "emoji 😀🏳️‍🌈", "\u202eRTL override", "مرحبا بالعالم", 'a\nb,"c"']

    def user_data(*, user):
        return {"notes": [{"text": cell} for cell in cells]}

    monkeypatch.setattr(apps.get_app_config("core"), "user_data", user_data, raising=False)
    job = DataExport.objects.create(owner=user)
    services.data_export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with job.file.open("rb") as fh, zipfile.ZipFile(fh) as archive:
        tables = json.loads(archive.read("data.json"))["tables"]
        assert [r["text"] for r in tables["notes"]] == cells
        assert [r["text"] for r in _csv_rows(archive, "csv/notes.csv")] == cells


def test_only_undo_snapshots_still_restorable_are_exported(user, settings):
    now = timezone.now()
    DeletedContacts.objects.create(owner=user, rows=[{"first_name": "Fresh"}], created_at=now)
    DeletedContacts.objects.create(
        owner=user,
        rows=[{"first_name": "Stale"}],
        created_at=now - settings.RETENTION_UNDO - timedelta(seconds=1),
    )
    job = DataExport.objects.create(owner=user)
    services.data_export_run(job_id=job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as fh, zipfile.ZipFile(fh) as archive:
        raw = archive.read("data.json").decode()
        tables = json.loads(raw)["tables"]
    assert [r["rows"] for r in tables["contacts_deletedcontacts"]] == [[{"first_name": "Fresh"}]]
    assert "Stale" not in raw


def test_failed_export_shows_the_reason_and_a_retry(signed_in, user, monkeypatch):
    def boom(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "data_export_write", boom)
    job = DataExport.objects.create(owner=user)
    services.data_export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at
    assert "failed unexpectedly" in job.error and "disk full" not in job.error
    page = signed_in.get(reverse("account_export_job", args=[job.pk]))
    assert b"failed unexpectedly" in page.content and b"Start a new export" in page.content


def test_another_users_export_is_not_found(signed_in, other_user):
    job = DataExport.objects.create(owner=other_user, status=JobStatus.DONE)
    job.file.save("x.zip", ContentFile(b"PK"), save=False)
    job.finished_at = timezone.now()
    job.save()
    for name in ("account_export_job", "account_export_download"):
        assert signed_in.get(reverse(name, args=[job.pk])).status_code == HTTPStatus.NOT_FOUND


def test_download_before_it_is_ready_is_not_found(signed_in, user):
    for status in (JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED):
        job = DataExport.objects.create(owner=user, status=status)
        response = signed_in.get(reverse("account_export_download", args=[job.pk]))
        assert response.status_code == HTTPStatus.NOT_FOUND


def test_expired_download_is_gone(signed_in, user, settings):
    job = DataExport.objects.create(owner=user, status=JobStatus.DONE)
    job.file.save("old.zip", ContentFile(b"PK"), save=False)
    job.finished_at = timezone.now() - settings.RETENTION_FILES - timedelta(seconds=1)
    job.save()
    response = signed_in.get(reverse("account_export_download", args=[job.pk]))
    assert response.status_code == HTTPStatus.GONE
    assert b"This export has expired" in response.content
    page = signed_in.get(reverse("account_export_job", args=[job.pk]))
    assert b"expired on" in page.content and b"Download ZIP" not in page.content


def test_a_second_start_while_one_runs_goes_to_the_running_one(signed_in, user):
    first = signed_in.post(reverse("account_export"))
    second = signed_in.post(reverse("account_export"))
    job = DataExport.objects.get()
    assert first["Location"] == second["Location"] == reverse("account_export_job", args=[job.pk])
    events = SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.DATA_EXPORTED)
    assert events.count() == 1


def test_the_sixth_export_in_a_day_is_refused_with_a_message(signed_in, user):
    now = timezone.now()
    DataExport.objects.create(owner=user, status=JobStatus.DONE, created_at=now - timedelta(days=2))
    for hours in range(5):
        DataExport.objects.create(
            owner=user, status=JobStatus.DONE, created_at=now - timedelta(hours=hours)
        )
    response = signed_in.post(reverse("account_export"))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert b"in the last 24 hours" in response.content
    assert b"<h1" in response.content  # the page itself, not an error page
    assert DataExport.objects.filter(owner=user).count() == 6


def test_download_needs_a_recent_login(signed_in, user):
    job = DataExport.objects.create(owner=user, status=JobStatus.DONE, finished_at=timezone.now())
    job.file.save("x.zip", ContentFile(b"PK"), save=True)
    age_authentication(signed_in)
    response = signed_in.get(reverse("account_export_download", args=[job.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_export_needs_a_recent_login(signed_in):
    age_authentication(signed_in)
    response = signed_in.post(reverse("account_export"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_export_needs_a_login(client, db):
    response = client.get(reverse("account_export"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_an_export_deleted_while_it_runs_leaves_no_file(user, monkeypatch):
    job = DataExport.objects.create(owner=user)

    def rows():
        DataExport.objects.filter(pk=job.pk).delete()  # e.g. the account was deleted
        yield {"text": "x"}

    def user_data(*, user):
        return {"notes": rows()}

    monkeypatch.setattr(apps.get_app_config("core"), "user_data", user_data, raising=False)
    saved = []
    monkeypatch.setattr(
        "django.db.models.fields.files.FieldFile.delete",
        lambda self, save=True: saved.append(self.name),
    )
    services.data_export_run(job_id=job.pk)
    assert not DataExport.objects.exists()
    assert saved and saved[0].endswith(".zip")  # the orphaned ZIP was removed
