"""Contacts' CSV export and import, declared on the toolkit (common.lists.csvjobs).

The toolkit starts, runs, reports and retries the jobs; this module says what is
specific to contacts: the columns, the header aliases, the duplicate key (the email,
any case), the "name" column split into first and last name, and how one contact is
built (``contact_validate``) or merged (``contact_merge``, the one locked write path).
tasks.py declares the tasks that run these jobs; nothing here imports it (the job is
queued through the registry, ``common.jobs.job_enqueue``).
"""

from __future__ import annotations

from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from apps.contacts.models import NAME_MAX, Contact, ContactExport, ContactImport, DuplicateMode
from apps.contacts.services import contact_company_resolve, contact_merge, contact_validate
from apps.users.models import User
from common.lists.csvjobs import CsvExport, CsvImport, CsvJobs
from common.lists.csvjobs.config import IMPORT_MAX_BYTES, PROGRESS_EVERY
from common.lists.csvjobs.exporting import csv_export_run, csv_export_start
from common.lists.csvjobs.importing import csv_import_reset, csv_import_run, csv_import_start
from common.lists.csvjobs.parsing import ImportFileError

__all__ = [
    "EXPORT_COLUMNS",
    "HEADER_ALIASES",
    "IMPORT_MAX_BYTES",
    "PROGRESS_EVERY",
    "ContactCsv",
    "ImportFileError",
]

EXPORT_COLUMNS = ("first_name", "last_name", "email", "phone", "company", "notes", "favourite")
TRUE_WORDS = frozenset({"1", "yes", "true", "y", "x"})

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


def _export_rows(*, owner: User) -> QuerySet[Contact, tuple[Any, ...]]:
    fields = ("first_name", "last_name", "email", "phone", "company_name", "notes")
    return Contact.objects.filter(owner=owner).order_by("id").values_list(*fields, "is_favourite")


def _export_row(item: tuple[Any, ...], /) -> list[Any]:
    *fields, favourite = item
    return [*fields, "yes" if favourite else ""]


def _split_name(data: dict[str, str], /) -> dict[str, str]:
    """Split a "name" column into first and last name (unless those columns are filled)."""
    name = data.pop("name", "")
    if name and not (data.get("first_name") or data.get("last_name")):
        first, _, last = name.rpartition(" ")
        data["first_name"], data["last_name"] = (first, last) if first else (last, "")
        if len(data["first_name"]) > NAME_MAX:
            data["first_name"], data["last_name"] = name, ""
    return data


def _build(*, owner: User, data: dict[str, str], memo: dict[Any, Any]) -> Contact:
    fields = dict(data)
    favourite = fields.pop("favourite", "").lower() in TRUE_WORDS
    company = fields.pop("company", "")
    contact = Contact(owner=owner, is_favourite=favourite, **fields)
    # The email's uniqueness is checked by the importer in memory (the duplicate key).
    contact_validate(contact=contact, check_email=False)
    if company:  # only for a valid row, so a rejected one leaves no new company behind
        # Once per company name and batch: a file names the same few companies many times.
        key = ("company", company)
        if key not in memo:
            memo[key] = contact_company_resolve(owner=owner, data={"company": company})["company"]
        resolved = memo[key]
        contact.company, contact.company_name = resolved, resolved.name
    return contact


def _merge(*, owner: User, pk: int, data: dict[str, str]) -> Contact:
    fields = {k: v for k, v in data.items() if k != "favourite"}
    return contact_merge(owner=owner, contact_id=pk, data=fields)


class ContactCsv(CsvJobs):
    """Each user's address book as CSV: export all of it, import new and updated contacts."""

    model = Contact
    namespace = "contacts"
    list_url_name = "contacts:list"
    import_form_template_name = "contacts/import_form.html"  # contacts' column help
    export = CsvExport(
        job_model=ContactExport,
        columns=EXPORT_COLUMNS,
        rows=_export_rows,
        row=_export_row,
        filename="contacts",
    )
    import_ = CsvImport(
        job_model=ContactImport,
        aliases=HEADER_ALIASES,
        required=("name", "first_name", "last_name", "email"),
        required_label="a name or email column",
        example="name,email,phone,company,notes",
        key_field="email",
        prepare=_split_name,
        build=_build,
        merge=_merge,
        duplicates_label="When an email is already in your address book",
    )


# ------------------------------------------------------------------------------ services
def contact_export_start(*, owner: User) -> ContactExport:
    """Create an export job for OWNER and queue it once the transaction commits."""
    return cast("ContactExport", csv_export_start(config=ContactCsv, owner=owner))


def contact_export_run(*, job_id: int) -> None:
    """Write job JOB_ID's owner's contacts to a CSV file (the background task)."""
    csv_export_run(config=ContactCsv, job_id=job_id)


def contact_import_start(
    *, owner: User, upload: UploadedFile[bytes], duplicates: str = DuplicateMode.SKIP
) -> ContactImport:
    """Check UPLOAD is a readable CSV with a usable header; store it and queue the import."""
    job = csv_import_start(config=ContactCsv, owner=owner, upload=upload, duplicates=duplicates)
    return cast("ContactImport", job)


def contact_import_run(*, job_id: int) -> None:
    """Import job JOB_ID's file row by row (the background task)."""
    csv_import_run(config=ContactCsv, job_id=job_id)


contact_import_reset = csv_import_reset
