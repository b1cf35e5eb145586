"""The production static files storage: whitenoise's, each file's URL looked up once."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """Serve hashed, compressed names; remember each name's URL for the process's life.

    The manifest is read once when the process starts and never changes under it, so the
    URL of a name does not either; looking it up costs ~10 µs, a dozen times on every page
    (docs/decisions/0020). A name the manifest lacks still raises each time.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return str(super().url(name, force))
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = str(super().url(name))
        return url
