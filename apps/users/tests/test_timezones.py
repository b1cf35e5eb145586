"""Time zone names: valid ones accepted, the zone database read once per process."""

from __future__ import annotations

import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from apps.users import timezones


def test_known_and_unknown_zones():
    assert timezones.is_valid_timezone("Europe/Berlin")
    assert not timezones.is_valid_timezone("Mars/Olympus_Mons")
    timezones.validate_timezone("")
    with pytest.raises(ValidationError):
        timezones.validate_timezone("Europe/Atlantis")


def test_the_zone_database_is_read_once_not_per_request(monkeypatch):
    """Finding: every request of a user with a zone cost ~10 ms re-reading the database."""
    calls = []
    real = zoneinfo.available_timezones

    def counting() -> set[str]:
        calls.append(1)
        return real()

    monkeypatch.setattr(zoneinfo, "available_timezones", counting)
    timezones._available.cache_clear()
    try:
        for _ in range(100):
            assert timezones.is_valid_timezone("Europe/Berlin")
        assert len(calls) == 1
    finally:
        timezones._available.cache_clear()
