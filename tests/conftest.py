"""Fixtures for the integration tests that run the real production stack."""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator

import pytest

from tests.servers import ROOT, Server, create_user, manage, production_env, start_gunicorn

REDIS_URL = "redis://127.0.0.1:6379/5"  # a DB number of its own on the shared Redis
PROD_EMAIL = "prod.user@example.com"
PROD_PASSWORD = "Unguessable-Pass-7f3c9e1b"  # must never show up in logs


def redis_client() -> object:
    """Return a client for the test Redis DB, or skip when no Redis server answers."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.skip(f"Redis is not running at {REDIS_URL} ({exc}); start redis-server")
    return client


@pytest.fixture(scope="session")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> str:
    """STATIC_ROOT filled by scripts/collectstatic (hashed, gzip + brotli), as in the image."""
    root = tmp_path_factory.mktemp("static")
    env = production_env(DJANGO_STATIC_ROOT=str(root), DATABASE_URL="sqlite:///unused.sqlite3")
    done = subprocess.run(
        ["scripts/collectstatic"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (root / "staticfiles.json").exists()
    return str(root)


@pytest.fixture(scope="module")
def prod_env(tmp_path_factory: pytest.TempPathFactory, static_root: str) -> dict[str, str]:
    """Production settings on a migrated SQLite file, Redis cache, collected static files."""
    redis_client()
    tmp = tmp_path_factory.mktemp("prod")
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=static_root,
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"kis-test-{secrets.token_hex(4)}",
        DJANGO_LOG_LEVEL="DEBUG",
    )
    manage(env, "migrate", "--noinput", "-v0")
    create_user(env, PROD_EMAIL, PROD_PASSWORD)
    return env


@pytest.fixture(scope="module")
def prod_server(
    prod_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """gunicorn (2 workers) serving production settings; its log is the server's stdout."""
    log = tmp_path_factory.mktemp("prod-log") / "gunicorn.log"
    server = start_gunicorn(prod_env, log, workers=2)
    yield server
    server.stop()
    keys = redis_client().keys(f"{prod_env['CACHE_KEY_PREFIX']}:*")
    if keys:
        redis_client().delete(*keys)
