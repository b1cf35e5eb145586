"""Background tasks of the accounts app (django.tasks; run by `manage.py db_worker`).

Every task done for a user takes keyword arguments including ``user_id``, so deleting
the account can find and delete its task results.
"""

from __future__ import annotations

from django.tasks import task

from apps.accounts.services import data_export_run
from common.jobs import job_task


@task
def export_user_data(*, job_id: int, user_id: int) -> None:
    """Build the personal-data ZIP of export job JOB_ID (of user USER_ID)."""
    data_export_run(job_id=job_id)


job_task(export_user_data, model="accounts.DataExport")
