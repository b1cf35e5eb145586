"""Redis goes away and comes back: signed-in pages, login and recovery without a restart.

A throwaway redis-server (no persistence, a port in 16300-16399) is stopped, restarted,
frozen and thawed under a running gunicorn (2 workers) with production settings. While it
is down the app serves from process memory (docs/decisions/0307-redis-outage-degrades.md).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from http import HTTPStatus

import pytest

from tests.redis_server import RedisServer, find_redis_server
from tests.servers import (
    PROD_SESSION_COOKIE,
    Client,
    Server,
    create_user,
    manage,
    production_env,
    start_gunicorn,
)

EMAIL = "redis.outage@example.com"
PASSWORD = "Redis-Outage-Pass-93ac1f"


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    binary = find_redis_server()
    if binary is None:
        pytest.skip("redis-server not found; apt-get install redis-server")
    server = RedisServer(binary)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(
    redis_server: RedisServer, static_root: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("redis-outage")
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=static_root,
        REDIS_URL=redis_server.url,
    )
    manage(env, "migrate", "--noinput", "-v0")
    create_user(env, EMAIL, PASSWORD)
    server = start_gunicorn(env, tmp / "gunicorn.log", workers=2)
    yield server
    server.stop()


def _signed_in(client: Client) -> bool:
    page = client.get("/")
    assert page.status == HTTPStatus.OK, page.status
    return "Sign out" in page.text


def _wait_until_ready(client: Client, seconds: float) -> float:
    """Return how long until /readyz says ok (not degraded) three times in a row."""
    started, streak = time.monotonic(), 0
    while time.monotonic() - started < seconds:
        ready = client.get("/readyz")
        ok = ready.status == HTTPStatus.OK and json.loads(ready.body)["status"] == "ok"
        streak = streak + 1 if ok else 0
        if streak == 3:
            return time.monotonic() - started
        time.sleep(0.05)
    pytest.fail(f"/readyz did not recover within {seconds}s")


def test_redis_down_degrades_and_recovers(redis_server: RedisServer, server: Server):
    client = Client(server.url)
    client.login(EMAIL, PASSWORD)
    assert _signed_in(client)
    pid = server.process.pid

    redis_server.stop()
    try:
        # Signed-in pages still answer, fast: the session is read from the database.
        pages = [client.get("/") for _ in range(8)]
        assert [p.status for p in pages] == [HTTPStatus.OK] * 8
        assert all("Sign out" in p.text for p in pages)
        slowest = max(p.seconds for p in pages)
        assert slowest <= 1.5, [round(p.seconds, 3) for p in pages]

        # Signing in works too (rate limits count in process memory meanwhile).
        other = Client(server.url)
        login = other.login(EMAIL, PASSWORD)
        assert login.seconds < 3.0  # password hashing, not Redis, dominates
        assert _signed_in(other)

        # The probes: alive, and ready but degraded (the app serves without Redis).
        probes = [client.get("/healthz") for _ in range(10)]
        assert [p.status for p in probes] == [HTTPStatus.OK] * 10
        times = sorted(p.seconds for p in probes)
        assert statistics.median(times) < 0.05, times
        assert times[-1] < 0.25, times
        ready = client.get("/readyz")
        assert ready.status == HTTPStatus.OK
        body = json.loads(ready.body)
        assert body["status"] == "degraded"
        assert body["checks"]["cache"].startswith("degraded")
        print(
            f"Redis down: pages max {slowest:.3f}s, login {login.seconds:.3f}s, healthz median "
            f"{statistics.median(times) * 1000:.1f} ms max {times[-1] * 1000:.1f} ms"
        )
    finally:
        redis_server.start()

    recovery = _wait_until_ready(client, 15)
    print(f"Redis recovery: /readyz ok {recovery:.2f}s after redis-server is back")
    assert recovery <= 5.0
    assert _signed_in(client)
    assert _signed_in(other)
    assert server.process.pid == pid
    assert server.process.poll() is None
    assert '"status": 500' not in server.logs()


def test_a_hung_redis_fails_fast_and_a_logout_meanwhile_sticks(
    redis_server: RedisServer, server: Server
):
    client = Client(server.url)
    client.login(EMAIL, PASSWORD)
    assert _signed_in(client)  # the session is now cached in Redis
    stolen = client.cookies[PROD_SESSION_COOKIE]

    redis_server.freeze()  # connections hang: each try costs the 1 s socket timeout
    try:
        pages = [client.get("/") for _ in range(6)]
        assert [p.status for p in pages] == [HTTPStatus.OK] * 6
        assert max(p.seconds for p in pages) <= 1.5, [round(p.seconds, 3) for p in pages]
        logout = client.post("/accounts/logout/", {})
        assert logout.status == HTTPStatus.FOUND
        assert logout.seconds <= 1.5
    finally:
        redis_server.thaw()

    # Redis still holds the signed-in session it cached before; it must not come back.
    _wait_until_ready(client, 15)
    thief = Client(server.url, cookies={PROD_SESSION_COOKIE: stolen})
    for _ in range(4):  # both workers
        assert not _signed_in(thief)
