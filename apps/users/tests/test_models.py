"""The email-login user model and its manager."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_create_user_normalises_email_and_hashes_password():
    user = User.objects.create_user(email="  Ada@Example.COM ", password="s3cret-pass")
    assert user.email == "ada@example.com"
    assert user.check_password("s3cret-pass")
    assert user.password != "s3cret-pass"
    assert not user.is_staff
    assert not user.is_superuser
    assert not hasattr(user, "username")


def test_email_is_required():
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user(email="", password="x")


def test_invalid_email_is_rejected():
    with pytest.raises(ValidationError):
        User.objects.create_user(email="not-an-email", password="x")


def test_email_is_unique_case_insensitively():
    User.objects.create_user(email="ada@example.com", password="x")
    with pytest.raises((IntegrityError, ValidationError)):
        User.objects.create_user(email="ADA@example.com", password="x")


def test_create_superuser():
    admin = User.objects.create_superuser(email="root@example.com", password="x")
    assert admin.is_staff
    assert admin.is_superuser


def test_superuser_flags_cannot_be_turned_off():
    with pytest.raises(ValueError, match="superuser"):
        User.objects.create_superuser(email="root@example.com", password="x", is_staff=False)


def test_authenticate_by_email_any_case():
    User.objects.create_user(email="ada@example.com", password="s3cret-pass")
    assert authenticate(username="ADA@example.com", password="s3cret-pass") is not None


def test_names():
    user = User(email="ada.lovelace@example.com")
    assert str(user) == "ada.lovelace@example.com"
    assert user.get_short_name() == "ada.lovelace"
    assert user.get_full_name() == "ada.lovelace@example.com"
    user.name = "Ada"
    assert user.get_short_name() == "Ada"
    assert user.get_full_name() == "Ada"
