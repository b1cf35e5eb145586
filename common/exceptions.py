"""The application-level error type and how it maps to an HTTP response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any


class ApplicationError(Exception):
    """A business rule refused an action; the message is safe to show to the user.

    Services raise it; ``common.middleware.ApplicationErrorMiddleware`` turns it
    into a readable response (a toast for htmx, an error page otherwise).
    """

    status = HTTPStatus.BAD_REQUEST

    def __init__(
        self, message: str, *, extra: dict[str, Any] | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        if status is not None:
            self.status = HTTPStatus(status)


class ConflictError(ApplicationError):
    """The object changed since the user loaded it (optimistic locking)."""

    status = HTTPStatus.CONFLICT
