"""Read-side queries for companies. Every one is scoped to an owner.

The list's search, sorts, pages and count are declared in lists.py (``CompanyList``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.companies.models import NAME_MAX, Company, DeletedCompanies
from apps.users.models import User
from common.pagination import KeysetPage, KeysetPaginator
from common.text import has_unstorable_chars, strip_control_chars

OPTIONS_MAX = 8
COMPANY_EXPORT_FIELDS = ("id", "name", "website", "notes", "created_at", "updated_at")


def company_by_name(*, owner: User, name: str) -> Company | None:
    """Return OWNER's company called NAME, in any case (names are unique per owner)."""
    name = (name or "").strip()
    if not name or has_unstorable_chars(name):
        return None
    return Company.objects.filter(owner=owner, name__iexact=name).first()


def company_options(*, owner: User, query: str) -> list[Company]:
    """Return OWNER's companies to offer for QUERY.

    The company named exactly QUERY (any case) comes first, so the picker never offers to
    create one that exists; then names starting with it, then names or websites holding it.
    """
    term = " ".join(strip_control_chars(query or "").split())[:NAME_MAX].lower()
    qs = Company.objects.filter(owner=owner).only("id", "name")
    if not term:
        return list(qs.order_by("name", "id")[:OPTIONS_MAX])
    found = list(qs.filter(name__iexact=term)[:1])
    for matches in (qs.filter(name__istartswith=term), qs.filter(search__contains=term)):
        if len(found) >= OPTIONS_MAX:
            break
        rest = matches.exclude(pk__in=[c.pk for c in found]).order_by("name", "id")
        found += list(rest[: OPTIONS_MAX - len(found)])
    return found


def company_contacts_page(
    *, company: Company, cursor: str | None = None, page_size: int = 50
) -> KeysetPage[Any]:
    """Return one keyset page of COMPANY's contacts by name (raises InvalidCursor)."""
    qs = company.contacts.filter(owner=company.owner).defer("notes", "search")
    ordering = ("last_name", "first_name", "id")
    return KeysetPaginator(qs, ordering=ordering, page_size=page_size).page(cursor)


def company_contacts_context(*, company: Company, cursor: str | None = None) -> dict[str, Any]:
    """Return the template context of one page of COMPANY's contacts (raises InvalidCursor)."""
    page = company_contacts_page(company=company, cursor=cursor)
    next_url = ""
    if page.has_next:
        base = reverse("companies:contacts", args=[company.pk])
        next_url = f"{base}?{urlencode({'cursor': page.next_cursor})}"
    return {
        "contacts_page": page,
        "next_url": next_url,
        "contact_count": lambda: company.contacts.filter(owner=company.owner).count(),
    }


def companies_user_data(*, owner: User) -> dict[str, QuerySet[Any, dict[str, Any]]]:
    """Return OWNER's companies and live undo snapshots as querysets of dict rows."""
    undo_since = timezone.now() - settings.RETENTION_UNDO
    return {
        "companies_company": Company.objects.filter(owner=owner)
        .order_by("id")
        .values(*COMPANY_EXPORT_FIELDS),
        "companies_deletedcompanies": DeletedCompanies.objects.filter(
            owner=owner, created_at__gte=undo_since
        )
        .order_by("id")
        .values("id", "created_at", "rows"),
    }
