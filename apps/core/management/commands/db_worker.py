"""``db_worker`` with a heartbeat: django-tasks-db's worker, plus dead-worker recovery."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from apps.core.worker import (
    HeartbeatThread,
    RetentionThread,
    tasks_recover_stale,
    worker_forget,
    worker_heartbeat,
)


class Command(DBWorkerCommand):
    help = (
        "Run a database background worker. It writes a heartbeat and marks tasks left "
        "RUNNING by dead workers as failed (see docs/deployment.md), and purges expired "
        "data every RETENTION_PURGE_INTERVAL (docs/retention.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"]
        worker_heartbeat(worker_id=worker_id)
        recovered = tasks_recover_stale()
        if recovered:
            self.stderr.write(f"Recovered {recovered} task(s) left running by dead workers.")
        beat = HeartbeatThread(worker_id=worker_id)
        beat.start()
        purge = RetentionThread(worker_id=worker_id)
        purge.start()
        try:
            super().handle(*args, **options)
        finally:
            purge.stop()
            beat.stop()
            worker_forget(worker_id=worker_id)
