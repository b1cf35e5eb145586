"""Retention: `purge_expired` deletes what outlived its setting, files too; the worker runs it."""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.accounts.models import DataExport, SecurityEvent
from apps.companies.models import DeletedCompanies
from apps.contacts.models import ContactExport, ContactImport, DeletedContacts, JobStatus
from apps.core import retention
from apps.core.models import SubmissionKey
from apps.core.retention import ORPHAN_FILES, expired_purge, expired_purge_if_due
from apps.core.worker import RetentionThread
from apps.users.models import User
from common.storage import private_storage

pytestmark = pytest.mark.django_db

OLD = timedelta(days=365)


@task
def noop(*, user_id: int) -> None:
    """A task done for a user."""


@pytest.fixture
def media(settings, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path
    yield tmp_path / "private"


def _job(model: Any, owner: User, *, age: timedelta, status: str = JobStatus.DONE) -> Any:
    job = model(owner=owner, status=status)
    job.file.save("f.csv", ContentFile(b"x"), save=False)
    job.created_at = job.finished_at = timezone.now() - age
    if status in (JobStatus.PENDING, JobStatus.RUNNING):
        job.finished_at = None
    job.save()
    return job


def _aged(model: Any, age: timedelta, **fields: Any) -> Any:
    row = model.objects.create(**fields)
    model.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)
    return row


def _task_result(*, age: timedelta, status: TaskResultStatus) -> DBTaskResult:
    result = DBTaskResult.objects.get(id=noop.enqueue(user_id=1).id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=status, finished_at=timezone.now() - age
    )
    return result


def test_purge_deletes_each_kind_after_its_setting_and_keeps_the_rest(
    owner, media, django_capture_on_commit_callbacks
):
    old_rows = [
        _aged(DeletedContacts, timedelta(minutes=11), owner=owner, rows=[]),
        _aged(DeletedCompanies, timedelta(minutes=11), owner=owner, rows=[]),
        _job(ContactExport, owner, age=timedelta(days=8)),
        _job(ContactImport, owner, age=timedelta(days=8), status=JobStatus.FAILED),
        _job(DataExport, owner, age=timedelta(days=8)),
        _task_result(age=timedelta(days=8), status=TaskResultStatus.SUCCESSFUL),
        _task_result(age=timedelta(days=8), status=TaskResultStatus.FAILED),
        _aged(SecurityEvent, timedelta(days=91), user=owner, kind=SecurityEvent.Kind.LOGIN),
        _aged(SubmissionKey, timedelta(days=2), owner=owner, key=uuid.uuid4()),
    ]
    kept_rows = [
        _aged(DeletedContacts, timedelta(minutes=9), owner=owner, rows=[]),
        _aged(DeletedCompanies, timedelta(minutes=9), owner=owner, rows=[]),
        _job(ContactExport, owner, age=timedelta(days=6)),
        _job(ContactImport, owner, age=OLD, status=JobStatus.RUNNING),  # never cut short
        _job(DataExport, owner, age=OLD, status=JobStatus.PENDING),
        _task_result(age=timedelta(days=6), status=TaskResultStatus.SUCCESSFUL),
        _task_result(age=OLD, status=TaskResultStatus.RUNNING),
        _aged(SecurityEvent, timedelta(days=89), user=owner, kind=SecurityEvent.Kind.LOGIN),
        _aged(SubmissionKey, timedelta(hours=23), owner=owner, key=uuid.uuid4()),
    ]
    old_files = [r.file.name for r in old_rows if hasattr(r, "file")]
    assert all((media / name).exists() for name in old_files)

    assert expired_purge(dry_run=True) == {
        "contacts.DeletedContacts": 1,
        "companies.DeletedCompanies": 1,
        "companies.CompanyExport": 0,
        "companies.CompanyImport": 0,
        "contacts.ContactExport": 1,
        "contacts.ContactImport": 1,
        "accounts.DataExport": 1,
        "django_tasks_database.DBTaskResult": 2,
        "accounts.SecurityEvent": 1,
        "core.SubmissionKey": 1,
        ORPHAN_FILES: 0,
    }
    assert all(type(r).objects.filter(pk=r.pk).exists() for r in old_rows)  # dry run

    with django_capture_on_commit_callbacks(execute=True):
        counts = expired_purge()

    assert sum(counts.values()) == 9
    assert not any(type(r).objects.filter(pk=r.pk).exists() for r in old_rows)
    assert all(type(r).objects.filter(pk=r.pk).exists() for r in kept_rows)
    assert not any((media / name).exists() for name in old_files)
    kept_files = [r.file.name for r in kept_rows if hasattr(r, "file")]
    assert all((media / name).exists() for name in kept_files)


def test_settings_change_the_periods(owner, settings):
    _aged(DeletedContacts, timedelta(minutes=2), owner=owner, rows=[])
    assert expired_purge(dry_run=True)["contacts.DeletedContacts"] == 0
    settings.RETENTION_UNDO = timedelta(minutes=1)
    assert expired_purge()["contacts.DeletedContacts"] == 1


def test_orphan_files_go_after_a_day_referenced_ones_stay(owner, media):
    job = _job(ContactExport, owner, age=timedelta(hours=1))
    storage = private_storage()
    old_orphan = storage.save("exports/lost.csv", ContentFile(b"x"))
    new_orphan = storage.save("imports/just-uploaded.csv", ContentFile(b"x"))
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    for name in (old_orphan, job.file.name):
        os.utime(media / name, (two_days_ago, two_days_ago))

    counts = expired_purge()

    assert counts[ORPHAN_FILES] == 1
    assert not (media / old_orphan).exists()
    assert (media / new_orphan).exists()
    assert (media / job.file.name).exists()


def test_command_prints_counts_and_dry_run_deletes_nothing(owner):
    _aged(SubmissionKey, timedelta(days=2), owner=owner, key=uuid.uuid4())
    out = StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert "core.SubmissionKey: 1 would be deleted" in out.getvalue()
    assert SubmissionKey.objects.exists()
    call_command("purge_expired", stdout=out)
    assert "core.SubmissionKey: 1 deleted" in out.getvalue()
    assert not SubmissionKey.objects.exists()


def test_purge_runs_once_per_interval_across_workers(owner):
    cache.clear()
    with mock.patch.object(retention, "expired_purge", return_value={}) as purge:
        assert expired_purge_if_due() == {}
        assert expired_purge_if_due() is None  # another worker, same interval
        assert purge.call_count == 1
        cache.delete(retention.PURGE_LOCK_KEY)  # the interval is over
        expired_purge_if_due()
        assert purge.call_count == 2


def test_worker_thread_purges_and_survives_errors(caplog):
    calls: list[int] = []
    twice = threading.Event()

    def flaky() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database away")
        twice.set()

    thread = RetentionThread(worker_id="w1", check_every=0.01)
    with (
        mock.patch("apps.core.retention.expired_purge_if_due", flaky),
        caplog.at_level(logging.ERROR, logger="apps.core.worker"),
    ):
        thread.start()
        assert twice.wait(5), "the thread stopped after the error"
        thread.stop()
    assert not thread.is_alive()
    assert "retention purge failed" in caplog.text


def test_every_concrete_csv_job_model_has_a_rule_without_being_listed(monkeypatch):
    """An app on the CSV toolkit (common.lists.csvjobs) needs no line in RULES."""
    from django.apps import apps
    from django.test.utils import isolate_apps

    from common.lists.csvjobs.models import ExportJob, ImportJob

    csv_jobs = {m._meta.label for m in apps.get_models() if issubclass(m, (ExportJob, ImportJob))}
    assert csv_jobs >= {"contacts.ContactExport", "contacts.ContactImport"}
    labels = [rule.model for rule in retention.retention_rules()]
    assert csv_jobs <= set(labels) and len(labels) == len(set(labels))
    assert not csv_jobs & {rule.model for rule in retention.RULES}  # derived, not listed

    with isolate_apps("apps.contacts"):  # a new app's job model, registered nowhere else

        class CompanyExport(ExportJob):
            class Meta:
                app_label = "contacts"

    real = apps.get_models
    monkeypatch.setattr(apps, "get_models", lambda: [*real(), CompanyExport])
    rule = next(r for r in retention.retention_rules() if r.model == "contacts.CompanyExport")
    assert (rule.date_field, rule.setting) == ("finished_at", "RETENTION_FILES")
