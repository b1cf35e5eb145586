"""Write-side rules for companies: create, update with optimistic locking, delete and undo."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from apps.companies.models import Company, DeletedCompanies
from apps.companies.selectors import company_by_name
from apps.contacts.models import Contact
from apps.core.idempotency import submission_claim, submission_complete
from apps.users.models import User
from common.lists.services import (
    object_field_errors,
    object_save,
    object_update,
    objects_delete,
    objects_restore,
)

EDITABLE_FIELDS = ("name", "website", "notes")
UNIQUE_NAME = {"name": "You already have a company with this name."}
CONTACTS_KEY = "_contacts"  # in an undo snapshot: the ids of the company's contacts


def company_validate(*, company: Company, check_name: bool = True) -> None:
    """Check COMPANY's fields and rules; raise ValidationError with per-field messages.

    CHECK_NAME=False skips the per-owner name lookup (a bulk import checks it in memory).
    """
    for name in EDITABLE_FIELDS:
        setattr(company, name, str(getattr(company, name) or "").strip())
    company.name = " ".join(company.name.split())
    if company.website and "://" not in company.website:
        company.website = f"https://{company.website}"  # as typed in a form or a CSV: acme.com
    errors = object_field_errors(company, fields=EDITABLE_FIELDS)
    if check_name and company.name and "name" not in errors:
        other = company_by_name(owner=company.owner, name=company.name)
        if other is not None and other.pk != company.pk:
            errors["name"] = [UNIQUE_NAME["name"]]
    if errors:
        raise ValidationError(errors)


def _validate(company: Company) -> None:
    company_validate(company=company)


@transaction.atomic
def company_create(
    *, owner: User, data: Mapping[str, Any], submission_key: UUID | None = None
) -> Company:
    """Create a company for OWNER from DATA (editable fields only).

    A SUBMISSION_KEY already used by OWNER raises AlreadySubmitted (the form was sent twice).
    """
    submission_claim(owner=owner, key=submission_key)
    company = Company(owner=owner, **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    company_validate(company=company)
    object_save(company, unique_error=UNIQUE_NAME)
    submission_complete(owner=owner, key=submission_key, result_url=company.get_absolute_url())
    return company


@transaction.atomic
def company_get_or_create(*, owner: User, name: str) -> Company | None:
    """Return OWNER's company called NAME (any case), creating it if there is none.

    An empty NAME is no company (None). Used when a contact names its company by typing.
    """
    name = " ".join(name.split())
    if not name:
        return None
    existing = company_by_name(owner=owner, name=name)
    if existing is not None:
        return existing
    company = Company(owner=owner, name=name)
    try:
        company_validate(company=company)
    except ValidationError as exc:
        raise ValidationError({"company": exc.message_dict.get("name", exc.messages)}) from exc
    try:
        return object_save(company, unique_error=UNIQUE_NAME)
    except ValidationError:
        # Created meanwhile by a concurrent request: use that one.
        found = company_by_name(owner=owner, name=name)
        if found is None:
            raise
        return found


def company_build(*, owner: User, data: Mapping[str, Any]) -> Company:
    """Return a new, validated, unsaved company of OWNER from DATA (a CSV import's row).

    The name's uniqueness is checked by the importer, in memory (the duplicate key).
    """
    company = Company(owner=owner, **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    company_validate(company=company, check_name=False)
    return company


@transaction.atomic
def company_merge(*, owner: User, company_id: int, data: Mapping[str, Any]) -> Company:
    """Fill OWNER's company COMPANY_ID with DATA's non-empty values (an import's update).

    The row is locked while it is read and written (``object_update(merge=True)``), so an
    edit saved meanwhile is never overwritten with older values. Raises
    Company.DoesNotExist when OWNER has no such company (any more).
    """
    company = Company.objects.only("pk", "name").get(pk=company_id, owner=owner)
    return object_update(
        obj=company,
        data=data,
        version=None,
        fields=EDITABLE_FIELDS,
        validate=_validate,
        unique_error=UNIQUE_NAME,
        merge=True,
    )


@transaction.atomic
def company_update(*, company: Company, data: Mapping[str, Any], version: int | None) -> Company:
    """Save DATA onto COMPANY if it is still at VERSION; raise ConflictError otherwise.

    A new name is copied to the company's contacts (their list shows and sorts by it) in the
    same transaction; each of them gets a new version, so no stale form overwrites it.
    """
    old_name = company.name
    saved = object_update(
        obj=company,
        data=data,
        version=version,
        fields=EDITABLE_FIELDS,
        validate=_validate,
        unique_error=UNIQUE_NAME,
    )
    if saved.name != old_name:
        saved.contacts.update(company_name=saved.name, version=F("version") + 1)
    return saved


@transaction.atomic
def companies_delete(*, owner: User, ids: Iterable[int]) -> DeletedCompanies | None:
    """Delete OWNER's companies with IDS; their contacts stay, without a company.

    Keeps a snapshot for Undo, which also links the contacts back. Returns None when
    nothing was deleted.
    """
    owned = Company.objects.filter(owner=owner, pk__in=list(ids))
    wanted = list(owned.values_list("pk", flat=True))
    members = Contact.objects.filter(owner=owner, company_id__in=wanted)
    links: dict[int, list[int]] = {}
    for company_id, contact_id in members.values_list("company_id", "pk"):
        links.setdefault(company_id, []).append(contact_id)
    members.update(company=None, company_name="", version=F("version") + 1)
    trash = objects_delete(model=Company, trash_model=DeletedCompanies, owner=owner, ids=wanted)
    if trash is not None:
        for row in trash.rows:
            row[CONTACTS_KEY] = links.get(row["id"], [])
        trash.save(update_fields=["rows"])
    return trash


@transaction.atomic
def companies_restore(*, owner: User, trash_id: int) -> int:
    """Put back what delete TRASH_ID removed, with the links of its contacts; return how many."""
    trash = DeletedCompanies.objects.filter(owner=owner, pk=trash_id).first()
    links = {row["id"]: row.get(CONTACTS_KEY, []) for row in trash.rows} if trash else {}
    restored = objects_restore(
        model=Company,
        trash_model=DeletedCompanies,
        owner=owner,
        trash_id=trash_id,
        conflict_message="Could not undo: a company with the same name was added since.",
    )
    for company in Company.objects.filter(owner=owner, pk__in=list(links)):
        # Only contacts that still have no company: one given another company meanwhile stays.
        Contact.objects.filter(owner=owner, pk__in=links[company.pk], company__isnull=True).update(
            company=company, company_name=company.name, version=F("version") + 1
        )
    return restored
