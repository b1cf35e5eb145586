"""Abstract models of the app toolkit: versioned objects and the undo trash."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Versioned(models.Model):
    """Created/updated times and a version number that every save bumps.

    The version is what optimistic locking compares (``common.lists.services.object_update``):
    a form carries the version it was opened at, and a save from an older one is a conflict.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def touch(self) -> None:
        """Mark the object as changed now (a new version), before it is saved."""
        self.version += 1
        self.updated_at = timezone.now()


class Trash(models.Model):
    """What one delete removed, kept briefly (RETENTION_UNDO) so Undo can restore it exactly."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rows = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{len(self.rows)} deleted row(s)"
