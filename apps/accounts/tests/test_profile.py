"""Profile: display name and time zone, saved in place; dates shown in the user's zone."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.accounts.middleware import UserTimezoneMiddleware
from apps.accounts.tests.helpers import HTMX

pytestmark = pytest.mark.django_db


def test_profile_saves_in_place(signed_in, user):
    response = signed_in.post(
        reverse("account_profile"), {"name": "Olive O.", "timezone": "Europe/Berlin"}, **HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert b'id="profile-section"' in response.content
    assert b"<html" not in response.content
    assert b"Profile saved." in response.content
    assert b'id="current-user" hx-swap-oob="true"' in response.content
    assert b" CET." in response.content or b" CEST." in response.content  # the new zone, at once
    user.refresh_from_db()
    assert (user.name, user.timezone) == ("Olive O.", "Europe/Berlin")


def test_profile_without_javascript_redirects(signed_in, user):
    response = signed_in.post(reverse("account_profile"), {"name": "Plain", "timezone": ""})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_settings")
    user.refresh_from_db()
    assert (user.name, user.timezone) == ("Plain", "")


@pytest.mark.parametrize("extra", [HTMX, {}], ids=["htmx", "no-js"])
def test_unknown_time_zone_is_refused_and_keeps_the_input(signed_in, user, extra):
    response = signed_in.post(
        reverse("account_profile"), {"name": "Kept name", "timezone": "Mars/Olympus"}, **extra
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"Select a valid choice" in response.content
    assert b'value="Kept name"' in response.content
    assert (b"<html" in response.content) is (not extra)
    user.refresh_from_db()
    assert user.name == "Olive Owner"


def test_name_too_long_is_refused(signed_in, user):
    response = signed_in.post(reverse("account_profile"), {"name": "x" * 151}, **HTMX)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"at most 150 characters" in response.content


def _zone_seen(user) -> str:
    seen: dict[str, str] = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = user
    UserTimezoneMiddleware(view)(request)
    return seen["zone"]


def test_middleware_activates_the_users_zone(user, settings):
    user.timezone = "America/New_York"
    assert _zone_seen(user) == "America/New_York"
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE  # reset after


@pytest.mark.parametrize("stored", ["", "Not/AZone"])
def test_middleware_falls_back_to_the_site_zone(user, settings, stored):
    user.timezone = stored
    assert _zone_seen(user) == settings.TIME_ZONE


def test_pages_show_times_in_the_users_zone(signed_in, user):
    user.timezone = "Asia/Tokyo"
    user.save()
    page = signed_in.get(reverse("account_settings"))
    assert b"JST" in page.content
