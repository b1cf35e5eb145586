"""Delete my account: reauthentication, typed confirmation, nothing left behind."""

from __future__ import annotations

from collections import deque
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Model
from django.tasks import task
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from apps.accounts.forms import DELETE_CONFIRMATION
from apps.accounts.models import SecurityEvent
from apps.accounts.tests.helpers import age_authentication, password_login
from apps.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@task
def remember_something(*, user_id: int) -> None:
    """A background job enqueued on behalf of a user."""


def _paths_to_user() -> list[tuple[type[Model], str]]:
    """Every (model, lookup) that reaches a user row through foreign keys, any depth."""
    user_model = get_user_model()
    found: list[tuple[type[Model], str]] = [(user_model, "pk")]
    queue: deque[tuple[type[Model], str]] = deque([(user_model, "")])
    seen: set[type[Model]] = {user_model}
    while queue:
        target, suffix = queue.popleft()
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.get_fields():
                if (
                    field.concrete
                    and (field.many_to_one or field.one_to_one)
                    and field.related_model is target
                ):
                    lookup = f"{field.name}__{suffix}" if suffix else field.name
                    found.append((model, lookup))
                    if model not in seen:
                        seen.add(model)
                        queue.append((model, lookup))
    return found


def rows_of(user) -> dict[str, int]:
    """Count the rows that belong to USER in every table, plus sessions and task results."""
    pk = user.pk
    counts = {}
    for model, lookup in _paths_to_user():
        key = "pk" if lookup == "pk" else f"{lookup}__pk"
        counts[f"{model._meta.label}:{lookup}"] = model._default_manager.filter(**{key: pk}).count()
    counts["sessions.Session"] = sum(
        1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(pk)
    )
    counts["django_tasks_db.DBTaskResult"] = DBTaskResult.objects.filter(
        args_kwargs__kwargs__user_id=pk
    ).count()
    return counts


@pytest.fixture
def rich_user(user, signed_in):
    """USER with a row in as many tables as possible."""
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "y", "used_mask": 0}
    )
    user.groups.add(Group.objects.create(name="readers"))
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=get_user_model().objects.filter(pk=user.pk),
        action_flag=ADDITION,
    )
    remember_something.enqueue(user_id=user.pk)
    other_browser = Client(HTTP_USER_AGENT="Other/1.0")
    password_login(other_browser, user.email)
    other_browser.get(reverse("home"))
    # An address change pending verification (an EmailConfirmation-like row, if any).
    signed_in.post(reverse("account_email"), {"action_add": "", "email": "pending@example.com"})
    return user


def test_delete_removes_every_row_of_the_user_and_nothing_else(signed_in, rich_user, other_user):
    stranger = Client()
    password_login(stranger, other_user.email)
    stranger.get(reverse("home"))
    remember_something.enqueue(user_id=other_user.pk)
    assert ContentType.objects.exists()

    before = rows_of(rich_user)
    others_before = rows_of(other_user)
    populated = {table for table, n in before.items() if n}
    for expected in (
        "users.User:pk",
        "account.EmailAddress:user",
        "mfa.Authenticator:user",
        "usersessions.UserSession:user",
        "admin.LogEntry:user",
        "users.User_groups:user",
        "sessions.Session",
        "django_tasks_db.DBTaskResult",
        "accounts.SecurityEvent:user",
    ):
        assert expected in populated, (expected, before)
    user_id = rich_user.pk
    others_events = SecurityEvent.objects.filter(user=other_user).count()
    assert others_events  # the stranger's sign-in

    page = signed_in.get(reverse("account_delete"))
    assert page.status_code == HTTPStatus.OK
    response = signed_in.post(reverse("account_delete"), {"confirmation": DELETE_CONFIRMATION})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_deleted")

    after = {table: n for table, n in rows_of(rich_user).items() if n}
    assert after == {}, after
    assert rows_of(other_user) == others_before
    assert not SecurityEvent.objects.filter(user_id=user_id).exists()
    assert SecurityEvent.objects.filter(user=other_user).count() == others_events
    assert stranger.get(reverse("account_settings")).status_code == HTTPStatus.OK

    # Signed out, told so, and the old password no longer works.
    done = signed_in.get(response["Location"])
    assert b"Your account has been deleted" in done.content
    assert signed_in.get(reverse("account_settings")).status_code == HTTPStatus.FOUND
    assert b"not correct" in password_login(Client(), "owner@example.com", PASSWORD).content


@pytest.mark.parametrize("typed", ["", "delete", "delete my acount", "yes"])
def test_wrong_confirmation_deletes_nothing(signed_in, user, typed):
    before = rows_of(user)
    response = signed_in.post(reverse("account_delete"), {"confirmation": typed})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert (
        b"Nothing was deleted" in response.content or b"This field is required" in response.content
    )
    assert rows_of(user) == before


def test_confirmation_ignores_case_and_spacing(signed_in, user):
    response = signed_in.post(reverse("account_delete"), {"confirmation": "  Delete  MY account "})
    assert response.status_code == HTTPStatus.FOUND
    assert not get_user_model().objects.filter(pk=user.pk).exists()


def test_delete_needs_reauthentication_and_a_wrong_password_fails(signed_in, user):
    age_authentication(signed_in)
    response = signed_in.post(reverse("account_delete"), {"confirmation": DELETE_CONFIRMATION})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert get_user_model().objects.filter(pk=user.pk).exists()

    wrong = signed_in.post(response["Location"], {"password": "wrong-password"})
    assert b"Incorrect password" in wrong.content
    assert get_user_model().objects.filter(pk=user.pk).exists()

    # The right password resumes the suspended deletion.
    resumed = signed_in.post(response["Location"], {"password": PASSWORD})
    assert resumed.status_code == HTTPStatus.FOUND
    assert not get_user_model().objects.filter(pk=user.pk).exists()
