"""Settings modules: production refuses to start unconfigured; each module imports cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _run(settings_module: str, probe: str = PROBE, **env: str) -> subprocess.CompletedProcess[str]:
    """Import SETTINGS_MODULE in a fresh interpreter with only ENV (plus PATH etc.) set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SENTRY_", "EMAIL_URL"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run("config.settings.production", DJANGO_ALLOWED_HOSTS="kis.example.com")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run("config.settings.production", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_blank_values():
    result = _run(
        "config.settings.production",
        DJANGO_SECRET_KEY="   ",
        DJANGO_ALLOWED_HOSTS="kis.example.com",
    )
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_email_url():
    result = _run(
        "config.settings.production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="kis.example.com",
        EMAIL_URL="",
    )
    assert result.returncode != 0
    assert "EMAIL_URL must be set" in result.stderr


def test_production_starts_when_configured():
    result = _run(
        "config.settings.production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="kis.example.com",
        EMAIL_URL="smtp://127.0.0.1:1025",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("module", "expected"),
    [("config.settings.production", "json"), ("config.settings.local", "text")],
)
def test_production_logs_json_lines_and_local_logs_text(module, expected):
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'])"
    )
    result = _run(
        module,
        probe,
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="kis.example.com",
        EMAIL_URL="smtp://127.0.0.1:1025",
    )
    assert result.stdout.strip() == expected, result.stderr


@pytest.mark.parametrize("module", ["config.settings.local", "config.settings.test"])
def test_other_settings_start_without_any_environment(module):
    result = _run(module)
    assert result.returncode == 0, result.stderr


def test_database_url_selects_postgresql_with_the_pool():
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; print(db['ENGINE'], 'pool' in db['OPTIONS'])"
    )
    result = _run("config.settings.local", probe, DATABASE_URL="postgres://kis@db.example:5432/kis")
    # Django's backend, failing fast while the database is down (ADR 0306).
    assert result.stdout.split() == ["common.db.postgresql", "True"], result.stderr


def test_test_settings_are_fast():
    from django.conf import settings

    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.MAILERS["default"]["BACKEND"].endswith("locmem.EmailBackend")
