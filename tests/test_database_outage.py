"""PostgreSQL goes away and comes back: probes, pages and recovery without a restart.

A throwaway cluster (initdb into a temp dir, a port in 54300-54399) is stopped and
started under a running gunicorn with production settings.
"""

from __future__ import annotations

import json
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
        DATABASE_POOL_TIMEOUT="2",
        DATABASE_CONNECT_TIMEOUT="1",
        DJANGO_STATIC_ROOT=static_root,
    )
    manage(env, "migrate", "--noinput", "-v0")
    create_user(env, EMAIL, PASSWORD)
    server = start_gunicorn(env, tmp_path_factory.mktemp("outage") / "gunicorn.log")
    yield server
    server.stop()


def _wait_until_ready(client: Client, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if client.get("/readyz").status == HTTPStatus.OK:
            return time.monotonic() - started
        time.sleep(0.2)
    pytest.fail(f"/readyz did not recover within {seconds}s")


def test_database_outage_and_recovery(cluster: Cluster, server: Server):
    client = Client(server.url)
    client.login(EMAIL, PASSWORD)
    assert client.get("/readyz").status == HTTPStatus.OK
    assert client.get("/").status == HTTPStatus.OK
    pid = server.process.pid

    cluster.stop()
    try:
        # The readiness probe answers within a second and names the failed check.
        ready = client.get("/readyz")
        assert ready.status == HTTPStatus.SERVICE_UNAVAILABLE
        assert ready.seconds < 1.0, f"/readyz took {ready.seconds:.2f}s"
        body = json.loads(ready.body)
        assert body["status"] == "unavailable"
        assert "database" in body["failed"]
        # Liveness does not depend on the database: the process must not be restarted.
        assert client.get("/healthz").status == HTTPStatus.OK

        # A page answers a friendly 503, fast, without touching the database again.
        page = client.get("/")
        assert page.status == HTTPStatus.SERVICE_UNAVAILABLE
        assert page.seconds < 5.0
        assert page.headers["Retry-After"] == "10"
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

    # Back without restarting anything: the pool reconnects on its own.
    recovery = _wait_until_ready(client, 15)
    assert client.get("/").status == HTTPStatus.OK  # same session, same user
    assert server.process.poll() is None
    assert server.process.pid == pid
    assert recovery < 15

    logs = server.logs()
    assert PASSWORD not in logs
    assert '"status": 503' in logs
