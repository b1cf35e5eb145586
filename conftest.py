"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def user(db: None) -> Any:
    from apps.users.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db: None) -> Any:
    from apps.users.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def run_tasks() -> Callable[[], None]:
    """Return a function that runs every queued task with django-tasks-db's real worker."""
    from django_tasks_db.management.commands.db_worker import Worker

    def run() -> None:
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="pytest",
            excluded_queue_names=[],
        ).run()

    return run
