"""PostgreSQL goes away and comes back: probes, pages and recovery without a restart.

A throwaway cluster (initdb into a temp dir, a port in 15400-15499) is stopped and
started under a running gunicorn (2 workers) with production settings and the default
pool timeout: pages must fail fast anyway (docs/decisions/0306-fast-fail-outages.md).
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Iterator
from http import HTTPStatus

import pytest

from tests.pg import Cluster, find_pg_bin, make_cluster
from tests.servers import Client, Server, create_user, manage, production_env, start_gunicorn

EMAIL = "outage@example.com"
PASSWORD = "Outage-Pass-4d1e8a"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found; apt-get install postgresql"
        )
    cluster = make_cluster(bin_dir)
    try:
        cluster.createdb("kis")
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="module")
def server(
    cluster: Cluster, static_root: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    env = production_env(
        DATABASE_URL=cluster.url("kis"),
        DJANGO_STATIC_ROOT=static_root,
    )
    manage(env, "migrate", "--noinput", "-v0")
    create_user(env, EMAIL, PASSWORD)
    server = start_gunicorn(env, tmp_path_factory.mktemp("outage") / "gunicorn.log", workers=2)
    yield server
    server.stop()


def _wait_until_served(client: Client, path: str, seconds: float) -> float:
    """Return how long until PATH answers 200 three times in a row (both workers)."""
    started = time.monotonic()
    streak = 0
    while time.monotonic() - started < seconds:
        streak = streak + 1 if client.get(path).status == HTTPStatus.OK else 0
        if streak == 3:
            return time.monotonic() - started
        time.sleep(0.05)
    pytest.fail(f"{path} did not recover within {seconds}s")


def test_readyz_is_ready_on_the_first_call_of_every_fresh_worker(server: Server):
    # Runs first: no request has opened either worker's pool yet.
    client = Client(server.url)
    answers = [client.get("/readyz") for _ in range(12)]
    assert [a.status for a in answers] == [HTTPStatus.OK] * 12, [a.text for a in answers]
    assert all(json.loads(a.body)["status"] == "ok" for a in answers)


class _Load:
    """Keep THREADS clients requesting PATH until stopped (the starving-threads scenario)."""

    def __init__(self, client: Client, path: str, threads: int = 8) -> None:
        self.client, self.path, self.stopping = client, path, threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        while not self.stopping.is_set():
            Client(self.client.base_url, cookies=dict(self.client.cookies)).get(self.path)

    def __enter__(self) -> _Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=20)


def test_database_outage_and_recovery(cluster: Cluster, server: Server):
    client = Client(server.url)
    client.login(EMAIL, PASSWORD)
    assert client.get("/readyz").status == HTTPStatus.OK
    assert client.get("/").status == HTTPStatus.OK
    pid = server.process.pid

    cluster.stop()
    try:
        # The readiness probe answers within a second and names the failed check.
        # Every page answers a friendly 503 within 1.5 s, from the first one on (the
        # pool's 5 s timeout is not waited for), on both workers.
        pages = [client.get("/") for _ in range(8)]
        assert [p.status for p in pages] == [HTTPStatus.SERVICE_UNAVAILABLE] * 8
        slowest = max(p.seconds for p in pages)
        assert slowest <= 1.5, f"time to 503: {[round(p.seconds, 3) for p in pages]}"
        page = pages[-1]
        assert page.headers["Retry-After"] == "10"

        ready = client.get("/readyz")
        assert ready.status == HTTPStatus.SERVICE_UNAVAILABLE
        assert ready.seconds < 1.0, f"/readyz took {ready.seconds:.2f}s"
        body = json.loads(ready.body)
        assert body["status"] == "unavailable"
        assert "database" in body["failed"]

        # Liveness answers from the process alone, fast, while pages keep every
        # thread of both workers busy failing.
        with _Load(client, "/"):
            time.sleep(0.3)
            probes = [client.get("/healthz") for _ in range(20)]
        assert [p.status for p in probes] == [HTTPStatus.OK] * 20
        times = sorted(p.seconds for p in probes)
        print(f"healthz during DB outage: median {statistics.median(times) * 1000:.1f} ms, "
              f"max {times[-1] * 1000:.1f} ms; time to 503 max {slowest:.3f}s")  # fmt: skip
        assert statistics.median(times) < 0.05, times
        assert times[-1] < 0.25, times
        assert "briefly unavailable" in page.text
        assert "<title>Service Unavailable" in page.text
        assert "Traceback" not in page.text

        # htmx gets the small fragment whose text app.js shows as a toast.
        fragment = client.get("/", headers={"HX-Request": "true"})
        assert fragment.status == HTTPStatus.SERVICE_UNAVAILABLE
        assert fragment.text.startswith('<div role="alert"')
        assert "data-error-message" in fragment.text
        assert "briefly unavailable" in fragment.text
    finally:
        cluster.start()

    # Back within 5 s without restarting anything: pages first, then the probe.
    recovery = _wait_until_served(client, "/", 15)
    print(f"DB recovery: pages serve again {recovery:.2f}s after PostgreSQL is back")
    assert recovery <= 5.0, f"recovered after {recovery:.2f}s"
    assert client.get("/readyz").status == HTTPStatus.OK
    assert "Sign out" in client.get("/").text  # same session, same user
    assert server.process.poll() is None
    assert server.process.pid == pid

    logs = server.logs()
    assert PASSWORD not in logs
    assert '"status": 503' in logs
