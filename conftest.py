"""Fixtures shared by every test package: the one definition of each test user and client.

``user`` / ``other_user`` are two users with verified emails and the factory's PASSWORD;
``owner`` and ``owner_client`` are the same objects under the names the contacts tests use.
e2e/conftest.py defines browser fixtures of its own (a live server needs real commits).
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from django.test import Client

    from apps.users.models import User


@pytest.fixture(autouse=True)
def _fresh_row_cache() -> None:
    """Start every test with an empty row cache: rows and list sizes of earlier tests (whose
    ids SQLite reuses) must not change what a test renders or how many queries it makes."""
    from common.templatetags.kis_rows import row_cache

    row_cache().clear()


@pytest.fixture
def user(db: None) -> User:
    from apps.users.tests.factories import UserFactory

    return UserFactory.create(email="owner@example.com", name="Olive Owner")


@pytest.fixture
def other_user(db: None) -> User:
    from apps.users.tests.factories import UserFactory

    return UserFactory.create(email="other@example.com", name="Otto Other")


@pytest.fixture
def owner(user: User) -> User:
    """``user`` under the name the contacts tests give the owner of the rows."""
    return user


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    """Return a function that makes a new client signed in as a user (force_login, no form)."""
    from django.test import Client

    def make(someone: User) -> Client:
        client = Client()
        client.force_login(someone)
        return client

    return make


@pytest.fixture
def user_client(client_for: Callable[[User], Client], user: User) -> Client:
    """A new client signed in as ``user`` (without a recorded fresh authentication)."""
    return client_for(user)


@pytest.fixture
def owner_client(user_client: Client) -> Client:
    """``user_client`` under the contacts tests' name."""
    return user_client


@pytest.fixture
def signed_in(client: Client, user: User) -> Client:
    """pytest-django's ``client`` signed in as ``user`` through the login form (fresh login)."""
    from apps.accounts.tests.helpers import password_login

    response = password_login(client, user.email)
    assert response.status_code == HTTPStatus.FOUND, response.content  # noqa: S101
    return client


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
