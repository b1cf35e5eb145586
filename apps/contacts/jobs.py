"""CSV export and import: start a job (web request), run it (background task)."""

from __future__ import annotations

import codecs
import csv
import io
import logging
import tempfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from apps.contacts.models import (
    NAME_MAX,
    Contact,
    ContactExport,
    ContactImport,
    DuplicateMode,
    JobStatus,
)
from apps.contacts.services import EDITABLE_FIELDS, contact_merge, contact_validate
from apps.users.models import User
from common.csvfiles import csv_writer
from common.jobs import Job
from common.text import strip_control_chars

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 1000
IMPORT_MAX_BYTES = 20 * 1024 * 1024
IMPORT_MAX_ROWS = 200_000
IMPORT_MAX_REPORTED_ERRORS = 500
EXPORT_COLUMNS = ("first_name", "last_name", "email", "phone", "company", "notes", "favourite")

# Accepted header names (lower-cased, spaces/dashes as underscores) -> field.
HEADER_ALIASES = {
    "name": "name",
    "full_name": "name",
    "first_name": "first_name",
    "firstname": "first_name",
    "given_name": "first_name",
    "last_name": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "email": "email",
    "e_mail": "email",
    "email_address": "email",
    "phone": "phone",
    "telephone": "phone",
    "phone_number": "phone",
    "mobile": "phone",
    "company": "company",
    "organisation": "company",
    "organization": "company",
    "notes": "notes",
    "note": "notes",
    "favourite": "favourite",
    "favorite": "favourite",
}


class ImportFileError(ValueError):
    """The uploaded file cannot be imported at all; the message says why."""


# ------------------------------------------------------------------------------ export
@transaction.atomic
def contact_export_start(*, owner: User) -> ContactExport:
    """Create an export job for OWNER and queue it once the transaction commits."""
    from apps.contacts.tasks import export_contacts

    job = ContactExport.objects.create(owner=owner)
    transaction.on_commit(lambda: export_contacts.enqueue(job_id=job.pk, user_id=owner.pk))
    return job


def _finish_failed(job: ContactExport | ContactImport, message: str) -> None:
    job.status = JobStatus.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def contact_export_run(*, job_id: int) -> None:
    """Write job JOB_ID's owner's contacts to a CSV file, reporting progress as it goes."""
    job = ContactExport.objects.select_related("owner").get(pk=job_id)
    if job.status != JobStatus.PENDING:
        return
    try:
        qs = Contact.objects.filter(owner=job.owner).order_by("id")
        job.status, job.total = JobStatus.RUNNING, qs.count()
        job.save(update_fields=["status", "total"])
        with tempfile.TemporaryFile("w+b") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            writer = csv_writer(text)
            writer.writerow(EXPORT_COLUMNS)
            for n, c in enumerate(
                qs.values_list(*EDITABLE_FIELDS, "is_favourite").iterator(2000), 1
            ):
                *fields, fav = c
                writer.writerow([*fields, "yes" if fav else ""])
                if n % PROGRESS_EVERY == 0:
                    ContactExport.objects.filter(pk=job.pk).update(processed=n)
            text.flush()
            raw.seek(0)
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            job.file.save(f"contacts-{stamp}.csv", File(raw), save=False)
            text.detach()
        job.status, job.processed, job.finished_at = JobStatus.DONE, job.total, timezone.now()
        job.save(update_fields=["status", "processed", "finished_at", "file"])
    except Exception:
        logger.exception("contact export %s failed", job.pk)
        _finish_failed(job, "The export failed unexpectedly. Please try again.")


# ------------------------------------------------------------------------------ import
def _binary() -> ImportFileError:
    return ImportFileError(
        "This does not look like a CSV text file (it contains binary data). "
        "Export your spreadsheet as “CSV UTF-8” and upload that."
    )


def _decode(data: bytes) -> str:
    """Return DATA as text: UTF-8 with or without a BOM, or UTF-16 (LE or BE) with a BOM.

    Excel writes UTF-16 with a BOM for "Unicode Text"; without a BOM, a NUL in the first
    4 KiB means binary data. A NUL further on is left to the rows (each one is reported).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, label = "utf-16", "UTF-16"  # the BOM gives the byte order; decoding drops it
    elif b"\x00" in data[:4096]:
        raise _binary()
    else:
        encoding, label = "utf-8-sig", "UTF-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"The file is not {label} text (unreadable byte at position {exc.start}). "
            "Save it as “CSV UTF-8” and upload it again."
        ) from exc
    if "\x00" in text[:4096]:
        raise _binary()
    return text


def _size(n: int) -> str:
    return f"{n:,} bytes"


def _header_map(header: list[str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for i, name in enumerate(header):
        key = "_".join(name.strip().lower().replace("-", " ").split())
        field = HEADER_ALIASES.get(key)
        if field and field not in mapping.values():
            mapping[i] = field
    if not {"name", "first_name", "last_name", "email"} & set(mapping.values()):
        shown = ", ".join(h.strip()[:30] for h in header[:8]) or "(empty)"
        raise ImportFileError(
            "The first row must be a header naming the columns, with at least a name or "
            f"email column (e.g. name,email,phone,company,notes). Found: {shown}."
        )
    return mapping


def _rows(text: str) -> tuple[dict[int, str], Any]:
    first_line = text.partition("\n")[0]
    # Excel's "Unicode Text" (UTF-16) separates columns with tabs.
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportFileError(f"The header row could not be read as CSV: {exc}.") from exc
    if not header or not any(h.strip() for h in header):
        raise ImportFileError("The file is empty: expected a header row and some contacts.")
    return _header_map(header), reader


@transaction.atomic
def contact_import_start(
    *, owner: User, upload: UploadedFile[bytes], duplicates: str = DuplicateMode.SKIP
) -> ContactImport:
    """Check UPLOAD is a readable CSV with a usable header; store it and queue the import.

    Raises ValidationError with a clear message for anything that cannot be imported.
    """
    if duplicates not in DuplicateMode.values:
        raise ValidationError({"duplicates": ["Choose whether to skip or update duplicates."]})
    limit = f"{_size(IMPORT_MAX_BYTES)} ({IMPORT_MAX_BYTES / 1024 / 1024:g} MB)"
    if upload.size and upload.size > IMPORT_MAX_BYTES:
        raise ValidationError(
            {"file": [f"The file is too large ({_size(upload.size)}); the limit is {limit}."]}
        )
    data = upload.read(IMPORT_MAX_BYTES + 1)
    if len(data) > IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    f"The file is too large (over {_size(IMPORT_MAX_BYTES)}); the limit is {limit}."
                ]
            }
        )
    try:
        _rows(_decode(data))
    except ImportFileError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    job = ContactImport(
        owner=owner,
        duplicates=duplicates,
        original_name=strip_control_chars(upload.name or "")[:255],
    )
    job.file.save("upload.csv", ContentFile(data), save=False)
    job.save()
    from apps.contacts.tasks import import_contacts

    transaction.on_commit(lambda: import_contacts.enqueue(job_id=job.pk, user_id=owner.pk))
    return job


def contact_import_reset(job: Job) -> None:
    """Make failed import JOB pending again; its run resumes after the last saved batch.

    Each batch of new contacts is saved in one transaction with the progress and the
    counts, so ``processed`` says how many rows are fully done: the retry skips them
    (no contact is created twice) and reads the rest. Updates after that point were
    possibly applied already; applying them again gives the same result.
    """
    ContactImport.objects.filter(pk=job.pk).update(
        status=JobStatus.PENDING, error="", finished_at=None
    )


def _row_data(row: list[str], mapping: dict[int, str]) -> dict[str, str]:
    data: dict[str, str] = {}
    for i, field in mapping.items():
        data[field] = row[i].strip() if i < len(row) else ""
    name = data.pop("name", "")
    if name and not (data.get("first_name") or data.get("last_name")):
        first, _, last = name.rpartition(" ")
        data["first_name"], data["last_name"] = (first, last) if first else (last, "")
        if len(data["first_name"]) > NAME_MAX:
            data["first_name"], data["last_name"] = name, ""
    return data


def _reason(exc: ValidationError) -> str:
    parts = []
    for field, messages in exc.message_dict.items():
        label = "" if field == "__all__" else f"{field.replace('_', ' ')}: "
        parts.append(label + " ".join(messages))
    return "; ".join(parts)


def contact_import_run(*, job_id: int) -> None:
    """Import job JOB_ID's file row by row: create, update or skip; record every rejection."""
    job = ContactImport.objects.select_related("owner").get(pk=job_id)
    if job.status != JobStatus.PENDING:
        return
    try:
        _import(job)
    except ImportFileError as exc:
        _finish_failed(job, str(exc))
    except Exception:
        logger.exception("contact import %s failed", job.pk)
        _finish_failed(job, "The import failed unexpectedly. Rows saved so far were kept.")


class _Importer:
    """Read one import job's rows: validate, then create in batches, update or skip."""

    def __init__(self, job: ContactImport) -> None:
        self.job = job
        self.existing = dict(
            Contact.objects.filter(owner=job.owner)
            .exclude(email="")
            .annotate(key=Lower("email"))
            .values_list("key", "id")
        )
        self.seen_in_file: set[str] = set()
        self.rejected: list[dict[str, Any]] = list(job.rejected)  # kept from a resumed run
        self.pending: list[Contact] = []

    def reject(self, line: int, reason: str) -> None:
        self.job.rejected_count += 1
        if len(self.rejected) < IMPORT_MAX_REPORTED_ERRORS:
            self.rejected.append({"line": line, "reason": reason})

    @transaction.atomic
    def flush(self) -> None:
        """Insert the pending new contacts and save the progress so far."""
        if self.pending:
            Contact.objects.bulk_create(self.pending)
            self.job.created_count += len(self.pending)
            self.pending.clear()
        self.job.rejected = self.rejected
        self.job.save(
            update_fields=[
                "processed",
                "created_count",
                "updated_count",
                "skipped_count",
                "rejected",
                "rejected_count",
            ]
        )

    def row(self, line: int, row: list[str], mapping: dict[int, str]) -> None:
        """Handle one CSV row (LINE is its line number in the file)."""
        if not any(cell.strip() for cell in row):
            return
        job = self.job
        data = _row_data(row, mapping)
        favourite = data.pop("favourite", "").lower() in {"1", "yes", "true", "y", "x"}
        key = data.get("email", "").lower()
        if key and key in self.seen_in_file:
            self.reject(line, f"email {data['email']} appears earlier in this file")
            return
        if key and key in self.existing:
            self.seen_in_file.add(key)
            if job.duplicates == DuplicateMode.SKIP:
                job.skipped_count += 1
                return
            try:
                # The one locked write path for existing contacts (services.contact_merge).
                contact_merge(owner=job.owner, contact_id=self.existing[key], data=data)
            except ValidationError as exc:
                self.reject(line, _reason(exc))
            except Contact.DoesNotExist:
                self.reject(line, f"the contact with email {data['email']} was just deleted")
            else:
                job.updated_count += 1
            return
        contact = Contact(owner=job.owner, is_favourite=favourite, **data)
        try:
            contact_validate(contact=contact, check_email=False)
        except ValidationError as exc:
            self.reject(line, _reason(exc))
            return
        if key:
            self.seen_in_file.add(key)
        self.pending.append(contact)


def _import(job: ContactImport) -> None:
    with job.file.open("rb") as fh:
        text = _decode(fh.read())
    mapping, reader = _rows(text)
    job.status = JobStatus.RUNNING
    job.total = max(0, text.count("\n") - 1 + (0 if text.endswith("\n") else 1))
    job.save(update_fields=["status", "total"])
    importer = _Importer(job)
    for _ in range(job.processed):  # a retry: these rows were saved by the failed run
        if next(reader, None) is None:
            break
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            importer.reject(
                reader.line_num, f"not valid CSV ({exc}); the rest of the file was not read"
            )
            break
        if row is None:
            break
        job.processed += 1
        if job.processed > IMPORT_MAX_ROWS:
            importer.reject(
                reader.line_num, f"more than {IMPORT_MAX_ROWS} rows; the rest was not read"
            )
            break
        importer.row(reader.line_num, row, mapping)
        if job.processed % PROGRESS_EVERY == 0:
            importer.flush()
    importer.flush()
    job.total = job.processed
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    job.save(update_fields=["status", "finished_at", "total"])
