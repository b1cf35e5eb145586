"""The security log: record what happens to an account (sign-ins, changes, exports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from apps.accounts.models import DETAIL_MAX, USER_AGENT_MAX, SecurityEvent

if TYPE_CHECKING:
    from apps.users.models import User


def _client_ip(request: HttpRequest | None) -> str | None:
    """Return the client's IP address as Django sees it, or None."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def security_event_record(
    *,
    user: User,
    kind: SecurityEvent.Kind,
    request: HttpRequest | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Add one KIND event to USER's security log, with REQUEST's IP and browser."""
    user_agent = request.headers.get("User-Agent", "") if request is not None else ""
    return SecurityEvent.objects.create(
        user=user,
        kind=kind,
        ip=_client_ip(request),
        user_agent=user_agent[:USER_AGENT_MAX],
        detail=detail[:DETAIL_MAX],
    )
