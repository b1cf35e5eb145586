"""Show dates in the signed-in user's own time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

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
