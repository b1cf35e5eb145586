"""The security log: record what happens to an account (sign-ins, changes, exports)."""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from apps.accounts.devices import device_name
from apps.accounts.models import DETAIL_MAX, USER_AGENT_MAX, SecurityEvent

if TYPE_CHECKING:
    from apps.users.models import User


def _client_ip(request: HttpRequest | None) -> str | None:
    """Return the client's IP address as allauth sees it (proxy settings apply), or None."""
    if request is None:
        return None
    try:
        ip = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None


def _clean_text(value: str, *, limit: int) -> str:
    """Return VALUE without NUL and other control characters, cut to LIMIT characters."""
    return _CONTROL_CHARACTERS.sub("", value)[:limit]


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


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
        user_agent=_clean_text(user_agent, limit=USER_AGENT_MAX),
        detail=_clean_text(detail, limit=DETAIL_MAX),
    )


def user_agent_describe(*, user_agent: str) -> str:
    """Return a short description of USER_AGENT, e.g. "Chrome on Linux" (ua-parser's rules)."""
    return device_name(user_agent)
