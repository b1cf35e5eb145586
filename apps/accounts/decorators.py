"""View decorators of the accounts app."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from django.http.response import HttpResponseBase
from django_htmx.http import HttpResponseClientRedirect

from common.http import AuthenticatedHttpRequest
from common.rendering import is_htmx_partial_request

View = Callable[..., HttpResponseBase]


def fresh_login_required(view: View) -> View:
    """Ask for the password (or a code) again when the last sign-in is not recent.

    A full page request is suspended and resumed by allauth after reauthenticating.
    An htmx fragment request gets a client redirect to the reauthentication page,
    which then returns to the page the user was on.
    """
    guarded: View = reauthentication_required(view)

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not (is_htmx_partial_request(request) and request.user.is_authenticated):
            return guarded(request, *args, **kwargs)  # allauth's middleware handles the raise
        try:
            return guarded(request, *args, **kwargs)
        except ReauthenticationRequired:
            methods = get_adapter().get_reauthentication_methods(request.user)
            current = request.htmx.current_url_abs_path or "/"
            return HttpResponseClientRedirect(f"{methods[0]['url']}?{urlencode({'next': current})}")

    return wrapper
