"""Read-side queries of the accounts app."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from apps.accounts.models import DataExport, SecurityEvent
from common.jobs import JobStatus
from common.pagination import KeysetPage, KeysetPaginator

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


SECURITY_LOG_ORDERING = ("-created_at", "-pk")


def security_log_since() -> datetime:
    """Return the oldest time the security log still shows (settings.RETENTION_SECURITY_LOG)."""
    return timezone.now() - settings.RETENTION_SECURITY_LOG


def _security_events(*, user: User) -> Any:
    return SecurityEvent.objects.filter(user=user, created_at__gte=security_log_since())


def security_events_recent(*, user: User, limit: int) -> list[SecurityEvent]:
    """Return USER's LIMIT newest security events within the retention window."""
    return list(_security_events(user=user).order_by(*SECURITY_LOG_ORDERING)[:limit])


def security_event_page(
    *, user: User, cursor: str | None = None, page_size: int
) -> KeysetPage[SecurityEvent]:
    """Return one keyset page of USER's security log, newest first, within retention.

    Raises ``common.pagination.InvalidCursor`` for a cursor this ordering did not make.
    """
    paginator = KeysetPaginator(
        _security_events(user=user), ordering=SECURITY_LOG_ORDERING, page_size=page_size
    )
    return paginator.page(cursor)


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
    security_log = [
        {
            "created_at": event.created_at.isoformat(),
            "kind": event.get_kind_display(),
            "ip": event.ip,
            "user_agent": event.user_agent,
            "detail": event.detail,
        }
        for event in _security_events(user=user).order_by(*SECURITY_LOG_ORDERING)
    ]
    return {
        "profile": [profile],
        "email_addresses": addresses,
        "sessions": sessions,
        "mfa_authenticators": authenticators,
        "security_log": security_log,
    }


def user_data_sources() -> list[str]:
    """Return the names of the apps whose data an export includes (cheap: no queries)."""
    return sorted(
        str(config.verbose_name)
        for config in apps.get_app_configs()
        if callable(getattr(config, "user_data", None))
    )


def user_data_collect(*, user: User) -> dict[str, Iterable[dict[str, Any]]]:
    """Collect ``user_data(user=...)`` from every AppConfig that defines it.

    The hook contract: return a mapping of table name -> iterable of dict rows. The rows
    may be a list, a generator, or a ``.values()`` queryset (then the export counts it and
    streams it with ``.iterator()``); nothing is read here, so memory stays flat.
    Table names are prefixed with the app label when two apps use the same one.
    """
    collected: dict[str, Iterable[dict[str, Any]]] = {}
    for config in apps.get_app_configs():
        hook = getattr(config, "user_data", None)
        if not callable(hook):
            continue
        for table, rows in hook(user=user).items():
            key = table if table not in collected else f"{config.label}.{table}"
            collected[key] = rows
    return collected


def data_export_latest(*, owner: User) -> DataExport | None:
    """Return OWNER's most recent data export job."""
    return DataExport.objects.filter(owner=owner).order_by("-created_at", "-id").first()


def data_export_active(*, owner: User) -> DataExport | None:
    """Return OWNER's pending or running data export, if any."""
    return (
        DataExport.objects.filter(owner=owner, status__in=(JobStatus.PENDING, JobStatus.RUNNING))
        .order_by("-created_at", "-id")
        .first()
    )


def data_export_started_count(*, owner: User, since: datetime) -> int:
    """Return how many data exports OWNER started since SINCE."""
    return DataExport.objects.filter(owner=owner, created_at__gte=since).count()


def data_export_expires_at(*, job: DataExport) -> datetime | None:
    """Return when JOB's file stops being available (None while it is not finished)."""
    if job.finished_at is None:
        return None
    return job.finished_at + settings.RETENTION_FILES


def data_export_is_expired(*, job: DataExport, now: datetime | None = None) -> bool:
    """Return True when JOB's file is past its retention (it may already be purged)."""
    expires_at = data_export_expires_at(job=job)
    return expires_at is not None and (now or timezone.now()) >= expires_at
