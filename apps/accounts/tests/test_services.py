"""Unit tests of the account services."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from apps.accounts import services
from apps.accounts.models import DataExport
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


def test_export_csv_of_rows_with_different_keys_and_nested_values():
    job = DataExport.objects.create(owner=UserFactory.create())
    rows = ({"a": 1, "b": {"x": 1}}, {"c": "z", "a": 2})  # a generator: streamed, not counted
    tables = {"t": (row for row in rows), "empty": []}
    progress = services._Progress(job, {"t": None, "empty": 0})
    out = io.BytesIO()
    services.data_export_write(out=out, tables=tables, site_name="KIS", progress=progress)
    with zipfile.ZipFile(out) as archive:
        text = archive.read("csv/t.csv").decode("utf-8-sig")
        # Columns appear as rows bring them; earlier rows simply end sooner.
        assert text.splitlines() == ["a,b,c", '1,"{""x"": 1}"', "2,,z"]
        assert archive.read("csv/empty.csv") == b""
        data = json.loads(archive.read("data.json"))
    assert data["tables"] == {"t": list(rows), "empty": []}
    assert (progress.processed, progress.total) == (2, 2)
