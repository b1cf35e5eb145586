"""Write-side account operations: profile, sessions, passkeys, export, deletion."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sized
from datetime import timedelta
from http import HTTPStatus
from importlib import import_module
from typing import TYPE_CHECKING, Any, BinaryIO

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.allauth_internals import end_sessions
from apps.accounts.models import DataExport, SecurityEvent
from apps.accounts.security import security_event_record, user_agent_describe
from apps.accounts.selectors import (
    data_export_active,
    data_export_started_count,
    user_data_collect,
)
from common.csvfiles import csv_writer
from common.exceptions import ApplicationError
from common.jobs import JobStatus, job_reconcile

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


@transaction.atomic
def keyboard_settings_update(*, user: User, single_key_shortcuts: bool) -> User:
    """Turn USER's single-key shortcuts on or off (off: they answer only with Alt).

    A preference, not a security change: nothing goes to the security log.
    """
    user.single_key_shortcuts = single_key_shortcuts
    user.save(update_fields=["single_key_shortcuts"])
    return user


def _session_description(session: UserSession) -> str:
    device = user_agent_describe(user_agent=session.user_agent or "")
    return f"{device}, {session.ip}" if session.ip else device


def session_end(*, request: HttpRequest, session: UserSession) -> None:
    """End SESSION (another device's, or this one, which logs this browser out)."""
    detail = _session_description(session)
    if session.is_current():
        detail = f"{detail} (this browser)"
    security_event_record(
        user=session.user, kind=SecurityEvent.Kind.SESSION_ENDED, request=request, detail=detail
    )
    end_sessions(request, [session])


def sessions_end_others(*, request: HttpRequest, user: User) -> int:
    """End every session of USER except this browser's; return how many ended."""
    others = [s for s in UserSession.objects.filter(user=user) if not s.is_current()]
    if not others:
        return 0
    security_event_record(
        user=user,
        kind=SecurityEvent.Kind.SESSION_ENDED,
        request=request,
        detail=f"All other sessions ({len(others)})",
    )
    end_sessions(request, others)
    return len(others)


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
DATA_EXPORT_MAX_STARTED = 5
DATA_EXPORT_WINDOW = timedelta(hours=24)
DATA_EXPORT_CHUNK = 2000
DATA_EXPORT_PROGRESS_EVERY = 2000
DATA_EXPORT_COPY_BUFFER = 1024 * 1024
DATA_EXPORT_FAILED = "The export failed unexpectedly. Please try again."


class DataExportLimitReached(ApplicationError):
    """OWNER started as many exports as allowed in the last 24 hours."""

    status = HTTPStatus.TOO_MANY_REQUESTS


@transaction.atomic
def data_export_start(
    *, owner: User, request: HttpRequest | None = None
) -> tuple[DataExport, bool]:
    """Queue a data export of OWNER's data; return it and whether it is new.

    At most one export per user is pending or running: while one is, it is returned
    instead of starting another. At most DATA_EXPORT_MAX_STARTED start in
    DATA_EXPORT_WINDOW; one more raises DataExportLimitReached (HTTP 429).
    """
    from apps.accounts.tasks import export_user_data

    # Lock the user row so two concurrent requests cannot both start an export.
    list(get_user_model().objects.select_for_update().filter(pk=owner.pk).values_list("pk"))
    active = data_export_active(owner=owner)
    if active is not None and job_reconcile(active).is_active:
        return active, False
    since = timezone.now() - DATA_EXPORT_WINDOW
    if data_export_started_count(owner=owner, since=since) >= DATA_EXPORT_MAX_STARTED:
        raise DataExportLimitReached(
            f"You have started {DATA_EXPORT_MAX_STARTED} exports in the last 24 hours, the "
            "most allowed. Download your latest export, or start a new one tomorrow."
        )
    job = DataExport.objects.create(owner=owner)
    security_event_record(user=owner, kind=SecurityEvent.Kind.DATA_EXPORTED, request=request)
    transaction.on_commit(lambda: export_user_data.enqueue(job_id=job.pk, user_id=owner.pk))
    return job, True


def _row_count(rows: Iterable[dict[str, Any]]) -> int | None:
    """Return how many rows ROWS holds when that is cheap to know (else None)."""
    if isinstance(rows, QuerySet):
        return rows.count()
    if isinstance(rows, Sized):
        return len(rows)
    return None


def _rows_iter(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Iterate ROWS without holding them all: querysets are streamed in chunks."""
    if isinstance(rows, QuerySet):
        return iter(rows.iterator(chunk_size=DATA_EXPORT_CHUNK))
    return iter(rows)


def _plain(value: Any) -> Any:
    """Return VALUE as JSON-friendly data (dates and times as ISO 8601 text)."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return value


class _Progress:
    """Count written rows and save the count to the job every so often."""

    def __init__(self, job: DataExport, totals: dict[str, int | None]) -> None:
        self.job_id = job.pk
        self.processed = 0
        self.total = sum(n for n in totals.values() if n is not None)
        self.counted = {table for table, n in totals.items() if n is not None}

    def row(self, *, counted: bool) -> None:
        self.processed += 1
        if not counted:  # a table of unknown size: it grows the total as it goes
            self.total += 1
        if self.processed % DATA_EXPORT_PROGRESS_EVERY == 0:
            self.save()

    def save(self) -> None:
        DataExport.objects.filter(pk=self.job_id).update(
            processed=self.processed, total=max(self.total, self.processed)
        )


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _table_write(
    *,
    archive: zipfile.ZipFile,
    data_json: io.TextIOWrapper,
    table: str,
    rows: Iterable[dict[str, Any]],
    counted: bool,
    progress: _Progress,
) -> None:
    """Write TABLE's rows to DATA_JSON (as one JSON array) and to ``csv/<table>.csv``.

    The CSV body goes to a temporary file first, so its header can name every column
    any row had; then header and body are copied into the archive.
    """
    columns: dict[str, None] = {}
    data_json.write(f"\n    {_json_text(table)}: [")
    with tempfile.TemporaryFile("w+b") as body_raw:
        body = io.TextIOWrapper(body_raw, encoding="utf-8", errors="replace", newline="")
        writer = csv_writer(body, lineterminator="\n")
        n = 0
        for n, row in enumerate(_rows_iter(rows), 1):
            plain = {str(key): _plain(value) for key, value in row.items()}
            data_json.write(("," if n > 1 else "") + "\n      " + _json_text(plain))
            for key in plain:
                columns.setdefault(key, None)
            writer.writerow(plain.get(column) for column in columns)
            progress.row(counted=counted)
        data_json.write("\n    ]" if n else "]")
        body.flush()
        body_raw.seek(0)
        with archive.open(f"csv/{table}.csv", "w") as entry:
            if columns:  # an empty table is an empty file
                head = io.TextIOWrapper(entry, encoding="utf-8-sig", newline="")
                csv_writer(head, lineterminator="\n").writerow(columns)
                head.flush()
                head.detach()
            shutil.copyfileobj(body_raw, entry, DATA_EXPORT_COPY_BUFFER)
        body.detach()


def data_export_write(
    *,
    out: BinaryIO,
    tables: Mapping[str, Iterable[dict[str, Any]]],
    site_name: str,
    progress: _Progress,
) -> None:
    """Write the export ZIP of TABLES to OUT, one row at a time (memory stays flat).

    ``data.json`` is ``{"site", "exported_at", "tables": {name: [rows]}}``, built in a
    temporary file row by row; ``csv/<table>.csv`` holds the same rows through the shared
    defusing CSV writer (UTF-8 with a byte-order mark, so spreadsheets read it right).
    """
    exported_at = timezone.now().isoformat()
    with (
        tempfile.TemporaryFile("w+b") as json_raw,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        data_json = io.TextIOWrapper(json_raw, encoding="utf-8", errors="replace", newline="\n")
        data_json.write(
            f'{{\n  "site": {_json_text(site_name)},\n  "exported_at": {_json_text(exported_at)},'
            '\n  "tables": {'
        )
        for i, (table, rows) in enumerate(tables.items()):
            if i:
                data_json.write(",")
            _table_write(
                archive=archive,
                data_json=data_json,
                table=table,
                rows=rows,
                counted=table in progress.counted,
                progress=progress,
            )
        data_json.write("\n  }\n}\n" if tables else "}\n}\n")
        data_json.flush()
        json_raw.seek(0)
        with archive.open("data.json", "w") as entry:
            shutil.copyfileobj(json_raw, entry, DATA_EXPORT_COPY_BUFFER)
        data_json.detach()
        archive.writestr(
            "README.txt",
            f"Your data from {site_name}, exported {exported_at}.\n"
            "data.json holds every table; csv/ holds the same rows, one file per table.\n"
            "In the CSV files a cell that a spreadsheet would run as a formula starts with '.\n",
        )


def data_export_run(*, job_id: int) -> None:
    """Build job JOB_ID's ZIP of everything KIS holds about its owner, reporting progress."""
    job = DataExport.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.PENDING:
        return  # deleted meanwhile (account deleted, purged) or already run
    try:
        tables = user_data_collect(user=job.owner)
        totals = {table: _row_count(rows) for table, rows in tables.items()}
        progress = _Progress(job, totals)
        running = DataExport.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, total=progress.total
        )
        if not running:
            return  # deleted meanwhile
        with tempfile.TemporaryFile("w+b") as raw:
            data_export_write(
                out=raw, tables=tables, site_name=settings.SITE_NAME, progress=progress
            )
            raw.seek(0)
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            job.file.save(f"kis-export-{stamp}.zip", File(raw), save=False)
        saved = DataExport.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            processed=progress.processed,
            total=progress.processed,
            finished_at=timezone.now(),
            file=job.file.name,
        )
        if not saved:  # the job (or the whole account) was deleted meanwhile
            job.file.delete(save=False)
            return
        logger.info(
            "user data exported",
            extra={"user_id": job.owner_id, "tables": len(tables), "rows": progress.processed},
        )
    except Exception:
        logger.exception("data export %s failed", job.pk)
        DataExport.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=DATA_EXPORT_FAILED, finished_at=timezone.now()
        )


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
