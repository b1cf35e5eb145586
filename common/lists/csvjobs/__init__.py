"""CSV export and import as background jobs a user watches: progress, report, retry.

An app declares what is specific to it in a ``CsvJobs`` subclass with a ``CsvExport``
and/or ``CsvImport`` spec (docs/building-an-app.md, "CSV import and export"); its job
models subclass ``ExportJob`` / ``ImportJob``. The toolkit gives the services
(``exporting``, ``importing``), the page-or-partial job pages (``views``, templates under
``templates/lists/``) and their URL patterns (``CsvJobs.urls()``).
"""

from __future__ import annotations

from common.lists.csvjobs.config import CsvExport, CsvImport, CsvJobs
from common.lists.csvjobs.models import DuplicateMode, ExportJob, ImportJob

__all__ = ["CsvExport", "CsvImport", "CsvJobs", "DuplicateMode", "ExportJob", "ImportJob"]
