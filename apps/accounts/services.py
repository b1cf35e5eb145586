"""Write-side account operations: profile, sessions, passkeys, export, deletion."""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
from importlib import import_module
from typing import TYPE_CHECKING, Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.internal.flows.sessions import end_sessions
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.selectors import user_data_collect

if TYPE_CHECKING:
    from apps.users.models import User

logger = logging.getLogger(__name__)

PASSKEY_NAME_MAX_LENGTH = 100


@transaction.atomic
def profile_update(*, user: User, name: str, timezone_name: str) -> User:
    """Set USER's display name and time zone (validated with ``full_clean``)."""
    before = (user.name, user.timezone)
    user.name = name.strip()
    user.timezone = timezone_name.strip()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError:
        user.name, user.timezone = before  # the request's user stays as stored
        raise
    user.save(update_fields=["name", "timezone"])
    return user


def session_end(*, request: HttpRequest, session: UserSession) -> None:
    """End SESSION (another device's, or this one, which logs this browser out)."""
    end_sessions(request, [session])


@transaction.atomic
def passkey_rename(*, authenticator: Authenticator, name: str) -> Authenticator:
    """Give a passkey a new name (trimmed, 1-100 characters)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for this passkey."})
    if len(name) > PASSKEY_NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": f"Use at most {PASSKEY_NAME_MAX_LENGTH} characters for the name."}
        )
    authenticator.wrap().name = name
    authenticator.save(update_fields=["data"])
    return authenticator


# ------------------------------------------------------------------------------
# Export
# ------------------------------------------------------------------------------
def _csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: json.dumps(value, default=str) if isinstance(value, (dict, list)) else value
                for key, value in row.items()
            }
        )
    return out.getvalue()


def user_export_build(*, user: User, site_name: str) -> bytes:
    """Return a ZIP of everything KIS holds about USER: ``data.json`` plus one CSV per table."""
    data = user_data_collect(user=user)
    exported_at = timezone.now().isoformat()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(
                {"site": site_name, "exported_at": exported_at, "tables": data},
                indent=2,
                default=str,
                ensure_ascii=False,
            ),
        )
        for table, rows in data.items():
            archive.writestr(f"csv/{table}.csv", _csv(rows))
        archive.writestr(
            "README.txt",
            f"Your data from {site_name}, exported {exported_at}.\n"
            "data.json holds every table; csv/ holds the same rows, one file per table.\n",
        )
    logger.info("user data exported", extra={"user_id": user.pk, "tables": len(data)})
    return buffer.getvalue()


# ------------------------------------------------------------------------------
# Deletion
# ------------------------------------------------------------------------------
def _user_task_results(*, user: User) -> Any:
    """Return the background task results enqueued for USER (``user_id`` keyword argument)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(args_kwargs__kwargs__user_id=user.pk)


def _user_sessions_end(*, user: User) -> int:
    """End every session of USER through the session engine; return how many.

    allauth.usersessions records every session at sign-in (its ``user_logged_in``
    receiver), so its rows list them all, whatever the engine (database, cache,
    Redis). Scanning and decoding the whole session table would not scale.
    """
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key in keys:
        store.delete(key)
    return len(keys)


@transaction.atomic
def user_delete(*, user: User) -> dict[str, int]:
    """Delete USER and every row that belongs to them; return deleted counts per model.

    Rows with a ForeignKey to the user go by CASCADE; sessions and background task
    results do not reference the user, so they are deleted explicitly.
    """
    sessions_deleted = _user_sessions_end(user=user)
    tasks_deleted, _ = _user_task_results(user=user).delete()
    user_id = user.pk
    _, per_model = user.delete()
    counts = dict(per_model)
    counts["sessions.Session"] = sessions_deleted
    counts["django_tasks_db.DBTaskResult"] = tasks_deleted
    logger.info("user deleted", extra={"user_id": user_id, "rows": counts})
    return counts
