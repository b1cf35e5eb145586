"""View decorators of the accounts app."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.reauthentication import is_reauthentication_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django_htmx.http import HttpResponseClientRedirect

from common.rendering import is_htmx_partial_request

View = Callable[..., HttpResponseBase]


def fresh_login_required(view: View) -> View:
    """Ask for the password (or a code) again when the last sign-in is not recent.

    A full page request is suspended and resumed by allauth after reauthenticating.
    An htmx fragment request gets a client redirect to the reauthentication page,
    which then returns to the page the user was on.
    """
    guarded = reauthentication_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            is_htmx_partial_request(request)
            and request.user.is_authenticated
            and is_reauthentication_required(request, app="")
        ):
            methods = get_adapter().get_reauthentication_methods(request.user)
            current = request.htmx.current_url_abs_path or "/"  # type: ignore[attr-defined]
            return HttpResponseClientRedirect(f"{methods[0]['url']}?{urlencode({'next': current})}")
        return guarded(request, *args, **kwargs)

    return wrapper
