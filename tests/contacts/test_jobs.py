"""Export and import jobs end to end: the view queues a task, the real DB worker runs it."""

from __future__ import annotations

import csv
import io
import json
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from apps.companies.models import Company
from apps.contacts import jobs
from apps.contacts.models import Contact, ContactExport, ContactImport, JobStatus
from apps.contacts.tests.factories import ContactFactory
from common.lists.csvjobs.importing import Importer

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def upload(text: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.mark.django_db(transaction=True)
def test_export_through_the_database_task_backend(owner_client, owner, run_tasks):
    ContactFactory(owner=owner, first_name="=cmd", last_name="Evil", email="e@x.org")
    ContactFactory.create_batch(4, owner=owner)
    response = owner_client.post(reverse("contacts:export_start"))
    job = ContactExport.objects.get()
    assert response["Location"] == reverse("contacts:export", args=[job.pk])
    assert DBTaskResult.objects.count() == 1  # queued, not run by the request

    pending = owner_client.get(response["Location"], headers={"HX-Request": "true"})
    assert b'hx-trigger="every 1s"' in pending.content  # keeps polling

    run_tasks()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.total == 5
    done = owner_client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"every 1s" not in done.content  # polling stops
    assert b"Download CSV" in done.content

    body = b"".join(
        owner_client.get(reverse("contacts:export_download", args=[job.pk])).streaming_content
    )
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 5
    assert {r["first_name"] for r in rows} >= {"'=cmd"}  # formula injection defused


@pytest.mark.django_db
def test_failed_export_shows_error_and_retry(owner_client, owner, monkeypatch):
    job = ContactExport.objects.create(owner=owner)

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(csv, "writer", boom)
    jobs.contact_export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    page = owner_client.get(reverse("contacts:export", args=[job.pk]))
    assert b"The export failed" in page.content and b"Try again" in page.content


@pytest.mark.django_db(transaction=True)
def test_import_through_the_database_task_backend(owner_client, owner, run_tasks):
    ContactFactory(owner=owner, first_name="Old", last_name="Name", email="dup@example.com")
    text = (
        "\ufeffEmail,Name,Company,Phone,Notes,Extra\n"
        "ada@example.com,Ada Lovelace,Engines,,first,ignored\n"
        "dup@example.com,New Name,Upd Co,,,\n"
        ",,,,,\n"
        "not-an-email,Bad Email,,,,\n"
        ",,Nameless Co,,,\n"
        f"long@example.com,{'x' * 120} Y,,,,\n"
        "ada@example.com,Ada Again,,,,\n"
        "zoe@exämple.com,Zoë Ünicode,Café,,,\n"
    )
    response = owner_client.post(
        reverse("contacts:import_start"), {"file": upload(text), "duplicates": "update"}
    )
    job = ContactImport.objects.get()
    assert response["Location"] == reverse("contacts:import", args=[job.pk])
    run_tasks()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (job.created_count, job.updated_count, job.skipped_count) == (2, 1, 0)
    lines = {r["line"]: r["reason"] for r in job.rejected}
    assert set(lines) == {5, 6, 7, 8}
    assert "email" in lines[5]
    assert "Give at least a name" in lines[6]
    assert "earlier in this file" in lines[8]
    assert Contact.objects.get(email="dup@example.com").company_name == "Upd Co"
    assert Contact.objects.get(email="ada@example.com").notes == "first"
    assert Contact.objects.filter(last_name="Ünicode").exists()
    page = owner_client.get(reverse("contacts:import", args=[job.pk]))
    assert b"Rejected rows" in page.content


@pytest.mark.django_db
def test_import_skip_mode_leaves_existing_contact(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    ContactFactory(owner=owner, first_name="Keep", email="dup@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.contact_import_start(
            owner=owner,
            upload=upload("email,first_name\nDUP@example.com,Changed\n"),
            duplicates="skip",
        )
    job.refresh_from_db()
    assert (job.status, job.skipped_count, job.created_count) == (JobStatus.DONE, 1, 0)
    assert Contact.objects.get().first_name == "Keep"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        ("name,email\nZoë,z@x.org\n".encode("latin-1"), "not UTF-8"),
        (b"\x00\x01\x02PK binary", "binary"),
        (b"Ada Lovelace,ada@example.com\n", "header"),
        (b'"unterminated,\n', "header"),
    ],
)
def test_unreadable_files_get_a_clear_error_not_a_500(owner_client, content, message):
    response = owner_client.post(
        reverse("contacts:import_start"), {"file": upload(content), "duplicates": "skip"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert message in response.content.decode()
    assert not ContactImport.objects.exists()


@pytest.mark.django_db
def test_import_form_requires_a_file_and_valid_choice(owner_client):
    response = owner_client.post(reverse("contacts:import_start"), {"duplicates": "explode"})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"This field is required." in response.content


@pytest.mark.django_db
def test_too_large_upload_is_refused(owner_client, monkeypatch):
    monkeypatch.setattr(jobs.ContactCsv.import_, "max_bytes", 10)
    response = owner_client.post(
        reverse("contacts:import_start"),
        {"file": upload("name\n" + "x" * 50), "duplicates": "skip"},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"too large" in response.content


@pytest.mark.django_db
def test_malformed_row_mid_file_is_reported_and_the_rest_imported(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    text = 'name,email\nAda,a@x.org\n"Bad "quote,b@x.org\nCy,c@x.org\n"Open,d@x.org\nDi,d@x.org\n'
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.contact_import_start(owner=owner, upload=upload(text))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.created_count == 3  # Ada, Cy and Di: reading went on after each bad line
    assert [r["line"] for r in job.rejected] == [3, 5]
    assert all("not valid CSV" in r["reason"] for r in job.rejected)
    assert set(Contact.objects.values_list("email", flat=True)) == {"a@x.org", "c@x.org", "d@x.org"}


@pytest.mark.django_db
def test_user_data_hook_returns_everything_owned(owner, contact):
    from django.apps import apps

    data = apps.get_app_config("contacts").user_data(user=owner)
    assert [row["email"] for row in data["contacts_contact"]] == ["ada@example.com"]
    assert set(data) == {
        "contacts_contact",
        "contacts_contactexport",
        "contacts_contactimport",
        "contacts_deletedcontacts",
    }
    # Querysets of plain dict rows, streamed by the export; dates become ISO text there.
    json.dumps({table: list(rows) for table, rows in data.items()}, default=str)


@pytest.mark.django_db
def test_seed_demo_hook_is_idempotent(owner):
    from django.apps import apps

    config = apps.get_app_config("contacts")
    assert config.seed_demo(user=owner) == "250 contacts created"
    assert config.seed_demo(user=owner) == "250 contacts already there"
    assert Contact.objects.filter(owner=owner).values("email").distinct().count() == 250


@pytest.mark.django_db
def test_seed_contacts_command(owner):
    from django.core.management import call_command

    call_command("seed_contacts", "--user", owner.email, "--count", "30")
    call_command("seed_contacts", "--user", owner.email, "--count", "30")
    assert Contact.objects.filter(owner=owner).count() == 60


@pytest.mark.django_db
def test_job_pages_render_full_and_as_polled_partial(owner_client, owner):
    exp = ContactExport.objects.create(owner=owner, status=JobStatus.RUNNING, processed=5, total=10)
    imp = ContactImport.objects.create(owner=owner, status=JobStatus.PENDING)
    for url in (
        reverse("contacts:export", args=[exp.pk]),
        reverse("contacts:import", args=[imp.pk]),
    ):
        full = owner_client.get(url)
        assert b"<html" in full.content and b'id="job-status"' in full.content
        partial = owner_client.get(url, headers={"HX-Request": "true"})
        assert partial.content.lstrip().startswith(b'<section id="job-status"')
        assert b'hx-trigger="every 1s"' in partial.content
    assert b'value="50"' in owner_client.get(reverse("contacts:export", args=[exp.pk])).content


# ------------------------------------------------------------------------------ hostile files
def _people(n: int) -> list[str]:
    return [f"Person {i},p{i}@example.com" for i in range(1, n + 1)]


@pytest.mark.django_db
def test_nul_after_the_first_4_kib_rejects_that_line_and_imports_the_rest(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    rows = _people(1509)
    rows[1198] = "Bad\x00Person,bad@example.com"  # file line 1,200 (the header is line 1)
    text = "name,email\n" + "\n".join(rows) + "\n"
    assert text.index("\x00") > 4096
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.contact_import_start(owner=owner, upload=upload(text))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.created_count, job.rejected_count) == (1508, 1)
    assert job.rejected == [
        {"line": 1200, "reason": "first name: Null characters are not allowed."}
    ]
    assert Contact.objects.count() == 1508
    assert not Contact.objects.filter(email="bad@example.com").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8", "utf-8-sig"])
def test_utf16_and_utf8_files_with_or_without_bom_import(
    owner, settings, django_capture_on_commit_callbacks, encoding
):
    settings.TASKS = IMMEDIATE
    text = "Name,Email\r\nZoë Ünal,zoe@example.com\r\n李 小龍,lee@example.com\r\n"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data  # Excel's "Unicode text": UTF-16 LE with a BOM
    elif encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.contact_import_start(owner=owner, upload=upload(data))
    job.refresh_from_db()
    assert (job.status, job.created_count, job.rejected_count) == (JobStatus.DONE, 2, 0)
    assert set(Contact.objects.values_list("first_name", flat=True)) == {"Zoë", "李"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe" + "name\n".encode("utf-16-le") + b"\x00", "not UTF-16"),  # odd length
        (b"\xff\xfe\x00\x00\x00\x00binary", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_broken_utf16_and_binary_files_get_a_clear_error(owner_client, content, message):
    response = owner_client.post(
        reverse("contacts:import_start"), {"file": upload(content), "duplicates": "skip"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert message in response.content.decode()
    assert not ContactImport.objects.exists()


@pytest.mark.django_db
def test_size_limit_boundary(owner_client, monkeypatch):
    limit = 20 * 1024 * 1024
    assert limit == jobs.IMPORT_MAX_BYTES
    head = b"name,email\nAda,ada@example.com\n"
    exact = head + b" " * (limit - len(head))
    response = owner_client.post(
        reverse("contacts:import_start"), {"file": upload(exact), "duplicates": "skip"}
    )
    assert response.status_code == HTTPStatus.FOUND  # exactly the limit is accepted
    over = exact + b"  "
    response = owner_client.post(
        reverse("contacts:import_start"), {"file": upload(over), "duplicates": "skip"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "The file is too large (20,971,522 bytes); the limit is 20,971,520 bytes (20 MB)." in (
        response.content.decode()
    )
    assert ContactImport.objects.count() == 1


@pytest.mark.django_db
def test_nul_in_a_text_field_of_the_import_form_is_a_message(owner_client):
    response = owner_client.post(
        reverse("contacts:import_start"),
        {"file": upload("name\nAda\n"), "duplicates": "skip\x00"},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"Select a valid choice." in response.content
    assert not ContactImport.objects.exists()


@pytest.mark.django_db
def test_excel_unicode_text_utf16_with_tabs_imports(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    data = "\ufeffName\tEmail\tCompany\r\nZoë Ünal\tzoe@example.com\tA, B & Co\r\n".encode(
        "utf-16-le"
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.contact_import_start(owner=owner, upload=upload(data))
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.DONE, 1)
    assert Contact.objects.get().company_name == "A, B & Co"


def _rows_naming_companies(n: int) -> str:
    lines = ["name,email,company"]
    lines += [f"P{i} Q,p{i}@example.com,{'Acme' if i % 2 else 'Beta Ltd'}" for i in range(n)]
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_import_looks_each_company_up_once_per_batch(
    owner, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    monkeypatch.setattr(jobs.ContactCsv.import_, "progress_every", 10)  # 3 batches of 10
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = jobs.contact_import_start(owner=owner, upload=upload(_rows_naming_companies(30)))
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.DONE, 30)
    lookups = [
        q for q in queries if q["sql"].startswith("SELECT") and '"companies_company"' in q["sql"]
    ]
    # each of the 2 companies once a batch (a lookup by name is at most two queries), not
    # once a row (30 lookups and more)
    assert len(lookups) <= 2 * 3 * 2
    companies = {c.name: c for c in Company.objects.filter(owner=owner)}
    assert sorted(companies) == ["Acme", "Beta Ltd"]
    for contact in Contact.objects.filter(owner=owner):
        assert companies[contact.company_name].pk == contact.company_id


@pytest.mark.django_db
def test_import_forgets_its_companies_once_a_batch_is_saved(
    owner, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """A company deleted while an import runs is made again by the next batch."""
    settings.TASKS = IMMEDIATE
    monkeypatch.setattr(jobs.ContactCsv.import_, "progress_every", 5)
    flush = Importer.flush

    def flush_then_delete(self):
        flush(self)
        if self.job.processed == 5:  # the user deletes Acme after the first batch
            Company.objects.filter(owner=owner, name="Acme").delete()

    monkeypatch.setattr(Importer, "flush", flush_then_delete)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.contact_import_start(owner=owner, upload=upload(_rows_naming_companies(12)))
    job.refresh_from_db()
    assert (job.status, job.created_count, job.rejected_count) == (JobStatus.DONE, 12, 0)
    acme = Company.objects.get(owner=owner, name="Acme")  # made again
    later = Contact.objects.filter(
        owner=owner, company_name="Acme", email__in=[f"p{i}@example.com" for i in range(5, 12)]
    )
    assert later.count() == 4 and all(c.company_id == acme.pk for c in later)
    earlier = Contact.objects.filter(
        owner=owner, company_name="Acme", email__in=[f"p{i}@example.com" for i in range(5)]
    )
    assert earlier.count() == 2 and all(c.company_id is None for c in earlier)  # SET_NULL
