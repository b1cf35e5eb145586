"""Security log receivers: turn allauth's and Django's auth signals into SecurityEvents."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.http import HttpRequest

from apps.accounts.models import SecurityEvent
from apps.accounts.security import security_event_record

# The keys that carry the tried address: allauth's form sends "email" (login method
# email), reauthentication too; Django's own login forms (admin) send "username".
LOGIN_CREDENTIAL_KEYS = ("email", "login", "username")

AUTHENTICATOR_NAMES = {
    Authenticator.Type.TOTP: "Authenticator app",
    Authenticator.Type.WEBAUTHN: "Passkey",
    Authenticator.Type.RECOVERY_CODES: "Recovery codes",
}


def _authenticator_name(authenticator: Authenticator) -> str:
    name = AUTHENTICATOR_NAMES.get(authenticator.type, str(authenticator.type))
    if authenticator.type == Authenticator.Type.WEBAUTHN:
        label = authenticator.wrap().name
        if label:
            return f"{name} “{label}”"
    return name


def _real_user(user: Any) -> Any:
    """Return USER when it is a stored, signed-in user, else None."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    return user


def login_recorded(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Log a completed sign-in."""
    security_event_record(user=user, kind=SecurityEvent.Kind.LOGIN, request=request)


def login_failure_recorded(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Log a wrong password for the account whose address was tried (never for unknown ones)."""
    tried = next(
        (
            value.strip()
            for key in LOGIN_CREDENTIAL_KEYS
            if isinstance(value := credentials.get(key), str) and value.strip()
        ),
        "",
    )
    if not tried:
        return
    user = get_user_model()._default_manager.filter(email__iexact=tried).first()
    if user is None:
        return
    security_event_record(
        user=user, kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, detail="Wrong password"
    )


def login_code_failure_recorded(
    sender: Any, request: HttpRequest, user: Any, **kwargs: Any
) -> None:
    """Log a wrong one-time sign-in code."""
    security_event_record(
        user=user,
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        detail="Wrong sign-in code",
    )


def mfa_failure_recorded(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Log a wrong two-factor code or passkey."""
    security_event_record(
        user=user,
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        detail="Wrong two-factor code",
    )


def logout_recorded(
    sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any
) -> None:
    """Log a sign-out (Django sends no user when nobody was signed in)."""
    if (user := _real_user(user)) is not None:
        security_event_record(user=user, kind=SecurityEvent.Kind.LOGOUT, request=request)


def _recorder(kind: SecurityEvent.Kind) -> Any:
    def receiver(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        security_event_record(user=user, kind=kind, request=request)

    receiver.__doc__ = f"Log {kind.label.lower()}."
    return receiver


password_changed_recorded = _recorder(SecurityEvent.Kind.PASSWORD_CHANGED)
password_set_recorded = _recorder(SecurityEvent.Kind.PASSWORD_SET)
password_reset_recorded = _recorder(SecurityEvent.Kind.PASSWORD_RESET)


def email_change_recorded(
    sender: Any, request: HttpRequest, user: Any, to_email_address: Any = None, **kwargs: Any
) -> None:
    """Log a new primary address (the detail names it)."""
    detail = getattr(to_email_address, "email", "") or ""
    security_event_record(
        user=user, kind=SecurityEvent.Kind.EMAIL_CHANGED, request=request, detail=detail
    )


def _mfa_recorder(kind: SecurityEvent.Kind) -> Any:
    def receiver(
        sender: Any, request: HttpRequest, user: Any, authenticator: Authenticator, **kwargs: Any
    ) -> None:
        security_event_record(
            user=user, kind=kind, request=request, detail=_authenticator_name(authenticator)
        )

    receiver.__doc__ = f"Log {kind.label.lower()} (the detail names the method)."
    return receiver


authenticator_add_recorded = _mfa_recorder(SecurityEvent.Kind.MFA_ADDED)
authenticator_remove_recorded = _mfa_recorder(SecurityEvent.Kind.MFA_REMOVED)
authenticator_reset_recorded = _mfa_recorder(SecurityEvent.Kind.MFA_RESET)


def security_log_connect() -> None:
    """Connect every security log receiver (once, by dispatch_uid)."""
    connections: list[tuple[Any, Any, str]] = [
        (account_signals.user_logged_in, login_recorded, "login"),
        (auth_signals.user_login_failed, login_failure_recorded, "login_failed"),
        (account_signals.login_code_rejected, login_code_failure_recorded, "login_code_failed"),
        (mfa_signals.authentication_failed, mfa_failure_recorded, "mfa_failed"),
        (auth_signals.user_logged_out, logout_recorded, "logout"),
        (account_signals.password_changed, password_changed_recorded, "password_changed"),
        (account_signals.password_set, password_set_recorded, "password_set"),
        (account_signals.password_reset, password_reset_recorded, "password_reset"),
        (account_signals.email_changed, email_change_recorded, "email_changed"),
        (mfa_signals.authenticator_added, authenticator_add_recorded, "mfa_added"),
        (mfa_signals.authenticator_removed, authenticator_remove_recorded, "mfa_removed"),
        (mfa_signals.authenticator_reset, authenticator_reset_recorded, "mfa_reset"),
    ]
    for signal, receiver, name in connections:
        signal.connect(receiver, dispatch_uid=f"kis_security_log_{name}")
