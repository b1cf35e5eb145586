"""common.localcache: Django's cache API in process memory, without pickling text."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from common.localcache import LocalMemoryCache


class Clock:
    """A time.time() that moves only when told."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1_796_385_600.0  # 2026-12-04 10:00 UTC
        monkeypatch.setattr(time, "time", lambda: self.now)

    def shift(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def cache(request: pytest.FixtureRequest) -> Iterator[LocalMemoryCache]:
    made = LocalMemoryCache(f"test-{request.node.name}", {"OPTIONS": {"MAX_ENTRIES": 3}})
    yield made
    made.clear()


def test_it_keeps_what_is_set_until_it_expires(cache: LocalMemoryCache, clock: Clock) -> None:
    cache.set("a", "one", timeout=60)
    cache.set("b", "two", timeout=None)  # never expires
    assert cache.get("a") == "one" and cache.get("missing", "d") == "d"
    clock.shift(61)
    assert cache.get("a") is None
    assert cache.get_many(["a", "b"]) == {"b": "two"}
    assert not cache.has_key("a") and cache.has_key("b")


def test_a_timeout_of_zero_stores_nothing(cache: LocalMemoryCache) -> None:
    cache.set("a", "one", timeout=0)
    assert cache.get("a") is None


def test_get_many_and_set_many_keep_each_key_apart(cache: LocalMemoryCache) -> None:
    assert cache.set_many({"a": "1", "b": 2}) == []
    assert cache.get_many(["a", "b", "c"]) == {"a": "1", "b": 2}
    assert cache.get_many(["a"], version=2) == {}  # another version is another key


def test_the_least_recently_read_entry_goes_first(cache: LocalMemoryCache) -> None:
    cache.set_many({"a": "1", "b": "2", "c": "3"})
    cache.get("a")  # read: now the most recent
    cache.set("d", "4")
    assert cache.get_many(["a", "b", "c", "d"]) == {"a": "1", "c": "3", "d": "4"}


def test_a_mutable_value_is_a_copy_for_each_reader(cache: LocalMemoryCache) -> None:
    value: dict[str, Any] = {"rows": [1]}
    cache.set("a", value)
    value["rows"].append(2)
    read = cache.get("a")
    assert read == {"rows": [1]}
    read["rows"].append(3)
    assert cache.get_many(["a"]) == {"a": {"rows": [1]}}


def test_add_incr_touch_delete_and_clear(cache: LocalMemoryCache, clock: Clock) -> None:
    assert cache.add("n", 1) and not cache.add("n", 5)
    assert cache.incr("n", 2) == 3 and cache.get("n") == 3
    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing")
    cache.set("t", "x", timeout=10)
    assert cache.touch("t", timeout=100) and not cache.touch("missing")
    clock.shift(50)
    assert cache.get("t") == "x"
    assert cache.delete("t") and not cache.delete("t")
    cache.clear()
    assert cache.get("n") is None


def test_caches_of_one_name_share_a_store() -> None:
    first = LocalMemoryCache("test-shared", {})
    first.set("a", "1")
    assert LocalMemoryCache("test-shared", {}).get("a") == "1"
    assert LocalMemoryCache("test-another", {}).get("a") is None
    first.clear()


def test_threads_read_and_write_at_once() -> None:
    big = LocalMemoryCache("test-threads", {"OPTIONS": {"MAX_ENTRIES": 100}})
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(300):
                big.set_many({f"{n}:{i}": str(i), f"{n}:{i + 1}": str(i + 1)})
                big.get_many([f"{n}:{i}", f"{n}:{i - 1}"])
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(big) <= 100
    big.clear()
