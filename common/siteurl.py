"""The scheme and host that links outside a page (in mail) start with.

During a request it is the request's own scheme and host: ``request.get_host()`` only
returns a host that ``ALLOWED_HOSTS`` allows (else DisallowedHost, a 400), so a forged
Host header never reaches a mail. Without a request (a background task, a management
command) it is ``settings.SITE_URL`` (``DJANGO_SITE_URL``; production requires it or
derives ``https://`` + the first allowed host).
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpRequest


def site_url(request: HttpRequest | None = None) -> str:
    """Return ``scheme://host[:port]`` (no trailing slash) for links about REQUEST.

    ``ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"`` (production) forces https, as allauth
    does for the links it builds, so every link in one mail has the same scheme.
    """
    if request is None:
        return str(settings.SITE_URL).rstrip("/")
    scheme = request.scheme or "http"
    if getattr(settings, "ACCOUNT_DEFAULT_HTTP_PROTOCOL", "") == "https":
        scheme = "https"
    return f"{scheme}://{request.get_host()}"


def absolute_url(location: str, request: HttpRequest | None = None) -> str:
    """Return LOCATION (a path such as ``reverse(...)``) as an absolute URL on the site."""
    return urljoin(site_url(request) + "/", location)
