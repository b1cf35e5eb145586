"""Django's PostgreSQL backend with its psycopg pool, failing fast while the database is down.

Django's pool waits up to its whole timeout for a connection, even when the database
refuses every attempt, so each page took that long to fail and the threads starved.
This backend gives up as soon as the pool reports a failed connection attempt, then keeps
a per-process circuit breaker open: while it is open, connecting fails at once except for
one probe per ``DATABASE_RETRY_SECONDS``. A pool that is merely busy (every connection
lent) still waits the whole timeout. See docs/decisions/0306-fast-fail-outages.md.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import IsolationLevel
from psycopg_pool import PoolTimeout

from common.circuit import CircuitBreaker

_POLL_SECONDS = 0.05  # how often a waiting borrower looks at the pool's connection errors
_breakers: dict[str, CircuitBreaker] = {}


class DatabaseUnreachable(PoolTimeout):
    """The pool could not connect to the database while we waited for a connection."""


def database_breaker(alias: str = "default") -> CircuitBreaker:
    """Return this process's circuit breaker for the database ALIAS."""
    breaker = _breakers.get(alias)
    if breaker is None:
        retry_after = float(getattr(settings, "DATABASE_RETRY_SECONDS", 1.0))
        breaker = _breakers.setdefault(
            alias, CircuitBreaker(f"database {alias!r}", retry_after=retry_after)
        )
    return breaker


def _connection_errors(pool: Any) -> int:
    return int(pool.get_stats().get("connections_errors", 0))


def borrow(pool: Any, timeout: float) -> Any:
    """Take a connection from POOL within TIMEOUT; give up once the pool fails to connect."""
    pool.open()  # Django opens it on the first connection; a probe may come first.
    deadline = time.monotonic() + timeout
    errors = _connection_errors(pool)
    while True:
        wait = min(_POLL_SECONDS, deadline - time.monotonic())
        try:
            return pool.getconn(timeout=max(wait, 0.001))
        except PoolTimeout:
            if _connection_errors(pool) != errors:
                raise DatabaseUnreachable("the database refused a new connection") from None
            if time.monotonic() >= deadline:
                raise


class DatabaseWrapper(base.DatabaseWrapper):
    """PostgreSQL that fails fast, for every thread of the process, while the database is down."""

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        breaker = database_breaker(self.alias)
        probing = breaker.is_open
        if not breaker.allow():
            raise self.Database.OperationalError(
                f"database {self.alias!r} is unavailable (failing fast until the next probe)"
            )
        try:
            pool = self.pool
            if pool is None:
                connection = super().get_new_connection(conn_params)
            else:
                timeout = min(pool.timeout, breaker.retry_after) if probing else pool.timeout
                connection = borrow(pool, timeout)
                self._set_isolation_level(connection)
        except PoolTimeout as exc:
            if probing or isinstance(exc, DatabaseUnreachable):
                breaker.record_failure(exc)
            raise  # a busy pool (every connection lent) is not an outage
        except self.Database.OperationalError as exc:
            breaker.record_failure(exc)
            raise
        breaker.record_success()
        return connection

    def _set_isolation_level(self, connection: Any) -> None:
        """Do what Django's get_new_connection does with OPTIONS['isolation_level']."""
        value = self.settings_dict["OPTIONS"].get("isolation_level")
        if value is None:
            self.isolation_level = IsolationLevel.READ_COMMITTED
        else:
            self.isolation_level = IsolationLevel(value)
            connection.isolation_level = self.isolation_level
