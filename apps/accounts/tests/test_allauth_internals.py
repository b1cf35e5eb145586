"""The allauth internals KIS relies on still exist and still look the same.

allauth's ``internal`` packages may change in any release. Every use of them goes through
``apps.accounts.allauth_internals``; these tests pin what that module takes from allauth, so an
upgrade that moves, renames or changes one fails here, naming it, instead of somewhere deep in
a flow. When one fails: read allauth's changelog for that name, adapt
``apps/accounts/allauth_internals.py`` (or switch to a public API if one appeared) and the
expectation below.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import allauth
import pytest

from apps.accounts import allauth_internals

ROOT = Path(__file__).resolve().parents[3]

# name in apps.accounts.allauth_internals -> (allauth module, attribute, parameter names)
FUNCTIONS: dict[str, tuple[str, str, list[str]]] = {
    "end_sessions": (
        "allauth.usersessions.internal.flows.sessions",
        "end_sessions",
        ["request", "sessions"],
    ),
    "user_id_to_str": ("allauth.account.internal.userkit", "user_id_to_str", ["user"]),
    "hotp_value": ("allauth.mfa.totp.internal.auth", "hotp_value", ["secret", "counter"]),
    "format_hotp_value": ("allauth.mfa.totp.internal.auth", "format_hotp_value", ["value"]),
    "yield_hotp_counters_from_time": (
        "allauth.mfa.totp.internal.auth",
        "yield_hotp_counters_from_time",
        [],
    ),
}

# name in apps.accounts.allauth_internals -> (allauth module, attribute, value)
CONSTANTS: dict[str, tuple[str, str, str]] = {
    "AUTHENTICATION_METHODS_USER_SESSION_KEY": (
        "allauth.account.internal.flows.login",
        "_AUTHENTICATION_METHODS_USER_SESSION_KEY",
        "account_authentication_methods_user",
    ),
    "TOTP_SECRET_SESSION_KEY": (
        "allauth.mfa.totp.internal.auth",
        "SECRET_SESSION_KEY",
        "mfa.totp.secret",
    ),
}


def _allauth_attribute(name: str, module: str, attribute: str) -> Any:
    where = f"{module}.{attribute}"
    try:
        found = importlib.import_module(module)
    except ImportError as exc:
        pytest.fail(
            f"allauth {allauth.__version__} has no module {module} (KIS's {name} comes "
            f"from {where}): {exc}. Adapt apps/accounts/allauth_internals.py."
        )
    if not hasattr(found, attribute):
        pytest.fail(
            f"allauth {allauth.__version__} has no {where} (KIS's {name}). "
            "Adapt apps/accounts/allauth_internals.py."
        )
    return getattr(found, attribute)


def test_exports_are_exactly_the_checked_names() -> None:
    assert sorted(allauth_internals.__all__) == sorted([*FUNCTIONS, *CONSTANTS]), (
        "apps.accounts.allauth_internals exports a name this test does not check (or the "
        "reverse): add its expectation to FUNCTIONS or CONSTANTS here."
    )


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_still_exists_with_the_same_parameters(name: str) -> None:
    module, attribute, parameters = FUNCTIONS[name]
    function = _allauth_attribute(name, module, attribute)
    assert callable(function), f"{module}.{attribute} (KIS's {name}) is no longer callable"
    found = list(inspect.signature(function).parameters)
    assert found == parameters, (
        f"allauth {allauth.__version__} changed {module}.{attribute} (KIS's {name}): "
        f"parameters {found}, KIS calls it with {parameters}. "
        "Check its callers and adapt apps/accounts/allauth_internals.py."
    )
    assert getattr(allauth_internals, name) is function


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_constant_still_has_the_same_value(name: str) -> None:
    module, attribute, value = CONSTANTS[name]
    found = _allauth_attribute(name, module, attribute)
    assert found == value, (
        f"allauth {allauth.__version__} changed {module}.{attribute} (KIS's {name}) "
        f"from {value!r} to {found!r}: sessions written with the old value are no longer "
        "read. Adapt apps/accounts/allauth_internals.py and the tests that use it."
    )
    assert getattr(allauth_internals, name) == found


def test_public_authentication_records_key_still_has_the_same_value() -> None:
    """apps.accounts.signals edits the records stored under this (public) session key."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    assert AUTHENTICATION_METHODS_SESSION_KEY == "account_authentication_methods", (
        "allauth changed allauth.account.authentication.AUTHENTICATION_METHODS_SESSION_KEY: "
        "check apps/accounts/signals.py (count_login_as_reauthentication)."
    )


INTERNAL_IMPORT = re.compile(r"^\s*(from|import)\s+allauth\.[\w.]*\binternal\b", re.MULTILINE)


def test_no_other_module_imports_allauth_internals() -> None:
    offenders = []
    for top in ("apps", "common", "config", "tests", "e2e", "scripts"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if path.name == "allauth_internals.py" and path.parent.name == "accounts":
                continue
            if INTERNAL_IMPORT.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, (
        f"{', '.join(offenders)} import allauth.*.internal directly: import the name from "
        "apps.accounts.allauth_internals (add it there, with a check in this file)."
    )
