"""Fail (or re-queue) tasks left RUNNING by workers that stopped beating."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand

from apps.core.worker import stale_after, tasks_recover_stale


class Command(BaseCommand):
    help = "Mark tasks of dead workers as failed, or put them back in the queue with --requeue."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=stale_after().total_seconds(),
            help="Seconds without a heartbeat before a worker is dead (default: %(default)s)",
        )
        parser.add_argument(
            "--requeue",
            action="store_true",
            help="Run the tasks again instead of marking them failed (only for idempotent tasks).",
        )

    def handle(self, *args: Any, older_than: float, requeue: bool, **options: Any) -> None:
        count = tasks_recover_stale(older_than=timedelta(seconds=older_than), requeue=requeue)
        verb = "re-queued" if requeue else "marked failed"
        self.stdout.write(f"{count} task(s) {verb}.")
