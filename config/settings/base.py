"""Settings shared by every environment. Deploy-time values come from the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

# ------------------------------------------------------------------------------
# PATHS AND ENVIRONMENT
# ------------------------------------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent.parent


class _SetValues(Mapping[str, str]):
    """os.environ without its empty (or blank) values: `KEY=` reads as unset."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def __getitem__(self, key: str) -> str:
        value = self._environ[key]
        if not value.strip():
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return (key for key, value in self._environ.items() if value.strip())

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Env(environ.Env):
    """django-environ's reader where an empty value means "use the default", for every
    variable (so `.env.example` copied to `.env` works as it is). A value without a
    default that is empty is as missing as an unset one."""

    def __init__(self, **scheme: Any) -> None:
        super().__init__(**scheme)
        # get_value() and `in` read self.ENVIRON; read_env() still writes os.environ.
        self.ENVIRON = _SetValues(os.environ)


env = Env()
# A .env file is read when present (DJANGO_ENV_FILE names another one); real
# environment variables win over it.
env.read_env(Path(env("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))), overwrite=False)

# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

TIME_ZONE = env("DJANGO_TIME_ZONE", default="UTC")
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
SITE_ID = 1
SITE_NAME = env("KIS_SITE_NAME", default="KIS")


def _site_url_parse(value: str) -> str:
    """Return VALUE as ``scheme://host[:port]`` (no trailing slash) or refuse to start."""
    from urllib.parse import urlsplit

    from django.core.exceptions import ImproperlyConfigured

    bits = urlsplit(value.strip())
    if (
        bits.scheme not in ("http", "https")
        or not bits.hostname
        or "@" in bits.netloc
        or bits.path not in ("", "/")
        or bits.query
        or bits.fragment
    ):
        raise ImproperlyConfigured(
            f"DJANGO_SITE_URL must be a scheme and host such as https://kis.example.com "
            f"(no path), not {value!r}."
        )
    return f"{bits.scheme}://{bits.netloc}"


# Where links in mail point when no request is at hand (background tasks, commands);
# during a request the request's own scheme and (allowed) host win (common/siteurl.py).
# Production requires it or derives https:// + the first allowed host (production.py).
SITE_URL = _site_url_parse(env("DJANGO_SITE_URL", default="") or "http://localhost:8000")
SITE_DOMAIN = SITE_URL.partition("://")[2]  # the default Site's domain (apps/core migration)

# ------------------------------------------------------------------------------
# DATABASES
# ------------------------------------------------------------------------------
# SQLite is the embedded default; a postgres:// URL switches to PostgreSQL (psycopg 3).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Indexes' INCLUDE columns (contacts' sort indexes) serve PostgreSQL's index-only search
# walks; SQLite builds the same indexes without them, which is all it can do.
SILENCED_SYSTEM_CHECKS = (
    ["models.W040"] if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else []
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend and psycopg 3 pool, failing fast while the database is down
    # (docs/decisions/0306-fast-fail-outages.md). No CONN_MAX_AGE with the pool.
    DATABASES["default"]["ENGINE"] = "common.db.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "pool",
        {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
            # Only a busy pool waits this long: a refused connection fails at once.
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=5.0),
            # Give up reconnecting in the background after this; the next request (one
            # per DATABASE_RETRY_SECONDS while it is down) tries again at once.
            "reconnect_timeout": env.float("DATABASE_POOL_RECONNECT_TIMEOUT", default=1.0),
        },
    )
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=2)
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

# While the database (or Redis) is down, one request per this many seconds tries it.
DATABASE_RETRY_SECONDS = env.float("DATABASE_RETRY_SECONDS", default=1.0)
CACHE_RETRY_SECONDS = env.float("CACHE_RETRY_SECONDS", default=1.0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# ------------------------------------------------------------------------------
# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "django_tasks_db",
    "tailwind",
]
LOCAL_APPS = [
    "apps.users",
    "apps.core",
    "apps.contacts",
    "apps.companies",
    "apps.accounts",
    "theme",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS
# apps.core's `db_worker` (django-tasks-db's worker plus heartbeats and dead-worker
# recovery, see apps/core/worker.py) must win over django_tasks_db's own command.
INSTALLED_APPS.remove("apps.core")
INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks_db"), "apps.core")
# Last, as its docs ask: a FileField's file is deleted once the deletion (or replacement)
# of its row commits (docs/decisions/0305-files-and-retention.md).
INSTALLED_APPS.append("django_cleanup.apps.CleanupConfig")

# ------------------------------------------------------------------------------
# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ------------------------------------------------------------------------------
# DJANGO-ALLAUTH
# ------------------------------------------------------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
# Account self-service (apps.accounts; see README "Accounts" and docs/decisions/02xx).
ACCOUNT_ADAPTER = "apps.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "apps.accounts.forms.SignupForm"}  # equal timing, taken or new email
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True  # "send a new code", twice at most
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_CHANGE = True  # fix a mistyped address at the code step
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True  # one address; the new one must be verified before it replaces the old
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell the old address (and the user) about security changes
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = SITE_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False  # local and test settings allow http://localhost
USERSESSIONS_TRACK_ACTIVITY = True
# The client's IP (rate limits, the security log, session list) as allauth's adapter
# sees it. Behind N proxies that each append to X-Forwarded-For, set N: the client is
# the Nth address from the right and entries further left (forgeable) are ignored.
# 0 = reached directly: the header is ignored (docs/deployment.md "Running behind a proxy").
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# Or a header the proxy sets to the client's address (e.g. "X-Real-IP"); wins over the count.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("DJANGO_TRUSTED_CLIENT_IP_HEADER", default="") or None

# ------------------------------------------------------------------------------
# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    # django-htmx's, safe with a malformed HX-Current-URL. First, so every request has
    # request.htmx (common.http.HtmxHttpRequest), even one an error handler answers.
    "common.middleware.HtmxMiddleware",
    "common.middleware.RequestIDMiddleware",
    "common.middleware.HealthProbeMiddleware",
    "common.middleware.AccessLogMiddleware",
    # The header middleware wraps everything that may read the Host header (the HTTPS
    # redirect, CommonMiddleware): a DisallowedHost 400 turns into a response inside the
    # middleware that raised it and passes only the ones around it.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "common.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a signed-in user unless marked @login_not_required (allauth marks its
    # public ones). Its redirect comes from process_view, so it passes back through every
    # middleware's response phase: HtmxLoginRedirectMiddleware turns it into a client redirect.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "common.middleware.PrivateResponseMiddleware",  # no-store when signed in; logout clears
    "django.contrib.messages.middleware.MessageMiddleware",
    "common.middleware.HtmxMessagesMiddleware",
    "common.middleware.HtmxBoostedFormMiddleware",
    "common.middleware.HtmxLoginRedirectMiddleware",
    "common.middleware.ApplicationErrorMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.accounts.middleware.ThrottledUserSessionsMiddleware",  # allauth.usersessions, 1 write/min
    "apps.accounts.middleware.UserTimezoneMiddleware",
]

# ------------------------------------------------------------------------------
# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Private files (uploads, exports): served only by owner-checking views, never by URL.
# MEDIA_ROOT/private by default; an S3-compatible bucket when KIS_S3_BUCKET is set, which
# web and worker processes on several hosts then share (docs/deployment.md, ADR 0309).
# Credentials: boto3's own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or a role).
S3_BUCKET = env("KIS_S3_BUCKET", default="")
PRIVATE_STORAGE: dict[str, Any] = {"BACKEND": "common.storage.PrivateFileSystemStorage"}
if S3_BUCKET:
    PRIVATE_STORAGE = {
        "BACKEND": "common.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "location": env("KIS_S3_PREFIX", default="private"),
            "endpoint_url": env("KIS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("KIS_S3_REGION", default="") or None,
            "addressing_style": env("KIS_S3_ADDRESSING_STYLE", default="") or None,
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}

# ------------------------------------------------------------------------------
# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context_processors.site",
            ],
            # common/ is no app; its tag libraries are named here ({% load kis_time %}).
            "libraries": {
                "kis_rows": "common.templatetags.kis_rows",
                "kis_time": "common.templatetags.kis_time",
            },
        },
    },
]

# ------------------------------------------------------------------------------
# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
HEALTH_PROBE_PATHS = ["/healthz", "/readyz"]
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Powerful browser features the app never uses are switched off for every page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Passkeys / security keys (allauth MFA) need WebAuthn on our own origin.
PERMISSIONS_POLICY["publickey-credentials-get"] = ["self"]
PERMISSIONS_POLICY["publickey-credentials-create"] = ["self"]

# Strict CSP: everything from 'self', scripts additionally by per-request nonce.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# ------------------------------------------------------------------------------
# CACHES
# ------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Shared by every web and worker process: sessions, allauth rate limits, app caches.
    CACHES = {
        "default": {
            # Django's RedisCache, served from process memory while Redis is down
            # (docs/decisions/0307-redis-outage-degrades.md).
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="kis"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Sessions read from Redis, written through to the database (survive a cache flush).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered list rows (common.templatetags.kis_rows), in each process's memory: a hit costs
# no network round trip, the keys carry each object's version so no process can serve a
# stale row, and ~1 KB a row keeps 20,000 of them near 20 MB (docs/decisions/0015). A page
# reads its rows in one go, unpickled (common.localcache, docs/decisions/0020).
CACHES["rows"] = {
    "BACKEND": "common.localcache.LocalMemoryCache",
    "LOCATION": "kis-rows",
    "TIMEOUT": 24 * 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": env.int("ROW_CACHE_MAX_ENTRIES", default=20_000)},
}

# ------------------------------------------------------------------------------
# EMAIL (Django 6.1 mailers)
# ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="KIS <noreply@kis.localhost>")
SERVER_EMAIL = env("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_URL = env("EMAIL_URL", default="").strip() or "console://"  # production requires it
MAILERS: dict[str, dict[str, Any]]
if EMAIL_URL.startswith("console:"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    _email = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email["EMAIL_HOST"],
                "port": _email["EMAIL_PORT"],
                "username": _email.get("EMAIL_HOST_USER") or None,
                "password": _email.get("EMAIL_HOST_PASSWORD") or None,
                "use_tls": bool(_email.get("EMAIL_USE_TLS")),
                "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
                "timeout": 10,
            },
        }
    }

# ------------------------------------------------------------------------------
# BACKGROUND TASKS (django.tasks + django-tasks-db, run by `manage.py db_worker`)
# ------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# ------------------------------------------------------------------------------
# RETENTION (docs/retention.md): how long KIS keeps what users leave behind
# ------------------------------------------------------------------------------
# Enforced on read (an expired Undo or download says so) and purged by
# `manage.py purge_expired`, which the task worker runs every RETENTION_PURGE_INTERVAL.
RETENTION_UNDO = timedelta(seconds=env.int("KIS_RETENTION_UNDO_SECONDS", default=600))
RETENTION_FILES = timedelta(days=env.int("KIS_RETENTION_FILES_DAYS", default=7))
RETENTION_TASK_RESULTS = timedelta(days=env.int("KIS_RETENTION_TASK_RESULTS_DAYS", default=7))
RETENTION_SECURITY_LOG = timedelta(days=env.int("KIS_RETENTION_SECURITY_LOG_DAYS", default=90))
RETENTION_SUBMISSION_KEYS = timedelta(days=1)
RETENTION_PURGE_INTERVAL = timedelta(
    seconds=env.int("KIS_RETENTION_PURGE_INTERVAL_SECONDS", default=3600)
)

# ------------------------------------------------------------------------------
# LOGGING
# ------------------------------------------------------------------------------
LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOG_FORMAT = env("DJANGO_LOG_FORMAT", default="text")  # "text" or "json"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "common.logging.RequestIDFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)-7s [%(request_id)s] %(name)s: %(message)s",
        },
        "json": {"()": "common.logging.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replace Django's default handlers so each line is written once, in our format.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# ------------------------------------------------------------------------------
# THEME
# ------------------------------------------------------------------------------
TAILWIND_APP_NAME = "theme"
NPM_BIN_PATH = env("NPM_BIN_PATH", default="npm")

# ------------------------------------------------------------------------------
# TASK WORKER LIVENESS (apps.core.worker): heartbeats and dead-worker recovery
# ------------------------------------------------------------------------------
TASKS_WORKER_HEARTBEAT_SECONDS = env.float("TASKS_WORKER_HEARTBEAT_SECONDS", default=10.0)
TASKS_WORKER_STALE_SECONDS = env.float("TASKS_WORKER_STALE_SECONDS", default=60.0)
