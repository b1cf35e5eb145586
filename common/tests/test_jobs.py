"""The job registry (common.jobs): services queue a job's task without importing tasks.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from apps.accounts.models import DataExport
from apps.contacts.models import ContactExport
from apps.users.tests.factories import UserFactory
from common.jobs import job_enqueue, job_latest

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(path: Path) -> set[str]:
    """Return every module PATH imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize(
    "path",
    [*sorted(ROOT.glob("apps/*/jobs.py")), *sorted(ROOT.glob("common/lists/csvjobs/*.py"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_job_services_never_import_a_tasks_module(path):
    """tasks.py imports the services; the services queue through the registry (no circle)."""
    tasks = {m for m in _imported_modules(path) if m == "tasks" or m.endswith(".tasks")}
    assert not tasks, f"{path.name} imports {tasks}: use common.jobs.job_enqueue"


@pytest.mark.django_db
def test_job_enqueue_queues_the_declared_task_on_commit(django_capture_on_commit_callbacks):
    owner = UserFactory.create()
    job = ContactExport.objects.create(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue(job)
        assert not DBTaskResult.objects.exists()  # only once the transaction commits
    result = DBTaskResult.objects.get()
    assert result.task_path == "apps.contacts.tasks.export_contacts"
    assert result.args_kwargs["kwargs"] == {"job_id": job.pk, "user_id": owner.pk}


@pytest.mark.django_db
def test_job_enqueue_of_a_model_without_a_declared_task_says_so(monkeypatch):
    from common import jobs

    monkeypatch.setattr(jobs, "_job_task_of_model", lambda model: None)
    with pytest.raises(LookupError, match=r"no task is declared for accounts\.DataExport"):
        job_enqueue(DataExport(owner=UserFactory.create()))


@pytest.mark.django_db
def test_job_latest_is_the_owners_newest():
    owner, other = UserFactory.create(), UserFactory.create()
    ContactExport.objects.create(owner=owner)
    newest = ContactExport.objects.create(owner=owner)
    ContactExport.objects.create(owner=other)
    assert job_latest(ContactExport, owner=owner) == newest
    assert job_latest(DataExport, owner=owner) is None
