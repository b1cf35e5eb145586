"""Local development: DEBUG on, console email, live reload."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, env

# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-insecure-only-for-development")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # passkeys over http://localhost

# ------------------------------------------------------------------------------
# LIVE RELOAD (local only)
# ------------------------------------------------------------------------------
if env.bool("DJANGO_BROWSER_RELOAD", default=True):
    INSTALLED_APPS = [*INSTALLED_APPS, "django_browser_reload"]
    MIDDLEWARE = [*MIDDLEWARE, "django_browser_reload.middleware.BrowserReloadMiddleware"]
