"""Request ids, htmx toasts, htmx login redirects and application errors."""

from __future__ import annotations

import logging
from http import HTTPStatus

import pytest
from django.test import Client

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("common.tests.urls"),
    pytest.mark.usefixtures("test_templates"),
]

HTMX = {"HX-Request": "true"}


# -- request id ---------------------------------------------------------------------
def test_request_id_is_generated_and_returned(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32


def test_sane_incoming_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "edge-42.abc:1"})
    assert response["X-Request-ID"] == "edge-42.abc:1"


@pytest.mark.parametrize("bad", ["", "x" * 200, "has space", "<script>", "-leading", "a\u00e9"])
def test_insane_incoming_request_id_is_replaced(client, bad):
    response = client.get("/healthz", headers={"X-Request-ID": bad})
    assert response["X-Request-ID"] != bad
    assert len(response["X-Request-ID"]) == 32


def test_request_id_is_on_every_log_line_of_the_request(client, caplog):
    from common.logging import RequestIDFilter

    handler_filter = RequestIDFilter()
    caplog.handler.addFilter(handler_filter)
    with caplog.at_level(logging.INFO):
        response = client.get("/refuses/", headers={"X-Request-ID": "trace-me"})
    records = [r for r in caplog.records if r.name.startswith("common")]
    assert records, "the view logged nothing"
    assert all(r.request_id == "trace-me" for r in records)
    assert response["X-Request-ID"] == "trace-me"


# -- messages as toasts ---------------------------------------------------------------
def test_full_page_shows_messages_in_the_toast_region(client):
    html = client.get("/message/").content.decode()
    assert 'id="toasts"' in html
    assert "Saved &lt;b&gt;it&lt;/b&gt;" in html
    assert "hx-swap-oob" not in html


def test_htmx_response_carries_messages_out_of_band(client):
    html = client.get("/message/", headers=HTMX).content.decode()
    assert html.strip().startswith('<ul id="results">')
    assert 'hx-swap-oob="beforeend"' in html
    assert "Saved &lt;b&gt;it&lt;/b&gt;" in html


def test_messages_survive_an_htmx_redirect_for_the_next_page(client):
    response = client.get("/redirect/", headers=HTMX)
    assert response.status_code == HTTPStatus.FOUND
    assert "Moved" in client.get("/message/").content.decode()


# -- boosted form posts ---------------------------------------------------------------
BOOSTED = {**HTMX, "HX-Boosted": "true"}


def test_boosted_post_that_rerenders_replaces_the_history_entry(client):
    response = client.post("/message/?step=2", headers=BOOSTED)
    assert response["HX-Replace-Url"] == "/message/?step=2"


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("post", "/redirect/", BOOSTED),  # success: htmx pushes where the redirect leads
        ("get", "/message/", BOOSTED),  # a boosted link: a new entry, as a link makes
        ("post", "/message/", HTMX),  # a partial: no history involved
        ("post", "/message/", {}),
    ],
)
def test_other_responses_leave_history_to_htmx(client, method, path, headers):
    response = getattr(client, method)(path, headers=headers)
    assert "HX-Replace-Url" not in response


# -- session expiry -------------------------------------------------------------------
def test_plain_request_to_private_page_redirects_to_login(client):
    response = client.get("/private/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")


def test_htmx_request_gets_a_client_redirect_to_login_with_the_current_page(client):
    response = client.get(
        "/private/", headers={**HTMX, "HX-Current-URL": "http://testserver/contacts/?q=a"}
    )
    assert response.status_code == HTTPStatus.OK
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fcontacts%2F%3Fq%3Da"
    assert response.content == b""


@pytest.mark.parametrize("current", ["http://[", "http://[::1", "https://testserver]:x/"])
def test_unparseable_current_url_is_ignored_not_a_500(current):
    # urlsplit raises ValueError for these; request.htmx reads them as no current page.
    response = Client(raise_request_exception=False).get(
        "/private/", headers={**HTMX, "HX-Current-URL": current}
    )
    assert response.status_code == HTTPStatus.OK
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fprivate%2F"


# -- errors -----------------------------------------------------------------------------
def test_application_error_full_page(client):
    response = client.get("/refuses/")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "That name is already taken." in response.content.decode()
    assert "<html" in response.content.decode()


def test_application_error_htmx_fragment(client):
    response = client.get("/conflicts/", headers=HTMX)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.CONFLICT
    assert "data-error-message" in html
    assert "Someone else changed it." in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/missing/", HTTPStatus.NOT_FOUND, "does not exist"),
        ("/crashes/", HTTPStatus.INTERNAL_SERVER_ERROR, "Something went wrong"),
    ],
)
def test_htmx_errors_are_readable_fragments(path, status, text):
    response = Client(raise_request_exception=False).get(path, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == status
    assert "data-error-message" in html
    assert text in html
    assert "<html" not in html


def test_500_full_page():
    client = Client(raise_request_exception=False)
    response = client.get("/crashes/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "<html" in response.content.decode()


def test_csrf_failure_is_a_readable_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@b.c", "password": "x"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "form expired" in response.content.decode()
