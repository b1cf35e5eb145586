"""Helpers shared by the benchmark and load-test scripts."""

from __future__ import annotations

import subprocess
from pathlib import Path


def ensure_postgres_database(url: str) -> None:
    """Create the database named in URL when it does not exist yet (no-op for other URLs)."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def seed_contacts_ensure(
    *, python: str, root: Path, env: dict[str, str], email: str, count: int
) -> None:
    """Give the user EMAIL (created if needed) COUNT contacts, seeding only what is missing."""

    def manage(*args: str) -> str:
        done = subprocess.run(
            [python, "manage.py", *args],
            env=env,
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()

    have = int(
        manage(
            "shell",
            "--no-imports",
            "-c",
            "from apps.contacts.models import Contact; "
            f"print(Contact.objects.filter(owner__email={email!r}).count())",
        )
        or 0
    )
    if have < count:
        print(
            manage(
                "seed_contacts",
                "--user",
                email,
                "--create-user",
                "--count",
                str(count - have),
                "--seed",
                "1",
            )
        )
