"""SMTP down: every account form that sends mail says so, never a 500, nothing half-created."""

from __future__ import annotations

import socket
import time
from http import HTTPStatus
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.users.models import User
from apps.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "new@example.com"
MAIL_NOT_SENT = "We could not send the email right now. Please try again in a few minutes."


def _closed_port() -> int:
    """Return a local TCP port nothing listens on (connecting is refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_down(settings: Any) -> None:
    """Point the mailer at a closed SMTP port, as in an SMTP outage."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 2},
        }
    }


def _says_mail_failed(client: Client, response: Any) -> None:
    assert response.status_code == HTTPStatus.SEE_OTHER, response.status_code
    assert response["Location"] == response.wsgi_request.get_full_path()
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    assert MAIL_NOT_SENT in page.content.decode()


def _counts() -> tuple[int, int]:
    return User.objects.count(), EmailAddress.objects.count()


def test_signup_leaves_no_user_when_the_mail_cannot_be_sent(client, smtp_down):
    before = _counts()
    started = time.monotonic()
    response = client.post(
        reverse("account_signup"), {"email": NEW, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert time.monotonic() - started < 5
    _says_mail_failed(client, response)
    assert _counts() == before
    assert not User.objects.filter(email=NEW).exists()
    # Once mail works again the same address can sign up (no half-created account).


def test_signup_works_again_after_the_outage(client, smtp_down, settings):
    data = {"email": NEW, "password1": PASSWORD, "password2": PASSWORD}
    _says_mail_failed(client, client.post(reverse("account_signup"), data))
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=NEW).exists()
    assert mail.outbox[-1].to == [NEW]


def test_signup_with_a_taken_address_says_the_same(client, user, smtp_down):
    before = _counts()
    response = client.post(
        reverse("account_signup"),
        {"email": user.email, "password1": PASSWORD, "password2": PASSWORD},
    )
    _says_mail_failed(client, response)
    assert _counts() == before


def test_password_reset_request(client, user, smtp_down):
    _says_mail_failed(client, client.post(reverse("account_reset_password"), {"email": user.email}))


def test_login_code_request(client, user, smtp_down):
    response = client.post(reverse("account_request_login_code"), {"email": user.email})
    _says_mail_failed(client, response)
    assert not client.session.get("account_login")  # no half-started code login


def test_email_change(signed_in, user, smtp_down):
    before = _counts()
    response = signed_in.post(reverse("account_email"), {"action_add": "", "email": NEW})
    _says_mail_failed(signed_in, response)
    assert _counts() == before
    assert list(user.emailaddress_set.values_list("email", flat=True)) == [user.email]


def test_resend_verification_code(client, settings):
    client.post(
        reverse("account_signup"), {"email": NEW, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert mail.outbox[-1].to == [NEW]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 2},
        }
    }
    from django.core.cache import cache

    cache.clear()  # past the resend throttle
    response = client.post(reverse("account_email_verification_sent"), {"action": "resend"})
    _says_mail_failed(client, response)
    assert User.objects.filter(email=NEW).exists()  # the account from before is kept
