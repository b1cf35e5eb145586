"""Create N realistic fake contacts for one user (COPY on PostgreSQL: 1M in under a minute)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.contacts.seed import contacts_seed
from apps.users.models import User


class Command(BaseCommand):
    help = "Add COUNT fake contacts to the address book of the user with EMAIL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="email of the owner")
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--create-user", action="store_true", help="create the user if missing")
        parser.add_argument("--seed", type=int, default=0, help="random seed (0: random)")

    def handle(self, *args: Any, **options: Any) -> None:
        email, count = options["user"], options["count"]
        if count < 0:
            raise CommandError("--count must be zero or more.")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            if not options["create_user"]:
                raise CommandError(f"No user {email!r} (add --create-user to make one).")
            user = User.objects.create_user(email=email, password=None)
        began = time.monotonic()
        made = contacts_seed(owner=user, count=count, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {made} contacts for {email} in {time.monotonic() - began:.1f}s"
            )
        )
