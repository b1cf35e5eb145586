"""The container path without a Docker engine: Dockerfile, compose file, scripts, gunicorn."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.servers import GUNICORN, PYTHON, ROOT, manage, production_env

DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_dockerfile_builds_css_in_node_and_runs_as_non_root_python():
    stages = re.findall(r"^FROM (\S+) AS (\w+)", DOCKERFILE, re.MULTILINE)
    assert stages[0][0].startswith("node:20")
    assert any(image == "python:3.13-slim" for image, _ in stages)
    assert "RUN scripts/build-css" in DOCKERFILE
    assert "pip install -r /tmp/requirements/prod.txt" in DOCKERFILE
    assert "RUN scripts/collectstatic" in DOCKERFILE
    runtime = DOCKERFILE[DOCKERFILE.rindex("\nFROM ") :]
    assert re.search(r"^USER kis$", runtime, re.MULTILINE)
    assert "HEALTHCHECK" in runtime
    assert "/healthz" in runtime
    assert 'ENTRYPOINT ["scripts/entrypoint"]' in runtime
    assert 'CMD ["web"]' in runtime
    for script in ("build-css", "collectstatic", "entrypoint"):
        assert (ROOT / "scripts" / script).stat().st_mode & 0o111, (
            f"scripts/{script} not executable"
        )


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".venv", ".git", "db.sqlite3*", "theme/static_src/node_modules/"):
        assert entry in ignored


def test_compose_stack_has_every_service_with_health_gated_startup():
    services = COMPOSE["services"]
    assert set(services) >= {"web", "worker", "db", "cache", "mail", "migrate"}
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    assert services["worker"]["command"] == ["worker"]
    for name in ("web", "worker"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert needs["db"]["condition"] == "service_healthy"
        assert needs["cache"]["condition"] == "service_healthy"
        env = services[name]["environment"]
        assert env["DATABASE_URL"].endswith("@db:5432/kis")
        assert env["REDIS_URL"] == "redis://cache:6379/0"
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert services["db"]["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert any(v.startswith("pgdata:") for v in services["db"]["volumes"])
    assert services["cache"]["image"].startswith("redis:")
    assert services["mail"]["image"].startswith("axllent/mailpit")


def _compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, check=False
        )
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_config_is_valid():
    command = _compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed")
    path = {"PATH": "/usr/bin:/bin:/usr/local/bin"}

    def config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "-f", "docker-compose.yml", "config", "-q"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    done = config({**path, "DJANGO_SECRET_KEY": "x" * 50})
    assert done.returncode == 0, done.stderr
    # Refuses to start without a secret key instead of running with an empty one.
    done = config(path)
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY" in done.stderr


def test_entrypoint_migrate_and_worker_run_with_production_settings(tmp_path: Path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    for args in (["migrate"], ["worker", "--batch", "--no-startup-delay"]):
        done = subprocess.run(
            ["scripts/entrypoint", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    assert "No migrations to apply" in manage(env, "migrate", "--noinput")


def test_gunicorn_config_reads_the_environment():
    env = production_env(
        DATABASE_URL="sqlite:///unused.sqlite3",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="5",
        GUNICORN_TIMEOUT="17",
        GUNICORN_GRACEFUL_TIMEOUT="23",
    )
    code = (
        "import runpy; c = runpy.run_path('config/gunicorn.py'); "
        "print(c['workers'], c['threads'], c['timeout'], c['graceful_timeout'], "
        "c['worker_class'], c['control_socket_disable'])"
    )
    done = subprocess.run(
        [PYTHON, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["3", "5", "17", "23", "gthread", "True"]
    check = subprocess.run(
        [
            GUNICORN,
            "--check-config",
            "--config",
            "config/gunicorn.py",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
