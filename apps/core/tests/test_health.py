"""Health probes: /healthz (process up) and /readyz (dependencies ready)."""

from __future__ import annotations

from http import HTTPStatus
from unittest import mock

import pytest

from apps.core import views


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any database access in the view would raise here.
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_ok_when_everything_answers(client):
    response = client.get("/readyz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }


@pytest.mark.django_db
def test_readyz_503_names_the_database(client):
    with mock.patch.object(views, "connection") as conn:
        conn.cursor.side_effect = views.DatabaseError("down")
        response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"]["database"] == "unavailable: DatabaseError"
    assert "migrations" in body["failed"]


@pytest.mark.django_db
def test_readyz_503_names_the_cache(client):
    with mock.patch.object(views.cache, "set", side_effect=ConnectionError("no redis")):
        response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["failed"] == {"cache": "unavailable: ConnectionError"}


@pytest.mark.django_db
def test_readyz_503_when_migrations_are_missing(client, monkeypatch):
    monkeypatch.setattr(views, "_migrations_applied", False)
    with mock.patch.object(views.MigrationExecutor, "migration_plan", return_value=[object()]):
        response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["failed"] == {"migrations": "1 unapplied"}


def test_health_probes_are_get_only(client):
    assert client.post("/healthz").status_code == HTTPStatus.METHOD_NOT_ALLOWED
