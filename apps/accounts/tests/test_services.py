"""Unit tests of the account services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.accounts import services
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_update_trims_and_saves():
    user = UserFactory.create(name="Old")
    services.profile_update(user=user, name="  New Name ", timezone_name=" Europe/Paris ")
    user.refresh_from_db()
    assert (user.name, user.timezone) == ("New Name", "Europe/Paris")


def test_profile_update_rejects_unknown_zone_and_leaves_the_user_untouched():
    user = UserFactory.create(name="Old", timezone="UTC")
    with pytest.raises(ValidationError) as exc:
        services.profile_update(user=user, name="New", timezone_name="Moon/Base")
    assert "timezone" in exc.value.message_dict
    assert (user.name, user.timezone) == ("Old", "UTC")
    user.refresh_from_db()
    assert (user.name, user.timezone) == ("Old", "UTC")


def test_csv_of_rows_with_different_keys_and_nested_values():
    text = services._csv([{"a": 1, "b": {"x": 1}}, {"c": "z", "a": 2}])
    assert text.splitlines() == ["a,b,c", '1,"{""x"": 1}",', "2,,z"]
