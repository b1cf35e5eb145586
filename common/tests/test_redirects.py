"""`next` as user input: only a same-site path passes, never a view name or another host."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.http import HttpResponseRedirect
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from common.redirects import NEXT_MAX, redirect_to_next, safe_next_url, safe_path

DEFAULT = "/default/"


class HtmxRequestFactory(RequestFactory):
    """Requests as the middleware hands them to views: with ``request.htmx``."""

    def generic(self, *args, **kwargs):
        request = super().generic(*args, **kwargs)
        request.htmx = HtmxDetails(request)
        return request


@pytest.fixture
def rf() -> RequestFactory:
    return HtmxRequestFactory()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/contacts/", "/contacts/"),
        ("/contacts/?q=a&sort=company", "/contacts/?q=a&sort=company"),
        ("/contacts/#row-3", "/contacts/#row-3"),
        ("/zoë/", "/zoë/"),
        ("http://testserver/contacts/?q=a", "/contacts/?q=a"),  # this host: kept as a path
    ],
)
def test_same_site_paths_pass(rf, url, expected):
    assert safe_path(rf.get("/"), url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        None,
        "abc",  # redirect("abc") would reverse it as a view name: NoReverseMatch
        "contacts:list",
        "contacts/",
        "../etc",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "https://evil.example/",
        "http://testserver.evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        " /contacts/",
        "/contacts/\x00",
        "/con\ttacts/",
        "/contacts/\r\nSet-Cookie: a=b",
        "/\ud800",
        "/" + "a" * NEXT_MAX,
    ],
)
def test_anything_else_is_refused(rf, url):
    assert safe_path(rf.get("/"), url) is None


def test_https_pages_refuse_an_http_url(rf):
    request = rf.get("/", secure=True)
    assert safe_path(request, "http://testserver/x/") is None
    assert safe_path(request, "https://testserver/x/") == "/x/"


def test_next_from_post_then_get_then_the_htmx_page(rf):
    assert safe_next_url(rf.post("/?next=/get/", {"next": "/post/"}), DEFAULT) == "/post/"
    assert safe_next_url(rf.post("/?next=/get/", {"next": "abc"}), DEFAULT) == "/get/"
    request = rf.post(
        "/",
        {"next": "abc"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/page/?q=1"},
    )
    assert safe_next_url(request, DEFAULT) == "/page/?q=1"
    assert safe_next_url(rf.post("/", {"next": "abc"}), DEFAULT) == DEFAULT


@pytest.mark.parametrize("url", ["abc", "//evil.example/", "/x/"])
def test_redirect_to_next_never_reverses(rf, url):
    response = redirect_to_next(rf.post("/", {"next": url}), DEFAULT)
    assert isinstance(response, HttpResponseRedirect)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == ("/x/" if url == "/x/" else DEFAULT)
