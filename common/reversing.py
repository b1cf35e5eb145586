"""URLs that take no arguments, reversed once per URLconf, script prefix and language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

_reversed: dict[tuple[str, Any, str, str | None], str] = {}
# At most this many answers are kept: the script prefix comes with the request (a proxy's
# SCRIPT_NAME), so the keys are not bounded by the code's URL names alone.
REVERSED_KEPT = 1024


def reverse_plain(viewname: str) -> str:
    """Return ``reverse(VIEWNAME)``, remembered for the process's life.

    A list page reverses its own URL half a dozen times (each sort, the count, the next
    page), at ~12 µs each; what reverse() answers for a name without arguments depends only
    on the URLconf (the request's, else ``ROOT_URLCONF``), the script prefix and, under
    ``i18n_patterns``, the language, which the key holds. A name that does not reverse
    raises NoReverseMatch each time; at most REVERSED_KEPT answers are kept.
    """
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    key = (viewname, urlconf, get_script_prefix(), translation.get_language())
    url = _reversed.get(key)
    if url is None:
        url = reverse(viewname)
        if len(_reversed) >= REVERSED_KEPT:
            _reversed.clear()  # rare: start afresh rather than track what was used least
        _reversed[key] = url
    return url
