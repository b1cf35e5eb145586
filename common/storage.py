"""Private file storage: user files that are served only by owner-checking views."""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage whose files have no URL."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through an owner-checking view.")


@functools.cache
def private_storage() -> PrivateFileSystemStorage:
    """Return the storage of MEDIA_ROOT/private (served only by owner-checking views)."""
    return PrivateFileSystemStorage(location=settings.MEDIA_ROOT / "private")
