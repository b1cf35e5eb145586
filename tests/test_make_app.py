"""`make app NAME=things` (scripts/make_app.py) on a copy of the project.

The copy gets a generated app whose unit tests must pass as generated, with the project's
checks and migrations in order; names that cannot work are refused before anything changes.
Subprocesses make this one of the slower tests (about 10 s); it stays in the default run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(
    ".venv",
    "node_modules",
    ".git",
    "media",
    "*.sqlite3",
    "staticfiles",
    ".pytest_media",
    "htmlcov",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".env",
    ".coverage*",
)

pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    """This environment without what would point the copy at shared services or files."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COV_CORE_", "COVERAGE_", "PYTEST_", "DJANGO_"))
        and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    return env


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this checkout (working tree, uncommitted files included) with `things` made."""
    copy = tmp_path_factory.mktemp("make_app") / "kis"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    out = _ok(_run(copy, "scripts/make_app.py", "things"))
    assert "Created apps/things/" in out and "Next steps" in out
    return copy


def test_generates_a_registered_app_with_a_migration(project: Path) -> None:
    app = project / "apps" / "things"
    for name in (
        "apps.py",
        "models.py",
        "admin.py",
        "urls.py",
        "lists.py",
        "forms.py",
        "services.py",
        "selectors.py",
        "views.py",
        "tasks.py",
        "migrations/0001_initial.py",
        "templates/things/list.html",
        "templates/things/count.html",
        "templates/things/form.html",
        "templates/things/detail.html",
        "templates/things/delete.html",
        "tests/factories.py",
        "tests/conftest.py",
        "tests/test_views.py",
        "tests/test_services.py",
    ):
        assert (app / name).is_file(), name
    assert not (app / "e2e").exists()
    assert (project / "e2e" / "test_things.py").is_file()
    assert "class Thing(models.Model)" in (app / "models.py").read_text()
    list_html = (app / "templates/things/list.html").read_text()
    assert "{% url 'things:create' %}" in list_html and "templatetag" not in list_html
    settings = (project / "config/settings/base.py").read_text()
    assert '    "apps.things",\n    "theme",' in settings
    urls = (project / "config/urls.py").read_text()
    assert urls.count('path("things/", include("apps.things.urls")),') == 1


def test_generated_app_passes_its_tests_and_the_checks(project: Path) -> None:
    _ok(_run(project, "-m", "pytest", "apps/things", "-q", "-p", "no:cacheprovider"))
    _ok(_run(project, "manage.py", "check"))
    _ok(_run(project, "manage.py", "makemigrations", "--check", "--dry-run"))


def test_a_second_run_refuses_and_changes_nothing(project: Path) -> None:
    before = (project / "config/settings/base.py").read_text()
    result = _run(project, "scripts/make_app.py", "things")
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert (project / "config/settings/base.py").read_text() == before


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("1things", "not a valid app name"),
        ("Things-x", "not a valid app name"),
        ("Things", "not a valid app name"),
        ("contacts", "already exists"),
        ("json", "existing Python module"),
        ("class", "keyword"),
        ("a" * 23, "too long"),
    ],
)
def test_bad_names_are_refused(project: Path, name: str, reason: str) -> None:
    apps = sorted((project / "apps").iterdir())
    result = _run(project, "scripts/make_app.py", name)
    assert result.returncode == 1
    assert reason in result.stderr
    assert sorted((project / "apps").iterdir()) == apps
