"""Tasks used by the worker recovery tests (importable by a real worker process)."""

from __future__ import annotations

import time

from django.tasks import task


@task
def sleep_for(seconds: float) -> float:
    """Sleep SECONDS: long enough to kill the worker in the middle."""
    time.sleep(seconds)
    return seconds
