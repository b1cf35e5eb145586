"""Companies' CSV export and import, declared on the toolkit (common.lists.csvjobs).

The toolkit starts, runs, reports and retries the jobs; this module says what is specific
to companies: the columns, the header aliases and the duplicate key (the name, any case).
tasks.py declares the tasks that run these jobs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.companies.models import Company, CompanyExport, CompanyImport
from apps.companies.services import company_build, company_merge
from apps.users.models import User
from common.lists.csvjobs import CsvExport, CsvImport, CsvJobs
from common.lists.csvjobs.exporting import csv_export_run
from common.lists.csvjobs.importing import csv_import_reset, csv_import_run

COLUMNS = ("name", "website", "notes")


def _export_rows(*, owner: User) -> QuerySet[Company, tuple[Any, ...]]:
    return Company.objects.filter(owner=owner).order_by("id").values_list(*COLUMNS)


def _build(*, owner: User, data: dict[str, str], memo: dict[Any, Any]) -> Company:
    return company_build(owner=owner, data=data)  # a company row names nothing to look up


def _merge(*, owner: User, pk: int, data: dict[str, str]) -> Company:
    # The name matched in any case: it is the key, not a new value ("ACME" keeps "Acme").
    fields = {name: value for name, value in data.items() if name != "name"}
    return company_merge(owner=owner, company_id=pk, data=fields)


class CompanyCsv(CsvJobs):
    """Each user's companies as CSV: export all of them, import new and updated ones."""

    model = Company
    namespace = "companies"
    list_url_name = "companies:list"
    export = CsvExport(
        job_model=CompanyExport, columns=COLUMNS, rows=_export_rows, filename="companies"
    )
    import_ = CsvImport(
        job_model=CompanyImport,
        aliases={
            **dict.fromkeys(("name", "company", "company_name", "organisation"), "name"),
            **dict.fromkeys(("organization", "account"), "name"),
            **dict.fromkeys(("website", "url", "web", "homepage", "site"), "website"),
            **dict.fromkeys(("notes", "note", "description"), "notes"),
        },
        required=("name",),
        required_label="a name column",
        example="name,website,notes",
        key_field="name",
        build=_build,
        merge=_merge,
        duplicates_label="When a company of that name is already in your list",
    )


def company_export_run(*, job_id: int) -> None:
    """Write job JOB_ID's owner's companies to a CSV file (the background task)."""
    csv_export_run(config=CompanyCsv, job_id=job_id)


def company_import_run(*, job_id: int) -> None:
    """Import job JOB_ID's file row by row (the background task)."""
    csv_import_run(config=CompanyCsv, job_id=job_id)


company_import_reset = csv_import_reset
