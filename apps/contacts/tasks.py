"""Background tasks (django.tasks; run by `manage.py db_worker`).

Every task done for a user takes keyword arguments including ``user_id``, so deleting
the account can find and delete its task results. Each task that runs a job is declared
with ``job_task``; the services queue it through that registry (``job_enqueue``), so
jobs.py never imports this module.
"""

from __future__ import annotations

from django.tasks import task

from apps.contacts.jobs import contact_export_run, contact_import_reset, contact_import_run
from common.jobs import job_task


@task
def export_contacts(*, job_id: int, user_id: int) -> None:
    """Write the CSV of export job JOB_ID (of user USER_ID)."""
    contact_export_run(job_id=job_id)


job_task(export_contacts, model="contacts.ContactExport")


@task
def import_contacts(*, job_id: int, user_id: int) -> None:
    """Import the CSV of import job JOB_ID (of user USER_ID)."""
    contact_import_run(job_id=job_id)


job_task(import_contacts, model="contacts.ContactImport", reset=contact_import_reset)
