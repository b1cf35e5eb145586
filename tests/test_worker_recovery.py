"""A worker killed mid-task leaves the task failed (or re-queued), never RUNNING forever."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core.models import WorkerHeartbeat
from apps.core.worker import tasks_recover_stale, worker_heartbeat
from tests.worker_tasks import sleep_for

ROOT = Path(__file__).resolve().parent.parent
TABLE = DBTaskResult._meta.db_table


def _running(worker_id: str) -> DBTaskResult:
    result = DBTaskResult.objects.get(id=sleep_for.enqueue(5).id)
    result.claim(worker_id)
    return result


@pytest.mark.django_db
def test_task_of_a_silent_worker_is_marked_failed():
    worker_heartbeat(worker_id="dead")
    WorkerHeartbeat.objects.filter(worker_id="dead").update(
        last_seen=timezone.now() - timedelta(minutes=5)
    )
    result = _running("dead")

    assert tasks_recover_stale(older_than=timedelta(seconds=60)) == 1

    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "apps.core.worker.WorkerLostError"
    assert "worker dead stopped" in result.traceback
    assert result.finished_at is not None
    assert not WorkerHeartbeat.objects.filter(worker_id="dead").exists()


@pytest.mark.django_db
def test_task_of_a_live_worker_is_left_alone():
    worker_heartbeat(worker_id="alive")
    result = _running("alive")
    DBTaskResult.objects.filter(id=result.id).update(started_at=timezone.now() - timedelta(hours=1))

    assert tasks_recover_stale(older_than=timedelta(seconds=60)) == 0
    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_task_without_any_heartbeat_gets_a_grace_period():
    result = _running("never-beat")
    assert tasks_recover_stale(older_than=timedelta(seconds=60)) == 0

    DBTaskResult.objects.filter(id=result.id).update(
        started_at=timezone.now() - timedelta(minutes=2)
    )
    assert tasks_recover_stale(older_than=timedelta(seconds=60)) == 1
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED


@pytest.mark.django_db
def test_recover_tasks_command_can_requeue(capsys):
    result = _running("gone")
    DBTaskResult.objects.filter(id=result.id).update(
        started_at=timezone.now() - timedelta(minutes=2)
    )

    call_command("recover_tasks", "--older-than", "60", "--requeue")

    assert "1 task(s) re-queued" in capsys.readouterr().out
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(id=result.id).exists()


# ------------------------------------------------------------------------------
# The real thing: a db_worker process is SIGKILLed in the middle of a task.
# ------------------------------------------------------------------------------
@pytest.fixture
def task_db(tmp_path: Path) -> Iterator[tuple[dict[str, str], Callable[[], str]]]:
    """A migrated SQLite file the subprocesses share; yields (env, status-of-the-task)."""
    db = tmp_path / "tasks.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{db}",
        "TASKS_WORKER_HEARTBEAT_SECONDS": "0.2",
        "TASKS_WORKER_STALE_SECONDS": "1",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    subprocess.run(
        [*manage, "shell", "-c", "from tests.worker_tasks import sleep_for; sleep_for.enqueue(30)"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
    )

    def status() -> str:
        with sqlite3.connect(db) as conn:
            (value,) = conn.execute(f"SELECT status FROM {TABLE}").fetchone()  # noqa: S608
        return str(value)

    yield env, status


def _wait_for(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_worker_task_is_failed_by_the_next_worker(task_db):
    env, status = task_db
    first = _worker(env)
    try:
        assert _wait_for(lambda: status() == "RUNNING", 20), status()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    time.sleep(0.5)
    assert status() == "RUNNING"  # nothing else would ever change it

    second = _worker(env)
    try:
        assert _wait_for(lambda: status() == "FAILED", 20), status()
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=10)
        except subprocess.TimeoutExpired:
            second.kill()


def test_db_worker_command_is_the_one_with_heartbeats():
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "apps.core"
