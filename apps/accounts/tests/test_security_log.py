"""Security log: what the real flows record, and what the account page and export show."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import USER_AGENT_MAX, SecurityEvent
from apps.accounts.security import security_event_record, user_agent_describe
from apps.accounts.selectors import account_data_for_export
from apps.accounts.tests.helpers import HTMX, last_code, password_login
from apps.accounts.tests.test_mfa import activate_totp
from apps.users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
NEW_PASSWORD = "a-brand-new-passphrase-42"
Kind = SecurityEvent.Kind


def kinds(user) -> list[str]:
    """Return USER's event kinds, oldest first."""
    return list(
        SecurityEvent.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values_list("kind", flat=True)
    )


def last_event(user, kind: str) -> SecurityEvent:
    return SecurityEvent.objects.filter(user=user, kind=kind).order_by("-created_at", "-pk")[0]


@pytest.fixture
def chrome(user) -> Client:
    """A browser on Linux at a known address, signed in as USER through the form."""
    browser = Client(HTTP_USER_AGENT=CHROME_LINUX, REMOTE_ADDR="203.0.113.7")
    assert password_login(browser, user.email).status_code == HTTPStatus.FOUND
    return browser


# ------------------------------------------------------------------------------ recording
def test_sign_in_is_recorded_with_ip_and_browser(chrome, user):
    event = last_event(user, Kind.LOGIN)
    assert event.ip == "203.0.113.7"
    assert event.user_agent == CHROME_LINUX
    assert kinds(user) == [Kind.LOGIN]


def test_wrong_password_is_recorded_for_that_account_only(user, other_user):
    browser = Client(HTTP_USER_AGENT=FIREFOX_WINDOWS, REMOTE_ADDR="198.51.100.9")
    response = password_login(browser, "OWNER@example.com", "not-the-password")
    assert response.status_code == HTTPStatus.OK
    event = last_event(user, Kind.LOGIN_FAILED)
    assert (event.ip, event.user_agent, event.detail) == (
        "198.51.100.9",
        FIREFOX_WINDOWS,
        "Wrong password",
    )
    assert kinds(other_user) == []


def test_unknown_address_records_nothing(db):
    password_login(Client(), "nobody@example.com", "whatever-password")
    assert not SecurityEvent.objects.exists()


def test_sign_out_is_recorded(chrome, user):
    assert chrome.post(reverse("account_logout")).status_code == HTTPStatus.FOUND
    assert kinds(user) == [Kind.LOGIN, Kind.LOGOUT]
    assert last_event(user, Kind.LOGOUT).ip == "203.0.113.7"


def test_password_change_is_recorded(chrome, user):
    response = chrome.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND, response.content
    assert Kind.PASSWORD_CHANGED in kinds(user)


def test_password_set_is_recorded(chrome, user):
    user.set_unusable_password()
    user.save(update_fields=["password"])
    session = chrome.session
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # stay signed in
    session.save()
    response = chrome.post(
        reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND, response.content
    assert Kind.PASSWORD_SET in kinds(user)


def test_password_reset_is_recorded(client, user):
    client.post(reverse("account_reset_password"), {"email": user.email})
    ok = client.post(reverse("account_confirm_password_reset_code"), {"code": last_code()})
    done = client.post(ok["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == HTTPStatus.FOUND
    assert Kind.PASSWORD_RESET in kinds(user)


def test_email_change_is_recorded_with_the_new_address(signed_in, user):
    new = "new-owner@example.com"
    response = signed_in.post(reverse("account_email"), {"action_add": "", "email": new})
    signed_in.post(response["Location"], {"code": last_code(new)})
    assert EmailAddress.objects.get(user=user).email == new
    assert last_event(user, Kind.EMAIL_CHANGED).detail == new


def test_two_factor_changes_are_recorded(signed_in, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals on commit
        activate_totp(signed_in)
    added = SecurityEvent.objects.filter(user=user, kind=Kind.MFA_ADDED)
    assert set(added.values_list("detail", flat=True)) == {"Authenticator app", "Recovery codes"}

    with django_capture_on_commit_callbacks(execute=True):
        regenerated = signed_in.post(reverse("mfa_generate_recovery_codes"))
    assert regenerated.status_code == HTTPStatus.FOUND
    assert last_event(user, Kind.MFA_RESET).detail == "Recovery codes"

    with django_capture_on_commit_callbacks(execute=True):
        deactivated = signed_in.post(reverse("mfa_deactivate_totp"))
    assert deactivated.status_code == HTTPStatus.FOUND
    removed = SecurityEvent.objects.filter(user=user, kind=Kind.MFA_REMOVED)
    assert "Authenticator app" in set(removed.values_list("detail", flat=True))


def test_ending_another_session_is_recorded_naming_the_device(chrome, user):
    firefox = Client(HTTP_USER_AGENT=FIREFOX_WINDOWS, REMOTE_ADDR="198.51.100.9")
    password_login(firefox, user.email)
    theirs = UserSession.objects.get(user=user, user_agent=FIREFOX_WINDOWS)
    response = chrome.post(reverse("account_session_end", args=[theirs.pk]), **HTMX)
    assert response.status_code == HTTPStatus.OK
    event = last_event(user, Kind.SESSION_ENDED)
    assert event.detail == "Firefox on Windows, 198.51.100.9"
    assert event.ip == "203.0.113.7"  # recorded from the browser that ended it


def test_ending_all_other_sessions_is_recorded(chrome, user):
    for agent in (FIREFOX_WINDOWS, "Third/1.0"):
        password_login(Client(HTTP_USER_AGENT=agent), user.email)
    response = chrome.post(reverse("account_sessions_end_others"))
    assert response.status_code == HTTPStatus.FOUND
    assert UserSession.objects.filter(user=user).count() == 1
    assert last_event(user, Kind.SESSION_ENDED).detail == "All other sessions (2)"


# ------------------------------------------------------------------------------ showing
def test_account_page_lists_events_in_the_users_time_zone(chrome, user):
    user.timezone = "Asia/Tokyo"
    user.save(update_fields=["timezone"])
    event = last_event(user, Kind.LOGIN)
    at = (timezone.now() - timedelta(days=2)).replace(microsecond=123456)
    SecurityEvent.objects.filter(pk=event.pk).update(created_at=at)
    local = timezone.localtime(at, zoneinfo.ZoneInfo("Asia/Tokyo"))

    html = chrome.get(reverse("account_settings")).content.decode()
    assert 'id="security-log-title"' in html and "Security log" in html
    assert "Signed in" in html
    assert "Chrome on Linux" in html
    assert "203.0.113.7" in html
    assert f'<time datetime="{local.isoformat(timespec="seconds")}">' in html
    assert local.isoformat(timespec="seconds").endswith("+09:00")
    assert f"{local:%H:%M} JST" in html
    assert ".123456" not in html
    assert reverse("account_security_log") in html


def test_other_users_events_never_show(signed_in, other_user):
    security_event_record(user=other_user, kind=Kind.LOGIN, detail="other-users-secret")
    for url in (reverse("account_settings"), reverse("account_security_log")):
        page = signed_in.get(url)
        assert page.status_code == HTTPStatus.OK
        assert b"other-users-secret" not in page.content


def test_events_older_than_retention_are_not_shown_nor_exported(signed_in, user):
    old = security_event_record(user=user, kind=Kind.PASSWORD_CHANGED, detail="ancient-event")
    old_at = timezone.now() - settings.RETENTION_SECURITY_LOG - timedelta(minutes=1)
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=old_at)
    security_event_record(user=user, kind=Kind.EMAIL_CHANGED, detail="recent-event")

    for url in (reverse("account_settings"), reverse("account_security_log")):
        html = signed_in.get(url).content.decode()
        assert "recent-event" in html
        assert "ancient-event" not in html

    rows = account_data_for_export(user=user)["security_log"]
    assert [row["detail"] for row in rows if row["detail"]] == ["recent-event"]
    assert set(rows[0]) == {"created_at", "kind", "ip", "user_agent", "detail"}
    assert rows[0]["kind"] == "Email address changed"


def test_export_holds_only_the_users_own_events(user, other_user):
    security_event_record(user=other_user, kind=Kind.LOGIN, detail="not-mine")
    assert account_data_for_export(user=user)["security_log"] == []


def test_full_log_pages_with_load_more(signed_in, user):
    base = timezone.now() - timedelta(hours=1)
    SecurityEvent.objects.bulk_create(
        SecurityEvent(user=user, kind=Kind.LOGIN_FAILED, detail=f"attempt-{i:02d}", created_at=base)
        for i in range(60)
    )
    page = signed_in.get(reverse("account_security_log"))
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert html.count('data-testid="security-event"') == 50
    assert 'id="security-log-more"' in html
    next_url = html.split('id="security-log-more"')[1].split('href="')[1].split('"')[0]
    next_url = next_url.replace("&amp;", "&")

    more = signed_in.get(next_url, **HTMX)
    assert more.status_code == HTTPStatus.OK
    assert b"<html" not in more.content
    # 61 events: the sign-in plus 60 failures, none twice.
    assert more.content.count(b'data-testid="security-event"') == 11
    assert b'id="security-log-more"' not in more.content

    without_js = signed_in.get(next_url)
    assert b"<html" in without_js.content
    assert b"Back to the newest events" in without_js.content


def test_full_log_rejects_a_forged_cursor_and_needs_a_login(signed_in, client):
    response = signed_in.get(reverse("account_security_log") + "?cursor=nonsense")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_security_log")
    anonymous = Client().get(reverse("account_security_log"))
    assert anonymous.status_code == HTTPStatus.FOUND
    assert anonymous["Location"].startswith(reverse("account_login"))


# ------------------------------------------------------------------------------ robustness
def test_nul_bytes_and_a_huge_user_agent_do_not_crash(user):
    browser = Client(HTTP_USER_AGENT="Evil\x00Agent/1.0 " + "x" * 10_000, REMOTE_ADDR="10.1.2.3")
    assert password_login(browser, user.email).status_code == HTTPStatus.FOUND
    event = last_event(user, Kind.LOGIN)
    assert "\x00" not in event.user_agent
    assert event.user_agent.startswith("EvilAgent/1.0 ")
    assert len(event.user_agent) == USER_AGENT_MAX
    assert browser.get(reverse("account_settings")).status_code == HTTPStatus.OK


def test_a_bad_client_address_is_stored_as_unknown(db):
    owner = UserFactory.create()
    request = Client().get("/").wsgi_request
    request.META["REMOTE_ADDR"] = "not-an-ip"
    event = security_event_record(user=owner, kind=Kind.LOGIN, request=request, detail="a\x00b")
    assert event.ip is None
    assert event.detail == "ab"


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (CHROME_LINUX, "Chrome on Linux"),
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.1 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1",
            "Chrome on iOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        ("SecondBrowser/1.0", "SecondBrowser"),
        ("", "Unknown browser"),
    ],
)
def test_user_agent_description(agent, expected):
    assert user_agent_describe(user_agent=agent) == expected
