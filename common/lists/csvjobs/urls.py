"""URL patterns of an app's CSV job pages, named as the templates expect them."""

from __future__ import annotations

from django.urls import URLPattern, path

from common.lists.csvjobs.config import CsvJobs
from common.lists.csvjobs.views import (
    export_download_view,
    export_retry_view,
    export_start_view,
    export_view,
    import_retry_view,
    import_start_view,
    import_view,
)


def csv_urls(*, config: type[CsvJobs]) -> list[URLPattern]:
    """Return the export pages (when declared) then the import pages (when declared).

    Names (in the app's namespace): export_start, export, export_download, export_retry,
    import_start, import, import_retry.
    """
    patterns: list[URLPattern] = []
    if config.export is not None:
        patterns += [
            path("export/", export_start_view(config=config), name="export_start"),
            path("exports/<int:pk>/", export_view(config=config), name="export"),
            path(
                "exports/<int:pk>/download/",
                export_download_view(config=config),
                name="export_download",
            ),
            path(
                "exports/<int:pk>/retry/",
                export_retry_view(config=config),
                name="export_retry",
            ),
        ]
    if config.import_ is not None:
        patterns += [
            path("import/", import_start_view(config=config), name="import_start"),
            path("imports/<int:pk>/", import_view(config=config), name="import"),
            path(
                "imports/<int:pk>/retry/",
                import_retry_view(config=config),
                name="import_retry",
            ),
        ]
    return patterns
