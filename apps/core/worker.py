"""Task worker liveness: heartbeats, and recovery of tasks left RUNNING by a dead worker.

django-tasks-db marks a task RUNNING when a worker claims it and only changes that
when the task returns. A worker killed mid-task (OOM, SIGKILL, lost container) would
leave it RUNNING forever. Every worker started with ``manage.py db_worker`` therefore
writes a heartbeat; any worker (and ``manage.py recover_tasks``) marks RUNNING tasks
whose worker has stopped beating as FAILED (or READY again with ``requeue``), and the
job row such a task was for (common.jobs registry) as failed (or pending again). A worker
also runs the retention purge (apps.core.retention) every RETENTION_PURGE_INTERVAL.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core.models import WorkerHeartbeat
from common.jobs import WORKER_STOPPED, job_fail_for_task, job_reset_for_task

logger = logging.getLogger(__name__)


class WorkerLostError(Exception):
    """The worker running this task stopped (killed or crashed) before it finished."""


def heartbeat_interval() -> float:
    """Seconds between two heartbeats of a worker."""
    return float(getattr(settings, "TASKS_WORKER_HEARTBEAT_SECONDS", 10))


def stale_after() -> timedelta:
    """How long without a heartbeat before a worker counts as dead."""
    return timedelta(seconds=float(getattr(settings, "TASKS_WORKER_STALE_SECONDS", 60)))


def worker_heartbeat(*, worker_id: str) -> None:
    """Record that WORKER_ID is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "last_seen": timezone.now(),
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
        },
    )


def worker_forget(*, worker_id: str) -> None:
    """Remove WORKER_ID's heartbeat on a clean shutdown."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


@transaction.atomic
def tasks_recover_stale(*, older_than: timedelta | None = None, requeue: bool = False) -> int:
    """Fail (or re-queue) RUNNING tasks whose worker has not beaten for OLDER_THAN.

    A task whose worker never wrote a heartbeat (e.g. started by another command)
    counts as stale once it has been running for OLDER_THAN. Returns how many were
    recovered. Safe to run from several workers at once (rows are locked).
    """
    limit = timezone.now() - (older_than if older_than is not None else stale_after())
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=limit).values_list("worker_id", flat=True)
    )
    known = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
    recovered = 0
    running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
    for result in running:
        worker_id = result.worker_ids[-1] if result.worker_ids else ""
        if worker_id in alive:
            continue
        if worker_id not in known and result.started_at and result.started_at >= limit:
            continue  # no heartbeat row yet and not running for long: give it time
        kwargs = (result.args_kwargs or {}).get("kwargs") or {}
        if requeue:
            result.status = TaskResultStatus.READY
            result.save(update_fields=["status"])
            job_reset_for_task(task_path=result.task_path, kwargs=kwargs)
            action = "re-queued"
        else:
            result.set_failed(
                WorkerLostError(f"worker {worker_id or '?'} stopped while running this task")
            )
            job_fail_for_task(task_path=result.task_path, kwargs=kwargs, message=WORKER_STOPPED)
            action = "marked failed"
        recovered += 1
        logger.warning(
            "task %s (%s) of dead worker %s %s",
            result.id,
            result.task_path,
            worker_id,
            action,
            extra={"task_id": str(result.id), "worker_id": worker_id},
        )
    WorkerHeartbeat.objects.filter(last_seen__lt=limit).exclude(worker_id__in=alive).delete()
    return recovered


class RetentionThread(threading.Thread):
    """Run the retention purge every RETENTION_PURGE_INTERVAL (one worker per interval).

    A thread of its own, so a long purge never delays the heartbeat; an error is logged
    and retried at the next check, it never stops the worker.
    """

    def __init__(self, *, worker_id: str, check_every: float = 60.0) -> None:
        super().__init__(name=f"retention-{worker_id}", daemon=True)
        self.check_every = min(check_every, settings.RETENTION_PURGE_INTERVAL.total_seconds())
        self.stopped = threading.Event()

    def run(self) -> None:
        from apps.core.retention import expired_purge_if_due

        try:
            while True:
                try:
                    close_old_connections()
                    expired_purge_if_due()
                except Exception:
                    logger.exception("retention purge failed (will retry)")
                if self.stopped.wait(self.check_every):
                    break
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


class HeartbeatThread(threading.Thread):
    """Beat for WORKER_ID every interval and recover tasks of dead workers, until stopped."""

    def __init__(self, *, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(heartbeat_interval()):
                try:
                    close_old_connections()
                    worker_heartbeat(worker_id=self.worker_id)
                    tasks_recover_stale()
                except Exception:
                    logger.exception("worker heartbeat failed (will retry)")
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)
