"""See every session; end one (in place with htmx) or all others; never someone else's."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apps.accounts.tests.helpers import HTMX, password_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_browser(user) -> Client:
    other = Client(HTTP_USER_AGENT="SecondBrowser/1.0", REMOTE_ADDR="10.0.0.2")
    assert password_login(other, user.email).status_code == HTTPStatus.FOUND
    other.get(reverse("home"))
    return other


def test_settings_page_lists_every_session(signed_in, second_browser):
    page = signed_in.get(reverse("account_settings"))
    assert page.status_code == HTTPStatus.OK
    assert page.content.count(b'data-testid="session-row"') == 2
    assert b"SecondBrowser/1.0" in page.content
    assert b"This browser" in page.content


def test_end_another_session_in_place(signed_in, second_browser, user):
    other = UserSession.objects.get(user=user, user_agent="SecondBrowser/1.0")
    response = signed_in.post(reverse("account_session_end", args=[other.pk]), **HTMX)
    assert response.status_code == HTTPStatus.OK
    assert b'id="sessions-section"' in response.content
    assert b"<html" not in response.content  # a fragment, not a page
    assert b"SecondBrowser/1.0" not in response.content
    assert b"Session ended" in response.content  # toast appended out of band
    assert second_browser.get(reverse("account_settings")).status_code == HTTPStatus.FOUND
    assert signed_in.get(reverse("account_settings")).status_code == HTTPStatus.OK


def test_allauths_sessions_page_leads_to_the_one_sessions_section(signed_in):
    response = signed_in.get("/accounts/sessions/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_settings") + "#sessions-section"


def test_end_buttons_name_the_session_they_end(signed_in, second_browser):
    html = signed_in.get(reverse("account_settings")).content.decode()
    assert "session from 10.0.0.2, SecondBrowser, last seen" in html


def test_end_session_without_javascript_redirects_back(signed_in, second_browser, user):
    other = UserSession.objects.get(user=user, user_agent="SecondBrowser/1.0")
    response = signed_in.post(reverse("account_session_end", args=[other.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_settings")
    assert not UserSession.objects.filter(pk=other.pk).exists()


def test_cannot_end_someone_elses_session(signed_in, other_user):
    stranger = Client()
    password_login(stranger, other_user.email)
    stranger.get(reverse("home"))
    theirs = UserSession.objects.get(user=other_user)
    response = signed_in.post(reverse("account_session_end", args=[theirs.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert UserSession.objects.filter(pk=theirs.pk).exists()
    assert stranger.get(reverse("account_settings")).status_code == HTTPStatus.OK


def test_end_all_other_sessions(signed_in, second_browser, user):
    third = Client(HTTP_USER_AGENT="Third/1.0")
    password_login(third, user.email)
    third.get(reverse("home"))
    response = signed_in.post(reverse("account_sessions_end_others"), **HTMX)
    assert response.status_code == HTTPStatus.OK
    assert UserSession.objects.filter(user=user).count() == 1
    for client in (second_browser, third):
        assert client.get(reverse("account_settings")).status_code == HTTPStatus.FOUND
    assert signed_in.get(reverse("account_settings")).status_code == HTTPStatus.OK


def test_ending_this_session_signs_out(signed_in, user):
    mine = UserSession.objects.get(user=user)
    response = signed_in.post(reverse("account_session_end", args=[mine.pk]), **HTMX)
    assert response.status_code == HTTPStatus.OK
    assert response["HX-Redirect"] == reverse("account_login")
    assert signed_in.get(reverse("account_settings")).status_code == HTTPStatus.FOUND


def test_session_end_needs_post_and_a_login(client, signed_in, user):
    mine = UserSession.objects.get(user=user)
    assert signed_in.get(reverse("account_session_end", args=[mine.pk])).status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )
    anonymous = Client()
    response = anonymous.post(reverse("account_session_end", args=[mine.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_last_seen_is_written_at_most_once_a_minute(signed_in, user):
    session = UserSession.objects.get(user=user)
    UserSession.objects.filter(pk=session.pk).update(last_seen_at=session.created_at)
    cache.clear()
    signed_in.get(reverse("home"))
    first = UserSession.objects.get(pk=session.pk).last_seen_at
    assert first > session.created_at
    signed_in.get(reverse("home"))  # within the minute: no write
    assert UserSession.objects.get(pk=session.pk).last_seen_at == first
