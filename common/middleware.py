"""Cross-cutting middleware: request ids, htmx messages and redirects, errors, private pages."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import cast
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_out
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render, resolve_url
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property, empty
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails
from django_htmx.middleware import HtmxMiddleware as BaseHtmxMiddleware

from common.exceptions import ApplicationError
from common.http import HtmxHttpRequest
from common.logging import request_id_var
from common.rendering import is_htmx_partial_request, patch_vary_htmx

logger = logging.getLogger(__name__)

GetResponse = Callable[[HttpRequest], HttpResponse]

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


class RequestIDMiddleware:
    """Accept a sane incoming ``X-Request-ID`` or make one; echo it and log with it."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class HtmxMessagesMiddleware:
    """Append pending Django messages to htmx responses as an out-of-band toast swap."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_htmx_partial_request(request):
            return response
        if (
            300 <= response.status_code < 400
            or response.streaming
            or "HX-Redirect" in response
            or "HX-Location" in response
            or "HX-Refresh" in response
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        pending = list(messages.get_messages(request))
        if pending:
            response.content += render_to_string(
                "includes/toasts.html", {"messages": pending, "oob": True}, request=request
            ).encode()
            patch_vary_htmx(response)
        return response


class HtmxBoostedFormMiddleware:
    """Keep one history entry when a boosted form post re-renders its page.

    htmx pushes a history entry for every boosted response, so a form that comes back with
    errors (422) would take two Back presses to leave. Such a response replaces the entry
    instead. Redirects (a successful post) are left alone: htmx pushes where they lead.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.htmx
            and request.htmx.boosted
            and request.method == "POST"
            and not 300 <= response.status_code < 400
            and not any(h in response for h in ("HX-Push-Url", "HX-Replace-Url", "HX-Location"))
        ):
            response["HX-Replace-Url"] = request.get_full_path()
        return response


class SafeHtmxDetails(HtmxDetails):
    """django-htmx's ``request.htmx``, reading an unparseable ``HX-Current-URL`` as absent.

    django-htmx splits the header with ``urlsplit``, which raises ``ValueError`` for a value
    like ``http://[`` (an unclosed IPv6 host); every reader of ``current_url_abs_path``
    (login redirects, fresh-login redirects, "back" links) would answer 500.
    """

    @cached_property
    def current_url_abs_path(self) -> str | None:
        try:
            return super().current_url_abs_path
        except ValueError:
            return None


class HtmxMiddleware(BaseHtmxMiddleware):
    """django-htmx's middleware, with ``request.htmx`` as a ``SafeHtmxDetails``."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.async_mode:
            return self.__acall__(request)
        cast("HtmxHttpRequest", request).htmx = SafeHtmxDetails(request)  # here it becomes one
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        cast("HtmxHttpRequest", request).htmx = SafeHtmxDetails(request)
        response = self.get_response(request)
        return response if isinstance(response, HttpResponseBase) else await response


class HtmxLoginRedirectMiddleware:
    """Turn a redirect to the login page into a full-page client redirect for htmx.

    Without it an expired session would swap the login page into a fragment.
    ``next`` points at the page the user is on, not at the fragment's URL.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = request.htmx
        if not htmx or response.status_code not in (301, 302, 303, 307, 308):
            return response
        login_path = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login_path:
            return response
        # A boosted navigation was going to REQUEST's page; a fragment belongs to the current one.
        current = (
            request.get_full_path()
            if htmx.boosted
            else (htmx.current_url_abs_path or request.get_full_path())
        )
        redirect = HttpResponseClientRedirect(f"{login_path}?{urlencode({'next': current})}")
        patch_vary_htmx(redirect)
        return redirect


class ApplicationErrorMiddleware:
    """Map ``ApplicationError`` raised by a view to a readable response."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HtmxHttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        logger.info("application error: %s", exception.message, extra={"status": exception.status})
        template = (
            "errors/fragment.html" if is_htmx_partial_request(request) else "errors/error.html"
        )
        context = {
            "status": int(exception.status),
            "title": exception.status.phrase,
            "message": exception.message,
        }
        response = render(request, template, context, status=exception.status)
        patch_vary_htmx(response)
        return response


access_logger = logging.getLogger("kis.access")


class AccessLogMiddleware:
    """Log one structured line per request: method, path, status, duration, user id.

    The query string is left out (it can carry search terms or tokens); the request id
    comes from ``RequestIDMiddleware``, which must run first.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            access_logger.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                status,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                },
            )


def _user_id(request: HttpRequest) -> int | None:
    """Return the signed-in user's id if the request already loaded the user, else None.

    Never loads it here: that would cost a query, and fail while the database is down.
    """
    user = getattr(request, "user", None)
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return getattr(wrapped, "pk", None)


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` (feature -> origins)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        policy: dict[str, list[str]] = getattr(settings, "PERMISSIONS_POLICY", {})
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in sorted(policy.items())
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class HealthProbeMiddleware:
    """Answer the health probes (``settings.HEALTH_PROBE_PATHS``) before anything else.

    Orchestrators and load balancers call them by IP over plain HTTP, so they skip the
    host check, the HTTPS redirect, sessions and the access log.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.paths = frozenset(getattr(settings, "HEALTH_PROBE_PATHS", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in self.paths:
            match = resolve(request.path_info)
            response: HttpResponse = match.func(request, *match.args, **match.kwargs)
            return response
        return self.get_response(request)


# Set on a request by the ``user_logged_out`` receiver; PrivateResponseMiddleware reads it.
_LOGGED_OUT_ATTR = "_kis_logged_out"
# Sent with the logout response: the browser drops its HTTP cache (bfcache too) and the
# origin's web storage. Cookies are kept, so the theme preference (kis_theme) survives.
CLEAR_SITE_DATA = '"cache", "storage"'


def _mark_logged_out(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """Remember on REQUEST that it signed its user out (receiver of ``user_logged_out``)."""
    if request is not None:
        setattr(request, _LOGGED_OUT_ATTR, True)


def _may_be_signed_in(request: HttpRequest) -> bool:
    """Return True when REQUEST is a signed-in user's, loading nothing to decide.

    Every page loads the user anyway; when nothing did (or loading it failed, e.g. while
    the database is down) a session cookie counts as signed in rather than ask again.
    """
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if user is not None and wrapped is not empty:
        return bool(getattr(wrapped, "is_authenticated", False))
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def account_path_prefix() -> str | None:
    """Return the path the account pages live under (where allauth's ``login/`` is mounted)."""
    try:
        login_path = reverse("account_login")
    except NoReverseMatch:
        return None
    return login_path.removesuffix("login/")


class PrivateResponseMiddleware:
    """Keep private responses out of every cache; clear the browser's copies at logout.

    A response gets ``Cache-Control: no-store, private`` when the user is signed in, when
    the request signed them out, or when it is an account page (see
    ``account_path_prefix``), so neither the browser's HTTP cache nor a shared cache keeps
    it and Back after logout asks the server. The logout response also carries
    ``Clear-Site-Data``. Static files never get here: WhiteNoise answers them earlier, so
    they keep their long, immutable caching; so do the health probes.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        user_logged_out.connect(_mark_logged_out, dispatch_uid="common.private_responses")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        logged_out = getattr(request, _LOGGED_OUT_ATTR, False)
        if logged_out or _may_be_signed_in(request) or self._is_account_page(request):
            patch_cache_control(response, no_store=True, private=True)
        if logged_out:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response

    @staticmethod
    def _is_account_page(request: HttpRequest) -> bool:
        prefix = account_path_prefix()
        return prefix is not None and request.path.startswith(prefix)
