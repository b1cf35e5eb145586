"""Private responses under production settings: static files keep their year-long caching."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest

from tests.conftest import PROD_EMAIL, PROD_PASSWORD
from tests.servers import Client

pytestmark = pytest.mark.usefixtures("prod_server")


def test_signed_in_pages_are_private_but_static_files_stay_immutable(prod_server):
    client = Client(prod_server.url)
    client.login(PROD_EMAIL, PROD_PASSWORD)
    page = client.get("/")
    assert page.status == HTTPStatus.OK
    assert "no-store" in page.headers["Cache-Control"]
    assert "private" in page.headers["Cache-Control"]

    css = re.search(r'href="(/static/css/dist/styles\.[0-9a-f]{12}\.css)"', page.text)
    assert css, "the stylesheet link has no content hash"
    asset = client.get(css.group(1))  # sent with the session cookie
    assert asset.status == HTTPStatus.OK
    cache_control = asset.headers["Cache-Control"]
    max_age = re.search(r"max-age=(\d+)", cache_control)
    assert max_age, cache_control
    assert int(max_age.group(1)) >= 365 * 24 * 3600
    assert "immutable" in cache_control
    assert "no-store" not in cache_control
    assert "private" not in cache_control


def test_logout_sends_clear_site_data(prod_server):
    client = Client(prod_server.url)
    client.login(PROD_EMAIL, PROD_PASSWORD)
    response = client.post("/accounts/logout/", {})
    assert response.status == HTTPStatus.FOUND
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response.headers["Cache-Control"]
