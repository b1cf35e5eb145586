"""Time zone names a user may choose: the IANA zones this system knows."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


@cache
def _available() -> frozenset[str]:
    """Return the zones this system knows, read once per process.

    ``zoneinfo.available_timezones()`` walks the tz database on every call (~10 ms);
    the middleware asks on every request of a user with a zone.
    """
    return frozenset(zoneinfo.available_timezones())


@cache
def timezone_names() -> tuple[str, ...]:
    """Return every valid IANA zone name, sorted (legacy aliases left out)."""
    zones = sorted(
        name
        for name in _available()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))
    )
    return ("UTC", *zones)


def is_valid_timezone(name: str) -> bool:
    """Return True when NAME is a zone this system can load."""
    return name in _available()


def validate_timezone(value: str) -> None:
    """Reject anything that is not an IANA time zone name (empty is allowed)."""
    if value and not is_valid_timezone(value):
        raise ValidationError(
            "%(value)s is not a known time zone. Choose one from the list, e.g. Europe/Berlin.",
            code="invalid_timezone",
            params={"value": value},
        )
