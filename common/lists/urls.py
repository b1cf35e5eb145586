"""URL patterns of an owner-scoped list, named after its declaration."""

from __future__ import annotations

from django.urls import URLPattern, path

from common.lists.config import OwnedList
from common.lists.views import count_view, list_view


def list_urls(*, config: type[OwnedList], prefix: str = "") -> list[URLPattern]:
    """Return the list at PREFIX and, when CONFIG declares one, its lazy count at PREFIX/count/.

    The names are the last part of ``url_name`` / ``count_url_name`` (the app's urls.py sets
    the namespace with ``app_name``).
    """
    patterns = [path(prefix, list_view(config=config), name=config.url_name.rpartition(":")[2])]
    if config.count_url_name:
        name = config.count_url_name.rpartition(":")[2]
        patterns.append(path(f"{prefix}count/", count_view(config=config), name=name))
    return patterns
