"""Core models: task worker heartbeats and the keys of form submissions already handled."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """The last sign of life of one ``db_worker`` process (see apps.core.worker)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"


class SubmissionKey(models.Model):
    """A form submission already handled: a repeat of KEY by OWNER leads to RESULT_URL.

    Makes create forms idempotent (see apps.core.idempotency): the key is inserted in the
    same transaction as the object it created, so a double submit creates one object.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="core_submission_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} -> {self.result_url}"


class RowTally(models.Model):
    """How many rows of one table (LABEL, a model's ``app_label.model_name``) OWNER has.

    Kept by database triggers (apps.core.tally.TallyRows, ADR 0019), so every write counts,
    bulk and raw ones too; read by lists whose unfiltered count would otherwise scan them all.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=100)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "label"], name="core_row_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.total}"
