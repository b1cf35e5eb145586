"""Keyboard settings: single-key shortcuts on or off, per user (WCAG 2.1.4)."""

from __future__ import annotations

import json
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import SecurityEvent
from apps.accounts.tests.helpers import HTMX

pytestmark = pytest.mark.django_db

URL = "account_keyboard"


def _setting_on_page(content: bytes) -> str:
    """The setting keys.js reads: the help dialog's data-single-key-shortcuts."""
    pattern = rb'<dialog id="shortcuts-help"[^>]*data-single-key-shortcuts="(\w+)"'
    match = re.search(pattern, content)
    assert match, "the help dialog carries the setting"
    return match.group(1).decode()


def test_single_key_shortcuts_are_on_by_default(user):
    assert user.single_key_shortcuts is True


def test_service_turns_them_off_and_on_without_a_security_event(user):
    before = SecurityEvent.objects.count()
    services.keyboard_settings_update(user=user, single_key_shortcuts=False)
    user.refresh_from_db()
    assert user.single_key_shortcuts is False
    services.keyboard_settings_update(user=user, single_key_shortcuts=True)
    user.refresh_from_db()
    assert user.single_key_shortcuts is True
    assert SecurityEvent.objects.count() == before


def test_account_page_shows_the_keyboard_form(user_client):
    response = user_client.get(reverse("account_settings"))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert 'id="keyboard-section"' in content
    assert f'action="{reverse(URL)}"' in content
    assert re.search(r'<input type="checkbox" name="single_key_shortcuts"[^>]*\bchecked\b', content)


def test_saving_in_place_turns_them_off(user_client, user):
    response = user_client.post(reverse(URL), {}, **HTMX)  # the box cleared
    assert response.status_code == HTTPStatus.OK
    assert b'id="keyboard-section"' in response.content
    assert b"<html" not in response.content
    assert b"Keyboard settings saved." in response.content  # the toast, out of band
    assert b" checked" not in response.content
    event = json.loads(response["HX-Trigger"])
    assert event == {"kis:keyboard-settings": {"singleKey": False}}
    user.refresh_from_db()
    assert user.single_key_shortcuts is False


def test_saving_without_javascript_redirects_back(user_client, user):
    user.single_key_shortcuts = False
    user.save()
    response = user_client.post(reverse(URL), {"single_key_shortcuts": "on"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_settings") + "#keyboard-section"
    user.refresh_from_db()
    assert user.single_key_shortcuts is True
    page = user_client.get(response["Location"])
    assert b"Keyboard settings saved." in page.content


@pytest.mark.parametrize("extra", [HTMX, {}], ids=["htmx", "no-js"])
@pytest.mark.parametrize("value", ["maybe", ["on", "on"]], ids=["unknown", "repeated"])
def test_invalid_value_is_refused_and_changes_nothing(user_client, user, extra, value):
    response = user_client.post(reverse(URL), {"single_key_shortcuts": value}, **extra)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b'aria-invalid="true"' in response.content
    assert b"Tick the box" in response.content
    assert (b"<html" in response.content) is (not extra)
    user.refresh_from_db()
    assert user.single_key_shortcuts is True


def test_get_is_not_allowed(user_client):
    assert user_client.get(reverse(URL)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_anonymous_cannot_save(client):
    response = client.post(reverse(URL), {})
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response["Location"]


def test_setting_reaches_the_page_per_user(client_for, user, other_user):
    services.keyboard_settings_update(user=user, single_key_shortcuts=False)
    assert _setting_on_page(client_for(user).get(reverse("home")).content) == "off"
    assert _setting_on_page(client_for(other_user).get(reverse("home")).content) == "on"


def test_anonymous_users_get_the_default(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == HTTPStatus.OK
    assert _setting_on_page(response.content) == "on"


def test_help_dialog_declares_the_conditional_shortcuts(user_client):
    """`u` exists only while an Undo toast shows; the dialog declares it (and the row keys)."""
    content = user_client.get(reverse("home")).content.decode()
    declared = re.search(r"<ul hidden data-shortcuts-declared>(.*?)</ul>", content, re.S)
    assert declared
    keys = re.findall(r'data-keys="([^"]+)"', declared.group(1))
    assert {"?", "Escape", "j ArrowDown", "k ArrowUp", "Enter", "u"} <= set(keys)
