"""The production stack as deployed: gunicorn + config.settings.production + Redis.

Each test talks HTTP to a real gunicorn started from scripts/entrypoint, like the
container does, with the request headers a TLS-terminating proxy would add.
"""

from __future__ import annotations

import json
import re
import subprocess
from http import HTTPStatus

import pytest

from tests.conftest import PROD_EMAIL, PROD_PASSWORD, redis_client
from tests.servers import (
    INLINE_SCRIPT,
    INLINE_STYLE_ATTR,
    PROD_CSRF_COOKIE,
    PROD_SESSION_COOKIE,
    PYTHON,
    ROOT,
    STYLE_BLOCK,
    Client,
    production_env,
)

pytestmark = pytest.mark.usefixtures("prod_server")


def _run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# ------------------------------------------------------------------------------
# Settings
# ------------------------------------------------------------------------------
def test_check_deploy_reports_no_issues(prod_env):
    done = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=prod_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (" in done.stdout
    # Nothing is silenced but, on SQLite, that it builds indexes without INCLUDE columns.
    silenced = _run_settings(
        prod_env,
        "from django.conf import settings; from django.db import connection; "
        "print(connection.vendor, settings.SILENCED_SYSTEM_CHECKS)",
    )
    assert silenced.stdout.strip() in ("sqlite ['models.W040']", "postgresql []")


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_refuses_to_start_without_required_settings(missing):
    env = production_env(**{missing: ""})
    done = _run_settings(env, "")
    assert done.returncode != 0
    assert f"{missing} must be set in the environment for production" in done.stderr


def test_sentry_is_not_imported_without_a_dsn():
    done = _run_settings(production_env(), "import sys; print('sentry_sdk' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_sentry_is_initialised_when_a_dsn_is_set():
    env = production_env(SENTRY_DSN="https://public@sentry.example.com/1")
    done = _run_settings(env, "import sentry_sdk; print(sentry_sdk.get_client().is_active())")
    if "sentry-sdk is not installed" in done.stderr:
        # The dev environment has no sentry-sdk (it is in requirements/prod.txt only):
        # production refuses to start with a clear message instead of running without it.
        assert "ImproperlyConfigured" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_redis_backs_the_cache_and_sessions(prod_env):
    code = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    )
    done = _run_settings(prod_env, code)
    assert done.stdout.split() == [
        "common.cache.ResilientRedisCache",  # Django's RedisCache, degrading (ADR 0307)
        "django.contrib.sessions.backends.cached_db",
    ]


def test_csp_report_uri_comes_from_the_environment():
    env = production_env(DJANGO_CSP_REPORT_URI="https://reports.example.com/csp")
    done = _run_settings(env, "from django.conf import settings; print(settings.SECURE_CSP)")
    assert "'report-uri': ['https://reports.example.com/csp']" in done.stdout


# ------------------------------------------------------------------------------
# HTTPS and headers
# ------------------------------------------------------------------------------
def test_plain_http_is_redirected_to_https_but_probes_are_not(prod_server):
    client = Client(prod_server.url)
    response = client.get("/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == HTTPStatus.MOVED_PERMANENTLY
    assert response.headers["Location"].startswith("https://")

    for probe in ("/healthz", "/readyz"):
        response = client.get(probe, headers={"X-Forwarded-Proto": "http", "Host": "10.0.0.7"})
        assert response.status == HTTPStatus.OK, (probe, response.text)
    assert json.loads(client.get("/readyz").body)["status"] == "ok"


def test_pages_carry_the_security_headers(prod_server):
    response = Client(prod_server.url).get("/accounts/login/")
    h = response.headers
    assert response.status == HTTPStatus.OK
    assert h["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    assert h["X-Frame-Options"] == "DENY"
    policy = h["Permissions-Policy"]
    for denied in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert denied in policy
    assert "publickey-credentials-get=(self)" in policy


def test_csp_is_strict_with_a_fresh_nonce_per_response(prod_server):
    client = Client(prod_server.url)
    first = client.get("/accounts/login/").headers["Content-Security-Policy"]
    second = client.get("/accounts/login/").headers["Content-Security-Policy"]
    directives = {}
    for directive in filter(None, (d.strip() for d in first.split(";"))):
        name, _, value = directive.partition(" ")
        directives[name] = value
    assert "unsafe-inline" not in first
    assert "unsafe-eval" not in first
    assert directives["default-src"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[A-Za-z0-9+/=_-]+'", directives["script-src"])
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert first != second  # nonces are per response


def _check_no_inline_code(response_text: str, csp: str, where: str) -> None:
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce, csp
    assert not INLINE_SCRIPT.search(response_text), f"inline <script> on {where}"
    assert not INLINE_STYLE_ATTR.search(response_text), f'style="" attribute on {where}'
    assert not STYLE_BLOCK.search(response_text), f"<style> block on {where}"
    for tag in re.findall(r"<script\b[^>]*>", response_text):
        assert f'nonce="{nonce.group(1)}"' in tag, f"script without the nonce on {where}: {tag}"


PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
]
PRIVATE_PAGES = [
    "/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/contacts/",
    "/contacts/?q=a",
    "/contacts/new/",
    "/contacts/import/",
]


def test_pages_have_no_inline_script_or_style(prod_server):
    client = Client(prod_server.url)
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status in (HTTPStatus.OK, HTTPStatus.NOT_FOUND), path
        _check_no_inline_code(response.text, response.headers["Content-Security-Policy"], path)
    client.login(PROD_EMAIL, PROD_PASSWORD)
    for path in PRIVATE_PAGES:
        response = client.get(path)
        assert response.status == HTTPStatus.OK, (path, response.status)
        _check_no_inline_code(response.text, response.headers["Content-Security-Policy"], path)


def test_cookies_are_host_only_secure_httponly_and_lax(prod_server):
    client = Client(prod_server.url)
    csrf = client.get("/accounts/login/").headers["Set-Cookie"]
    assert csrf.startswith(f"{PROD_CSRF_COOKIE}=")
    assert "Path=/" in csrf
    assert "Domain=" not in csrf
    assert "Secure" in csrf
    assert "HttpOnly" in csrf
    assert "SameSite=Lax" in csrf
    response = client.login(PROD_EMAIL, PROD_PASSWORD)
    session = next(
        c
        for c in response.headers.get_all("Set-Cookie", [])
        if c.startswith(f"{PROD_SESSION_COOKIE}=")
    )
    assert "Path=/" in session
    assert "Domain=" not in session
    assert "Secure" in session
    assert "HttpOnly" in session
    assert "SameSite=Lax" in session


def test_admin_login_goes_through_allauth(prod_server):
    response = Client(prod_server.url).get("/admin/login/?next=/admin/")
    assert response.status == HTTPStatus.FOUND
    assert response.headers["Location"].startswith("/accounts/login/?next=")


# ------------------------------------------------------------------------------
# Static files
# ------------------------------------------------------------------------------
def test_static_files_are_hashed_compressed_and_cached_for_a_year(prod_server):
    client = Client(prod_server.url)
    page = client.get("/").text
    css = re.search(r'href="(/static/css/dist/styles\.[0-9a-f]{12}\.css)"', page)
    assert css, "the stylesheet link has no content hash"

    for encoding in ("br", "gzip"):
        response = client.get(css.group(1), headers={"Accept-Encoding": encoding})
        assert response.status == HTTPStatus.OK
        assert response.headers["Content-Encoding"] == encoding
        cache_control = response.headers["Cache-Control"]
        max_age = re.search(r"max-age=(\d+)", cache_control)
        assert max_age, cache_control
        assert int(max_age.group(1)) >= 365 * 24 * 3600  # at least a year
        assert "public" in cache_control
        assert "immutable" in cache_control
    # Only hashed names are served, so a stale name can never be cached forever.
    assert client.get("/static/css/dist/styles.css").status == HTTPStatus.NOT_FOUND


# ------------------------------------------------------------------------------
# Sessions and rate limits live in Redis (shared by every web process)
# ------------------------------------------------------------------------------
def test_sessions_and_rate_limits_are_stored_in_redis(prod_server, prod_env):
    redis = redis_client()
    prefix = prod_env["CACHE_KEY_PREFIX"]
    client = Client(prod_server.url)
    client.login(PROD_EMAIL, PROD_PASSWORD)
    session_key = client.cookies[PROD_SESSION_COOKIE]
    assert redis.exists(f"{prefix}:1:django.contrib.sessions.cached_db{session_key}")

    other = Client(prod_server.url)
    other.get("/accounts/login/")
    other.post("/accounts/login/", {"login": "nobody@example.com", "password": "wrong-guess-1"})
    ratelimit_keys = redis.keys(f"{prefix}:*allauth*")
    assert ratelimit_keys, redis.keys(f"{prefix}:*")


# ------------------------------------------------------------------------------
# Logs: one JSON object per line, with the request's context, never a password
# ------------------------------------------------------------------------------
def test_json_logs_carry_request_context_and_never_the_password(prod_server):
    client = Client(prod_server.url)
    client.login(PROD_EMAIL, PROD_PASSWORD)
    response = client.get("/", headers={"X-Request-ID": "trace-abc-123"})
    assert response.headers["X-Request-ID"] == "trace-abc-123"
    # A wrong password is typed too: it must not be logged either.
    client.post("/accounts/login/", {"login": PROD_EMAIL, "password": "Typo-" + PROD_PASSWORD})

    logs = prod_server.logs()
    assert PROD_PASSWORD not in logs
    records = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    assert records, logs[:2000]
    access = [r for r in records if r["logger"] == "kis.access"]
    line = next(r for r in access if r["request_id"] == "trace-abc-123")
    assert line["method"] == "GET"
    assert line["path"] == "/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert isinstance(line["user_id"], int)
    login = next(r for r in access if r["path"] == "/accounts/login/" and r["method"] == "POST")
    assert login["status"] == 302
    assert re.fullmatch(r"[0-9a-f]{32}", login["request_id"])
