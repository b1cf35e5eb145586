"""The admin pages of allauth's models work with KIS's username-less user model."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_sessions_can_be_searched_by_email() -> None:
    staff = UserFactory.create(is_staff=True, is_superuser=True)
    owner = UserFactory.create(email="findme@example.com")
    UserSession.objects.create(user=owner, session_key="k" * 32, ip="127.0.0.1", user_agent="t")
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    url = reverse("admin:usersessions_usersession_changelist")
    response = client.get(url, {"q": "findme"})
    assert response.status_code == HTTPStatus.OK  # was a FieldError: no user__username
    assert response.context["cl"].result_count == 1
    assert client.get(url, {"q": "nobody"}).context["cl"].result_count == 0
