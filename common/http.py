"""Request types for view signatures: what the middleware guarantees, told to the type checker.

django-htmx's typing recipe: ``request.htmx`` is set on every request by
``common.middleware.HtmxMiddleware`` (the first middleware, so even the error handlers see
it), but ``HttpRequest`` does not declare it. Annotate ``request: HtmxHttpRequest`` wherever
``request.htmx`` is read.

Views behind ``LoginRequiredMiddleware`` (every view not marked ``@login_not_required``) take
an ``AuthenticatedHttpRequest``: its ``user`` is the project's ``User``, never anonymous.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from apps.users.models import User


class HtmxHttpRequest(HttpRequest):
    """An ``HttpRequest`` that went through ``HtmxMiddleware``."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request to a login-protected view: ``user`` is a signed-in ``User``."""

    user: User
