"""Private file storage: user files that are served only by owner-checking views.

Which storage holds them is the settings' choice: ``STORAGES["private"]`` (the local
folder MEDIA_ROOT/private by default, an S3-compatible bucket on several hosts; see
docs/decisions/0309-object-storage-for-private-files.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, cached_property, empty

PRIVATE_STORAGE_ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage in MEDIA_ROOT/private whose files have no URL."""

    @cached_property
    def base_location(self) -> str:
        # Follows MEDIA_ROOT when it changes (tests), like Django's default location.
        return str(Path(settings.MEDIA_ROOT) / "private")

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through an owner-checking view.")


if TYPE_CHECKING:  # generic in django-stubs only, not subscriptable at runtime
    _LazyStorage = LazyObject[Storage]
else:
    _LazyStorage = LazyObject


class PrivateStorage(_LazyStorage):
    """Stand for ``storages["private"]``, looked up again whenever STORAGES changes.

    A FileField calls its storage callable once, at import; this proxy lets the field
    follow the settings (an override in tests) like Django's own ``default_storage``.
    """

    _wrapped: Any  # the Storage, or ``empty`` until first used

    def _setup(self) -> None:
        self._wrapped = storages[PRIVATE_STORAGE_ALIAS]


_private_storage = PrivateStorage()


def private_storage() -> Storage:
    """Return the storage of private files (served only by owner-checking views)."""
    return cast("Storage", _private_storage)


def _reset_private_storage(*, setting: str, **kwargs: Any) -> None:
    """Forget the configured private storage when STORAGES changes."""
    if setting == "STORAGES":
        _private_storage._wrapped = empty


setting_changed.connect(_reset_private_storage, dispatch_uid="common.storage.private")
