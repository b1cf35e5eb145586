"""Companies' CSV export and import (jobs.py), through the views and the real task worker."""

from __future__ import annotations

import csv
import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.companies.models import Company, CompanyExport, CompanyImport
from apps.companies.tests.factories import CompanyFactory
from apps.contacts.tests.factories import ContactFactory
from common.jobs import JobStatus

pytestmark = pytest.mark.django_db(transaction=True)


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("companies.csv", text.encode(), content_type="text/csv")


def test_export_writes_every_company_of_the_owner_only(owner_client, owner, other_user, run_tasks):
    CompanyFactory(owner=owner, name="=HYPERLINK(1)", website="https://acme.example")
    CompanyFactory(owner=owner, name="Globex")
    CompanyFactory(owner=other_user, name="Not mine")
    response = owner_client.post(reverse("companies:export_start"))
    job = CompanyExport.objects.get()
    assert response["Location"] == reverse("companies:export", args=[job.pk])
    run_tasks()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    body = b"".join(
        owner_client.get(reverse("companies:export_download", args=[job.pk])).streaming_content
    )
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["name"] for r in rows] == ["'=HYPERLINK(1)", "Globex"]  # defused, own only
    assert rows[0]["website"] == "https://acme.example"


def test_import_creates_skips_duplicates_by_name_and_reports_bad_rows(
    owner_client, owner, run_tasks
):
    CompanyFactory(owner=owner, name="Acme", notes="kept")
    text = (
        "Company,URL,Notes\n"
        "acme,acme.example,new notes\n"  # line 2: an existing name in another case: skipped
        "Globex,globex.example,\n"  # line 3: created, https:// added
        ",not a url at all,\n"  # line 4: no name
        "Initech,,\n"  # line 5: created
        "INITECH,,\n"  # line 6: repeated in the file
    )
    response = owner_client.post(
        reverse("companies:import_start"), {"file": _upload(text), "duplicates": "skip"}
    )
    job = CompanyImport.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    run_tasks()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.created_count, job.skipped_count, job.rejected_count) == (2, 1, 2)
    assert set(Company.objects.filter(owner=owner).values_list("name", flat=True)) == {
        "Acme",
        "Globex",
        "Initech",
    }
    assert Company.objects.get(name="Globex").website == "https://globex.example"
    assert Company.objects.get(name="Acme").notes == "kept"
    lines = {entry["line"] for entry in job.rejected}
    assert {2, 4, 6} <= lines  # skipped duplicates are listed by line, with the rejections
    page = owner_client.get(reverse("companies:import", args=[job.pk]))
    assert b"Line 4" in page.content or b">4<" in page.content


def test_import_update_mode_fills_the_existing_company_and_keeps_its_contacts(
    owner_client, owner, run_tasks
):
    acme = CompanyFactory(owner=owner, name="Acme", website="")
    ada = ContactFactory(owner=owner, company=acme)
    text = "name,website\nACME,acme.example\n"
    owner_client.post(
        reverse("companies:import_start"), {"file": _upload(text), "duplicates": "update"}
    )
    run_tasks()
    acme.refresh_from_db()
    ada.refresh_from_db()
    assert (acme.name, acme.website, acme.version) == ("Acme", "https://acme.example", 2)
    assert ada.company_id == acme.pk


def test_an_invalid_upload_is_422_and_queues_nothing(owner_client):
    response = owner_client.post(
        reverse("companies:import_start"),
        {"file": _upload("colour,size\nred,big\n"), "duplicates": "skip"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"a name column" in response.content
    assert not CompanyImport.objects.exists()
