"""Home page, health probes and error handlers."""

from __future__ import annotations

import logging
import sys
import uuid
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache, caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from apps.core.selectors import dashboard
from common.cache import REDIS_UNAVAILABLE
from common.http import HtmxHttpRequest
from common.rendering import is_htmx_partial_request, patch_vary_htmx, render_page, vary_on_htmx

logger = logging.getLogger(__name__)


@login_not_required
@require_safe
@vary_on_htmx
def home(request: HtmxHttpRequest) -> HttpResponse:
    """Show the landing page (signed out) or the dashboard (signed in)."""
    context = {}
    if request.user.is_authenticated:
        context["dashboard"] = dashboard(user=request.user)
    return render_page(request, "core/home.html", context)


ROBOTS_TXT = """User-agent: *
Disallow: /accounts/
Disallow: /contacts/
"""


@login_not_required
@require_safe
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Tell crawlers to stay out of private areas (the smallest page through the full stack)."""
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


# ------------------------------------------------------------------------------
# Health probes
# ------------------------------------------------------------------------------
_migrations_applied = False
DEGRADED = "degraded"


@login_not_required  # answered by HealthProbeMiddleware first; public anyway
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer that the process is up; touches no database."""
    return JsonResponse({"status": "ok"})


def _pool() -> Any:
    """Return the psycopg pool behind the default connection, if it uses one."""
    if connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"].get("pool"):
        return None
    from psycopg_pool import ConnectionPool

    pool = connection.pool  # type: ignore[attr-defined]
    return pool if isinstance(pool, ConnectionPool) else None


def _check_database() -> str | None:
    timeout = float(getattr(settings, "READYZ_DATABASE_TIMEOUT", 0.5))
    try:
        pool = _pool()
        if pool is not None:
            # Borrow from the app's own pool, but wait at most TIMEOUT: a probe must
            # answer fast while the database is down. borrow() opens the pool first:
            # Django opens it only on a worker's first real connection.
            from common.db.postgresql.base import borrow, database_breaker

            conn = borrow(pool, timeout)
            try:
                conn.execute("SELECT 1").fetchone()
            finally:
                pool.putconn(conn)
            database_breaker(connection.alias).record_success()  # pages may stop failing
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("readyz: database check failed: %s", exc)
        return f"unavailable: {exc.__class__.__name__}"
    return None


def _check_cache() -> str | None:
    key = f"readyz:{uuid.uuid4().hex}"
    ping = getattr(caches["default"], "ping", None)  # common.cache.ResilientRedisCache
    if ping is not None:
        try:
            ping()
        except Exception as exc:  # noqa: BLE001
            logger.warning("readyz: cache degraded: %s", exc)
            return f"{DEGRADED}: {exc.__class__.__name__}"
    try:
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        logger.warning("readyz: cache check failed: %s", exc)
        return f"unavailable: {exc.__class__.__name__}"
    return None if ok else "unavailable: value not stored"


def _check_migrations() -> str | None:
    global _migrations_applied  # noqa: PLW0603 - once applied, they stay applied
    if _migrations_applied:
        return None
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return f"unknown: {exc.__class__.__name__}"
    if plan:
        return f"{len(plan)} unapplied"
    _migrations_applied = True
    return None


@login_not_required  # answered by HealthProbeMiddleware first; public anyway
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database, the cache and the schema are ready, else 503."""
    checks: dict[str, str | None] = {"database": _check_database(), "cache": _check_cache()}
    checks["migrations"] = (
        _check_migrations() if checks["database"] is None else "unknown: database unavailable"
    )
    failed = {
        name: problem
        for name, problem in checks.items()
        if problem and not problem.startswith(DEGRADED)
    }
    if failed:
        return JsonResponse(
            {"status": "unavailable", "failed": failed}, status=HTTPStatus.SERVICE_UNAVAILABLE
        )
    # A degraded cache still serves (from process memory, ADR 0307): stay in rotation.
    status = "degraded" if any(checks.values()) else "ok"
    return JsonResponse({"status": status, "checks": {k: v or "ok" for k, v in checks.items()}})


# ------------------------------------------------------------------------------
# Error handlers: a page for browsers, a small fragment for htmx to toast
# ------------------------------------------------------------------------------
_MESSAGES = {
    400: "The request could not be understood. Please check what you entered and try again.",
    403: "You do not have permission to do that, or the form expired. Reload and try again.",
    404: "That page or item does not exist, or it is not yours.",
    500: "Something went wrong on our side. It has been logged; please try again.",
}
_UNAVAILABLE = (
    "KIS is briefly unavailable (a service it depends on is not answering). Nothing you "
    "saved is lost; please try again in a moment."
)
# Exceptions that mean a backing service is down: a 503 page that needs no session.
_UNREACHABLE = (OperationalError, InterfaceError, *REDIS_UNAVAILABLE)


def _error(request: HtmxHttpRequest, status: int) -> HttpResponse:
    context = {
        "status": status,
        "title": HTTPStatus(status).phrase,
        "message": _MESSAGES[status],
    }
    template = "errors/fragment.html" if is_htmx_partial_request(request) else "errors/error.html"
    try:
        response = render(request, template, context, status=status)
    except Exception:
        logger.exception("error page failed to render")
        response = HttpResponse(context["message"], status=status, content_type="text/plain")
    patch_vary_htmx(response)
    return response


def bad_request(request: HtmxHttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


def permission_denied(request: HtmxHttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403)


def page_not_found(request: HtmxHttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)


def server_error(request: HtmxHttpRequest) -> HttpResponse:
    """Answer 500, or 503 when the cause is the database or Redis being unreachable."""
    if isinstance(sys.exception(), _UNREACHABLE):
        return service_unavailable(request)
    return _error(request, 500)


def service_unavailable(request: HtmxHttpRequest) -> HttpResponse:
    """Say the service is briefly unavailable, without touching the database or session."""
    context = {
        "status": 503,
        "title": "Service Unavailable",
        "message": _UNAVAILABLE,
        "site_name": settings.SITE_NAME,
    }
    template = "errors/fragment.html" if request.htmx else "errors/unavailable.html"
    try:
        # No request: the context processors would load the user and the messages.
        response = HttpResponse(render_to_string(template, context), status=503)
    except Exception:
        logger.exception("unavailable page failed to render")
        response = HttpResponse(_UNAVAILABLE, status=503, content_type="text/plain")
    response["Retry-After"] = "10"
    patch_vary_htmx(response)
    add_never_cache_headers(response)
    return response


def csrf_failure(request: HtmxHttpRequest, reason: str = "") -> HttpResponse:
    """Explain a CSRF failure (usually an expired form) instead of Django's debug page."""
    return _error(request, 403)
