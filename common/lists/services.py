"""Write-side building blocks of the app toolkit: locked versioned updates, delete and undo.

An app's services call these with its own rules (``validate``) and keep their
``<entity>_<action>`` names; views never call them directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.timesince import timesince

from common.exceptions import ApplicationError, ConflictError
from common.lists.models import Trash, Versioned
from common.permissions import OWNER_FIELD
from common.text import has_unstorable_chars

type Validate[M: models.Model] = Callable[[M], None]

BULK_DELETE_MAX = 1000


def _apply(obj: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def object_save[M: models.Model](obj: M, *, unique_error: Mapping[str, str] | None = None) -> M:
    """Save validated OBJ; a concurrent save that broke a unique rule becomes a field error.

    UNIQUE_ERROR maps the field to blame to its message (``{"email": "Already used."}``);
    without it the IntegrityError propagates.
    """
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        if not unique_error:
            raise
        raise ValidationError({k: [v] for k, v in unique_error.items()}) from exc
    return obj


def object_field_errors(obj: models.Model, *, fields: Iterable[str]) -> dict[str, list[str]]:
    """Return OBJ's per-field errors: the model's validators, then what they miss.

    Runs ``full_clean()`` (the owner and database constraints left to the caller), then
    refuses NUL and other unstorable characters in FIELDS (what a form's CharField says,
    so an import or an API caller gets it per field), and enforces a TextField's
    ``max_length``, which is no model validator.
    """
    errors: dict[str, list[str]] = {}
    try:
        obj.full_clean(exclude=[OWNER_FIELD], validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    for name in fields:
        value = getattr(obj, name)
        field = obj._meta.get_field(name)
        if has_unstorable_chars(value):
            errors[name] = ["Null characters are not allowed."]
        elif isinstance(field, models.TextField) and len(value) > (field.max_length or len(value)):
            errors[name] = [
                f"Keep {field.verbose_name} under {field.max_length} characters"
                f" (they are {len(value)})."
            ]
    return errors


@transaction.atomic
def object_update[M: Versioned](
    *,
    obj: M,
    data: Mapping[str, Any],
    version: int | None,
    fields: Iterable[str],
    validate: Validate[M],
    unique_error: Mapping[str, str] | None = None,
    merge: bool = False,
) -> M:
    """Save DATA's FIELDS onto OBJ if it is still at VERSION; raise ConflictError otherwise.

    The row is locked while it is compared, validated and written, so two saves from stale
    forms can never both win (a form without a version is stale too). MERGE=True is for a
    write that does not come from a form (e.g. an import's update): VERSION is not compared,
    fields whose new value is empty are left alone, and since it reads the locked row it
    never overwrites a newer edit with older values.
    """
    model = type(obj)
    current = model._default_manager.select_for_update().get(pk=obj.pk)
    if not merge and (version is None or current.version != version):
        name = model._meta.verbose_name
        raise ConflictError(
            f"This {name} was changed elsewhere since you opened it. Nothing was saved.",
            extra={"current": current},
        )
    values = {k: v for k, v in data.items() if v} if merge else data
    _apply(current, values, fields)
    validate(current)
    current.touch()
    return object_save(current, unique_error=unique_error)


def _snapshot(obj: models.Model) -> dict[str, Any]:
    """Return OBJ's stored values (owner and generated columns left out) as JSON values."""
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.GeneratedField) or field.name == OWNER_FIELD:
            continue
        row[field.attname] = _json_value(field.value_from_object(obj))
    return row


def _json_value(value: Any) -> Any:
    """Return VALUE as JSON holds it; times keep their microseconds (``to_python`` reads them)."""
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)  # Decimal, UUID


def _restore[M: models.Model](model: type[M], row: Mapping[str, Any], owner: Any) -> M:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    values: dict[str, Any] = {}
    for key, value in row.items():
        field = fields.get(key)
        if field is None or isinstance(field, models.GeneratedField):
            continue  # a column removed since the delete
        values[key] = field.to_python(value) if value is not None else None
    for field in model._meta.concrete_fields:
        # A related object deleted meanwhile: a nullable link is cleared, not broken.
        related = field.related_model
        if related and field.null and values.get(field.attname) is not None:
            target = related._default_manager.filter(pk=values[field.attname])
            if not target.exists():
                values[field.attname] = None
    return model(**{OWNER_FIELD: owner}, **values)


@transaction.atomic
def objects_delete[T: Trash](
    *,
    model: type[models.Model],
    trash_model: type[T],
    owner: AbstractBaseUser,
    ids: Iterable[int],
    limit: int = BULK_DELETE_MAX,
) -> T | None:
    """Delete OWNER's MODEL objects with IDS; keep a snapshot for Undo and return it.

    Ids that are not OWNER's are ignored. Returns None when nothing was deleted.
    """
    wanted = {int(i) for i in ids}
    if len(wanted) > limit:
        plural = model._meta.verbose_name_plural
        raise ApplicationError(f"Delete at most {limit} {plural} at a time.")
    objects = list(
        model._default_manager.select_for_update().filter(**{OWNER_FIELD: owner}, pk__in=wanted)
    )
    if not objects:
        return None
    trash_model._default_manager.filter(
        owner=owner, created_at__lt=timezone.now() - settings.RETENTION_UNDO
    ).delete()
    trash = trash_model._default_manager.create(
        owner=owner, rows=[_snapshot(obj) for obj in objects]
    )
    model._default_manager.filter(pk__in=[obj.pk for obj in objects]).delete()
    return trash


@transaction.atomic
def objects_restore(
    *,
    model: type[models.Model],
    trash_model: type[Trash],
    owner: AbstractBaseUser,
    trash_id: int,
    conflict_message: str | None = None,
    prepare: Callable[[list[Any]], None] | None = None,
) -> int:
    """Put back exactly what delete TRASH_ID removed (same ids and values); return how many.

    A nullable link to an object deleted meanwhile is cleared; PREPARE gets the objects
    before they are inserted, to bring such derived values in line.
    """
    trash = (
        trash_model._default_manager.select_for_update()
        .filter(**{OWNER_FIELD: owner}, pk=trash_id)
        .first()
    )
    if trash is None:
        raise ApplicationError("There is nothing to undo (it was already undone or expired).")
    now = timezone.now()
    if trash.created_at < now - settings.RETENTION_UNDO:
        kept = timesince(now - settings.RETENTION_UNDO, now)
        plural = model._meta.verbose_name_plural
        raise ApplicationError(
            f"This undo has expired: deleted {plural} can be restored for {kept} only."
        )
    objects = [_restore(model, row, owner) for row in trash.rows]
    if prepare is not None:
        prepare(objects)
    try:
        with transaction.atomic():
            model._default_manager.bulk_create(objects)
    except IntegrityError as exc:
        plural = model._meta.verbose_name_plural
        raise ApplicationError(
            conflict_message
            or f"Could not undo: {plural} added since then clash with the deleted ones."
        ) from exc
    trash.delete()
    return len(objects)
