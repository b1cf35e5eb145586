"""Delete what has outlived its retention period (docs/retention.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from apps.core.retention import expired_purge


class Command(BaseCommand):
    help = (
        "Delete expired undo snapshots, export/import files, task results, security events "
        "and submission keys, and orphan private files (the worker does it every hour)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        counts = expired_purge(dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} {verb}")
