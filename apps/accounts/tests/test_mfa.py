"""Two-factor: TOTP setup and sign-in, recovery codes, reauthentication."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import reverse

from apps.accounts.allauth_internals import (
    TOTP_SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from apps.accounts.tests.helpers import age_authentication, password_login
from apps.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def totp_now(secret: str) -> str:
    """Return the current code, waiting out the last seconds of a 30 s window (no flakes)."""
    left = 30 - time.time() % 30
    if left < 3:
        time.sleep(left + 0.1)
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def activate_totp(client) -> str:
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == HTTPStatus.OK
    assert b"QR code" in page.content
    secret = client.session[TOTP_SECRET_SESSION_KEY]
    assert secret.encode() in page.content  # the manual key is shown
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == HTTPStatus.FOUND, response.content
    return secret


def test_totp_setup_then_login_asks_for_the_code(signed_in, user, client):
    wrong = signed_in.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == HTTPStatus.OK
    assert b"Incorrect code" in wrong.content

    secret = activate_totp(signed_in)
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}

    signed_in.post(reverse("account_logout"))
    response = password_login(signed_in, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in.get(reverse("account_settings")).status_code == HTTPStatus.FOUND

    bad = signed_in.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert b"Incorrect code" in bad.content
    # A code is single-use; forget that this one was used for the activation.
    cache.clear()
    ok = signed_in.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert ok.status_code == HTTPStatus.FOUND
    assert signed_in.get(reverse("account_settings")).status_code == HTTPStatus.OK


def test_recovery_codes_view_download_regenerate_and_sign_in(signed_in, user):
    activate_totp(signed_in)
    page = signed_in.get(reverse("mfa_view_recovery_codes"))
    assert page.status_code == HTTPStatus.OK
    codes = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    assert codes and codes[0].encode() in page.content

    download = signed_in.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == HTTPStatus.OK
    assert "attachment" in download["Content-Disposition"]
    assert codes[0].encode() in download.content

    regenerated = signed_in.post(reverse("mfa_generate_recovery_codes"))
    assert regenerated.status_code == HTTPStatus.FOUND
    new_codes = (
        Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    )
    assert set(new_codes).isdisjoint(codes)

    signed_in.post(reverse("account_logout"))
    password_login(signed_in, user.email)
    assert (
        signed_in.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == HTTPStatus.OK
    )
    ok = signed_in.post(reverse("mfa_authenticate"), {"code": new_codes[0]})
    assert ok.status_code == HTTPStatus.FOUND


def test_mfa_changes_need_reauthentication_and_a_wrong_password_fails(signed_in, user):
    age_authentication(signed_in)
    response = signed_in.get(reverse("mfa_activate_totp"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))

    wrong = signed_in.post(reverse("account_reauthenticate"), {"password": "wrong-password"})
    assert wrong.status_code == HTTPStatus.OK
    assert b"Incorrect password" in wrong.content
    assert signed_in.get(reverse("mfa_activate_totp")).status_code == HTTPStatus.FOUND

    ok = signed_in.post(
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp"),
        {"password": PASSWORD},
    )
    assert ok.status_code == HTTPStatus.FOUND
    assert signed_in.get(reverse("mfa_activate_totp")).status_code == HTTPStatus.OK


def test_settings_page_shows_two_factor_status(signed_in):
    assert b"Set up authenticator app" in signed_in.get(reverse("account_settings")).content
    activate_totp(signed_in)
    assert b"Turn off authenticator app" in signed_in.get(reverse("account_settings")).content
