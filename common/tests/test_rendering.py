"""The page-or-partial helper."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from common.rendering import is_htmx_partial_request, render_page

pytestmark = pytest.mark.usefixtures("test_templates")


def _request(rf: RequestFactory, **headers: str):
    request = rf.get("/things/", headers=headers)
    request.htmx = HtmxDetails(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def test_full_page_for_a_plain_request(rf):
    response = render_page(
        _request(rf), "tests/partial_page.html", {"items": ["a"]}, partial="results"
    )
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "<h1>Full page</h1>" in html
    assert '<ul id="results"><li>a</li></ul>' in html
    assert "<html" in html
    assert "HX-Request" in response["Vary"]


def test_only_the_partial_for_htmx(rf):
    request = _request(rf, HX_Request="true")
    response = render_page(request, "tests/partial_page.html", {"items": ["a"]}, partial="results")
    html = response.content.decode().strip()
    assert html == '<ul id="results"><li>a</li></ul>'
    assert "HX-Request" in response["Vary"]


def test_boosted_navigation_gets_the_full_page(rf):
    request = _request(rf, HX_Request="true", HX_Boosted="true")
    response = render_page(request, "tests/partial_page.html", {"items": []}, partial="results")
    assert "<h1>Full page</h1>" in response.content.decode()
    # Both requests send HX-Request: only HX-Boosted tells a cache the page from the fragment.
    assert {"HX-Request", "HX-Boosted"} <= {h.strip() for h in response["Vary"].split(",")}


def test_status_is_passed_through(rf):
    request = _request(rf, HX_Request="true")
    response = render_page(
        request, "tests/partial_page.html", {"items": []}, partial="results", status=422
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_CONTENT


def test_a_request_that_skipped_the_middleware_is_not_a_partial_request(rf):
    # runserver answers a missing static file with the 404 view without any middleware;
    # the error view asks whether to render a fragment and must not crash (a 500).
    request = rf.get("/static/missing.js", HTTP_HX_REQUEST="true")
    assert not hasattr(request, "htmx")
    assert is_htmx_partial_request(request) is False
