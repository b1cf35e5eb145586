"""Private file storage: user files that are served only by owner-checking views."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage in MEDIA_ROOT/private whose files have no URL."""

    @cached_property
    def base_location(self) -> str:
        # Follows MEDIA_ROOT when it changes (tests), like Django's default location.
        return str(Path(settings.MEDIA_ROOT) / "private")

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through an owner-checking view.")


@functools.cache
def private_storage() -> PrivateFileSystemStorage:
    """Return the storage of MEDIA_ROOT/private (served only by owner-checking views)."""
    return PrivateFileSystemStorage()
