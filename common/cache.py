"""Django's Redis cache, degrading to process memory while Redis is unreachable.

Every signed-in page reads the session from the cache, so a Redis outage made every page
(and the error page) fail. This backend turns Redis connection errors into a per-process
fallback: reads and writes go to a local memory cache, so ``cached_db`` sessions are read
from the database and rate limits keep counting per process. A circuit breaker skips Redis
for ``CACHE_RETRY_SECONDS`` after a failure (one probe per interval), so nothing waits for
a socket timeout. When Redis answers again, the keys written here during the outage are
deleted from Redis (it may hold older values, e.g. a session since signed out) and the
fallback is emptied. See docs/decisions/0307-redis-outage-degrades.md.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from common.circuit import CircuitBreaker

logger = logging.getLogger(__name__)

REDIS_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


class _Outage:
    """Per-process state for one Redis location: breaker, fallback, keys written meanwhile."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        retry_after = float(getattr(settings, "CACHE_RETRY_SECONDS", 1.0))
        self.breaker = CircuitBreaker(f"cache {location}", retry_after=retry_after)
        self.fallback = LocMemCache(
            f"kis-redis-fallback:{location}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10_000}},
        )
        self.lock = threading.Lock()
        self.written: set[str] = set()


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    """RedisCache that serves from process memory while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        # Django makes one cache object per thread: the outage state is per process.
        with _outages_lock:
            self._outage = _outages.setdefault(server, _Outage(server, params))

    @property
    def degraded(self) -> bool:
        """Return True while Redis is considered down."""
        return self._outage.breaker.is_open

    def ping(self) -> None:
        """Raise unless Redis answers now (the readiness probe); counts as a probe."""
        try:
            self._cache.get_client().ping()
        except REDIS_UNAVAILABLE as exc:
            self._outage.breaker.record_failure(exc)
            raise
        self._back()

    def _back(self) -> None:
        """Close the breaker; after an outage, drop what Redis may hold stale."""
        outage = self._outage
        if not outage.breaker.record_success():
            return
        with outage.lock:
            stale, outage.written = outage.written, set()
        try:
            client = self._cache.get_client(write=True)
            keys = sorted(stale)
            for start in range(0, len(keys), 500):
                client.delete(*keys[start : start + 500])
        except REDIS_UNAVAILABLE as exc:
            with outage.lock:
                outage.written |= stale
            outage.breaker.record_failure(exc)
            return
        outage.fallback.clear()
        logger.info("cache: dropped %d keys written during the outage", len(stale))

    def _run(
        self,
        method: str,
        *args: Any,
        version: int | None = None,
        written: Iterable[str] = (),
        **kwargs: Any,
    ) -> Any:
        outage = self._outage
        if outage.breaker.allow():
            try:
                result = getattr(super(), method)(*args, version=version, **kwargs)
            except REDIS_UNAVAILABLE as exc:
                logger.warning("cache: Redis unavailable (%s), using process memory", exc)
                outage.breaker.record_failure(exc)
            else:
                self._back()
                return result
        keys = [self.make_and_validate_key(key, version=version) for key in written]
        if keys:
            with outage.lock:
                outage.written.update(keys)
        return getattr(outage.fallback, method)(*args, version=version, **kwargs)

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return bool(self._run("add", key, value, timeout, version=version, written=[key]))

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._run("get", key, default, version=version)

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._run("set", key, value, timeout, version=version, written=[key])

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return bool(self._run("touch", key, timeout, version=version, written=[key]))

    def delete(self, key: str, version: int | None = None) -> bool:
        return bool(self._run("delete", key, version=version, written=[key]))

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self._run("get_many", list(keys), version=version)
        return result

    def has_key(self, key: str, version: int | None = None) -> bool:
        return bool(self._run("has_key", key, version=version))

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return int(self._run("incr", key, delta, version=version, written=[key]))

    def set_many(
        self,
        data: dict[str, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        result: list[str] = self._run("set_many", data, timeout, version=version, written=data)
        return result

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        self._run("delete_many", keys, version=version, written=keys)

    def clear(self) -> None:
        outage = self._outage
        if outage.breaker.allow():
            try:
                super().clear()
            except REDIS_UNAVAILABLE as exc:
                outage.breaker.record_failure(exc)
            else:
                self._back()
                return
        outage.fallback.clear()
