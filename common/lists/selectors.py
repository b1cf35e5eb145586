"""Read-side queries of an owner-scoped list; every one is scoped to an owner."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from apps.core.selectors import row_tally_totals
from common.lists.config import OwnedList
from common.lists.models import Versioned
from common.pagination import KeysetPage, KeysetPaginator, Walk
from common.templatetags.kis_rows import row_cache
from common.text import strip_control_chars

type Owner = AbstractBaseUser | AnonymousUser


def normalise_query(*, config: type[OwnedList], query: str | None) -> str:
    """Return QUERY without control characters, trimmed, lower-cased and cut to a sane length.

    A NUL (or another control character, or a lone surrogate) is dropped, not turned into a
    space: ``Love\\x00lace`` searches for ``lovelace``. Tabs and newlines separate words.
    """
    return " ".join(strip_control_chars(query or "").split())[: config.search_max].lower()


def normalise_sort(*, config: type[OwnedList], sort: str | None) -> str:
    """Return SORT when it is one of CONFIG's sort keys, else its default sort."""
    return sort if sort is not None and sort in config.sorts else config.get_default_sort()


def _search_filter(*, config: type[OwnedList], term: str) -> Q:
    """Return the filter for CONFIG's objects that match the normalised TERM."""
    return Q(**{f"{config.search_field}__{config.search_lookup}": term})


def list_search(*, config: type[OwnedList], owner: Owner, query: str = "") -> QuerySet[Any]:
    """Return OWNER's objects of CONFIG's model that match QUERY (all of them when it is empty)."""
    qs = config.get_queryset(owner=owner)
    term = normalise_query(config=config, query=query)
    if term and config.search_field:
        qs = qs.filter(_search_filter(config=config, term=term))
    return qs


def list_page(
    *,
    config: type[OwnedList],
    owner: Owner,
    query: str = "",
    sort: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
) -> KeysetPage[Any]:
    """Return one keyset page of OWNER's objects matching QUERY in SORT order.

    Raises ``common.pagination.InvalidCursor`` for a cursor this ordering did not make.
    """
    ordering = config.sorts[normalise_sort(config=config, sort=sort)][1]
    matches = list_search(config=config, owner=owner, query=query)
    if config.defer:
        matches = matches.defer(*config.defer)
    size = page_size or config.page_size
    # Rows cached by version (kis_rows): read the page's keys first, objects for misses only.
    keys_first = config.rows_cached and issubclass(config.model, Versioned)
    term = normalise_query(config=config, query=query)
    if not (config.search_window and config.search_field and term):
        # no search: walk the ordering's index
        return KeysetPaginator(
            matches, ordering=ordering, page_size=size, keys_first=keys_first
        ).page(cursor)
    return _search_page(
        config=config,
        owner=owner,
        term=term,
        matches=matches,
        ordering=ordering,
        size=size,
        cursor=cursor,
        keys_first=keys_first,
    )


# After a first window (or walk) of a search held too few matches for a page, but at least
# this many, a second one sized by their density is tried (at most SEARCH_WIDER_MAX times
# the first).
SEARCH_WIDER_MIN_FOUND = 5
SEARCH_WIDER_MAX = 10
# How long a process goes on sizing an owner's search walks by the row count it last read,
# and remembering which terms' walks lost (_LostWalks), at most LOST_WALKS_KEPT per place.
WALK_SIZE_SECONDS = 300
LOST_WALKS_KEPT = 16


def _search_page(
    *,
    config: type[OwnedList],
    owner: Owner,
    term: str,
    matches: QuerySet[Any],
    ordering: tuple[str, ...],
    size: int,
    cursor: str | None,
    keys_first: bool,
) -> KeysetPage[Any]:
    """Return the page of a search by a plan whose cost stays bounded for common terms.

    Walking the ordering's index and filtering as it goes is fast when matches are dense,
    but walks most of the index when they are rare or sort late (``smith``). So
    (docs/decisions/0016): search a window of the ordering first, and take its page when
    the window holds a full one; otherwise the matches are few near here, and the database
    sorts them all (a trigram index finds them on PostgreSQL).

    Rows read keys first are walked in one query that stops at a full page
    (``KeysetPaginator.walk_page``; an index-only walk where the sort's index includes the
    search field), over ``search_window`` rows or 1/``search_walk_share`` of the owner's.
    Other rows: the window's end is found first. Either way, when the window held some
    matches but not a page, once more in a window sized by their density (a walk goes on
    after its last match). A walk that lost sends the same term, and the terms that extend
    it, straight to the sort for a while (``_LostWalks``).
    """
    window = config.search_window or 0
    everything = config.get_queryset(owner=owner)
    paginator = KeysetPaginator(matches, ordering=ordering, page_size=size, keys_first=keys_first)
    if keys_first and config.search_field:
        where, columns = _search_filter(config=config, term=term), [config.search_field]

        def walk(rows: int, going_on: Walk[Any] | None = None) -> Walk[Any]:
            return paginator.walk_page(
                cursor,
                within=everything,
                where=where,
                columns=columns,
                rows=rows,
                going_on=going_on,
            )

        owned = _rows_owned(config=config, owner=owner)
        lost = _LostWalks(config=config, owner=owner, owned=owned, ordering=ordering, cursor=cursor)
        if lost.includes(term):
            return paginator.page(cursor, sort=True)
        length = max(window, owned // config.search_walk_share)
        walked = walk(length)
        if walked.page is None and walked.matched >= SEARCH_WIDER_MIN_FOUND:
            # on from the last match, as far as the density seen says a page needs
            walked = walk(_wider(length, size=size, found=walked.matched), walked)
        if walked.page is None and not 0 < owned <= length:
            lost.add(term)  # (a walk over the whole list costs no more than the sort)
        return walked.page or paginator.page(cursor, sort=True)
    rows = KeysetPaginator(everything, ordering=ordering, page_size=size)
    end = rows.nth_after(cursor, window)
    page = paginator.page(cursor, until=end)
    if end is None or page.has_next:
        return page  # the window held a full page, or it reached the end of the list
    if len(page.items) >= SEARCH_WIDER_MIN_FOUND:
        end = rows.nth_after(cursor, _wider(window, size=size, found=len(page.items)))
        page = paginator.page(cursor, until=end)
        if end is None or page.has_next:
            return page
    return paginator.page(cursor, sort=True)


class _LostWalks:
    """The terms whose walk from one place in one owner's list found no page, lately.

    A row that contains a term contains each part of it too, so a walk for ``smith`` over
    the rows where the walk for ``smit`` found less than a page finds less still: once a
    walk lost, the terms that extend it (active search, as the user types on) go straight
    to the sort, and so does the same term asked again (only the same term where the list's
    ``search_lookup`` is not ``contains``). Only the plan depends on it, never a page: a walk
    that would now win (rows added since) just leaves the sort to answer. Kept per process,
    the LOST_WALKS_KEPT latest terms per place, for the rest of the current WALK_SIZE_SECONDS
    and as long as the owner's row count (OWNED, as the walks are sized by) stays the same:
    an import, say, starts afresh.
    """

    def __init__(
        self,
        *,
        config: type[OwnedList],
        owner: Owner,
        owned: int,
        ordering: tuple[str, ...],
        cursor: str | None,
    ) -> None:
        period = int(time.time() // WALK_SIZE_SECONDS)
        where = f"{ordering}\0{cursor or ''}\0{owned}\0{period}".encode(errors="surrogatepass")
        place = hashlib.blake2b(where, digest_size=8).hexdigest()
        self.key = f"kis:lost-walks:{config.model._meta.label_lower}:{owner.pk}:{place}"
        self.terms: tuple[str, ...] = row_cache().get(self.key, ())
        self.by_part = config.search_lookup in ("contains", "icontains")

    def includes(self, term: str) -> bool:
        """Return whether a walk for TERM, or for a part of it, lost here."""
        if self.by_part:
            return any(lost in term for lost in self.terms)
        return term in self.terms

    def add(self, term: str) -> None:
        """Remember that the walk for TERM lost here."""
        terms = (term, *self.terms[: LOST_WALKS_KEPT - 1])
        row_cache().set(self.key, terms, WALK_SIZE_SECONDS)


def _wider(rows: int, *, size: int, found: int) -> int:
    """Return how many rows to search after ROWS held FOUND matches, fewer than a page.

    Matches spread thin but evenly (a first name, a phone fragment in a big list): a window
    sized by the density just seen holds a page (with half as many again to spare), for less
    than sorting them all; at most SEARCH_WIDER_MAX times the first.
    """
    return min(rows * (size + 1) * 3 // (2 * found), rows * SEARCH_WIDER_MAX)


def _rows_owned(*, config: type[OwnedList], owner: Owner) -> int:
    """Return about how many rows OWNER has in CONFIG's list (0 when it keeps no tally).

    Only a walk's length depends on it, never a result: each process reads the tally once
    per WALK_SIZE_SECONDS and owner, from its own memory cache in between.
    """
    if not config.count_tallied or not owner.is_authenticated:
        return 0
    cache = row_cache()
    key = f"kis:rows-owned:{config.model._meta.label_lower}:{owner.pk}"
    total = cache.get(key)
    if total is None:
        total = row_tally_totals(owner=owner, models=[config.model]).get(config.model, 0)
        cache.set(key, total, WALK_SIZE_SECONDS)
    return int(total)


def list_count(
    *, config: type[OwnedList], owner: Owner, query: str = "", limit: int | None = None
) -> int:
    """Return how many of OWNER's objects match QUERY; at most LIMIT + 1 when LIMIT is set.

    With a LIMIT the database stops counting after LIMIT + 1 rows, so a result above LIMIT
    means "more than LIMIT" and costs no more than LIMIT rows. A list whose model is tallied
    (``count_tallied``) reads its unfiltered count from the tally, exact beyond LIMIT too.
    """
    if config.count_tallied and not normalise_query(config=config, query=query):
        tallied = row_tally_totals(owner=owner, models=[config.model])
        if config.model in tallied:
            return tallied[config.model]
    matches = list_search(config=config, owner=owner, query=query)
    if limit is not None:
        matches = matches.order_by()[: limit + 1]
    return matches.count()
