"""Production: every deploy-time value from the environment, no insecure defaults."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, PRIVATE_STORAGE, SECURE_CSP, _site_url_parse, env


def _required(name: str) -> str:
    """Return the environment variable NAME or refuse to start with a clear message."""
    value = env(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in the environment for production "
            f"(see .env.example). Refusing to start without it."
        )
    return value


# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]


def _site_url() -> str:
    """DJANGO_SITE_URL, else https:// + the first allowed host; always an allowed host.

    Links in mail sent without a request (background tasks) start with it, so it is
    never guessed from a wildcard (``*``, ``.example.com``).
    """
    from django.http.request import split_domain_port, validate_host

    value = env("DJANGO_SITE_URL", default="").strip()
    if not value:
        first = ALLOWED_HOSTS[0]
        if first == "*" or first.startswith("."):
            raise ImproperlyConfigured(
                "DJANGO_SITE_URL must be set in the environment for production when the "
                "first of DJANGO_ALLOWED_HOSTS is a wildcard (see .env.example)."
            )
        value = f"https://{first}"
    url = _site_url_parse(value)
    host, _port = split_domain_port(url.partition("://")[2])
    if not validate_host(host, ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            f"DJANGO_SITE_URL's host {host!r} is not in DJANGO_ALLOWED_HOSTS."
        )
    return url


SITE_URL = _site_url()
SITE_DOMAIN = SITE_URL.partition("://")[2]

# ------------------------------------------------------------------------------
# SECURITY (HTTPS behind a proxy that terminates TLS)
# ------------------------------------------------------------------------------
# The proxy must overwrite this header on every request; set the variable to "none"
# when the app is reached directly over TLS (or set another header name). Empty, like
# every empty variable, means the default.
_proxy_header = env("DJANGO_SECURE_PROXY_SSL_HEADER", default="X-Forwarded-Proto")
if _proxy_header.lower() in ("none", "false", "0", "off", "no"):
    SECURE_PROXY_SSL_HEADER = None
else:
    if _proxy_header.lower() in ("true", "1", "on", "yes"):
        _proxy_header = "X-Forwarded-Proto"
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Health probes come from the orchestrator over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix makes browsers accept these cookies only when Secure, for Path=/ and
# with no Domain: a sibling subdomain can neither read nor plant (fixate) them.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# No script reads the CSRF cookie (htmx sends the token from the page), so hide it too.
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
CSRF_TRUSTED_ORIGINS = env.list(
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    default=[
        f"https://{'*' + host if host.startswith('.') else host}"
        for host in ALLOWED_HOSTS
        if host != "*"
    ],
)

# Browsers POST CSP violation reports here when set (e.g. a Sentry security endpoint).
_csp_report_uri = env("DJANGO_CSP_REPORT_URI", default="")
if _csp_report_uri:
    SECURE_CSP = {**SECURE_CSP, "report-uri": [_csp_report_uri]}

# ------------------------------------------------------------------------------
# EMAIL: signup, password reset and sign-in codes depend on it, so never fall back
# to printing mail on the console (base.py's default) without saying so.
# ------------------------------------------------------------------------------
_required("EMAIL_URL")

# ------------------------------------------------------------------------------
# DATABASE: the pool checks a connection before lending it, so a PostgreSQL restart
# costs no failed request; while it is down, pages answer 503 after the pool timeout.
# ------------------------------------------------------------------------------
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=True)

# ------------------------------------------------------------------------------
# STATIC FILES: compressed, hashed, cached forever by whitenoise
# ------------------------------------------------------------------------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "common.staticfiles.ManifestStaticFilesStorage"},
    "private": PRIVATE_STORAGE,  # MEDIA_ROOT/private or KIS_S3_BUCKET (base.py)
}
# whitenoise serves hashed names with "max-age=315360000, public, immutable" (their
# content never changes) and, with this, only hashed names: a stale unhashed URL can
# never be cached for long.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# ------------------------------------------------------------------------------
# LOGGING: JSON lines on stdout
# ------------------------------------------------------------------------------
LOGGING["handlers"]["console"]["formatter"] = env("DJANGO_LOG_FORMAT", default="json")  # type: ignore[index]
# One access line per request from common.middleware.AccessLogMiddleware.
LOGGING["loggers"]["kis.access"] = {"level": "INFO"}  # type: ignore[index]

# ------------------------------------------------------------------------------
# SENTRY (only when SENTRY_DSN is set)
# ------------------------------------------------------------------------------
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError as exc:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed "
            "(pip install -r requirements/prod.txt)."
        ) from exc

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
