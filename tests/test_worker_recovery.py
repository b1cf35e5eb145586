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


# The same with a real job: a contacts import whose worker is SIGKILLed half-way.
# ------------------------------------------------------------------------------
IMPORT_ROWS = 60_000
START_IMPORT = f"""
from django.core.files.uploadedfile import SimpleUploadedFile
from apps.contacts.jobs import contact_import_start
from apps.users.models import User
owner = User.objects.create_user(email="killed@example.com", password=None)
rows = "".join(f"Person{{n}} Example,person{{n}}@example.com\\n" for n in range({IMPORT_ROWS}))
upload = SimpleUploadedFile("people.csv", ("name,email\\n" + rows).encode())
print(contact_import_start(owner=owner, upload=upload).pk)
"""
RETRY_IMPORT = """
import sys
from apps.contacts.models import ContactImport
from common.jobs import job_retry
sys.exit(0 if job_retry(ContactImport.objects.get(pk={pk})) else 1)
"""


def test_killed_worker_fails_the_job_and_its_retry_finishes_without_duplicates(tmp_path):
    """Finding: the import row said "running" forever and polled forever after a kill."""
    db = tmp_path / "jobs.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_WORKER_HEARTBEAT_SECONDS": "0.2",
        "TASKS_WORKER_STALE_SECONDS": "1",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    done = subprocess.run(
        [*manage, "shell", "-c", START_IMPORT],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    pk = int(done.stdout.strip().splitlines()[-1])

    def job() -> tuple[str, int, str]:
        with sqlite3.connect(db, timeout=20) as conn:
            row = conn.execute(
                "SELECT status, processed, error FROM contacts_contactimport WHERE id = ?", [pk]
            ).fetchone()
            return str(row[0]), int(row[1]), str(row[2])

    def contacts() -> tuple[int, int]:
        with sqlite3.connect(db, timeout=20) as conn:
            total, distinct = conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT email) FROM contacts_contact"
            ).fetchone()
            return int(total), int(distinct)

    first = _worker(env)
    try:
        assert _wait_for(lambda: job()[0] == "running" and job()[1] >= 2000, 60), job()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    killed_at = time.monotonic()
    assert job()[0] == "running"

    second = _worker(env)
    try:
        assert _wait_for(lambda: job()[0] == "failed", 30), job()
        failed_after = time.monotonic() - killed_at
        assert "worker stopped" in job()[2].lower()
        partial, _ = contacts()
        assert 0 < partial < IMPORT_ROWS

        retry = [*manage, "shell", "-c", RETRY_IMPORT.format(pk=pk)]
        subprocess.run(retry, cwd=ROOT, env=env, check=True, timeout=60)
        assert _wait_for(lambda: job()[0] == "done", 120), job()
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=10)
        except subprocess.TimeoutExpired:
            second.kill()
    assert contacts() == (IMPORT_ROWS, IMPORT_ROWS)  # every row once: no duplicates
    # With a 1 s stale window the job shows failed within seconds of the kill.
    print(f"job failed {failed_after:.1f} s after the kill (stale window 1 s)")
