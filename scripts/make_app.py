"""Create a new KIS app from scripts/app_template: ``make app NAME=things``.

Runs Django's ``startapp --template scripts/app_template`` into ``apps/NAME`` with the model's
names added to the template context (``names()``: ``things`` -> ``Thing``, ``categories`` ->
``Category``), moves the generated browser test to ``e2e/``, registers the app in
``config/settings/base.py`` (``LOCAL_APPS``, before ``"theme"``) and its URLs in
``config/urls.py``, formats the new files with ruff, runs ``makemigrations NAME`` and prints the
next steps. Both registrations are idempotent; an existing app, module or folder of that name
is refused before anything changes.

Only the ``.py-tpl`` files are rendered; the HTML templates are copied as they are (they get
their names from the ``OwnedList`` declaration, ``config``, when they render).

Usage: python scripts/make_app.py NAME [--model ClassName]
  (run from anywhere; it works on its own checkout. --model names the model when the
  derived singular reads wrong: ``people --model Person``.)
"""

from __future__ import annotations

import argparse
import importlib.util
import keyword
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the project's packages are importable
    sys.path.insert(0, str(ROOT))

from common.naming import names, plural, singular  # noqa: E402

__all__ = ["names", "plural", "singular"]
TEMPLATE = ROOT / "scripts" / "app_template"
SETTINGS = ROOT / "config" / "settings" / "base.py"
URLS = ROOT / "config" / "urls.py"
# Index names are "<name>_updated" and may have 30 characters at most.
NAME_MAX = 22
NAME_RE = re.compile(r"[a-z][a-z0-9_]*[a-z0-9]")
MODEL_RE = re.compile(r"[A-Z][A-Za-z0-9]*")


class BadName(ValueError):
    """NAME cannot be used for a new app."""


def validate(name: str) -> None:
    """Raise BadName when NAME is not a fresh, lower-case Python identifier."""
    if not NAME_RE.fullmatch(name) or not name.isidentifier():
        raise BadName(
            f"{name!r} is not a valid app name: use lower-case letters, digits and underscores,"
            " starting with a letter (e.g. things, reading_list)."
        )
    if len(name) > NAME_MAX:
        raise BadName(f"{name!r} is too long: {NAME_MAX} characters at most.")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise BadName(f"{name!r} is a Python keyword.")
    taken = {p.name for p in (ROOT / "apps").iterdir()} | {
        p.stem for p in ROOT.iterdir() if p.suffix in ("", ".py")
    }
    if name in taken or f'"apps.{name}"' in SETTINGS.read_text():
        raise BadName(f"{name!r} already exists in this project (apps/{name} or ./{name}).")
    if name in sys.stdlib_module_names or importlib.util.find_spec(name) is not None:
        raise BadName(f"{name!r} is the name of an existing Python module; pick another.")


def validate_model(model: str, app: str) -> None:
    """Raise BadName when MODEL cannot name the app's model class."""
    if not MODEL_RE.fullmatch(model):
        raise BadName(f"{model!r} is not a model class name: use CamelCase (e.g. Person).")
    one = names(app, model)["singular"]
    if keyword.iskeyword(one):
        raise BadName(f"{one!r} (the singular of {model!r}) is a Python keyword.")


def startapp(name: str, target: Path, model: str | None) -> None:
    """Run the project's startapp (Django's, plus the model's names) from TEMPLATE into TARGET."""
    from django.core.management import call_command

    from apps.core.management.commands.startapp import Command

    call_command(
        Command(), name, str(target), template=str(TEMPLATE), extensions=["py"], model=model
    )


def register_app(name: str) -> bool:
    """Add "apps.NAME" to LOCAL_APPS before "theme"; return whether the file changed."""
    text = SETTINGS.read_text()
    entry = f'"apps.{name}",'
    if entry in text:
        return False
    block = re.search(r"LOCAL_APPS = \[\n(.*?)\n\]", text, re.S)
    if block is None or '    "theme",' not in block.group(1):
        raise SystemExit(f'Could not find LOCAL_APPS with "theme" in {SETTINGS}; add {entry}')
    start, end = block.span(1)
    body = block.group(1).replace('    "theme",', f'    {entry}\n    "theme",', 1)
    SETTINGS.write_text(text[:start] + body + text[end:])
    return True


def register_urls(name: str) -> bool:
    """Include apps.NAME.urls at NAME/ in config/urls.py; return whether the file changed."""
    text = URLS.read_text()
    entry = f'    path("{name}/", include("apps.{name}.urls")),'
    if f'include("apps.{name}.urls")' in text:
        return False
    anchor = "    path(settings.ADMIN_URL"
    if anchor not in text:
        raise SystemExit(f"Could not find the admin URL in {URLS}; add:\n{entry}")
    URLS.write_text(text.replace(anchor, f"{entry}\n{anchor}", 1))
    return True


def run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="make app NAME=things  (or: python scripts/make_app.py)",
        description="Create apps/NAME from scripts/app_template and register it.",
    )
    parser.add_argument("name", help="the app: a lower-case plural such as things")
    parser.add_argument("--model", help="the model's class name (default: from NAME)")
    options = parser.parse_args(argv)
    name, model = options.name, options.model
    try:
        validate(name)
        if model is not None:
            validate_model(model, name)
        context = names(name, model)
        if keyword.iskeyword(context["singular"]):
            raise BadName(
                f"its model would be {context['singular']!r}, a Python keyword; name the"
                f" model with --model (e.g. {name} --model My{context['model']})."
            )
    except BadName as exc:
        print(f"Not created: {exc}", file=sys.stderr)
        return 1
    target = ROOT / "apps" / name
    e2e_test = ROOT / "e2e" / f"test_{name}.py"
    if e2e_test.exists():
        print(f"Not created: {e2e_test.relative_to(ROOT)} already exists.", file=sys.stderr)
        return 1
    python = sys.executable
    target.mkdir()  # startapp with a target folder needs it to exist
    try:
        startapp(name, target, model)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    (target / "e2e" / f"test_{name}.py").rename(e2e_test)
    (target / "e2e").rmdir()
    changed = [SETTINGS] if register_app(name) else []
    changed += [URLS] if register_urls(name) else []
    ruff = Path(python).with_name("ruff")
    if ruff.exists():  # long names make long lines: let ruff lay them out
        run(ruff, "format", "--quiet", target, e2e_test)
        run(ruff, "check", "--quiet", "--fix", target, e2e_test)
    run(python, "manage.py", "makemigrations", name)
    print(f"\nCreated apps/{name}/ (model {context['model']}) and e2e/test_{name}.py.")
    for path in changed:
        print(f"Registered it in {path.relative_to(ROOT)}.")
    print(
        f"""
Next steps:
  make migrate                          # create the table
  .venv/bin/pytest apps/{name} -q       # its unit tests pass as generated
  make css                              # if you add Tailwind classes to its templates
  make run                              # then open /{name}/ (also in the header's navigation)
  make e2e PYTEST_ARGS="e2e/test_{name}.py"
Add fields in apps/{name}/models.py, forms.py (and RowForm for the list's columns),
services.py (EDITABLE_FIELDS) and the templates in apps/{name}/templates/{name}/, then run
makemigrations again. The pages themselves are declared in apps/{name}/lists.py."""
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
