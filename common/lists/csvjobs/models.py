"""Abstract models of CSV jobs: an export writes a file, an import reads one and reports.

An app's concrete job models subclass these (``ContactExport(ExportJob)``); retention
(apps/core/retention.py) purges every concrete subclass's finished jobs and their files.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from common.jobs import Job
from common.storage import private_storage

# The ``kind`` of a report entry for a row skipped as a duplicate; a rejected row has none
# (the shape the report had before skipped rows were listed).
SKIPPED = "skipped"


class DuplicateMode(models.TextChoices):
    """What an import does with a row whose key is already among the owner's objects."""

    SKIP = "skip", "Skip rows that are already there"
    UPDATE = "update", "Update the ones already there"


class ExportJob(Job):
    """A CSV export of one user's objects, written by a background task."""

    file = models.FileField(storage=private_storage, upload_to="exports/%Y/%m/", blank=True)

    class Meta:
        abstract = True
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Export #{self.pk} ({self.status})"


class ImportJob(Job):
    """A CSV upload, imported by a background task, with a per-line report.

    ``rejected`` holds the report, capped per kind (``CsvImport.max_reported``):
    ``{"line": 7, "reason": "..."}`` for a rejected row and
    ``{"line": 9, "reason": "...", "kind": "skipped"}`` for a skipped duplicate.
    """

    file = models.FileField(storage=private_storage, upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    duplicates = models.CharField(
        max_length=10, choices=DuplicateMode.choices, default=DuplicateMode.SKIP
    )
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    rejected = models.JSONField(default=list, blank=True)
    rejected_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.status})"

    @property
    def rejected_rows(self) -> list[dict[str, Any]]:
        """The report's rejected rows (at most ``max_reported``)."""
        return [r for r in self.rejected if r.get("kind") != SKIPPED]

    @property
    def skipped_rows(self) -> list[dict[str, Any]]:
        """The report's rows skipped as duplicates (at most ``max_reported``)."""
        return [r for r in self.rejected if r.get("kind") == SKIPPED]
