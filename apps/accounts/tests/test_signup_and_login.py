"""Sign up with a code, log in with a password or a code, rate limits, log out."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apps.accounts.tests.helpers import last_code, password_login
from apps.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _signup(client, email="new@example.com", password=PASSWORD):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password}
    )


def test_signup_requires_the_emailed_code(client):
    response = _signup(client)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox[-1].to == ["new@example.com"]
    # Not signed in until the address is verified.
    assert client.get(reverse("account_settings")).status_code == HTTPStatus.FOUND

    wrong = client.post(reverse("account_email_verification_sent"), {"code": "AAAA-AAAA"})
    assert wrong.status_code == HTTPStatus.OK
    assert b"Incorrect code" in wrong.content

    ok = client.post(reverse("account_email_verification_sent"), {"code": last_code()})
    assert ok.status_code == HTTPStatus.FOUND
    assert EmailAddress.objects.get(email="new@example.com").verified
    assert client.get(reverse("account_settings")).status_code == HTTPStatus.OK


def test_verification_code_can_be_resent_but_not_hammered(client):
    _signup(client)
    first = last_code()
    # Right away: throttled (one email per 10 seconds per address).
    client.post(reverse("account_email_verification_sent"), {"action": "resend"})
    assert len(mail.outbox) == 1
    cache.clear()  # ... the 10 seconds have passed
    client.post(reverse("account_email_verification_sent"), {"action": "resend"})
    assert len(mail.outbox) == 2
    assert last_code() != first
    assert (
        client.post(reverse("account_email_verification_sent"), {"code": last_code()}).status_code
        == HTTPStatus.FOUND
    )


def test_too_many_wrong_verification_codes_end_the_attempt(client):
    _signup(client)
    for _ in range(3):
        client.post(reverse("account_email_verification_sent"), {"code": "AAAA-AAAA"})
    response = client.post(reverse("account_email_verification_sent"), {"code": last_code()})
    # The pending verification is dropped: the right code no longer signs in.
    assert client.get(reverse("account_settings")).status_code == HTTPStatus.FOUND
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    assert not EmailAddress.objects.get(email="new@example.com").verified


def test_weak_password_is_refused_with_a_message(client):
    response = _signup(client, password="password")
    assert response.status_code == HTTPStatus.OK
    assert b"This password is too common" in response.content
    assert not get_user_model().objects.filter(email="new@example.com").exists()


def test_taken_email_does_not_reveal_the_account(client, user):
    response = _signup(client, email=user.email)
    # Same next step as a new address; the owner is told by email instead.
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox[-1].to == [user.email]
    assert "already" in mail.outbox[-1].subject.lower()
    assert get_user_model().objects.filter(email=user.email).count() == 1


def test_login_with_password_and_remember_me(client, user):
    page = client.get(reverse("account_login"))
    assert b'name="remember"' in page.content
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "remember": "on"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert client.session.get_expire_at_browser_close() is False


def test_wrong_password_is_an_error_without_saying_which_part(client, user):
    response = password_login(client, user.email, "wrong-password")
    assert response.status_code == HTTPStatus.OK
    assert b"not correct" in response.content
    unknown = password_login(client, "nobody@example.com", "wrong-password")
    assert b"not correct" in unknown.content


def test_repeated_failed_logins_are_throttled(client, user):
    for _ in range(5):
        assert b"not correct" in password_login(client, user.email, "wrong-password").content
    # Now even the right password is refused for a while.
    response = password_login(client, user.email, PASSWORD)
    assert response.status_code == HTTPStatus.OK
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_login_by_code(client, user):
    response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_confirm_login_code")
    code = last_code(user.email)

    wrong = client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"})
    assert b"Incorrect code" in wrong.content

    ok = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert ok.status_code == HTTPStatus.FOUND
    assert client.get(reverse("account_settings")).status_code == HTTPStatus.OK


def test_login_code_after_too_many_attempts_is_void(client, user):
    client.post(reverse("account_request_login_code"), {"email": user.email})
    code = last_code(user.email)
    for _ in range(3):
        client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"})
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert client.get(reverse("account_settings")).status_code == HTTPStatus.FOUND


def test_expired_login_code_is_refused(client, user, monkeypatch):
    client.post(reverse("account_request_login_code"), {"email": user.email})
    code = last_code(user.email)
    later = time.time() + 3600  # codes live for three minutes
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    monkeypatch.undo()
    # Back to "request a code"; the old one no longer signs anybody in.
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_request_login_code")
    assert client.get(reverse("account_settings")).status_code == HTTPStatus.FOUND


def test_login_code_for_unknown_address_looks_the_same(client, db):
    response = client.post(reverse("account_request_login_code"), {"email": "nobody@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_confirm_login_code")


def test_logout_needs_post(signed_in):
    signed_in.get(reverse("account_logout"))
    assert signed_in.get(reverse("account_settings")).status_code == HTTPStatus.OK
    signed_in.post(reverse("account_logout"))
    assert signed_in.get(reverse("account_settings")).status_code == HTTPStatus.FOUND


def _hashes_during_signup(client, email, monkeypatch):
    """Return how many passwords were hashed while signing up EMAIL."""
    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher())
    calls = []
    real = hasher.encode

    def counting(self, *args, **kwargs):
        calls.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counting)
    response = _signup(client, email=email)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    return len(calls)


def test_signup_does_the_same_work_for_a_taken_email_as_for_a_new_one(client, user, monkeypatch):
    """The response time must not tell whether an email has an account (no enumeration).

    Hashing dominates a signup's time (hundreds of ms with the production hasher), so
    both paths hash the password exactly once; scripts/bench_signup.py measures the time.
    """
    new = _hashes_during_signup(Client(), "brand-new@example.com", monkeypatch)
    taken = _hashes_during_signup(Client(), user.email, monkeypatch)
    assert new == taken == 1
    assert get_user_model().objects.filter(email=user.email).count() == 1
