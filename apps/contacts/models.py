"""Contacts: each user's address book, and the export/import jobs that move it in and out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Concat, Lower
from django.urls import reverse

from common.jobs import JobStatus
from common.lists.csvjobs.models import ExportJob, ImportJob
from common.lists.models import Trash, Versioned
from common.storage import private_storage

# JobStatus and private_storage are also imported from here (jobs, tests, migrations).
__all__ = [
    "Contact",
    "ContactExport",
    "ContactImport",
    "DeletedContacts",
    "DuplicateMode",
    "JobStatus",
    "private_storage",
]

NAME_MAX = 100
EMAIL_MAX = 254
PHONE_MAX = 40
COMPANY_MAX = 150
NOTES_MAX = 5000


class Contact(Versioned):
    """A person in one user's address book."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    first_name = models.CharField(max_length=NAME_MAX, blank=True)
    last_name = models.CharField(max_length=NAME_MAX, blank=True)
    email = models.EmailField(max_length=EMAIL_MAX, blank=True)
    phone = models.CharField(max_length=PHONE_MAX, blank=True)
    # The company this contact works for (chosen or typed in the picker), and a copy of its
    # name that the list shows, searches and sorts by without a join (services keep it equal).
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        db_index=False,  # contact_company_name below serves lookups by company
    )
    company_name = models.CharField(
        "company", max_length=COMPANY_MAX, blank=True, editable=False, db_column="company"
    )
    notes = models.TextField(max_length=NOTES_MAX, blank=True)
    is_favourite = models.BooleanField("favourite", default=False)
    # Lower-cased text of every searchable field; PostgreSQL indexes it with pg_trgm
    # (migration 0002), so `search__contains` stays fast at 100k+ rows.
    search = models.GeneratedField(
        expression=Lower(
            Concat(
                "first_name",
                models.Value(" "),
                "last_name",
                models.Value(" "),
                "email",
                models.Value(" "),
                "phone",
                models.Value(" "),
                "company_name",
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
    )

    class Meta:
        ordering = ("last_name", "first_name", "id")
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("email"),
                condition=~Q(email=""),
                name="contacts_contact_owner_email_ci_unique",
                violation_error_message="Another contact already uses this email address.",
            ),
        ]
        # The sorts' indexes also hold what a search reads of each row (PostgreSQL INCLUDE): a
        # search walks one in order and filters without a visit to the table (ADR 0016).
        indexes = [
            models.Index(
                fields=["owner", "last_name", "first_name", "id"],
                name="contact_owner_name",
                include=["search", "version", "updated_at"],
            ),
            models.Index(
                fields=["owner", "company_name", "id"],
                name="contact_owner_company",
                include=["search", "version", "updated_at"],
            ),
            models.Index(
                fields=["company", "last_name", "first_name", "id"], name="contact_company_name"
            ),
            models.Index(
                fields=["owner", "-updated_at", "-id"],
                name="contact_owner_updated",
                include=["search", "version"],
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        """Return the contact's page; its actions live below it (``edit/``, ``delete/``...)."""
        if self._url is None:
            self._url = reverse("contacts:detail", args=[self.pk])
        return self._url

    _url: str | None = None

    @property
    def full_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email or f"Contact #{self.pk}"


class ContactExport(ExportJob):
    """A CSV export of one user's contacts, written by a background task (apps/contacts/jobs.py)."""


class DuplicateMode(models.TextChoices):
    SKIP = "skip", "Skip contacts whose email is already in my address book"
    UPDATE = "update", "Update contacts whose email is already in my address book"


class ContactImport(ImportJob):
    """A CSV upload, imported by a background task, with a per-line report (ImportJob)."""

    duplicates = models.CharField(
        max_length=10, choices=DuplicateMode.choices, default=DuplicateMode.SKIP
    )


class DeletedContacts(Trash):
    """What one delete of contacts removed, kept briefly so Undo can restore it exactly."""

    class Meta:
        verbose_name_plural = "deleted contacts"
