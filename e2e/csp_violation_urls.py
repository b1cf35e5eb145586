"""URLs for e2e/test_csp.py only: the app's URLs plus pages that break the CSP on purpose."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

_PAGES = {
    "inline-script": "<script>document.title = 'inline ran';</script>",
    "inline-style": '<p style="color: red">styled inline</p>',
    "style-block": "<style>p { color: red; }</style><p>styled by a block</p>",
    "eval": "",  # filled below: a nonce'd script that calls eval()
}


@login_not_required
def violating_page(request: HttpRequest, kind: str) -> HttpResponse:
    """Return a page that violates the CSP in the way KIND names."""
    body = _PAGES[kind]
    if kind == "eval":
        nonce = get_nonce(request)
        body = f'<script nonce="{nonce}">try {{ eval("1 + 1"); }} catch (e) {{}}</script>'
    return HttpResponse(f"<!DOCTYPE html><html lang='en'><title>CSP</title>{body}</html>")


urlpatterns = [
    path("csp-violation/<str:kind>/", violating_page),
    *app_urlpatterns,
]
