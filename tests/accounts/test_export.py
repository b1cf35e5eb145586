"""Export my data: a ZIP of JSON + CSV collecting every app's ``user_data`` hook."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from http import HTTPStatus

import pytest
from django.apps import apps
from django.urls import reverse

from tests.accounts.conftest import age_authentication

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooked_app(monkeypatch):
    """Give the core app a test-only ``user_data`` hook, as the contacts app has."""
    config = apps.get_app_config("core")

    def user_data(*, user):
        return {"notes": [{"title": f"Note of {user.email}", "tags": ["a", "b"]}]}

    monkeypatch.setattr(config, "user_data", user_data, raising=False)
    return config


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="kis-export-')
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_export_page_lists_what_is_included(signed_in, hooked_app):
    page = signed_in.get(reverse("account_export"))
    assert page.status_code == HTTPStatus.OK
    assert b"<li>Accounts</li>" in page.content
    assert b"<li>Core</li>" in page.content  # the app with the test hook


def test_export_zip_holds_every_table_as_json_and_csv(signed_in, user, other_user, hooked_app):
    archive = _zip(signed_in.post(reverse("account_export")))
    names = set(archive.namelist())
    assert {"data.json", "README.txt", "csv/profile.csv", "csv/notes.csv"} <= names
    data = json.loads(archive.read("data.json"))
    tables = data["tables"]
    assert tables["profile"][0]["email"] == user.email
    assert tables["profile"][0]["name"] == "Olive Owner"
    assert [a["email"] for a in tables["email_addresses"]] == [user.email]
    assert len(tables["sessions"]) == 1
    assert tables["notes"] == [{"title": f"Note of {user.email}", "tags": ["a", "b"]}]
    assert other_user.email not in archive.read("data.json").decode()

    rows = list(csv.DictReader(io.StringIO(archive.read("csv/notes.csv").decode())))
    assert rows == [{"title": f"Note of {user.email}", "tags": '["a", "b"]'}]
    # No secrets in an export: no session keys, no password hash.
    raw = archive.read("data.json").decode()
    assert signed_in.session.session_key not in raw
    assert user.password not in raw


def test_export_needs_a_recent_login(signed_in):
    age_authentication(signed_in)
    response = signed_in.post(reverse("account_export"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_export_needs_a_login(client, db):
    response = client.get(reverse("account_export"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
