"""common.staticfiles: whitenoise's manifest storage, each URL looked up once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.staticfiles import ManifestStaticFilesStorage


@pytest.fixture
def storage(tmp_path: Path) -> ManifestStaticFilesStorage:
    manifest = {"version": "1.1", "hash": "x", "paths": {"css/a.css": "css/a.1234.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return ManifestStaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_a_name_is_looked_up_in_the_manifest_once(storage: ManifestStaticFilesStorage) -> None:
    assert storage.url("css/a.css") == "/static/css/a.1234.css"
    storage.hashed_files = {}  # what the manifest says is not read again
    assert storage.url("css/a.css") == "/static/css/a.1234.css"


def test_a_name_the_manifest_lacks_raises_every_time(storage: ManifestStaticFilesStorage) -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/b.css")
