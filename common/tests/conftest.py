"""Fixtures for the common/ unit tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture
def test_templates(settings: Any) -> None:
    """Make common/tests/templates loadable."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = templates
