"""Text that reaches the database: no NUL, no lone surrogates, no stray control characters.

PostgreSQL refuses a NUL (``\\x00``) in any text value (``DataError``) and no database
driver can encode a lone surrogate (``\\ud800``) as UTF-8; SQLite stores a NUL silently,
so a bug shows up only in production. Text a user types, uploads or puts in a URL goes
through one of these before it is stored or searched for (see docs/decisions/0011).
"""

from __future__ import annotations

import re

# NUL and lone surrogates: no database stores them.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# C0 control characters except tab, newline and carriage return; DEL; lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_unstorable_chars(value: str) -> bool:
    """Return whether VALUE holds a NUL or a lone surrogate."""
    return _UNSTORABLE.search(value) is not None


def strip_control_chars(value: str) -> str:
    """Return VALUE without control characters (tab, newline, CR kept) or lone surrogates."""
    return _CONTROL.sub("", value)
