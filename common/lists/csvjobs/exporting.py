"""CSV export services: start a job (web request), run it (background task)."""

from __future__ import annotations

import io
import logging
import tempfile
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from common.csvfiles import csv_writer
from common.jobs import JobStatus, job_enqueue, job_fail
from common.lists.csvjobs.config import CsvExport, CsvJobs
from common.lists.csvjobs.models import ExportJob

if TYPE_CHECKING:
    from apps.users.models import User

logger = logging.getLogger(__name__)

EXPORT_FAILED = "The export failed unexpectedly. Please try again."


def _spec(config: type[CsvJobs]) -> CsvExport:
    if config.export is None:
        raise LookupError(f"{config.__qualname__} declares no export.")
    return config.export


@transaction.atomic
def csv_export_start(*, config: type[CsvJobs], owner: User) -> ExportJob:
    """Create an export job for OWNER and queue its task once the transaction commits."""
    job = _spec(config).job_model._default_manager.create(owner=owner)
    job_enqueue(job)
    return job


def csv_export_run(*, config: type[CsvJobs], job_id: int) -> None:
    """Write job JOB_ID's owner's rows to a CSV file, reporting progress as it goes."""
    spec = _spec(config)
    model = spec.job_model
    job = model._default_manager.select_related("owner").get(pk=job_id)
    if job.status != JobStatus.PENDING:
        return
    try:
        rows = spec.rows(owner=job.owner)
        job.status, job.total = JobStatus.RUNNING, rows.count()
        job.save(update_fields=["status", "total"])
        with tempfile.TemporaryFile("w+b") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            writer = csv_writer(text)
            writer.writerow(spec.columns)
            for n, item in enumerate(rows.iterator(spec.chunk_size), 1):
                writer.writerow(spec.row(item))
                if n % spec.progress_every == 0:
                    model._default_manager.filter(pk=job.pk).update(processed=n)
            text.flush()
            raw.seek(0)
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            job.file.save(f"{spec.filename}-{stamp}.csv", File(raw), save=False)
            text.detach()
        job.status, job.processed, job.finished_at = JobStatus.DONE, job.total, timezone.now()
        job.save(update_fields=["status", "processed", "finished_at", "file"])
    except Exception:
        logger.exception("%s export %s failed", config.namespace, job.pk)
        job_fail(job, message=EXPORT_FAILED)
