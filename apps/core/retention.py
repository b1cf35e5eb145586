"""Retention: delete what KIS keeps only for a while, once its time is up (docs/retention.md).

Each rule names a model, the date its age counts from, the setting that says how long
it is kept, and which rows qualify. Files of deleted rows go with them once each batch
commits (django-cleanup). Files in the private storage that no row references are
deleted too, after a day's grace (an upload is stored just before its row commits).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone

from common.jobs import JobStatus
from common.lists.csvjobs.models import ExportJob, ImportJob
from common.lists.models import Trash
from common.storage import private_storage

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
ORPHAN_FILE_GRACE = timedelta(days=1)
PURGE_LOCK_KEY = "kis:retention:purge"
FINISHED_JOB = Q(status__in=[JobStatus.DONE, JobStatus.FAILED])


@dataclass(frozen=True)
class RetentionRule:
    """Rows of MODEL whose DATE_FIELD is older than settings.SETTING (and match EXTRA)."""

    model: str
    date_field: str
    setting: str
    extra: Q = field(default_factory=Q)

    def queryset(self, *, now: datetime) -> models.QuerySet[models.Model]:
        """Return the expired rows at NOW."""
        limit = now - getattr(settings, self.setting)
        model = apps.get_model(self.model)
        manager: models.Manager[models.Model] = model._default_manager
        return manager.filter(self.extra, **{f"{self.date_field}__lt": limit})


RULES: tuple[RetentionRule, ...] = (
    # Every concrete Trash (undo snapshots) has its rule too (trash_rules, below).
    # Every concrete CSV ExportJob / ImportJob has its rule too (csv_job_rules, below).
    RetentionRule("accounts.DataExport", "finished_at", "RETENTION_FILES", FINISHED_JOB),
    RetentionRule(
        "django_tasks_database.DBTaskResult",
        "finished_at",
        "RETENTION_TASK_RESULTS",
        Q(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]),
    ),
    RetentionRule("accounts.SecurityEvent", "created_at", "RETENTION_SECURITY_LOG"),
    RetentionRule("core.SubmissionKey", "created_at", "RETENTION_SUBMISSION_KEYS"),
)
ORPHAN_FILES = "orphan private files"


def csv_job_rules() -> tuple[RetentionRule, ...]:
    """Return a rule for each installed concrete CSV job model (common.lists.csvjobs).

    A finished export or import, and its file, goes after RETENTION_FILES, so an app
    declared on the toolkit needs no line here.
    """
    return tuple(
        RetentionRule(model._meta.label, "finished_at", "RETENTION_FILES", FINISHED_JOB)
        for model in apps.get_models()
        if issubclass(model, (ExportJob, ImportJob))
    )


def trash_rules() -> tuple[RetentionRule, ...]:
    """Return a rule for each installed undo snapshot model (common.lists.models.Trash)."""
    return tuple(
        RetentionRule(model._meta.label, "created_at", "RETENTION_UNDO")
        for model in apps.get_models()
        if issubclass(model, Trash)
    )


def retention_rules() -> tuple[RetentionRule, ...]:
    """Return every rule: the undo snapshots and CSV jobs of the toolkit's apps, then RULES."""
    return (*trash_rules(), *csv_job_rules(), *RULES)


def _delete_in_batches(queryset: models.QuerySet[models.Model]) -> int:
    """Delete QUERYSET's rows a batch per transaction (so each batch's files go on commit)."""
    deleted = 0
    while True:
        with transaction.atomic():
            pks = list(queryset.values_list("pk", flat=True)[:BATCH_SIZE])
            if not pks:
                return deleted
            queryset.model._default_manager.filter(pk__in=pks).delete()
            deleted += len(pks)


def _private_files(path: str = "") -> Iterator[str]:
    """Yield the name of every file in the private storage, walking its folders."""
    storage = private_storage()
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:  # a local folder not made yet (object stores have none)
        return
    for name in files:
        yield f"{path}/{name}" if path else name
    for folder in folders:
        yield from _private_files(f"{path}/{folder}" if path else folder)


def _referenced_private_files() -> set[str]:
    """Return the name of every private file a row's FileField points at."""
    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField) and f.storage is private_storage():
                names.update(
                    model._default_manager.exclude(**{f.name: ""})
                    .values_list(f.name, flat=True)
                    .iterator()
                )
    return names


def orphan_files(*, now: datetime) -> list[str]:
    """Return the private files no row references, last modified over a day before NOW."""
    storage = private_storage()
    referenced = _referenced_private_files()
    return [
        name
        for name in _private_files()
        if name not in referenced and storage.get_modified_time(name) < now - ORPHAN_FILE_GRACE
    ]


def expired_purge(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete every expired row (and file) of retention_rules(); return how many per model.

    DRY_RUN only counts. Orphan private files are counted under ``ORPHAN_FILES``.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for rule in retention_rules():
        queryset = rule.queryset(now=now)
        counts[rule.model] = queryset.count() if dry_run else _delete_in_batches(queryset)
    orphans = orphan_files(now=now)
    if not dry_run:
        for name in orphans:
            private_storage().delete(name)
    counts[ORPHAN_FILES] = len(orphans)
    if not dry_run and any(counts.values()):
        logger.info("expired data purged", extra={"purged": counts})
    return counts


def expired_purge_if_due() -> dict[str, int] | None:
    """Purge unless a purge started less than RETENTION_PURGE_INTERVAL ago (any process).

    The lock lives in the cache (Redis in production), so one worker purges per interval.
    Returns the counts, or None when it was not due.
    """
    interval = int(settings.RETENTION_PURGE_INTERVAL.total_seconds())
    if not cache.add(PURGE_LOCK_KEY, timezone.now().isoformat(), timeout=interval):
        return None
    return expired_purge()
