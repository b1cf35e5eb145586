"""Every main page is valid HTML: the Nu HTML checker (vnu) over the rendered documents.

The pages are rendered with the test client, written to a temporary directory and checked
in one vnu run (one JVM start). Skipped when Java or the jar (npm's vnu-jar) is missing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from http import HTTPStatus
from pathlib import Path

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from apps.contacts.tests.factories import ContactFactory
from apps.users.models import User

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "theme/static_src/node_modules/vnu-jar/build/dist/vnu.jar"
VNU_TIMEOUT = 180  # seconds; one JVM checks every page
# The one message let through: htmx's own attributes (hx-get, hx-boost, ...). HTML reserves
# custom attributes to data-*, so vnu flags every hx-* attribute; htmx documents hx-* as its
# spelling (data-hx-* is the conforming alias). KIS writes hx-* like htmx's docs do, so only
# that exact message is ignored, for attributes named hx-<letters and dashes>; any other
# error about the same elements (and any unknown non-hx attribute) still fails the test.
HTMX_ATTRIBUTE = re.compile(
    r"Attribute “hx-[a-z-]+” not allowed on element “[a-z0-9]+” at this point\."
)


def _java() -> str:
    """Return the java binary; skip the test when it or vnu.jar is missing."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not on PATH (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        pytest.skip(f"{VNU_JAR} is missing (cd theme/static_src && npm ci)")
    return java


def _document(response: HttpResponseBase, status: HTTPStatus = HTTPStatus.OK) -> str:
    """The body of a full HTML page answered with STATUS."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    html = response.content.decode()
    assert html.lstrip().lower().startswith("<!doctype html>"), html[:200]
    return html


def _anonymous_pages(user: User) -> dict[str, str]:
    """The entrance pages, signed out, including their error states."""
    client = Client()
    return {
        "home-signed-out": _document(client.get(reverse("home"))),
        "login": _document(client.get(reverse("account_login"))),
        "login-wrong-password": _document(
            client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
        ),
        "signup": _document(client.get(reverse("account_signup"))),
        "signup-errors": _document(
            client.post(
                reverse("account_signup"),
                {"email": "not-an-email", "password1": "password", "password2": "other"},
            )
        ),
        "password-reset": _document(client.get(reverse("account_reset_password"))),
    }


def _signed_in_pages(client: Client, user: User) -> dict[str, str]:
    """The app and account pages, signed in, with rows in the lists."""
    ada = ContactFactory.create(owner=user, first_name="Ada", company="Acme Engines")
    ContactFactory.create(owner=user, first_name="Grace", company="Acme Engines")
    ContactFactory.create(owner=user, first_name="Linus")
    company = ada.company
    assert company is not None
    pages = {
        "home": _document(client.get(reverse("home"))),
        "contacts": _document(client.get(reverse("contacts:list"))),
        "contact": _document(client.get(reverse("contacts:detail", args=[ada.pk]))),
        "contact-new": _document(client.get(reverse("contacts:create"))),
        "contact-edit": _document(client.get(reverse("contacts:edit", args=[ada.pk]))),
        "contact-invalid": _document(
            client.post(reverse("contacts:create"), {"email": "not-an-email"}),
            HTTPStatus.UNPROCESSABLE_ENTITY,
        ),
        "companies": _document(client.get(reverse("companies:list"))),
        "company": _document(client.get(reverse("companies:detail", args=[company.pk]))),
        "company-new": _document(client.get(reverse("companies:create"))),
        "company-edit": _document(client.get(reverse("companies:edit", args=[company.pk]))),
        # /accounts/profile/ and /accounts/keyboard/ take POSTs only and /accounts/sessions/
        # redirects: all are sections of the settings page. An invalid profile re-renders
        # the whole settings page with its errors.
        "profile-invalid": _document(
            client.post(reverse("account_profile"), {"name": "x" * 500, "timezone": "Nowhere"}),
            HTTPStatus.UNPROCESSABLE_ENTITY,
        ),
    }
    for name in [
        "account_settings",
        "account_security_log",
        "account_email",
        "account_change_password",
        "mfa_index",
        "mfa_activate_totp",
    ]:
        pages[name] = _document(client.get(reverse(name)))
    return pages


def _vnu_errors(java: str, files: list[Path]) -> list[str]:
    """Run vnu once over FILES; return its errors as 'file:line: message'."""
    done = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=VNU_TIMEOUT,
        check=False,
    )
    try:
        report = json.loads(done.stderr or '{"messages": []}')
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not answer JSON (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{m.get('extract', '').strip()}]"
        for m in report["messages"]
        if m["type"] in {"error", "non-document-error"}
        and not HTMX_ATTRIBUTE.fullmatch(m["message"])
    ]


@pytest.mark.slow
@pytest.mark.django_db
def test_main_pages_are_valid_html(signed_in: Client, user: User, tmp_path: Path) -> None:
    """vnu reports no error on any main page, signed out or in, error states included."""
    java = _java()
    pages = {**_anonymous_pages(user), **_signed_in_pages(signed_in, user)}
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    errors = _vnu_errors(java, files)
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(errors)
