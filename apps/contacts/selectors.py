"""Read-side queries for contacts. Every one is scoped to an owner."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from apps.contacts.models import Contact, ContactExport, ContactImport, DeletedContacts
from apps.users.models import User
from common.pagination import KeysetPage, KeysetPaginator
from common.text import has_unstorable_chars, strip_control_chars

PAGE_SIZE = 50
SEARCH_MAX = 100

# sort key -> (label, keyset ordering). Each ordering ends with the unique id and
# matches an index in Contact.Meta.indexes (owner first).
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("Name", ("last_name", "first_name", "id")),
    "company": ("Company", ("company", "id")),
    "updated": ("Recently updated", ("-updated_at", "-id")),
}
DEFAULT_SORT = "name"


def normalise_query(query: str | None) -> str:
    """Return QUERY without control characters, trimmed, lower-cased and cut to a sane length.

    A NUL (or another control character, or a lone surrogate) is dropped, not turned into a
    space: ``Love\x00lace`` searches for ``lovelace``. Tabs and newlines separate words.
    """
    return " ".join(strip_control_chars(query or "").split())[:SEARCH_MAX].lower()


def normalise_sort(sort: str | None) -> str:
    """Return SORT when it is a known sort key, else the default."""
    return sort if sort in SORTS else DEFAULT_SORT


def contact_search(*, owner: User, query: str = "") -> QuerySet[Contact]:
    """Return OWNER's contacts whose name, email, phone or company contain QUERY."""
    qs = Contact.objects.filter(owner=owner)
    term = normalise_query(query)
    if term:
        # `search` is lower-cased in the database; on PostgreSQL a trigram GIN index
        # serves this LIKE '%term%'.
        qs = qs.filter(search__contains=term)
    return qs


def contact_list(
    *,
    owner: User,
    query: str = "",
    sort: str = DEFAULT_SORT,
    cursor: str | None = None,
    page_size: int = PAGE_SIZE,
) -> KeysetPage[Contact]:
    """Return one keyset page of OWNER's contacts matching QUERY in SORT order.

    Raises ``common.pagination.InvalidCursor`` for a cursor this ordering did not make.
    """
    ordering = SORTS[normalise_sort(sort)][1]
    qs = contact_search(owner=owner, query=query).defer("notes", "search")
    return KeysetPaginator(qs, ordering=ordering, page_size=page_size).page(cursor)


def contact_count(*, owner: User, query: str = "") -> int:
    """Return how many of OWNER's contacts match QUERY."""
    return contact_search(owner=owner, query=query).count()


def contact_email_user(*, owner: User, email: str, exclude_id: int | None = None) -> Contact | None:
    """Return OWNER's contact that already uses EMAIL (any case), other than EXCLUDE_ID."""
    email = (email or "").strip()
    if not email or has_unstorable_chars(email):
        return None  # no stored email holds a NUL (forms and services refuse them)
    qs = Contact.objects.filter(owner=owner, email__iexact=email)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.only("id", "first_name", "last_name", "email").first()


def contact_export_latest(*, owner: User) -> ContactExport | None:
    """Return OWNER's most recent export job."""
    return ContactExport.objects.filter(owner=owner).first()


def contact_import_latest(*, owner: User) -> ContactImport | None:
    """Return OWNER's most recent import job."""
    return ContactImport.objects.filter(owner=owner).first()


CONTACT_EXPORT_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
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
