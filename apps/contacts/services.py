"""Write-side rules for contacts: create, update with optimistic locking, delete and undo."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.companies.models import Company
from apps.companies.services import company_get_or_create
from apps.contacts.models import Contact, DeletedContacts
from apps.contacts.selectors import contact_email_user
from apps.core.idempotency import submission_claim, submission_complete
from apps.users.models import User
from common.lists.services import (
    BULK_DELETE_MAX,
    object_field_errors,
    object_save,
    object_update,
    objects_delete,
    objects_restore,
)

# What forms, imports and callers may set. "company" takes a company's name (found in any
# case, or created) or a Company; the contact links to it and caches its name.
EDITABLE_FIELDS = ("first_name", "last_name", "email", "phone", "company", "notes")
TEXT_FIELDS = ("first_name", "last_name", "email", "phone", "notes")
__all__ = ["BULK_DELETE_MAX", "EDITABLE_FIELDS", "TEXT_FIELDS"]  # and the functions below


def _clean_value(value: Any) -> str:
    return str(value if value is not None else "").strip()


def contact_validate(*, contact: Contact, check_email: bool = True) -> None:
    """Check CONTACT's fields and rules; raise ValidationError with per-field messages.

    CHECK_EMAIL=False skips the per-owner email lookup (a bulk import checks it in memory).
    """
    for name in TEXT_FIELDS:
        setattr(contact, name, _clean_value(getattr(contact, name)))
    company = contact.company if contact.company_id else None
    contact.company_name = company.name if company is not None else ""
    errors = object_field_errors(contact, fields=TEXT_FIELDS)
    if not (contact.first_name or contact.last_name or contact.email):
        errors.setdefault("__all__", []).append("Give at least a name or an email address.")
    if check_email and contact.email and "email" not in errors:
        other = contact_email_user(owner=contact.owner, email=contact.email, exclude_id=contact.pk)
        if other is not None:
            errors["email"] = [f"Already used by {other.full_name}."]
    if errors:
        raise ValidationError(errors)


UNIQUE_EMAIL = {"email": "Another contact already uses this email address."}


def contact_company_resolve(*, owner: User, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return DATA with its "company" name replaced by OWNER's Company (created if new).

    An empty name is no company. A name that cannot be a company (too long, a NUL) raises
    ValidationError on the "company" field.
    """
    resolved = dict(data)
    value = resolved.get("company")
    if isinstance(value, str):
        resolved["company"] = company_get_or_create(owner=owner, name=value)
    return resolved


@transaction.atomic
def contact_create(
    *, owner: User, data: Mapping[str, Any], submission_key: UUID | None = None
) -> Contact:
    """Create a contact for OWNER from DATA (editable fields only).

    A SUBMISSION_KEY already used by OWNER raises AlreadySubmitted: the form was sent
    twice, and the first submission created the contact.
    """
    submission_claim(owner=owner, key=submission_key)
    values = contact_company_resolve(owner=owner, data=data)
    contact = Contact(owner=owner, **{k: v for k, v in values.items() if k in EDITABLE_FIELDS})
    contact_validate(contact=contact)
    object_save(contact, unique_error=UNIQUE_EMAIL)
    submission_complete(owner=owner, key=submission_key, result_url=contact.get_absolute_url())
    return contact


def _validate(contact: Contact) -> None:
    contact_validate(contact=contact)


@transaction.atomic
def contact_update(*, contact: Contact, data: Mapping[str, Any], version: int | None) -> Contact:
    """Save DATA onto CONTACT if it is still at VERSION; raise ConflictError otherwise.

    The row is locked while it is compared and written, so two saves from stale
    forms can never both win.
    """
    return object_update(
        obj=contact,
        data=contact_company_resolve(owner=contact.owner, data=data),
        version=version,
        fields=EDITABLE_FIELDS,
        validate=_validate,
        unique_error=UNIQUE_EMAIL,
    )


@transaction.atomic
def contact_merge(*, owner: User, contact_id: int, data: Mapping[str, Any]) -> Contact:
    """Fill OWNER's contact CONTACT_ID with DATA's non-empty values (an import's update).

    Like ``contact_update``, the row is locked while it is read and written, so an edit
    saved meanwhile is never overwritten with older values; that edit's form then sees
    the new version and reports a conflict instead of winning silently. Raises
    Contact.DoesNotExist when OWNER has no such contact (any more).
    """
    contact = Contact.objects.only("pk").get(pk=contact_id, owner=owner)
    values = {k: v for k, v in data.items() if v}  # a merge never clears a field
    return object_update(
        obj=contact,
        data=contact_company_resolve(owner=owner, data=values),
        version=None,
        fields=EDITABLE_FIELDS,
        validate=_validate,
        unique_error=UNIQUE_EMAIL,
        merge=True,
    )


@transaction.atomic
def contact_favourite_set(*, contact: Contact, favourite: bool) -> Contact:
    """Mark CONTACT as a favourite or not (idempotent)."""
    if contact.is_favourite != favourite:
        contact.is_favourite = favourite
        contact.touch()
        contact.save(update_fields=["is_favourite", "version", "updated_at"])
    return contact


def contacts_delete(*, owner: User, ids: Iterable[int]) -> DeletedContacts | None:
    """Delete OWNER's contacts with IDS; keep a snapshot for Undo and return it.

    Ids that are not OWNER's are ignored. Returns None when nothing was deleted.
    """
    return objects_delete(model=Contact, trash_model=DeletedContacts, owner=owner, ids=ids)


def contacts_restore(*, owner: User, trash_id: int) -> int:
    """Put back exactly what delete TRASH_ID removed (same ids and values); return how many."""
    return objects_restore(
        model=Contact,
        trash_model=DeletedContacts,
        owner=owner,
        trash_id=trash_id,
        conflict_message=(
            "Could not undo: an email address of a deleted contact is now used by another contact."
        ),
        prepare=_company_names_now,
    )


def _company_names_now(contacts: list[Contact]) -> None:
    """Give restored CONTACTS their company's current name (renamed or deleted meanwhile)."""
    ids = {c.company_id for c in contacts if c.company_id is not None}
    names = dict(Company.objects.filter(pk__in=ids).values_list("pk", "name"))
    for contact in contacts:
        contact.company_name = names.get(contact.company_id, "") if contact.company_id else ""
