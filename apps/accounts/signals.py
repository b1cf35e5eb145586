"""Signal receivers of the accounts app."""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.http import HttpRequest


def count_login_as_reauthentication(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Let a completed sign-in count as a fresh reauthentication.

    allauth asks for the password again before sensitive actions even right after
    signing in; KIS asks only when the sign-in is older than
    ACCOUNT_REAUTHENTICATION_TIMEOUT (docs/decisions/0201).
    """
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if not isinstance(records, list) or not records:
        return
    for record in records:
        if isinstance(record, dict):
            record["reauthenticated"] = True
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


DJANGO_DEFAULT_SITE_DOMAIN = "example.com"


def site_name_ensure(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Name the default Site after KIS when it still has Django's placeholder.

    Account emails say the Site's name. ``flush`` (e.g. after transactional tests)
    recreates the Site as "example.com" without re-running data migrations; an
    admin's own name for the Site is never overwritten.
    """
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.using(using).filter(
        pk=settings.SITE_ID, domain=DJANGO_DEFAULT_SITE_DOMAIN, name=DJANGO_DEFAULT_SITE_DOMAIN
    ).update(name=settings.SITE_NAME, domain=settings.SITE_DOMAIN)
