"""`manage.py seed_demo` makes one verified demo user, once."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command

from apps.core.demo import DEMO_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_creates_a_verified_demo_user_and_prints_the_login():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    user = get_user_model().objects.get(email=DEMO_EMAIL)
    assert user.check_password(DEMO_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert DEMO_EMAIL in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


def test_running_again_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    user = get_user_model().objects.get(email=DEMO_EMAIL)
    user.set_password("changed-by-the-user")
    user.save()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert get_user_model().objects.count() == 1
    assert "already there" in out.getvalue()
    user.refresh_from_db()
    assert user.check_password("changed-by-the-user")
