"""CSV import services: check and store an upload (web request), import it (background task).

The run reads the file record by record (``parsing.records``): a record that is not valid
CSV is reported with its line number and the import goes on. New objects are created in
batches, each saved in one transaction with the progress, the counts and the report, so
``processed`` always says how many records are fully done and a retry resumes after them
without creating anything twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from common.jobs import Job, JobStatus, job_enqueue, job_fail
from common.lists.csvjobs.config import CsvImport, CsvJobs
from common.lists.csvjobs.models import SKIPPED, DuplicateMode, ImportJob
from common.lists.csvjobs.parsing import (
    ImportFileError,
    Record,
    decode,
    estimate_rows,
    read_header,
)
from common.text import strip_control_chars

if TYPE_CHECKING:
    from apps.users.models import User

logger = logging.getLogger(__name__)

IMPORT_FAILED = "The import failed unexpectedly. Rows saved so far were kept."


def _spec(config: type[CsvJobs]) -> CsvImport:
    if config.import_ is None:
        raise LookupError(f"{config.__qualname__} declares no import.")
    return config.import_


def _size(n: int) -> str:
    return f"{n:,} bytes"


def _header(config: type[CsvJobs], text: str) -> tuple[dict[int, str], Iterator[Record]]:
    spec = _spec(config)
    return read_header(
        text,
        aliases=spec.aliases,
        required=frozenset(spec.required),
        required_label=spec.required_label,
        example=spec.example,
        noun=config.get_plural(),
    )


def duplicate_modes(config: type[CsvJobs]) -> list[tuple[str, str]]:
    """Return the (value, label) choices of what to do with duplicates for CONFIG's import."""
    choices = _spec(config).job_model._meta.get_field("duplicates").choices or []
    modes = [(str(value), str(label)) for value, label in choices]
    if _spec(config).merge is None:
        modes = [(value, label) for value, label in modes if value == DuplicateMode.SKIP]
    return modes


@transaction.atomic
def csv_import_start(
    *,
    config: type[CsvJobs],
    owner: User,
    upload: UploadedFile[bytes],
    duplicates: str = DuplicateMode.SKIP,
) -> ImportJob:
    """Check UPLOAD is a readable CSV with a usable header; store it and queue the import.

    Raises ValidationError with a clear message for anything that cannot be imported.
    """
    spec = _spec(config)
    if duplicates not in {value for value, _label in duplicate_modes(config)}:
        raise ValidationError({"duplicates": ["Choose whether to skip or update duplicates."]})
    most = spec.max_bytes
    limit = f"{_size(most)} ({most / 1024 / 1024:g} MB)"
    if upload.size and upload.size > most:
        raise ValidationError(
            {"file": [f"The file is too large ({_size(upload.size)}); the limit is {limit}."]}
        )
    data = upload.read(most + 1)
    if len(data) > most:
        raise ValidationError(
            {"file": [f"The file is too large (over {_size(most)}); the limit is {limit}."]}
        )
    try:
        _header(config, decode(data))
    except ImportFileError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    job = spec.job_model(
        owner=owner,
        duplicates=duplicates,
        original_name=strip_control_chars(upload.name or "")[:255],
    )
    job.file.save("upload.csv", ContentFile(data), save=False)
    job.save()
    job_enqueue(job)
    return job


def csv_import_reset(job: Job) -> None:
    """Make failed import JOB pending again; its run resumes after the last saved batch.

    Updates of existing objects after that point were possibly applied already; applying
    them again gives the same result.
    """
    type(job)._default_manager.filter(pk=job.pk).update(
        status=JobStatus.PENDING, error="", finished_at=None
    )


def csv_import_run(*, config: type[CsvJobs], job_id: int) -> None:
    """Import job JOB_ID's file: create, update or skip each row; report every rejection."""
    model = _spec(config).job_model
    job = model._default_manager.select_related("owner").get(pk=job_id)
    if job.status != JobStatus.PENDING:
        return
    try:
        with job.file.open("rb") as fh:
            text = decode(fh.read())
        mapping, rows = _header(config, text)
        job.status, job.total = JobStatus.RUNNING, estimate_rows(text)
        job.save(update_fields=["status", "total"])
        Importer(config, job, mapping).read(rows)
    except ImportFileError as exc:
        job_fail(job, message=str(exc))
    except Exception:
        logger.exception("%s import %s failed", config.namespace, job.pk)
        job_fail(job, message=IMPORT_FAILED)


def _reason(exc: ValidationError) -> str:
    parts = []
    for field, messages in exc.message_dict.items():
        label = "" if field == "__all__" else f"{field.replace('_', ' ')}: "
        parts.append(label + " ".join(messages))
    return "; ".join(parts)


class Importer:
    """Read one import job's records: validate, then create in batches, update or skip."""

    def __init__(self, config: type[CsvJobs], job: ImportJob, mapping: Mapping[int, str]) -> None:
        self.config = config
        self.spec = _spec(config)
        self.job = job
        self.mapping = mapping
        self.existing = self.existing_keys()
        self.seen_in_file: set[str] = set()
        self.report: list[dict[str, Any]] = list(job.rejected)  # kept from a resumed run
        self.reported = {
            "rejected": len(job.rejected_rows),
            SKIPPED: len(job.skipped_rows),
        }
        self.pending: list[models.Model] = []
        # What build() looked up for the pending objects (BuildObject): forgotten with them,
        # so a batch never refers to what a user deleted during an earlier one.
        self.memo: dict[Any, Any] = {}
        self.update = job.duplicates == DuplicateMode.UPDATE and self.spec.merge is not None

    def existing_keys(self) -> Mapping[str, int]:
        """Return the owner's objects as lower-cased key -> primary key."""
        owner = self.job.owner
        if self.spec.existing is not None:
            return self.spec.existing(owner=owner)
        key = self.spec.key_field
        manager = self.config.model._default_manager
        return dict(
            manager.filter(**{self.config.owner_field: owner})
            .exclude(**{key: ""})
            .annotate(_csv_key=Lower(key))
            .values_list("_csv_key", "pk")
        )

    # -- the report ----------------------------------------------------------------------
    def _note(self, kind: str, entry: dict[str, Any]) -> None:
        if self.reported[kind] < self.spec.max_reported:
            self.reported[kind] += 1
            self.report.append(entry)

    def reject(self, line: int, reason: str) -> None:
        self.job.rejected_count += 1
        self._note("rejected", {"line": line, "reason": reason})

    def skip(self, line: int, reason: str) -> None:
        self.job.skipped_count += 1
        self._note(SKIPPED, {"line": line, "reason": reason, "kind": SKIPPED})

    # -- reading -------------------------------------------------------------------------
    def read(self, records: Iterator[Record]) -> None:
        """Handle RECORDS after those a failed run already saved, then finish the job."""
        job = self.job
        for _ in range(job.processed):  # a retry: these records were saved by the failed run
            if next(records, None) is None:
                break
        for record in records:
            job.processed += 1
            if job.processed > self.spec.max_rows:
                self.reject(
                    record.line, f"more than {self.spec.max_rows} rows; the rest was not read"
                )
                break
            if record.cells is None:
                self.reject(record.line, f"not valid CSV ({record.error})")
            else:
                self.row(record.line, record.cells)
            if job.processed % self.spec.progress_every == 0:
                self.flush()
        self.flush()
        job.total = job.processed
        job.status, job.finished_at = JobStatus.DONE, timezone.now()
        job.save(update_fields=["status", "finished_at", "total"])

    @transaction.atomic
    def flush(self) -> None:
        """Insert the pending new objects and save the progress so far."""
        if self.pending:
            self.config.model._default_manager.bulk_create(self.pending)
            self.job.created_count += len(self.pending)
            self.pending.clear()
        self.memo.clear()
        self.job.rejected = self.report
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

    def data(self, cells: list[str]) -> dict[str, str]:
        """Return the row's known columns as field -> stripped text, prepared by the app."""
        data = {
            field: cells[i].strip() if i < len(cells) else "" for i, field in self.mapping.items()
        }
        return self.spec.prepare(data) if self.spec.prepare else data

    def row(self, line: int, cells: list[str]) -> None:
        """Handle one record's CELLS (LINE is its first line number in the file)."""
        if not any(cell.strip() for cell in cells):
            return
        spec, owner = self.spec, self.job.owner
        data = self.data(cells)
        value = data.get(spec.key_field, "")
        key, label = value.lower(), spec.key_field.replace("_", " ")
        if key and key in self.seen_in_file:
            self.reject(line, f"{label} {value} appears earlier in this file")
            return
        if key and key in self.existing:
            self.seen_in_file.add(key)
            if not self.update or spec.merge is None:
                self.skip(line, f"{label} {value} is already in your {self.config.get_plural()}")
                return
            try:
                spec.merge(owner=owner, pk=self.existing[key], data=data)
            except ValidationError as exc:
                self.reject(line, _reason(exc))
            except ObjectDoesNotExist:
                singular = self.config.get_singular()
                self.reject(line, f"the {singular} with {label} {value} was just deleted")
            else:
                self.job.updated_count += 1
            return
        try:
            obj = spec.build(owner=owner, data=data, memo=self.memo)
        except ValidationError as exc:
            self.reject(line, _reason(exc))
            return
        if key:
            self.seen_in_file.add(key)
        self.pending.append(obj)
