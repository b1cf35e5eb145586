"""Change the email address: verified first, then swapped; the old address is told."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from apps.accounts.tests.helpers import age_authentication, last_code

pytestmark = pytest.mark.django_db

NEW = "new.address@example.com"


def test_change_email_after_verifying_the_new_address(signed_in, user):
    response = signed_in.post(reverse("account_email"), {"action_add": "", "email": NEW})
    assert response.status_code == HTTPStatus.FOUND
    # The old address stays the login until the new one is verified.
    user.refresh_from_db()
    assert user.email == "owner@example.com"
    assert mail.outbox[-1].to == [NEW]

    confirm = signed_in.get(response["Location"])
    assert confirm.status_code == HTTPStatus.OK
    wrong = signed_in.post(response["Location"], {"code": "AAAA-AAAA"})
    assert b"Incorrect code" in wrong.content
    ok = signed_in.post(response["Location"], {"code": last_code(NEW)})
    assert ok.status_code == HTTPStatus.FOUND
    assert ok["Location"] == reverse("account_settings")

    user.refresh_from_db()
    assert user.email == NEW
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "primary", "verified")
    ) == [(NEW, True, True)]
    to_old = [m for m in mail.outbox if m.to == ["owner@example.com"]]
    assert to_old, "the old address must be notified"
    assert "owner@example.com" in to_old[-1].body and NEW in to_old[-1].body


def test_email_change_asks_for_reauthentication_when_login_is_old(signed_in):
    age_authentication(signed_in)
    response = signed_in.post(reverse("account_email"), {"action_add": "", "email": NEW})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email=NEW).exists()


def test_email_taken_by_another_account_changes_nothing_and_reveals_nothing(
    signed_in, user, other_user
):
    response = signed_in.post(
        reverse("account_email"), {"action_add": "", "email": other_user.email}
    )
    # Same next step as a free address (no enumeration), but nothing can be taken over.
    assert response.status_code == HTTPStatus.FOUND
    assert not EmailAddress.objects.filter(
        user=user, email=other_user.email, verified=True
    ).exists()
    user.refresh_from_db()
    assert user.email == "owner@example.com"
    assert EmailAddress.objects.get(email=other_user.email).user == other_user
