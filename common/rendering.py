"""One URL, one view, two renders: the full page, or a named partial of it for htmx."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.vary import vary_on_headers

from common.http import HtmxHttpRequest

# The request headers that choose between a page and a partial (see is_htmx_partial_request):
# a response that depends on them must vary on both, or a cache could serve a fragment for a
# boosted navigation (both send HX-Request) or a page for a fragment.
HTMX_VARY = ("HX-Request", "HX-Boosted")

vary_on_htmx = vary_on_headers(*HTMX_VARY)
"""Decorate a view whose response depends on whether htmx asked for a partial."""


def patch_vary_htmx(response: HttpResponse) -> None:
    """Add the htmx request headers to RESPONSE's ``Vary``."""
    patch_vary_headers(response, HTMX_VARY)


def is_htmx_partial_request(request: HtmxHttpRequest) -> bool:
    """Return True when htmx asks for a fragment (not a boosted page navigation).

    A request that never went through the middleware (an error page for a missing static
    file under ``runserver``) has no ``htmx`` attribute: it is not a partial request.
    """
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted


def render_page(
    request: HtmxHttpRequest,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render TEMPLATE_NAME, or only its ``{% partialdef PARTIAL %}`` for htmx requests.

    Boosted navigation gets the full page. The response always varies on
    ``HX-Request`` and ``HX-Boosted`` so a cache never serves a fragment as a page or vice versa.
    """
    if partial and is_htmx_partial_request(request):
        template_name = f"{template_name}#{partial}"
    response = render(request, template_name, context, status=status)
    patch_vary_htmx(response)
    return response
