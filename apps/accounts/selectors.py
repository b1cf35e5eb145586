"""Read-side queries of the accounts app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps

if TYPE_CHECKING:
    from apps.users.models import User


@dataclass(frozen=True)
class MfaSummary:
    """What second factors a user has set up."""

    totp: bool
    passkeys: list[Authenticator]
    recovery_codes_left: int | None


def mfa_summary(*, user: User) -> MfaSummary:
    """Return USER's second factors."""
    authenticators = list(Authenticator.objects.filter(user=user).order_by("created_at", "pk"))
    totp = any(a.type == Authenticator.Type.TOTP for a in authenticators)
    passkeys = [a for a in authenticators if a.type == Authenticator.Type.WEBAUTHN]
    codes = next((a for a in authenticators if a.type == Authenticator.Type.RECOVERY_CODES), None)
    left = len(codes.wrap().get_unused_codes()) if codes else None
    return MfaSummary(totp=totp, passkeys=passkeys, recovery_codes_left=left)


def user_sessions(*, user: User) -> list[UserSession]:
    """Return USER's live sessions, newest activity first (ended ones are purged)."""
    sessions = UserSession.objects.purge_and_list(user)
    return sorted(sessions, key=lambda s: s.last_seen_at, reverse=True)


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def account_data_for_export(*, user: User) -> dict[str, list[dict[str, Any]]]:
    """Return the rows the accounts side holds about USER (no secrets, no session keys)."""
    profile = {
        "email": user.email,
        "name": user.name,
        "timezone": user.timezone,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }
    addresses = [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("email")
    ]
    sessions = [
        {
            "ip": s.ip,
            "user_agent": s.user_agent,
            "created_at": _iso(s.created_at),
            "last_seen_at": _iso(s.last_seen_at),
        }
        for s in UserSession.objects.filter(user=user).order_by("created_at", "pk")
    ]
    authenticators = []
    for a in Authenticator.objects.filter(user=user).order_by("created_at", "pk"):
        name = a.wrap().name if a.type == Authenticator.Type.WEBAUTHN else ""
        authenticators.append(
            {
                "type": a.type,
                "name": name,
                "created_at": _iso(a.created_at),
                "last_used_at": _iso(a.last_used_at),
            }
        )
    return {
        "profile": [profile],
        "email_addresses": addresses,
        "sessions": sessions,
        "mfa_authenticators": authenticators,
    }


def user_data_sources() -> list[str]:
    """Return the names of the apps whose data an export includes (cheap: no queries)."""
    return sorted(
        str(config.verbose_name)
        for config in apps.get_app_configs()
        if callable(getattr(config, "user_data", None))
    )


def user_data_collect(*, user: User) -> dict[str, list[dict[str, Any]]]:
    """Collect ``user_data(user=...)`` from every AppConfig that defines it.

    Table names are prefixed with the app label when two apps use the same one.
    """
    collected: dict[str, list[dict[str, Any]]] = {}
    for config in apps.get_app_configs():
        hook = getattr(config, "user_data", None)
        if not callable(hook):
            continue
        for table, rows in hook(user=user).items():
            key = table if table not in collected else f"{config.label}.{table}"
            collected[key] = list(rows)
    return collected
