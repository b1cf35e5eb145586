"""Test settings: fast and isolated (MD5 hasher, locmem backends, immediate nothing)."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env

# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # passkeys over http://localhost

# ------------------------------------------------------------------------------
# SPEED
# ------------------------------------------------------------------------------
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "rows": {"BACKEND": "common.localcache.LocalMemoryCache", "LOCATION": "kis-rows"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / ".pytest_media"

# ------------------------------------------------------------------------------
# LOGGING: quiet unless asked
# ------------------------------------------------------------------------------
LOGGING["root"]["level"] = env("DJANGO_LOG_LEVEL", default="WARNING")  # type: ignore[index]

# ------------------------------------------------------------------------------
# STATIC: served from the app directories; no collectstatic in tests
# ------------------------------------------------------------------------------
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
