"""Fast failure and degraded service: breaker, 503s, headers on every response, one log line."""

from __future__ import annotations

import importlib
import time
from http import HTTPStatus
from typing import Any, cast
from unittest import mock

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails
from redis.exceptions import ConnectionError as RedisConnectionError

from apps.core import views
from common.circuit import CircuitBreaker
from common.http import HtmxHttpRequest


def test_breaker_fails_fast_then_lets_one_probe_through_per_interval():
    breaker = CircuitBreaker("thing", retry_after=0.2)
    assert breaker.allow()
    breaker.record_failure(OSError("down"))
    assert breaker.is_open
    assert not breaker.allow()
    time.sleep(0.25)
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # only one per interval
    assert breaker.record_success() is True
    assert breaker.allow()
    assert breaker.record_success() is False


def test_a_redis_error_is_a_503_that_needs_no_session():
    request = cast("HtmxHttpRequest", RequestFactory().get("/"))
    request.htmx = HtmxDetails(request)  # as HtmxMiddleware, the first middleware, sets it
    try:
        raise RedisConnectionError("Connection refused")
    except RedisConnectionError:
        response = views.server_error(request)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "10"
    assert b"briefly unavailable" in response.content


@pytest.mark.parametrize("secure", [True, False])
def test_a_bad_host_400_carries_the_security_headers(client, settings, secure):
    settings.SECURE_SSL_REDIRECT = not secure
    response = client.get("/", HTTP_HOST="evil.example", secure=secure)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_gunicorn_access_log_is_off_unless_asked(monkeypatch):
    monkeypatch.delenv("GUNICORN_ACCESS_LOG", raising=False)
    import config.gunicorn as conf

    conf = importlib.reload(conf)
    loggers: Any = conf.logconfig_dict["loggers"]
    assert loggers["gunicorn.access"]["handlers"] == []  # kis.access is the one line
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "-")
    conf = importlib.reload(conf)
    loggers = conf.logconfig_dict["loggers"]
    assert loggers["gunicorn.access"]["handlers"] == ["access"]


@pytest.mark.django_db
def test_readyz_stays_ready_while_the_cache_is_degraded(client):
    fake = mock.Mock(ping=mock.Mock(side_effect=RedisConnectionError("refused")))
    with mock.patch.object(views, "caches", {"default": fake}):
        response = client.get("/readyz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "degraded: ConnectionError", "migrations": "ok"},
    }
