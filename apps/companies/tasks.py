"""Background tasks (django.tasks; run by `manage.py db_worker`).

Each takes ``job_id=`` and ``user_id=`` keywords (deleting the account finds its task results)
and is declared with ``job_task``, through which the toolkit queues and retries it.
"""

from __future__ import annotations

from django.tasks import task

from apps.companies.jobs import company_export_run, company_import_reset, company_import_run
from common.jobs import job_task


@task
def export_companies(*, job_id: int, user_id: int) -> None:
    """Write the CSV of export job JOB_ID (of user USER_ID)."""
    company_export_run(job_id=job_id)


job_task(export_companies, model="companies.CompanyExport")


@task
def import_companies(*, job_id: int, user_id: int) -> None:
    """Import the CSV of import job JOB_ID (of user USER_ID)."""
    company_import_run(job_id=job_id)


job_task(import_companies, model="companies.CompanyImport", reset=company_import_reset)
