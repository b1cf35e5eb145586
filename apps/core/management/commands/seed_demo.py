"""Create the verified demo user and each app's demo data, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.core.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_data_seed, demo_user_ensure


class Command(BaseCommand):
    help = "Create the demo user (and demo data) if missing; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        user, created = demo_user_ensure()
        for line in demo_data_seed(user=user):
            self.stdout.write(f"  {line}")
        state = "created" if created else "already there"
        self.stdout.write(
            self.style.SUCCESS(f"Demo login ({state}): {DEMO_EMAIL} / password {DEMO_PASSWORD}")
        )
