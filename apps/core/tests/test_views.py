"""Home page and error pages."""

from __future__ import annotations

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_home_for_visitors_offers_signup_and_login(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "/accounts/signup/" in html
    assert "/accounts/login/" in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("path", ["/", "/healthz", "/robots.txt"])
def test_head_is_answered_like_get(client, path):
    """Uptime checks and link checkers send HEAD; a page that answers GET answers it too."""
    response = client.head(path)
    assert response.status_code == HTTPStatus.OK
    assert response.content == b""


def test_shell_has_htmx_config_csrf_and_no_inline_script(client):
    html = client.get("/").content.decode()
    assert 'name="htmx-config"' in html
    assert '"historyRestoreAsHxRequest": false' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert 'hx-boost="true"' in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "<script>" not in html
    assert "style=" not in html
    assert 'id="toasts"' in html
    assert 'aria-live="polite"' in html


def test_home_for_members_greets_them(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    assert user.get_short_name() in html
    assert "Sign out" in html


def test_theme_cookie_is_rendered_server_side(client):
    client.cookies["kis_theme"] = "dark"
    assert '<html lang="en" data-theme="dark">' in client.get("/").content.decode()
    client.cookies["kis_theme"] = "<evil>"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_404_page_is_friendly(client):
    response = client.get("/no/such/page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "does not exist" in response.content.decode()


def test_robots_txt_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /accounts/" in response.content.decode()
    assert "max-age=86400" in response["Cache-Control"]
