"""Account emails that cannot be sent: undo the request and say "try again", never a 500."""

from __future__ import annotations

import functools
from collections.abc import Callable
from http import HTTPStatus
from importlib import import_module
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, URLResolver, include

from apps.accounts.adapter import MAIL_NOT_SENT, MailNotSentError

View = Callable[..., HttpResponse]


def mail_failure_safe(view: View) -> View:
    """Run VIEW in a transaction; when its email cannot be sent, undo everything it did.

    allauth sends after it has created rows (the new user at signup, an address to
    verify) and stored flow state in the session. On MailNotSentError the rows are
    rolled back, the session restored, and the user goes back to the same page, which
    shows "We could not send the email right now...".
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = getattr(request, "session", None)
        saved = dict(session.items()) if session is not None else {}
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except MailNotSentError:
            if session is not None:
                session.clear()
                session.update(saved)
            messages.error(request, MAIL_NOT_SENT)
            return HttpResponseRedirect(request.get_full_path(), status=HTTPStatus.SEE_OTHER)

    return wrapper


def _wrap(patterns: list[URLPattern | URLResolver]) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _wrap(pattern.url_patterns)
        elif not getattr(pattern.callback, "_kis_mail_failure_safe", False):
            pattern.callback = mail_failure_safe(pattern.callback)
            pattern.callback._kis_mail_failure_safe = True  # type: ignore[attr-defined]


def include_mail_failure_safe(module: str) -> tuple[Any, str | None, str | None]:
    """``include(MODULE)`` with every view wrapped in ``mail_failure_safe``."""
    _wrap(list(import_module(module).urlpatterns))
    return include(module)
