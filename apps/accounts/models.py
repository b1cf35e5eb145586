"""Accounts models: the security log and personal-data export jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from common.jobs import Job
from common.storage import private_storage

USER_AGENT_MAX = 300
DETAIL_MAX = 300


class SecurityEvent(models.Model):
    """One security-relevant thing that happened to an account (kept for a while)."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        LOGOUT = "logout", "Signed out"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_SET = "password_set", "Password set"
        PASSWORD_RESET = "password_reset", "Password reset"
        EMAIL_CHANGED = "email_changed", "Email address changed"
        MFA_ADDED = "mfa_added", "Two-factor method added"
        MFA_REMOVED = "mfa_removed", "Two-factor method removed"
        MFA_RESET = "mfa_reset", "Recovery codes regenerated"
        SESSION_ENDED = "session_ended", "Session ended"
        DATA_EXPORTED = "data_exported", "Data exported"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_events"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_MAX, blank=True)
    detail = models.CharField(max_length=DETAIL_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="security_event_user"),
            models.Index(fields=["created_at"], name="security_event_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class DataExport(Job):
    """A ZIP of everything KIS holds about one user, built by a background task."""

    file = models.FileField(storage=private_storage, upload_to="data-exports/%Y/%m/", blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Data export #{self.pk} ({self.status})"
