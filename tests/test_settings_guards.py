"""Settings modules: production refuses to start unconfigured; each module imports cleanly."""

from __future__ import annotations

import json
import os
import re
import shutil
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


SITE_URL_PROBE = PROBE.replace("settings.DEBUG", "settings.SITE_URL")


@pytest.mark.parametrize(
    ("allowed", "site_url", "expected"),
    [
        ("kis.example.com,.example.org", "", "https://kis.example.com"),  # derived
        (".example.org", "https://app.example.org:8443/", "https://app.example.org:8443"),
        ("*", "http://kis.example.com", "http://kis.example.com"),
    ],
)
def test_production_site_url_is_set_or_derived_from_the_first_allowed_host(
    allowed, site_url, expected
):
    """Links in mail sent without a request (background tasks) start with SITE_URL."""
    result = _run(
        "config.settings.production",
        SITE_URL_PROBE,
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS=allowed,
        EMAIL_URL="smtp://127.0.0.1:1025",
        DJANGO_SITE_URL=site_url,
    )
    assert result.stdout.strip() == expected, result.stderr


@pytest.mark.parametrize(
    ("allowed", "site_url", "error"),
    [
        ("*", "", "DJANGO_SITE_URL must be set"),  # never guessed from a wildcard
        (".example.org", "", "DJANGO_SITE_URL must be set"),
        ("kis.example.com", "https://evil.example.net", "is not in DJANGO_ALLOWED_HOSTS"),
        ("kis.example.com", "kis.example.com", "must be a scheme and host"),
        ("kis.example.com", "https://kis.example.com/app/", "must be a scheme and host"),
    ],
)
def test_production_refuses_a_missing_or_wrong_site_url(allowed, site_url, error):
    result = _run(
        "config.settings.production",
        SITE_URL_PROBE,
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS=allowed,
        EMAIL_URL="smtp://127.0.0.1:1025",
        DJANGO_SITE_URL=site_url,
    )
    assert result.returncode != 0
    assert error in result.stderr


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


# ------------------------------------------------------------------------------
# .env.example: copied to .env as it is, or with every value empty, each setting is
# its default (an empty value means "unset" for every variable: base.Env).
# ------------------------------------------------------------------------------
ENV_EXAMPLE = ROOT / ".env.example"
_KEY_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")
# Production's required values (real environment variables win over .env).
PRODUCTION_REQUIRED = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "kis.example.com",
    "EMAIL_URL": "smtp://127.0.0.1:1025",
}
DUMP = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: repr(getattr(s, k)) for k in dir(s) if k.isupper()}))"
)


def _env_example_keys() -> dict[str, str]:
    """Every KEY=value line of .env.example, commented out or not."""
    keys: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = _KEY_LINE.match(line)
        if match:
            keys.setdefault(match.group(1), match.group(2))
    return keys


def _settings(module: str, **env: str) -> dict[str, str]:
    result = _run(module, DUMP, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def env_file(tmp_path: Path) -> str:
    """A copy of .env.example as someone's .env (never written into the project)."""
    dotenv = tmp_path / ".env"
    shutil.copy(ENV_EXAMPLE, dotenv)
    return str(dotenv)


def test_env_example_lists_the_empty_values_that_must_mean_default():
    keys = _env_example_keys()
    empty = {key for key, value in keys.items() if value == ""}
    assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "SENTRY_DSN"} <= empty
    assert {"EMAIL_URL", "DJANGO_ALLOWED_HOSTS"} <= set(keys)


@pytest.mark.parametrize("module", ["config.settings.local", "config.settings.test"])
def test_env_example_copied_to_dotenv_starts(module, env_file):
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'])"
    )
    result = _run(module, probe, DJANGO_ENV_FILE=env_file)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_env_example_copied_to_dotenv_starts_production_once_configured(env_file):
    result = _run("config.settings.production", DJANGO_ENV_FILE=env_file, **PRODUCTION_REQUIRED)
    assert result.returncode == 0, result.stderr


def test_env_example_copied_to_dotenv_still_refuses_production_without_secret(env_file):
    result = _run("config.settings.production", DJANGO_ENV_FILE=env_file)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("module", "required"),
    [
        ("config.settings.local", {}),
        ("config.settings.test", {}),
        ("config.settings.production", PRODUCTION_REQUIRED),
    ],
)
def test_every_empty_variable_means_its_default(module, required, env_file):
    """Every key of .env.example set to "" (and .env.example as .env): same settings as
    with no environment at all."""
    defaults = _settings(module, **required)
    empty = dict.fromkeys(_env_example_keys(), "")
    assert len(empty) > 50
    loaded = _settings(module, **{**empty, **required, "DJANGO_ENV_FILE": env_file})
    differing = {k: (defaults.get(k), loaded.get(k)) for k in defaults.keys() | loaded.keys()}
    differing = {k: v for k, v in differing.items() if v[0] != v[1]}
    assert differing == {}


@pytest.mark.parametrize(
    ("module", "required"),
    [
        ("config.settings.local", {}),
        ("config.settings.test", {}),
        ("config.settings.production", PRODUCTION_REQUIRED),
    ],
)
def test_env_example_copied_to_dotenv_changes_nothing(module, required, env_file):
    """Its values are empty, commented out or the defaults: the copy is a starting point."""
    assert _settings(module, DJANGO_ENV_FILE=env_file, **required) == _settings(module, **required)
