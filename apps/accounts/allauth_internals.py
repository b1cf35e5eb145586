"""The only door to django-allauth's internals (``allauth.*.internal``).

allauth's ``internal`` packages are not a public API: they may change in any release.
KIS uses public allauth APIs wherever one exists (adapters, ``allauth.account.authentication``,
``allauth.account.decorators``, ``allauth.usersessions.middleware``,
``allauth.core.exceptions``). What has no public equivalent is imported here, and only here;
every other module imports it from this one. ``apps/accounts/tests/test_allauth_internals.py``
checks each name against the installed allauth (its signature, a constant's value) and fails
with the name to look at when an upgrade changes it; it also fails when another module
imports ``allauth.*.internal`` directly.
"""

from __future__ import annotations

# A session that counts as signed in with a recent password (tests): the records list's key
# is public (``allauth.account.authentication``), the key naming whose records they are is not.
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY as AUTHENTICATION_METHODS_USER_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str

# TOTP codes computed the way allauth checks them (tests sign in with an authenticator app).
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY as TOTP_SECRET_SESSION_KEY
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

# Ending sessions (apps.accounts.services): the public USERSESSIONS_ADAPTER's ``end_sessions``
# ends them, but logging this browser out when its own session is among them (with allauth's
# "signed out" message and its login-stage cleanup) is only done by the internal flow.
from allauth.usersessions.internal.flows.sessions import end_sessions

__all__ = [
    "AUTHENTICATION_METHODS_USER_SESSION_KEY",
    "TOTP_SECRET_SESSION_KEY",
    "end_sessions",
    "format_hotp_value",
    "hotp_value",
    "user_id_to_str",
    "yield_hotp_counters_from_time",
]
