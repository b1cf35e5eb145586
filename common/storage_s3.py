"""Private files in an S3-compatible bucket (imported only when the settings choose it)."""

from __future__ import annotations

from typing import Any

from storages.backends.s3 import S3Storage

# A download is spooled in memory up to this size, then in a temporary file.
SPOOL_MAX_MEMORY = 2 * 1024 * 1024


class PrivateS3Storage(S3Storage):
    """An S3 bucket whose objects are private, never overwritten, and have no URL."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("max_memory_size", SPOOL_MAX_MEMORY)
        # No ACL (the bucket's own, private), and a taken name gets a random suffix
        # (S3Storage overwrites by default: two uploads named alike would collide).
        super().__init__(**{**options, "default_acl": None, "file_overwrite": False})

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        raise ValueError("Private files have no URL; serve them through an owner-checking view.")
