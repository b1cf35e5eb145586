"""allauth wired for email login, mandatory verification by code, and POST-only logout."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from apps.users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signup(client, email="new@example.com"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_signup_requires_verification_by_code_before_login(client):
    response = _signup(client)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    assert get_user_model().objects.filter(email="new@example.com").exists()
    # Not signed in yet: a private page still sends to the login page.
    assert "_auth_user_id" not in client.session

    (message,) = mail.outbox
    assert message.to == ["new@example.com"]
    assert "KIS" in message.subject
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", str(message.body), re.MULTILINE)
    assert code

    response = client.post(reverse("account_email_verification_sent"), {"code": "WRONG-CODE"})
    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("account_email_verification_sent"), {"code": code.group(1)})
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"]


def test_signup_with_a_taken_email_does_not_create_a_second_account(client):
    UserFactory(email="taken@example.com")
    _signup(client, email="TAKEN@example.com")
    assert get_user_model().objects.filter(email__iexact="taken@example.com").count() == 1


def test_signup_rejects_a_weak_password(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "weak@example.com", "password1": "123", "password2": "123"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "too short" in response.content.decode()
    assert not get_user_model().objects.filter(email="weak@example.com").exists()


def test_login_with_email_and_password(client):
    user = UserFactory(email="ada@example.com")
    response = client.post(
        reverse("account_login"), {"login": "ADA@example.com", "password": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert int(client.session["_auth_user_id"]) == user.pk


def test_unverified_user_cannot_log_in(client):
    UserFactory(email="unverified@example.com", verified_email=False)
    response = client.post(
        reverse("account_login"), {"login": "unverified@example.com", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("account_email_verification_sent")


def test_logout_is_post_only(client):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("account_logout"))
    assert "_auth_user_id" in client.session  # GET shows a confirmation, logs nobody out
    response = client.post(reverse("account_logout"))
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in client.session
