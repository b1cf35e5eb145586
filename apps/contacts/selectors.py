"""Read-side queries for contacts. Every one is scoped to an owner.

The list's search, sorts, pages and count are declared in apps/contacts/lists.py
(``ContactList``) and answered by the toolkit's ``common.lists.selectors``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from apps.contacts.models import Contact, ContactExport, ContactImport, DeletedContacts
from apps.users.models import User
from common.text import has_unstorable_chars


def contact_email_user(*, owner: User, email: str, exclude_id: int | None = None) -> Contact | None:
    """Return OWNER's contact that already uses EMAIL (any case), other than EXCLUDE_ID."""
    email = (email or "").strip()
    if not email or has_unstorable_chars(email):
        return None  # no stored email holds a NUL (forms and services refuse them)
    qs = Contact.objects.filter(owner=owner, email__iexact=email)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.only("id", "first_name", "last_name", "email").first()


CONTACT_EXPORT_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company_id",
    "company_name",
    "notes",
    "is_favourite",
    "created_at",
    "updated_at",
)


def contacts_user_data(*, owner: User) -> dict[str, QuerySet[Any, dict[str, Any]]]:
    """Return OWNER's contacts, jobs and undo snapshots as querysets of dict rows.

    This is what the account data export collects from this app. The export counts each
    queryset and streams it (``.iterator()``), so 200k contacts never sit in memory.
    Undo snapshots are included only while Undo can still use them (RETENTION_UNDO);
    older ones are expired data on their way to being purged.
    """
    job_fields = ("id", "status", "processed", "total", "error", "created_at", "finished_at")
    undo_since = timezone.now() - settings.RETENTION_UNDO
    return {
        "contacts_contact": Contact.objects.filter(owner=owner)
        .order_by("id")
        .values(*CONTACT_EXPORT_FIELDS),
        "contacts_contactexport": ContactExport.objects.filter(owner=owner)
        .order_by("id")
        .values(*job_fields),
        "contacts_deletedcontacts": DeletedContacts.objects.filter(
            owner=owner, created_at__gte=undo_since
        )
        .order_by("id")
        .values("id", "created_at", "rows"),
        "contacts_contactimport": ContactImport.objects.filter(owner=owner)
        .order_by("id")
        .values(
            *job_fields,
            "original_name",
            "created_count",
            "updated_count",
            "skipped_count",
            "rejected_count",
            "rejected",
        ),
    }
