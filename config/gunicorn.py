"""gunicorn configuration: every knob from the environment (see docs/deployment.md).

Start with ``gunicorn --config config/gunicorn.py --no-control-socket config.wsgi``
(scripts/entrypoint does).
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Threads per worker serve concurrent requests; the psycopg pool is per process, so keep
# DATABASE_POOL_MAX_SIZE >= GUNICORN_THREADS.
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (jittered so they do not all restart together).
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# The proxy in front (TLS) sets X-Forwarded-*; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Heartbeat files; point at a tmpfs (e.g. /dev/shm) when /tmp is a slow disk.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
# No control socket: nothing uses it, and it would need a writable home directory.
control_socket_disable = True
preload_app = os.environ.get("GUNICORN_PRELOAD", "false").lower() == "true"

# The app writes one JSON access line per request with the user id and request id
# (common.middleware.AccessLogMiddleware). gunicorn's own access log is off unless
# GUNICORN_ACCESS_LOG is set ("-" = stdout); it is JSON too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s", "user_agent": "%(a)s"}'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "common.logging.JSONFormatter"}},
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
        },
        "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False},
        # With a logconfig_dict gunicorn always writes its access log: keep it quiet
        # unless asked for, or every request is logged twice.
        "gunicorn.access": {
            "handlers": ["access"] if accesslog else [],
            "level": "INFO" if accesslog else "CRITICAL",
            "propagate": False,
        },
    },
}
