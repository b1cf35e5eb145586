"""Jobs that always end: a dead worker or a failed task fails the job; Retry runs it again."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.contacts import jobs
from apps.contacts.models import Contact, ContactExport, ContactImport, JobStatus
from apps.contacts.tasks import export_contacts, import_contacts
from apps.core.worker import tasks_recover_stale
from apps.users.models import User
from common.jobs import TASK_FAILED, WORKER_STOPPED
from common.lists.csvjobs.importing import Importer

WORKER_STOPPED_TEXT = "The worker stopped while this was running. Retry to run it again."


def _stale(result_id: str) -> DBTaskResult:
    """Claim task RESULT_ID by a worker that never beat, two minutes ago."""
    result = DBTaskResult.objects.get(id=result_id)
    result.claim("gone")
    DBTaskResult.objects.filter(id=result.id).update(
        started_at=timezone.now() - timedelta(minutes=2)
    )
    return result


def _running_export(owner: User) -> tuple[ContactExport, DBTaskResult]:
    job = ContactExport.objects.create(owner=owner, status=JobStatus.RUNNING, total=10)
    job.file.save("partial.csv", ContentFile(b"first_name\n"), save=True)
    result = _stale(export_contacts.enqueue(job_id=job.pk, user_id=owner.pk).id)
    return job, result


CSV_ROWS = [
    "name,email",
    "Ann A,ann@example.com",
    "No Email One,",
    "Bob B,bob@example.com",
    "No Email Two,",
    "Cy C,cy@example.com",
    "No Email Three,",
    "Di D,di@example.com",
]


def _import_job(owner: User) -> ContactImport:
    job = ContactImport(owner=owner, original_name="people.csv")
    job.file.save("upload.csv", ContentFile("\n".join(CSV_ROWS).encode()), save=False)
    job.save()
    return job


@pytest.mark.django_db
def test_worker_recovery_fails_the_job_with_a_reason_the_user_sees(owner, owner_client):
    job, _result = _running_export(owner)

    assert tasks_recover_stale(older_than=timedelta(seconds=60)) == 1

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == WORKER_STOPPED == WORKER_STOPPED_TEXT
    assert job.finished_at is not None
    page = owner_client.get(reverse("contacts:export", args=[job.pk]), headers={"HX-Request": "1"})
    assert b"every 1s" not in page.content  # polling stops
    assert WORKER_STOPPED_TEXT in page.content.decode()
    assert reverse("contacts:export_retry", args=[job.pk]) in page.content.decode()


@pytest.mark.django_db
def test_worker_recovery_fails_an_import_too(owner):
    job = _import_job(owner)
    ContactImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    _stale(import_contacts.enqueue(job_id=job.pk, user_id=owner.pk).id)
    tasks_recover_stale(older_than=timedelta(seconds=60))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == WORKER_STOPPED


@pytest.mark.django_db(transaction=True)
def test_requeue_resets_the_job_so_the_rerun_really_runs(owner, run_tasks):
    Contact.objects.create(owner=owner, first_name="Ann")
    job, _result = _running_export(owner)
    partial = str(job.file.name)

    call_command("recover_tasks", "--older-than", "60", "--requeue")

    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.processed == 0 and not job.file
    assert not job.file.storage.exists(partial)  # the partial file is gone
    run_tasks()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.total == 1


@pytest.mark.django_db
def test_a_page_reconciles_a_running_job_whose_task_failed(owner, owner_client):
    job, result = _running_export(owner)
    result.set_failed(RuntimeError("gone"))  # failed, but nothing updated the job row

    page = owner_client.get(reverse("contacts:export", args=[job.pk]), headers={"HX-Request": "1"})

    assert b"every 1s" not in page.content
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == TASK_FAILED


@pytest.mark.django_db
def test_a_page_reconciles_a_job_the_worker_lost(owner, owner_client):
    job = _import_job(owner)
    ContactImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    result = _stale(import_contacts.enqueue(job_id=job.pk, user_id=owner.pk).id)
    from apps.core.worker import WorkerLostError

    result.set_failed(WorkerLostError("worker gone stopped"))  # e.g. before this release

    page = owner_client.get(reverse("contacts:import", args=[job.pk]))
    assert WORKER_STOPPED_TEXT in page.content.decode()
    assert reverse("contacts:import_retry", args=[job.pk]) in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_task_that_raises_fails_its_job(owner, run_tasks, monkeypatch):
    job = ContactExport.objects.create(owner=owner)
    export_contacts.enqueue(job_id=job.pk, user_id=owner.pk)

    def boom(*, job_id: int) -> None:
        raise MemoryError("out of memory")

    monkeypatch.setattr("apps.contacts.tasks.contact_export_run", boom)
    run_tasks()

    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == TASK_FAILED


@pytest.mark.django_db(transaction=True)
def test_retry_of_an_import_resumes_without_duplicate_contacts(
    owner, owner_client, run_tasks, monkeypatch
):
    monkeypatch.setattr(jobs.ContactCsv.import_, "progress_every", 3)  # a batch every 3 rows
    job = _import_job(owner)
    real_row = Importer.row

    def dies_at_line_6(self, line, cells):
        if line == 6:
            raise RuntimeError("worker died here")
        return real_row(self, line, cells)

    monkeypatch.setattr(Importer, "row", dies_at_line_6)
    jobs.contact_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert Contact.objects.filter(owner=owner).count() == 3  # the first batch was saved
    monkeypatch.setattr(Importer, "row", real_row)

    response = owner_client.post(reverse("contacts:import_retry", args=[job.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("contacts:import", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.error == ""
    run_tasks()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    names = sorted(Contact.objects.filter(owner=owner).values_list("first_name", flat=True))
    assert names == sorted(["Ann", "No Email", "Bob", "No Email", "Cy", "No Email", "Di"])
    assert (job.created_count, job.skipped_count, job.rejected_count) == (7, 0, 0)


@pytest.mark.django_db
def test_retry_is_for_the_owner_and_failed_jobs_only(owner, owner_client, other_user):
    job = ContactExport.objects.create(owner=owner, status=JobStatus.FAILED, error="x")
    stranger = Client()
    stranger.force_login(other_user)
    assert (
        stranger.post(reverse("contacts:export_retry", args=[job.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        owner_client.get(reverse("contacts:export_retry", args=[job.pk])).status_code
        == HTTPStatus.METHOD_NOT_ALLOWED
    )
    done = ContactExport.objects.create(owner=owner, status=JobStatus.DONE)
    owner_client.post(reverse("contacts:export_retry", args=[done.pk]))
    done.refresh_from_db()
    assert done.status == JobStatus.DONE  # nothing to retry
    assert not DBTaskResult.objects.exists()
