"""A per-process memory cache for many small reads at once: the rendered list rows.

Django's ``LocMemCache`` pickles every value (a copy for each reader) and checks each key
for memcached's limits, one lock per key: for the fifty rows of a page that is most of what
a cached page costs (docs/decisions/0020). This backend keeps values that cannot change
(text, numbers) as they are, pickles the rest, checks no key against memcached (it is never
one) and reads or writes a whole page under one lock. It evicts the least recently used
entry beyond ``MAX_ENTRIES``.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

# Every cache of one name in a process shares its store, as LocMemCache's do.
_stores: dict[str, OrderedDict[str, tuple[float | None, Any]]] = {}
_locks: dict[str, threading.Lock] = {}

# Values no reader can change: kept as they are, not pickled (str covers SafeString).
_IMMUTABLE = (str, bytes, int, float, type(None))


class _Pickled(bytes):
    """A value kept pickled, so that each reader gets its own copy."""


def _stored(value: Any) -> Any:
    return value if isinstance(value, _IMMUTABLE) else _Pickled(pickle.dumps(value, -1))


def _loaded(value: Any) -> Any:
    return pickle.loads(value) if isinstance(value, _Pickled) else value  # noqa: S301 (our own)


class LocalMemoryCache(BaseCache):
    """A thread-safe LRU cache in process memory; cheap ``get_many`` and ``set_many``."""

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._data = _stores.setdefault(name, OrderedDict())
        self._lock = _locks.setdefault(name, threading.Lock())

    def __len__(self) -> int:
        """Return how many entries the store holds (some may have expired)."""
        return len(self._data)

    # -- reads ----------------------------------------------------------------------------

    def _read(self, key: str, now: float) -> tuple[bool, Any]:
        """Return (found, value) for the made KEY; the caller holds the lock."""
        entry = self._data.get(key)
        if entry is None:
            return False, None
        expires, value = entry
        if expires is not None and expires <= now:
            del self._data[key]
            return False, None
        self._data.move_to_end(key)
        return True, value

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        made = self.make_key(key, version=version)
        with self._lock:
            found, value = self._read(made, time.time())
        return _loaded(value) if found else default

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        made = {self.make_key(key, version=version): key for key in keys}
        now = time.time()
        hits: dict[str, Any] = {}
        with self._lock:
            for key, original in made.items():
                found, value = self._read(key, now)
                if found:
                    hits[original] = value
        return {key: _loaded(value) for key, value in hits.items()}

    def has_key(self, key: str, version: int | None = None) -> bool:
        made = self.make_key(key, version=version)
        with self._lock:
            return self._read(made, time.time())[0]

    # -- writes ---------------------------------------------------------------------------

    def _write(self, key: str, value: Any, expires: float | None) -> None:
        """Store VALUE under the made KEY, evicting the least recently used beyond the limit."""
        self._data[key] = (expires, value)
        self._data.move_to_end(key)
        while len(self._data) > self._max_entries:
            self._data.popitem(last=False)

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self.set_many({key: value}, timeout=timeout, version=version)

    def set_many(
        self,
        data: Mapping[str, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        expires = self.get_backend_timeout(timeout)
        stored = [(self.make_key(key, version=version), _stored(v)) for key, v in data.items()]
        with self._lock:
            for key, value in stored:
                self._write(key, value, expires)
        return []

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        made = self.make_key(key, version=version)
        stored = _stored(value)
        with self._lock:
            if self._read(made, time.time())[0]:
                return False
            self._write(made, stored, self.get_backend_timeout(timeout))
            return True

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        made = self.make_key(key, version=version)
        with self._lock:
            found, value = self._read(made, time.time())
            if not found:
                raise ValueError(f"Key '{key}' not found")
            total = _loaded(value) + delta
            self._data[made] = (self._data[made][0], _stored(total))
            return total  # type: ignore[no-any-return]

    def touch(
        self,
        key: str,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        made = self.make_key(key, version=version)
        with self._lock:
            found, value = self._read(made, time.time())
            if found:
                self._data[made] = (self.get_backend_timeout(timeout), value)
            return found

    def delete(self, key: str, version: int | None = None) -> bool:
        made = self.make_key(key, version=version)
        with self._lock:
            return self._data.pop(made, None) is not None

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
