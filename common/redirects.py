"""Going back to where the user came from: `next` is user input, only a same-site path passes.

``django.shortcuts.redirect(value)`` first tries VALUE as a view name, so ``next=abc`` raises
``NoReverseMatch`` (a 500, after the action was done). Views that take ``next`` use
``redirect_to_next`` instead, which never reverses anything.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from common.http import HtmxHttpRequest
from common.text import strip_control_chars

NEXT_MAX = 2048


def safe_path(request: HttpRequest, url: str | None) -> str | None:
    """Return URL as a path on this site (with its query), or None when it is not one.

    Accepted: ``/contacts/?q=a`` and ``https://this-host/contacts/``. Refused: relative
    paths and view names (``abc``), other hosts (``//evil``, ``/\\evil``), other schemes
    (``javascript:``), control characters, backslashes and anything over NEXT_MAX.
    """
    if not url or len(url) > NEXT_MAX or "\\" in url or strip_control_chars(url) != url:
        return None
    if any(c.isspace() for c in url):
        return None
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


def safe_next_url(request: HtmxHttpRequest, default: str) -> str:
    """Return where to go back to: a safe `next` (POST, then GET), the htmx page, or DEFAULT."""
    candidates = [request.POST.get("next"), request.GET.get("next")]
    if request.htmx:
        candidates.append(request.htmx.current_url_abs_path)
    for url in candidates:
        path = safe_path(request, url)
        if path is not None:
            return path
    return default


def redirect_to_next(request: HtmxHttpRequest, default: str) -> HttpResponseRedirect:
    """Redirect to ``safe_next_url(request, DEFAULT)`` (never reversed as a view name)."""
    return HttpResponseRedirect(safe_next_url(request, default))
