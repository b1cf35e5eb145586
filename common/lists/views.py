"""The generic list and count views: parse the URL state, call the selectors, render.

Like every view, they need a signed-in user (LoginRequiredMiddleware); the selectors scope
every query to ``request.user``, so a user only ever lists their own objects.

Each view is one URL answering with the full page or the partial htmx asked for; the URL
(``?q=&sort=&cursor=``) is the whole state, so reload, back and links restore it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from common.exceptions import ApplicationError
from common.http import AuthenticatedHttpRequest
from common.lists import selectors
from common.lists.config import OwnedList
from common.pagination import InvalidCursor
from common.rendering import is_htmx_partial_request, render_page, vary_on_htmx
from common.text import strip_control_chars

type View = Callable[[AuthenticatedHttpRequest], HttpResponse]


def list_view(*, config: type[OwnedList]) -> View:
    """Return the view that lists, searches, sorts and pages through CONFIG's objects."""

    @require_safe
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest) -> HttpResponse:
        q = selectors.normalise_query(config=config, query=request.GET.get("q"))
        raw_q = strip_control_chars(request.GET.get("q", ""))[: config.search_max]
        sort = selectors.normalise_sort(config=config, sort=request.GET.get("sort"))
        cursor = request.GET.get("cursor") or None
        try:
            page = selectors.list_page(
                config=config, owner=request.user, query=q, sort=sort, cursor=cursor
            )
        except InvalidCursor:
            if is_htmx_partial_request(request):
                raise ApplicationError(config.invalid_cursor_message) from None
            return redirect(config.list_url(q=raw_q, sort=sort))
        next_url = config.list_url(q=raw_q, sort=sort, cursor=page.next_cursor)
        context = {
            "page": page,
            "q": raw_q,
            "sort": sort,
            "cursor": cursor,
            "next_url": next_url if page.has_next else "",
            "config": config,
        }
        if not (cursor and is_htmx_partial_request(request)):
            # The results and the page around them (load-more's rows need none of it).
            context |= {
                "sorts": [
                    {
                        "key": key,
                        "label": label,
                        "url": config.list_url(q=raw_q, sort=key),
                        "active": key == sort,
                    }
                    for key, (label, _ordering) in config.sorts.items()
                ],
                "start_url": config.list_url(q=raw_q, sort=sort),
                "count_url": config.count_url(q=raw_q),
                **config.get_extra_context(request),
            }
        partial = config.rows_partial if cursor else config.results_partial
        return render_page(request, config.template_name, context, partial=partial)

    view.__doc__ = f"List, search, sort and page through {config.__qualname__}."
    view.__module__ = config.__module__  # resolve() and error reports name the declaration
    view.__qualname__ = view.__name__ = f"{config.__qualname__}.list_view"
    return view


def count_view(*, config: type[OwnedList]) -> View:
    """Return the view that counts CONFIG's objects matching ``q`` (loaded lazily)."""
    template_name = config.count_template_name
    if not template_name:
        raise ValueError(f"{config.__qualname__} declares no count_template_name.")

    @require_safe
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest) -> HttpResponse:
        q = strip_control_chars(request.GET.get("q", ""))
        limit = config.count_limit
        count = selectors.list_count(config=config, owner=request.user, query=q, limit=limit)
        context = {
            "count": count,
            # LIMIT + 1 is where counting stopped; a tallied count above that is exact.
            "count_over": limit is not None and count == limit + 1,
            "count_limit": limit,
            "q": q,
            "config": config,
            "list_url": config.list_url(q=q),
        }
        return render_page(request, template_name, context, partial=config.count_partial)

    view.__doc__ = f"Count {config.__qualname__} matching q."
    view.__module__ = config.__module__
    view.__qualname__ = view.__name__ = f"{config.__qualname__}.count_view"
    return view
