"""Owner-scoped lists: search, sorts, keyset pages with load-more, a lazy count, URL state.

An app declares what is specific to it in an ``OwnedList`` subclass (see
docs/building-an-app.md) and gets the selectors (``common.lists.selectors``), the
page-or-partial views (``common.lists.views``) and the URL patterns (``OwnedList.urls()``).
"""

from __future__ import annotations

from common.lists.config import OwnedList, Sort

__all__ = ["OwnedList", "Sort"]
