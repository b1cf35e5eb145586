"""Signal receivers of the accounts app."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
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
