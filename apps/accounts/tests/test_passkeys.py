"""Rename a passkey in place; never someone else's; reauthentication for htmx requests."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from apps.accounts.tests.helpers import HTMX, age_authentication

pytestmark = pytest.mark.django_db


def make_passkey(user, name="Laptop") -> Authenticator:
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": name, "credential": {}, "passwordless": True},
    )


def test_rename_in_place(signed_in, user):
    key = make_passkey(user)
    response = signed_in.post(
        reverse("account_passkey_rename", args=[key.pk]), {"name": "  Work laptop "}, **HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert b'id="passkeys-section"' in response.content
    assert b"<html" not in response.content
    assert b'value="Work laptop"' in response.content
    key.refresh_from_db()
    assert key.data["name"] == "Work laptop"


def test_empty_name_is_refused(signed_in, user):
    key = make_passkey(user)
    response = signed_in.post(
        reverse("account_passkey_rename", args=[key.pk]), {"name": " "}, **HTMX
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"This field is required" in response.content or b"Enter a name" in response.content
    key.refresh_from_db()
    assert key.data["name"] == "Laptop"


def test_cannot_rename_someone_elses_passkey(signed_in, other_user):
    key = make_passkey(other_user)
    response = signed_in.post(reverse("account_passkey_rename", args=[key.pk]), {"name": "Mine"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    key.refresh_from_db()
    assert key.data["name"] == "Laptop"


def test_totp_is_not_a_passkey(signed_in, user):
    totp = Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    response = signed_in.post(reverse("account_passkey_rename", args=[totp.pk]), {"name": "x"})
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_stale_login_gets_a_client_redirect_to_reauthenticate(signed_in, user):
    key = make_passkey(user)
    age_authentication(signed_in)
    response = signed_in.post(
        reverse("account_passkey_rename", args=[key.pk]), {"name": "New"}, **HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert response["HX-Redirect"] == reverse("account_reauthenticate") + "?next=%2Faccounts%2F"
    key.refresh_from_db()
    assert key.data["name"] == "Laptop"


def test_stale_login_without_javascript_is_redirected(signed_in, user):
    key = make_passkey(user)
    age_authentication(signed_in)
    response = signed_in.post(reverse("account_passkey_rename", args=[key.pk]), {"name": "New"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))
