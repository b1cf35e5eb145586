"""Show dates in the signed-in user's own time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from allauth.usersessions.middleware import UserSessionsMiddleware
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from apps.users.timezones import is_valid_timezone


def activate_user_timezone(user: object) -> None:
    """Activate USER's time zone for this thread, or the default zone when unset or invalid."""
    name = getattr(user, "timezone", "") or ""
    if name and is_valid_timezone(name):
        timezone.activate(zoneinfo.ZoneInfo(name))
    else:
        timezone.deactivate()


class UserTimezoneMiddleware:
    """Activate ``request.user.timezone`` for the request (else the default TIME_ZONE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        activate_user_timezone(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


SESSION_ACTIVITY_INTERVAL = 60  # seconds between "last seen" writes for one session


class ThrottledUserSessionsMiddleware:
    """Record a session's IP, browser and last-seen time at most once a minute.

    allauth's own middleware writes to the database on every signed-in request;
    a cache key per session limits that to one write per SESSION_ACTIVITY_INTERVAL
    (the request then goes through allauth's middleware, which records it).
    New sessions are recorded at sign-in by allauth's ``user_logged_in`` receiver.
    NUL characters are dropped from the User-Agent header first: allauth stores it as-is,
    and PostgreSQL rejects NUL in text (the sign-in would fail with an error).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.tracked: Callable[[HttpRequest], HttpResponse] = UserSessionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        agent = request.META.get("HTTP_USER_AGENT")
        if isinstance(agent, str) and "\x00" in agent:
            request.META["HTTP_USER_AGENT"] = agent.replace("\x00", "")
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        key = getattr(session, "session_key", None)
        if (
            user is not None
            and user.is_authenticated
            and key
            and cache.add(f"kis:usersession-seen:{key}", 1, timeout=SESSION_ACTIVITY_INTERVAL)
        ):
            return self.tracked(request)
        return self.get_response(request)
