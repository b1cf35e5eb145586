"""The CSV jobs toolkit (common.lists.csvjobs) through a tiny second declaration.

``CompanyCsv`` declares what the Companies app needs: export (name, website, notes) and
import keyed on the company name (any case), with its own header aliases, labels and URL
namespace. It borrows contacts' job tables (a job model is any ExportJob / ImportJob), so
it proves the toolkit needs nothing else of contacts'.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from apps.companies.models import Company
from apps.contacts.models import ContactExport, ContactImport, JobStatus
from apps.users.models import User
from apps.users.tests.factories import UserFactory
from common.lists.csvjobs import CsvExport, CsvImport, CsvJobs
from common.lists.csvjobs.exporting import csv_export_run, csv_export_start
from common.lists.csvjobs.importing import csv_import_run, csv_import_start

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("test_templates"),
    pytest.mark.urls(__name__),
]


def _build(*, owner: User, data: dict[str, str], memo: dict[Any, Any]) -> Company:
    company = Company(owner=owner, **data)
    company.full_clean(exclude=["owner"], validate_constraints=False)
    return company


def _merge(*, owner: User, pk: int, data: dict[str, str]) -> None:
    Company.objects.get(owner=owner, pk=pk)  # DoesNotExist when gone
    Company.objects.filter(owner=owner, pk=pk).update(notes=data.get("notes", ""))


class CompanyCsv(CsvJobs):
    model = Company  # labels: its verbose names, "company" / "companies"
    namespace = "tiny"
    list_url_name = "tiny:list"
    export = CsvExport(
        job_model=ContactExport,
        columns=("name", "website", "notes"),
        rows=lambda *, owner: (
            Company.objects.filter(owner=owner)
            .order_by("id")
            .values_list("name", "website", "notes")
        ),
        filename="companies",
    )
    import_ = CsvImport(
        job_model=ContactImport,
        aliases={
            **dict.fromkeys(("name", "company", "organisation"), "name"),
            **dict.fromkeys(("website", "url", "web", "homepage"), "website"),
            **dict.fromkeys(("notes", "note"), "notes"),
        },
        required=("name",),
        required_label="a name column",
        example="name,website,notes",
        key_field="name",
        build=_build,
        merge=_merge,
        max_reported=2,
    )


def tiny_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("list")


urlpatterns = [
    path("tiny/", include(([path("", tiny_list, name="list"), *CompanyCsv.urls()], "tiny"))),
    path("", include("config.urls")),  # the app shell (base.html) links to the real pages
]


@pytest.fixture
def me() -> User:
    return UserFactory.create(email="me@example.com")


@pytest.fixture
def client_me(me: User) -> Client:
    client = Client()
    client.force_login(me)
    return client


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("companies.csv", text.encode(), content_type="text/csv")


def _import(owner: User, text: str, duplicates: str = "skip") -> ContactImport:
    job = csv_import_start(
        config=CompanyCsv, owner=owner, upload=upload(text), duplicates=duplicates
    )
    csv_import_run(config=CompanyCsv, job_id=job.pk)  # what the task does
    job.refresh_from_db()
    assert isinstance(job, ContactImport)
    return job


# ------------------------------------------------------------------------------ declaration
def test_a_declaration_is_checked_when_it_is_made():
    with pytest.raises(ImproperlyConfigured, match="export, import_ or both"):

        class Nothing(CsvJobs):
            model = Company
            namespace = "x"
            list_url_name = "x:list"

    with pytest.raises(ImproperlyConfigured, match="key_field 'nope'"):

        class BadKey(CsvJobs):
            model = Company
            namespace = "x"
            list_url_name = "x:list"
            import_ = CsvImport(
                job_model=ContactImport,
                aliases={"name": "name"},
                required=("name",),
                required_label="a name column",
                example="name",
                key_field="nope",
                build=_build,
            )


def test_the_urls_keep_the_contacts_names_and_paths():
    names = [p.name for p in CompanyCsv.urls()]
    assert names == [
        "export_start",
        "export",
        "export_download",
        "export_retry",
        "import_start",
        "import",
        "import_retry",
    ]
    assert [str(p.pattern) for p in CompanyCsv.urls()][:2] == ["export/", "exports/<int:pk>/"]


# ------------------------------------------------------------------------------ import
def test_a_malformed_line_mid_file_is_reported_by_line_and_the_rest_imported(me):
    text = 'name,notes\nAcme,one\n"Bad "quote,two\nBeta,three\n"Open,four\nGamma,five\n'
    job = _import(me, text)
    assert job.status == JobStatus.DONE
    assert job.created_count == 3
    assert set(Company.objects.values_list("name", flat=True)) == {"Acme", "Beta", "Gamma"}
    assert [(r["line"], r["reason"][:13]) for r in job.rejected] == [
        (3, "not valid CSV"),
        (5, "not valid CSV"),
    ]


def test_skipped_duplicates_are_listed_by_line_apart_from_rejections(me, client_me):
    for name in ("ACME", "beta", "Gamma"):
        Company.objects.create(owner=me, name=name)
    text = "Organisation,Notes\nacme,x\nNew,y\nBeta,z\nnew,again\ngamma,third\n"
    job = _import(me, text)
    assert (job.created_count, job.skipped_count, job.rejected_count) == (1, 3, 1)
    assert job.rejected_rows == [{"line": 5, "reason": "name new appears earlier in this file"}]
    assert job.skipped_rows == [  # capped at max_reported (2) per kind; the count is right
        {"line": 2, "reason": "name acme is already in your companies", "kind": "skipped"},
        {"line": 4, "reason": "name Beta is already in your companies", "kind": "skipped"},
    ]
    page = client_me.get(reverse("tiny:import", args=[job.pk])).content.decode()
    assert "Skipped duplicates (first 2 of 3)" in page and "Rejected rows" in page
    assert "name Beta is already in your companies" in page
    assert "See your companies" in page


def test_update_mode_merges_through_the_declared_function(me):
    Company.objects.create(owner=me, name="Acme", notes="old")
    job = _import(me, "company,notes\nACME,new\n", duplicates="update")
    assert (job.created_count, job.updated_count, job.skipped_count) == (0, 1, 0)
    assert Company.objects.get().notes == "new"


def test_a_retry_resumes_after_the_saved_batches(me, monkeypatch):
    monkeypatch.setattr(CompanyCsv.import_, "progress_every", 2)
    calls = {"n": 0}

    def flaky(*, owner, data, memo):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker died")
        return _build(owner=owner, data=data, memo=memo)

    monkeypatch.setattr(CompanyCsv.import_, "build", flaky)
    job = _import(me, "name\nA\nB\nC\nD\n")
    assert job.status == JobStatus.FAILED and job.processed == 2
    ContactImport.objects.filter(pk=job.pk).update(status=JobStatus.PENDING)
    csv_import_run(config=CompanyCsv, job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.created_count == 4
    assert sorted(Company.objects.values_list("name", flat=True)) == ["A", "B", "C", "D"]


def test_the_upload_form_names_the_declared_columns_and_refuses_with_422(client_me):
    form = client_me.get(reverse("tiny:import_start")).content.decode()
    assert "Import companies from CSV" in form
    assert "<code>name</code>, <code>website</code>, <code>notes</code>" in form
    assert "When a row is already there" in form and "Up to 20 MB" in form
    response = client_me.post(
        reverse("tiny:import_start"), {"file": upload("email\nx\n"), "duplicates": "skip"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "with at least a name column (e.g. name,website,notes)" in response.content.decode()
    response = client_me.post(
        reverse("tiny:import_start"), {"file": upload("name\nAcme\n"), "duplicates": "skip"}
    )
    job = ContactImport.objects.get()
    assert response["Location"] == reverse("tiny:import", args=[job.pk])


def test_job_pages_are_the_owners_only(me, client_me):
    job = ContactImport.objects.create(owner=me)
    stranger = Client()
    stranger.force_login(UserFactory.create(email="other@example.com"))
    for name in ("import", "import_retry"):
        method = stranger.post if name.endswith("retry") else stranger.get
        assert method(reverse(f"tiny:{name}", args=[job.pk])).status_code == HTTPStatus.NOT_FOUND
    partial = client_me.get(reverse("tiny:import", args=[job.pk]), headers={"HX-Request": "true"})
    assert partial.content.lstrip().startswith(b'<section id="job-status"')


# ------------------------------------------------------------------------------ export
def test_export_writes_the_declared_columns_and_labels(me, client_me):
    Company.objects.create(owner=me, name="=Acme", website="https://acme.example", notes="n")
    job = csv_export_start(config=CompanyCsv, owner=me)
    csv_export_run(config=CompanyCsv, job_id=job.pk)
    job.refresh_from_db()
    name = str(job.file.name)
    assert job.status == JobStatus.DONE and name.startswith("exports/") and "/companies-" in name
    with job.file.open("rb") as fh:
        assert fh.read().decode("utf-8-sig") == (
            "name,website,notes\r\n'=Acme,https://acme.example,n\r\n"
        )
    page = client_me.get(reverse("tiny:export", args=[job.pk])).content.decode()
    assert "1 company exported." in page and "Back to companies" in page
    download = client_me.get(reverse("tiny:export_download", args=[job.pk]))
    assert f"companies-{job.created_at:%Y-%m-%d}.csv" in str(download["Content-Disposition"])
