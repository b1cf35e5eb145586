"""Behind a proxy: the client IP comes from X-Forwarded-For as far as the proxies are trusted."""

from __future__ import annotations

import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.accounts.models import SecurityEvent
from apps.accounts.security import _client_ip
from apps.users.tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[3]
PROXY = "10.0.0.2"
CLIENT = "203.0.113.7"
SPOOFED = "198.51.100.66"


def _request(xff: str | None) -> Any:
    headers = {"X-Forwarded-For": xff} if xff is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, headers=headers)


def test_trusted_proxy_count_comes_from_the_environment():
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}

    def run(**extra: str) -> str:
        done = subprocess.run(  # noqa: S603 (this interpreter, a fixed probe)
            [sys.executable, "-c", probe],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.test", **extra},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip()

    assert run() == "0 None"
    assert run(DJANGO_TRUSTED_PROXY_COUNT="1") == "1 None"
    assert run(DJANGO_TRUSTED_CLIENT_IP_HEADER="X-Real-IP") == "0 X-Real-IP"


def test_one_proxy_the_rightmost_address_is_the_client(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert _client_ip(_request(CLIENT)) == CLIENT
    # Whatever the client itself sent is on the left, and ignored.
    assert _client_ip(_request(f"{SPOOFED}, {CLIENT}")) == CLIENT
    assert _client_ip(_request(None)) == PROXY  # reached directly (e.g. a health probe)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert _client_ip(_request(f"{SPOOFED}, {CLIENT}")) == PROXY


def _login(client: Client, email: str, password: str, ip: str) -> Any:
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=ip,
    )


@pytest.mark.django_db
def test_failed_logins_of_one_client_do_not_lock_out_another(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory.create(email="victim@example.com")
    attacker = Client()
    for n in range(10):
        _login(attacker, f"guess{n}@example.com", "wrong-password", "192.0.2.10")
    blocked = _login(attacker, "guess99@example.com", "wrong-password", "192.0.2.10")
    assert "Too many failed login attempts" in blocked.content.decode()

    response = _login(Client(), user.email, PASSWORD, CLIENT)
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.django_db
def test_security_log_and_sessions_record_the_client_not_the_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory.create(email="someone@example.com")
    response = _login(Client(), user.email, PASSWORD, f"{SPOOFED}, {CLIENT}")
    assert response.status_code == HTTPStatus.FOUND
    assert set(SecurityEvent.objects.filter(user=user).values_list("ip", flat=True)) == {CLIENT}
    assert UserSession.objects.get(user=user).ip == CLIENT
