"""Reset a forgotten password by code; change the password when signed in."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.tests.helpers import last_code, password_login
from apps.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"


def test_reset_password_by_code(client, user):
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_confirm_password_reset_code")

    wrong = client.post(reverse("account_confirm_password_reset_code"), {"code": "AAAA-AAAA"})
    assert b"Incorrect code" in wrong.content

    ok = client.post(
        reverse("account_confirm_password_reset_code"), {"code": last_code(user.email)}
    )
    assert ok.status_code == HTTPStatus.FOUND
    done = client.post(ok["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert any("password" in m.subject.lower() for m in mail.outbox[1:])


def test_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_confirm_password_reset_code")


def test_too_many_wrong_reset_codes_void_the_code(client, user):
    client.post(reverse("account_reset_password"), {"email": user.email})
    code = last_code(user.email)
    for _ in range(3):
        client.post(reverse("account_confirm_password_reset_code"), {"code": "AAAA-AAAA"})
    response = client.post(reverse("account_confirm_password_reset_code"), {"code": code})
    # The right code no longer leads to the "set a new password" step.
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    if response.status_code == HTTPStatus.FOUND:
        assert response["Location"] == reverse("account_login")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_password_when_signed_in(signed_in, user):
    wrong = signed_in.post(
        reverse("account_change_password"),
        {"oldpassword": "nope", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert wrong.status_code == HTTPStatus.OK
    assert b"Please type your current password" in wrong.content

    ok = signed_in.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert ok.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still signed in on this browser; the new password works for the next sign-in.
    assert signed_in.get(reverse("account_settings")).status_code == HTTPStatus.OK
    signed_in.post(reverse("account_logout"))
    assert password_login(signed_in, user.email, NEW_PASSWORD).status_code == HTTPStatus.FOUND
