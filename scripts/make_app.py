"""Create a new KIS app from scripts/app_template: ``make app NAME=things``.

Runs ``manage.py startapp --template scripts/app_template`` into ``apps/NAME``, moves the
generated browser test to ``e2e/``, registers the app in ``config/settings/base.py``
(``LOCAL_APPS``, before ``"theme"``) and its URLs in ``config/urls.py``, formats the new files
with ruff, runs ``makemigrations NAME`` and prints the next steps. Both registrations are
idempotent; an existing app, module or folder of that name is refused before anything changes.

Usage: python scripts/make_app.py NAME  (run from anywhere; it works on its own checkout)
"""

from __future__ import annotations

import importlib.util
import keyword
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "scripts" / "app_template"
SETTINGS = ROOT / "config" / "settings" / "base.py"
URLS = ROOT / "config" / "urls.py"
# Index names are "<name>_updated" and may have 30 characters at most.
NAME_MAX = 22
NAME_RE = re.compile(r"[a-z][a-z0-9_]*[a-z0-9]")


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
    if len(argv) != 1:
        print("Usage: make app NAME=things   (or: python scripts/make_app.py things)")
        return 2
    name = argv[0]
    try:
        validate(name)
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
        run(
            python, "manage.py", "startapp", "--template", TEMPLATE, "--extension", "py,html",
            name, target,
        )  # fmt: skip
    except subprocess.CalledProcessError:
        shutil.rmtree(target, ignore_errors=True)
        return 1
    (target / "e2e" / f"test_{name}.py").rename(e2e_test)
    (target / "e2e").rmdir()
    changed = [SETTINGS] if register_app(name) else []
    changed += [URLS] if register_urls(name) else []
    ruff = Path(python).with_name("ruff")
    if ruff.exists():  # long names make long lines: let ruff lay them out
        run(ruff, "format", "--quiet", target, e2e_test)
        run(ruff, "check", "--quiet", "--fix", target, e2e_test)
    run(python, "manage.py", "makemigrations", name)
    print(f"\nCreated apps/{name}/ and e2e/test_{name}.py.")
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
Rename the model, add fields in apps/{name}/models.py, forms.py, services.py and the templates
in apps/{name}/templates/{name}/, then run makemigrations again."""
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
