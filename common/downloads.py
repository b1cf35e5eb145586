"""Downloads of private files: streamed to their owner, kept by no cache, 410 once gone."""

from __future__ import annotations

from http import HTTPStatus

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from common.exceptions import ApplicationError


class FileGone(ApplicationError):
    """The file a row points at is no longer stored (purged, or lost with its storage)."""

    status = HTTPStatus.GONE


def private_file_response(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """Return FILE as an attachment named FILENAME; raise FileGone when it is not stored.

    The caller has checked the owner. ``private, no-store`` keeps the file out of the
    browser's and every shared cache.
    """
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise FileGone("This file is no longer available. Start a new export.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
