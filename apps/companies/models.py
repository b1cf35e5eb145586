"""Companies: the organisations in one user's address book."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Concat, Lower
from django.urls import reverse

from common.lists.csvjobs.models import ExportJob, ImportJob
from common.lists.models import Trash, Versioned

NAME_MAX = 150
WEBSITE_MAX = 200
NOTES_MAX = 5000


class Company(Versioned):
    """An organisation in one user's address book; its contacts link to it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="companies"
    )
    name = models.CharField(max_length=NAME_MAX)
    website = models.URLField(max_length=WEBSITE_MAX, blank=True)
    notes = models.TextField(max_length=NOTES_MAX, blank=True)
    search = models.GeneratedField(
        expression=Lower(
            Concat("name", models.Value(" "), "website", output_field=models.TextField())
        ),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
    )

    class Meta:
        verbose_name_plural = "companies"
        ordering = ("name", "id")
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="companies_company_owner_name_ci_unique",
                violation_error_message="You already have a company with this name.",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "name", "id"], name="company_owner_name"),
            models.Index(fields=["owner", "-updated_at", "-id"], name="company_owner_updated"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("companies:detail", args=[self.pk])


class DeletedCompanies(Trash):
    """What one delete of companies removed, kept briefly so Undo can restore it."""

    class Meta:
        verbose_name_plural = "deleted companies"


class CompanyExport(ExportJob):
    """A CSV export of one user's companies, written by a background task (jobs.py)."""


class CompanyImport(ImportJob):
    """A CSV upload of companies, imported by a background task, with a per-line report."""
