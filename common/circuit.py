"""A per-process circuit breaker: fail fast while a backing service is down.

After a failure the breaker opens: callers are refused at once (no waiting for a timeout)
except one caller per ``retry_after`` seconds, which probes the service. The first
success closes it again. See docs/decisions/0306-fast-fail-outages.md.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """Refuse calls for RETRY_AFTER seconds after a failure, letting one probe through."""

    def __init__(self, name: str, *, retry_after: float = 1.0) -> None:
        self.name = name
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._opened_at: float | None = None
        self._probe_at = 0.0

    @property
    def is_open(self) -> bool:
        """Return True while the service is considered down."""
        return self._opened_at is not None

    def allow(self) -> bool:
        """Return True when the caller may use the service (closed, or its turn to probe)."""
        if self._opened_at is None:
            return True
        with self._lock:
            if self._opened_at is None:
                return True
            now = time.monotonic()
            if now < self._probe_at:
                return False
            self._probe_at = now + self.retry_after  # one probe per interval
            return True

    def record_success(self) -> bool:
        """Close the breaker; return True when this ended an outage."""
        if self._opened_at is None:
            return False
        with self._lock:
            opened_at, self._opened_at = self._opened_at, None
        if opened_at is None:
            return False
        logger.warning("%s is back after %.1fs", self.name, time.monotonic() - opened_at)
        return True

    def record_failure(self, exc: BaseException | None = None) -> None:
        """Open the breaker (or keep it open) and schedule the next probe."""
        with self._lock:
            now = time.monotonic()
            first = self._opened_at is None
            if first:
                self._opened_at = now
            self._probe_at = now + self.retry_after
        if first:
            logger.error(
                "%s is unavailable (%s); failing fast, probing every %.1fs",
                self.name,
                exc.__class__.__name__ if exc else "error",
                self.retry_after,
            )

    def reset(self) -> None:
        """Forget any outage (tests)."""
        with self._lock:
            self._opened_at = None
            self._probe_at = 0.0
