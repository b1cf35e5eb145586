"""Write-side rules for contacts: create, update with optimistic locking, delete and undo."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.timesince import timesince

from apps.contacts.models import NOTES_MAX, Contact, DeletedContacts
from apps.contacts.selectors import CONTACT_EXPORT_FIELDS, contact_email_user
from apps.core.idempotency import submission_claim, submission_complete
from apps.users.models import User
from common.exceptions import ApplicationError, ConflictError
from common.text import has_unstorable_chars

EDITABLE_FIELDS = ("first_name", "last_name", "email", "phone", "company", "notes")
BULK_DELETE_MAX = 1000


def _clean_value(value: Any) -> str:
    return str(value if value is not None else "").strip()


def contact_validate(*, contact: Contact, check_email: bool = True) -> None:
    """Check CONTACT's fields and rules; raise ValidationError with per-field messages.

    CHECK_EMAIL=False skips the per-owner email lookup (a bulk import checks it in memory).
    """
    for name in EDITABLE_FIELDS:
        setattr(contact, name, _clean_value(getattr(contact, name)))
    errors: dict[str, list[str]] = {}
    try:
        contact.full_clean(exclude=["owner"], validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    for name in EDITABLE_FIELDS:
        if has_unstorable_chars(getattr(contact, name)):
            # What forms.CharField says; an import or an API caller gets it per field.
            errors[name] = ["Null characters are not allowed."]
    if len(contact.notes) > NOTES_MAX:
        errors["notes"] = [
            f"Keep notes under {NOTES_MAX} characters (they are {len(contact.notes)})."
        ]
    if not (contact.first_name or contact.last_name or contact.email):
        errors.setdefault("__all__", []).append("Give at least a name or an email address.")
    if check_email and contact.email and "email" not in errors:
        other = contact_email_user(owner=contact.owner, email=contact.email, exclude_id=contact.pk)
        if other is not None:
            errors["email"] = [f"Already used by {other.full_name}."]
    if errors:
        raise ValidationError(errors)


def _apply(contact: Contact, data: Mapping[str, Any]) -> None:
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(contact, name, data[name])


def _save(contact: Contact) -> None:
    """Save a validated CONTACT; a concurrent save that took its email first is a field error."""
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"email": ["Another contact already uses this email address."]}
        ) from exc


@transaction.atomic
def contact_create(
    *, owner: User, data: Mapping[str, Any], submission_key: UUID | None = None
) -> Contact:
    """Create a contact for OWNER from DATA (editable fields only).

    A SUBMISSION_KEY already used by OWNER raises AlreadySubmitted: the form was sent
    twice, and the first submission created the contact.
    """
    submission_claim(owner=owner, key=submission_key)
    contact = Contact(owner=owner)
    _apply(contact, data)
    contact_validate(contact=contact)
    _save(contact)
    submission_complete(owner=owner, key=submission_key, result_url=contact.get_absolute_url())
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, data: Mapping[str, Any], version: int | None) -> Contact:
    """Save DATA onto CONTACT if it is still at VERSION; raise ConflictError otherwise.

    The row is locked while it is compared and written, so two saves from stale
    forms can never both win.
    """
    current = Contact.objects.select_for_update().get(pk=contact.pk)
    if version is None or current.version != version:
        raise ConflictError(
            "This contact was changed elsewhere since you opened it. Nothing was saved.",
            extra={"current": current},
        )
    _apply(current, data)
    contact_validate(contact=current)
    current.version += 1
    current.updated_at = timezone.now()
    _save(current)
    return current


@transaction.atomic
def contact_merge(*, owner: User, contact_id: int, data: Mapping[str, Any]) -> Contact:
    """Fill OWNER's contact CONTACT_ID with DATA's non-empty values (an import's update).

    Like ``contact_update``, the row is locked while it is read and written, so an edit
    saved meanwhile is never overwritten with older values; that edit's form then sees
    the new version and reports a conflict instead of winning silently.
    """
    current = Contact.objects.select_for_update().get(pk=contact_id, owner=owner)
    _apply(current, {name: value for name, value in data.items() if value})
    contact_validate(contact=current)
    current.version += 1
    current.updated_at = timezone.now()
    _save(current)
    return current


@transaction.atomic
def contact_favourite_set(*, contact: Contact, favourite: bool) -> Contact:
    """Mark CONTACT as a favourite or not (idempotent)."""
    if contact.is_favourite != favourite:
        contact.is_favourite = favourite
        contact.version += 1
        contact.updated_at = timezone.now()
        contact.save(update_fields=["is_favourite", "version", "updated_at"])
    return contact


def _snapshot(contact: Contact) -> dict[str, Any]:
    row = {name: getattr(contact, name) for name in (*CONTACT_EXPORT_FIELDS, "version")}
    for key in ("created_at", "updated_at"):
        row[key] = row[key].isoformat()
    return row


@transaction.atomic
def contacts_delete(*, owner: User, ids: Iterable[int]) -> DeletedContacts | None:
    """Delete OWNER's contacts with IDS; keep a snapshot for Undo and return it.

    Ids that are not OWNER's are ignored. Returns None when nothing was deleted.
    """
    wanted = {int(i) for i in ids}
    if len(wanted) > BULK_DELETE_MAX:
        raise ApplicationError(f"Delete at most {BULK_DELETE_MAX} contacts at a time.")
    contacts = list(Contact.objects.select_for_update().filter(owner=owner, pk__in=wanted))
    if not contacts:
        return None
    DeletedContacts.objects.filter(
        owner=owner, created_at__lt=timezone.now() - settings.RETENTION_UNDO
    ).delete()
    trash = DeletedContacts.objects.create(owner=owner, rows=[_snapshot(c) for c in contacts])
    Contact.objects.filter(pk__in=[c.pk for c in contacts]).delete()
    return trash


@transaction.atomic
def contacts_restore(*, owner: User, trash_id: int) -> int:
    """Put back exactly what delete TRASH_ID removed (same ids and values); return how many."""
    trash = DeletedContacts.objects.select_for_update().filter(owner=owner, pk=trash_id).first()
    if trash is None:
        raise ApplicationError("There is nothing to undo (it was already undone or expired).")
    now = timezone.now()
    if trash.created_at < now - settings.RETENTION_UNDO:
        kept = timesince(now - settings.RETENTION_UNDO, now)
        raise ApplicationError(
            f"This undo has expired: deleted contacts can be restored for {kept} only."
        )
    contacts = []
    for row in trash.rows:
        data = dict(row)
        for key in ("created_at", "updated_at"):
            data[key] = parse_datetime(data[key])
        contacts.append(Contact(owner=owner, **data))
    try:
        with transaction.atomic():
            Contact.objects.bulk_create(contacts)
    except IntegrityError as exc:
        raise ApplicationError(
            "Could not undo: an email address of a deleted contact is now used by another contact."
        ) from exc
    trash.delete()
    return len(contacts)
