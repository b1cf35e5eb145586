"""Helpers to run the real production stack (gunicorn + production settings) in tests."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(8300, 8400)  # this project's test servers stay in this range
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
# config.settings.production names its cookies with the __Host- prefix.
PROD_SESSION_COOKIE = "__Host-sessionid"
PROD_CSRF_COOKIE = "__Host-csrftoken"


def free_port(ports: range = PORTS) -> int:
    """Return a port in PORTS that nothing listens on."""
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports}")


def production_env(**extra: str) -> dict[str, str]:
    """Environment for config.settings.production on this machine (no TLS proxy)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "GUNICORN_", "SENTRY_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_URL": "smtp://127.0.0.1:1",
            "REDIS_URL": "",
            "SENTRY_DSN": "",
            "PYTHON": PYTHON,
        }
    )
    env.update(extra)
    return env


def manage(env: Mapping[str, str], *args: str, timeout: float = 120) -> str:
    """Run manage.py ARGS with ENV; return its stdout, fail loudly on errors."""
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


@dataclass
class Server:
    """A gunicorn process started by scripts/entrypoint; logs go to LOG."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_gunicorn(env: Mapping[str, str], log: Path, *, workers: int = 1) -> Server:
    """Start gunicorn with config/gunicorn.py on a free port and wait until /healthz answers."""
    port = free_port()
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": env.get("GUNICORN_THREADS", "4"),
        "GUNICORN_GRACEFUL_TIMEOUT": "5",
    }
    handle = log.open("wb")
    process = subprocess.Popen(
        ["timeout", "600", "scripts/entrypoint", "web"],
        cwd=ROOT,
        env=server_env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    server = Server(port=port, process=process, log=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.logs()}")
        try:
            if Client(server.url).get("/healthz").status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer:\n{server.logs()}")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


@dataclass
class Client:
    """A tiny HTTP client that acts like a browser behind the TLS proxy.

    It sends ``X-Forwarded-Proto: https`` and keeps cookies itself (they are Secure,
    which a standard cookie jar would not send over plain HTTP). No redirects followed.
    """

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 15

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        host = self.base_url.removeprefix("http://")
        conn = http.client.HTTPConnection(host, timeout=self.timeout)
        all_headers = {"X-Forwarded-Proto": "https", "Host": host, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            data = raw.read()
        finally:
            conn.close()
        for cookie in raw.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ('""', "") or "max-age=0" in cookie.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return Response(raw.status, raw.headers, data, time.perf_counter() - started)

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(
        self, path: str, data: Mapping[str, str], headers: Mapping[str, str] | None = None
    ) -> Response:
        token = self.cookies.get(PROD_CSRF_COOKIE, "")
        return self.request(
            "POST",
            path,
            body=urlencode({"csrfmiddlewaretoken": token, **data}).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{self.base_url.removeprefix('http://')}{path}",
                "X-CSRFToken": token,
                **(headers or {}),
            },
        )

    def login(self, email: str, password: str) -> Response:
        """Sign in through allauth's login form; returns the POST's response."""
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"login": email, "password": password})
        assert response.status == 302, response.text[:2000]
        return response


def create_user(env: Mapping[str, str], email: str, password: str) -> None:
    """Create a verified user in the database ENV points at."""
    code = (
        "from allauth.account.models import EmailAddress\n"
        "from django.contrib.auth import get_user_model\n"
        f"u = get_user_model().objects.create_user(email={email!r}, password={password!r})\n"
        f"EmailAddress.objects.create(user=u, email={email!r}, verified=True, primary=True)\n"
    )
    manage(env, "shell", "-c", code)


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
