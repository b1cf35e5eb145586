"""One URL, one view, two renders: the full page, or a named partial of it for htmx."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx_partial_request(request: HttpRequest) -> bool:
    """Return True when htmx asks for a fragment (not a boosted page navigation)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted  # type: ignore[union-attr]


def render_page(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render TEMPLATE_NAME, or only its ``{% partialdef PARTIAL %}`` for htmx requests.

    Boosted navigation gets the full page. The response always varies on
    ``HX-Request`` so a cache never serves a fragment as a page or vice versa.
    """
    if partial and is_htmx_partial_request(request):
        template_name = f"{template_name}#{partial}"
    response = render(request, template_name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
