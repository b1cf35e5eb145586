"""Time signup for a taken email and for a new one: the two must not be told apart.

With ACCOUNT_PREVENT_ENUMERATION both answer the same page; this checks they also take
the same time. Runs in-process on a throwaway SQLite database with Django's production
password hasher, and prints the median and spread of each case.

    .venv/bin/python scripts/bench_signup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="signups per case")
    args = parser.parse_args()

    import django
    from django.conf import settings

    # The production hasher: the test settings' MD5 would hide the difference.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    django.setup()
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from apps.users.models import User

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        password = secrets.token_urlsafe(16)
        User.objects.create_user(email="taken@example.com", password=secrets.token_urlsafe(16))
        times: dict[str, list[float]] = {"taken email": [], "new email": []}
        for n in range(args.rounds):
            for case, email in (("taken email", "taken@example.com"), ("new email", None)):
                cache.clear()  # signup rate limits
                started = time.perf_counter()
                response = Client().post(
                    "/accounts/signup/",
                    {
                        "email": email or f"new-{n}@example.com",
                        "password1": password,
                        "password2": password,
                    },
                )
                times[case].append((time.perf_counter() - started) * 1000)
                if response.status_code != 302:
                    raise SystemExit(f"{case}: signup answered {response.status_code}")
        print(f"signup, {args.rounds} rounds each, PBKDF2 (Django's default hasher)")
        for case, values in times.items():
            print(
                f"  {case:12} median {statistics.median(values):6.1f} ms"
                f"   min {min(values):6.1f}   max {max(values):6.1f}"
            )
        ratio = statistics.median(times["taken email"]) / statistics.median(times["new email"])
        print(f"  taken/new median ratio: {ratio:.2f}")
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()
