"""`make app NAME=things` (scripts/make_app.py) on a copy of the project.

The copy gets two generated apps (``things``, and a longest name whose singular is not its name
minus "s") whose unit tests, ruff and mypy must pass as generated, with the project's checks and
migrations in order, and whose browser test passes in Chromium; names that cannot work are
refused before anything changes. Subprocesses make this one of the slower tests (about 40 s,
half of it the browser); it stays in the default run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.make_app import names, plural, singular

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
# The longest name allowed (22 characters), ending in "ies": the model is ObservationCategory.
LONG = "observation_categories"


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
    """A copy of this checkout (working tree, uncommitted files included) with `things` and
    LONG made."""
    copy = tmp_path_factory.mktemp("make_app") / "kis"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    out = _ok(_run(copy, "scripts/make_app.py", "things"))
    assert "Created apps/things/ (model Thing)" in out and "Next steps" in out
    out = _ok(_run(copy, "scripts/make_app.py", LONG))
    assert f"Created apps/{LONG}/ (model ObservationCategory)" in out
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
        "templates/things/form.html",
        "templates/things/detail.html",
        "tests/factories.py",
        "tests/conftest.py",
        "tests/test_views.py",
        "tests/test_services.py",
    ):
        assert (app / name).is_file(), name
    assert not (app / "e2e").exists()
    assert (project / "e2e" / "test_things.py").is_file()
    models = (app / "models.py").read_text()
    assert "class Thing(Versioned):" in models and "class DeletedThings(Trash):" in models
    assert "*ThingList.urls()," in (app / "urls.py").read_text()
    services = (app / "services.py").read_text()
    for function in ("thing_create", "thing_update", "things_delete", "things_restore"):
        assert f"def {function}(" in services
    # The HTML templates are copied as they are: their names come from `config` (lists.py).
    for name in ("list.html", "form.html", "detail.html"):
        source = ROOT / "scripts/app_template/templates/app_name" / name
        assert (app / "templates/things" / name).read_text() == source.read_text()
    list_html = (app / "templates/things/list.html").read_text()
    assert "{% url config.url_names.create %}" in list_html and "{% partialdef row" in list_html
    settings = (project / "config/settings/base.py").read_text()
    assert f'    "apps.things",\n    "apps.{LONG}",\n    "theme",' in settings
    urls = (project / "config/urls.py").read_text()
    assert urls.count('path("things/", include("apps.things.urls")),') == 1


def test_an_ies_name_gets_a_proper_singular(project: Path) -> None:
    app = project / "apps" / LONG
    models = (app / "models.py").read_text()
    assert "class ObservationCategory(Versioned):" in models
    assert "class DeletedObservationCategories(Trash):" in models
    assert 'verbose_name_plural = "observation categories"' in models
    services = (app / "services.py").read_text()
    assert "def observation_category_create(" in services
    assert "def observation_categories_delete(" in services


def test_generated_apps_pass_their_tests_and_the_checks(project: Path) -> None:
    apps = ["apps/things", f"apps/{LONG}"]
    generated = [*apps, "e2e/test_things.py", f"e2e/test_{LONG}.py"]
    _ok(_run(project, "-m", "pytest", *apps, "-q", "-p", "no:cacheprovider"))
    _ok(_run(project, "manage.py", "check"))
    _ok(_run(project, "manage.py", "makemigrations", "--check", "--dry-run"))
    _ok(_run(project, "-m", "ruff", "check", *generated))
    _ok(_run(project, "-m", "ruff", "format", "--check", *generated))
    mypy = _run(project, "-m", "mypy", *generated)
    errors = [line for line in mypy.stdout.splitlines() if line.startswith(tuple(generated))]
    assert not errors, mypy.stdout


@pytest.mark.e2e
def test_generated_browser_test_passes(project: Path) -> None:
    from e2e.chromium import find_chromium

    if find_chromium() is None:
        pytest.skip("no Chromium (make chromium)")
    _ok(_run(project, "-m", "pytest", "e2e/test_things.py", "-q", "-p", "no:cacheprovider"))


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
        ("classes", "keyword"),  # its model would be `class`
        ("gadgets --model gadget", "not a model class name"),
        ("a" * 23, "too long"),
    ],
)
def test_bad_names_are_refused(project: Path, name: str, reason: str) -> None:
    apps = sorted((project / "apps").iterdir())
    result = _run(project, "scripts/make_app.py", *name.split())
    assert result.returncode == 1
    assert reason in result.stderr
    assert sorted((project / "apps").iterdir()) == apps


@pytest.mark.parametrize(
    ("app", "model", "singular_name", "plural_name", "verbose_plural"),
    [
        ("things", "Thing", "thing", "things", "things"),
        ("companies", "Company", "company", "companies", "companies"),
        ("blog_posts", "BlogPost", "blog_post", "blog_posts", "blog posts"),
        ("addresses", "Address", "address", "addresses", "addresses"),
        ("movies", "Movie", "movie", "movies", "movies"),
        ("people", "Person", "person", "people", "people"),
        ("statuses", "Status", "status", "statuses", "statuses"),
        ("inventory", "Inventory", "inventory", "inventories", "inventories"),
        ("reading_list", "ReadingList", "reading_list", "reading_lists", "reading lists"),
        ("news", "News", "news", "news", "news"),
    ],
)
def test_names(
    app: str, model: str, singular_name: str, plural_name: str, verbose_plural: str
) -> None:
    got = names(app)
    assert (got["model"], got["singular"], got["plural"]) == (model, singular_name, plural_name)
    assert got["verbose_name_plural"] == verbose_plural
    assert got["plural_model"] == plural_name.title().replace("_", "")


def test_names_with_a_given_model() -> None:
    got = names("staff_members", "Employee")
    assert (got["model"], got["model_name"], got["singular"]) == (
        "Employee",
        "employee",
        "employee",
    )
    assert (got["plural"], got["verbose_name"]) == ("staff_members", "employee")
    assert names("geese", "HouseGoose")["singular"] == "house_goose"
    assert [singular(plural(w)) for w in ("box", "match", "city", "day", "class")] == [
        "box",
        "match",
        "city",
        "day",
        "class",
    ]
