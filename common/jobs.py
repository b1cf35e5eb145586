"""Background jobs a user starts and watches: state, progress and the owner."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.dispatch import receiver
from django.tasks import Task, TaskResult, TaskResultStatus
from django.tasks.signals import task_finished
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """Fields shared by every user-started background job: who, state and progress."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, int(self.processed * 100 / self.total)) if self.total else 0


# ------------------------------------------------------------------------------
# Jobs that always end (docs/decisions/0308): each task that runs a job is declared
# with ``job_task`` next to it; worker recovery, ``recover_tasks --requeue``, the
# ``task_finished`` signal and the job pages use that registry to fail, reset or
# retry the job row the task was for.
# ------------------------------------------------------------------------------
WORKER_STOPPED = "The worker stopped while this was running. Retry to run it again."
TASK_FAILED = "The job stopped unexpectedly. Retry to run it again."
ACTIVE_STATUSES = (JobStatus.PENDING, JobStatus.RUNNING)


@dataclass(frozen=True)
class JobTask:
    """A task that runs one job: called with ``job_id=`` and ``user_id=`` keywords."""

    task: Task[..., Any]
    model: str  # "app_label.ModelName"
    reset: Callable[[Job], None]

    def job_model(self) -> type[Job]:
        return cast("type[Job]", apps.get_model(self.model))


_JOB_TASKS: dict[str, JobTask] = {}


def job_reset_from_scratch(job: Job) -> None:
    """Make JOB pending again with no progress; delete a partial file it has."""
    stored = getattr(job, "file", None)
    if stored:
        stored.delete(save=False)
    fields: dict[str, Any] = {
        "status": JobStatus.PENDING,
        "processed": 0,
        "total": 0,
        "error": "",
        "finished_at": None,
    }
    if stored is not None:
        fields["file"] = ""
    type(job)._default_manager.filter(pk=job.pk).update(**fields)


def job_task[T: Task[..., Any]](
    task: T, *, model: str, reset: Callable[[Job], None] = job_reset_from_scratch
) -> T:
    """Declare that TASK runs one job of MODEL; RESET prepares a job to run again."""
    _JOB_TASKS[task.module_path] = JobTask(task=task, model=model, reset=reset)
    return task


@functools.cache
def _discover() -> None:
    autodiscover_modules("tasks")  # every app's tasks.py declares its job tasks


def _job_tasks() -> dict[str, JobTask]:
    _discover()
    return _JOB_TASKS


def _job_task_of_model(model: type[Job]) -> JobTask | None:
    label = model._meta.label
    return next((entry for entry in _job_tasks().values() if entry.model == label), None)


def job_for_task(*, task_path: str, kwargs: dict[str, Any]) -> Job | None:
    """Return the job row a run of TASK_PATH with KWARGS was for (None if not a job task)."""
    entry = _job_tasks().get(task_path)
    job_id = kwargs.get("job_id")
    if entry is None or job_id is None:
        return None
    return entry.job_model()._default_manager.filter(pk=job_id).first()


def job_fail(job: Job, *, message: str) -> bool:
    """Mark JOB failed with MESSAGE unless it has already ended; return whether it was."""
    failed = (
        type(job)
        ._default_manager.filter(pk=job.pk, status__in=ACTIVE_STATUSES)
        .update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())
    )
    if failed:
        logger.warning("job %s failed: %s", job, message, extra={"job": str(job)})
    return bool(failed)


def job_fail_for_task(*, task_path: str, kwargs: dict[str, Any], message: str) -> bool:
    """Mark the job a failed run of TASK_PATH was for as failed with MESSAGE."""
    job = job_for_task(task_path=task_path, kwargs=kwargs)
    return job is not None and job_fail(job, message=message)


def job_reset_for_task(*, task_path: str, kwargs: dict[str, Any]) -> bool:
    """Prepare the job of a re-queued run of TASK_PATH to run again."""
    entry = _job_tasks().get(task_path)
    job = job_for_task(task_path=task_path, kwargs=kwargs)
    if entry is None or job is None:
        return False
    entry.reset(job)
    return True


def _declared_task(model: type[Job]) -> JobTask:
    entry = _job_task_of_model(model)
    if entry is None:
        raise LookupError(f"no task is declared for {model._meta.label} (job_task)")
    return entry


def job_enqueue(job: Job) -> None:
    """Queue the task declared for JOB's model (``job_task``) once the transaction commits.

    Services that start a job call this instead of importing their app's tasks.py, so
    tasks.py (which imports the services) and the services never import each other.
    """
    entry = _declared_task(type(job))
    pk, owner_id = job.pk, job.owner_id
    transaction.on_commit(lambda: entry.task.enqueue(job_id=pk, user_id=owner_id))


def job_latest[J: Job](model: type[J], *, owner: object) -> J | None:
    """Return OWNER's most recent job of MODEL (None when there is none)."""
    return model._default_manager.filter(owner=owner).order_by("-created_at", "-id").first()


def job_retry(job: Job) -> bool:
    """Run failed JOB again (reset, then queue its task); False when JOB has not failed."""
    entry = _declared_task(type(job))
    with transaction.atomic():
        locked = type(job)._default_manager.select_for_update().filter(pk=job.pk).first()
        if locked is None or locked.status != JobStatus.FAILED:
            return False
        entry.reset(locked)
        pk, owner_id = locked.pk, locked.owner_id
        transaction.on_commit(lambda: entry.task.enqueue(job_id=pk, user_id=owner_id))
    job.refresh_from_db()
    logger.info("job %s retried", job, extra={"job": str(job)})
    return True


def job_reconcile[J: Job](job: J) -> J:
    """Return JOB, marked failed first when it is active but its task has ended.

    The fallback for a job page: normally recovery or the ``task_finished`` signal
    already failed the job; this covers anything they missed.
    """
    if not job.is_active:
        return job
    entry = _job_task_of_model(type(job))
    if entry is None:
        return job
    from django_tasks_db.models import DBTaskResult

    result = (
        DBTaskResult.objects.filter(
            task_path=entry.task.module_path, args_kwargs__kwargs__job_id=job.pk
        )
        .order_by("-enqueued_at")
        .first()
    )
    if result is None or result.status not in (
        TaskResultStatus.FAILED,
        TaskResultStatus.SUCCESSFUL,
    ):
        return job
    lost = (result.exception_class_path or "").endswith("WorkerLostError")
    if job_fail(job, message=WORKER_STOPPED if lost else TASK_FAILED):
        job.refresh_from_db()
    return job


@receiver(task_finished)
def _fail_job_of_failed_task(
    sender: object, task_result: TaskResult[..., Any], **kwargs: Any
) -> None:
    """Mark the job of a task that raised (or was stopped) as failed."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    try:
        job_fail_for_task(
            task_path=task_result.task.module_path,
            kwargs=task_result.kwargs,
            message=TASK_FAILED,
        )
    except Exception:
        logger.exception("could not mark the job of failed task %s", task_result.id)
