"""The search plan of common.lists.selectors: a window of the ordering first, then a sort.

Every plan must give exactly the pages that walking the ordering's index gives (the plain
plan, ``search_window = None``), page after page, in every sort: the one-query walk of rows
read keys first, and the window found by its end for other rows. The query counts show
which plan answered.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.contacts.lists import ContactList
from apps.contacts.tests.factories import ContactFactory
from common.lists import selectors
from common.lists.selectors import list_page
from common.templatetags.kis_rows import row_cache

pytestmark = pytest.mark.django_db


class WindowOfFive(ContactList):
    search_window = 5
    page_size = 3


class WindowOfFiveObjects(WindowOfFive):
    rows_cached = False  # objects, not keys: the window is found by its end


class WalkOfAll(WindowOfFive):
    search_walk_share = 1  # walk as many rows as the owner has


class PlainWalk(ContactList):
    search_window = None
    page_size = 3


@pytest.fixture
def book(owner: Any, other_user: Any) -> None:
    """Twenty contacts: 'common' everywhere, 'late' only on the last names sorting last."""
    for i in range(16):
        ContactFactory(
            owner=owner, first_name=f"Common{i:02}", last_name=f"A{i:02}", email=f"c{i}@x.test"
        )
    for i in range(4):
        ContactFactory(
            owner=owner, first_name=f"Late{i}", last_name=f"Zed{i}", email=f"late{i}@x.test"
        )
    ContactFactory(owner=other_user, first_name="Late", last_name="Zed", email="z@x.test")


def _all_pages(config: type[ContactList], owner: Any, query: str, sort: str) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        page = list_page(config=config, owner=owner, query=query, sort=sort, cursor=cursor)
        pages.append([contact.pk for contact in page.items])
        if not page.has_next:
            return pages
        cursor = page.next_cursor


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("sort", ContactList.sorts)
@pytest.mark.parametrize("query", ["common", "late", "zed3", "x.test", "o", "nothing", "LATE "])
def test_every_plan_gives_the_pages_of_the_plain_walk(owner: Any, query: str, sort: str) -> None:
    expected = _all_pages(PlainWalk, owner, query, sort)
    for plan in (WindowOfFive, WindowOfFiveObjects, WalkOfAll):
        assert _all_pages(plan, owner, query, sort) == expected, plan


@pytest.mark.usefixtures("book")
def test_a_dense_term_is_answered_by_one_walk(owner: Any, django_assert_num_queries: Any) -> None:
    list_page(config=WindowOfFive, owner=owner, query="common")  # reads the owner's tally
    with django_assert_num_queries(1):  # the walk, which stopped at a page
        page = list_page(config=WindowOfFive, owner=owner, query="common")
    assert [c.first_name for c in page.items] == ["Common00", "Common01", "Common02"]


@pytest.mark.usefixtures("book")
def test_a_term_that_sorts_late_is_sorted_after_a_short_walk(
    owner: Any, django_assert_num_queries: Any
) -> None:
    list_page(config=WindowOfFive, owner=owner, query="common")  # reads the owner's tally
    with django_assert_num_queries(2):  # a walk of five rows without a page, the sort
        page = list_page(config=WindowOfFive, owner=owner, query="late")
    assert [c.first_name for c in page.items] == ["Late0", "Late1", "Late2"]
    # A walk as long as the list finds them in one query.
    list_page(config=WalkOfAll, owner=owner, query="late")
    with django_assert_num_queries(1):
        assert list_page(config=WalkOfAll, owner=owner, query="late").has_next


@pytest.mark.usefixtures("book")
def test_a_lost_walk_sends_its_term_and_longer_ones_straight_to_the_sort(
    owner: Any, other_user: Any, django_assert_num_queries: Any
) -> None:
    list_page(config=WindowOfFive, owner=owner, query="common")  # reads the owner's tally
    first = list_page(config=WindowOfFive, owner=owner, query="zed")  # the walk loses
    for term in ("zed", "zed3"):
        with django_assert_num_queries(1) as queries:  # the sort only
            page = list_page(config=WindowOfFive, owner=owner, query=term)
        assert " FROM (SELECT " not in queries.captured_queries[0]["sql"]
        assert [c.pk for c in page.items] == [
            c.pk for c in list_page(config=PlainWalk, owner=owner, query=term).items
        ]
    # Another term, another place in the list, another sort, another owner: walked again.
    for where in (
        {"query": "ze"},
        {"query": "zed", "cursor": first.next_cursor},
        {"query": "zed", "sort": "updated"},
    ):
        with CaptureQueriesContext(connection) as queries:
            list_page(config=WindowOfFive, owner=owner, **where)
        assert " FROM (SELECT " in queries.captured_queries[0]["sql"], where
    with CaptureQueriesContext(connection) as queries:
        list_page(config=WindowOfFive, owner=other_user, query="zed")
    assert any(" FROM (SELECT " in q["sql"] for q in queries.captured_queries)


@pytest.mark.usefixtures("book")
def test_a_dense_term_is_answered_from_the_window_of_objects(
    owner: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):  # the window's end, the page in the window
        page = list_page(config=WindowOfFiveObjects, owner=owner, query="common")
    assert [c.first_name for c in page.items] == ["Common00", "Common01", "Common02"]


@pytest.mark.usefixtures("book")
def test_a_term_that_sorts_late_is_sorted_not_walked_among_objects(
    owner: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):  # the window's end, an empty window, the sort
        page = list_page(config=WindowOfFiveObjects, owner=owner, query="late")
    assert [c.first_name for c in page.items] == ["Late0", "Late1", "Late2"]
    assert page.has_next


@pytest.mark.usefixtures("book")
def test_the_window_of_objects_that_reaches_the_end_is_the_answer(
    owner: Any, django_assert_num_queries: Any
) -> None:
    first = list_page(config=WindowOfFiveObjects, owner=owner, query="late")
    with django_assert_num_queries(2):  # fewer than five rows are left: no sort needed
        last = list_page(
            config=WindowOfFiveObjects, owner=owner, query="late", cursor=first.next_cursor
        )
    assert [c.first_name for c in last.items] == ["Late3"]
    assert not last.has_next


@pytest.mark.usefixtures("book")
def test_no_search_walks_the_index_in_one_query(owner: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        list_page(config=WindowOfFive, owner=owner, query="  ")


@pytest.mark.usefixtures("book")
def test_the_plan_never_shows_another_owners_rows(owner: Any, other_user: Any) -> None:
    seen = {pk for page in _all_pages(WindowOfFive, owner, "zed", "name") for pk in page}
    assert len(seen) == 4
    assert not seen & set(other_user.contacts.values_list("pk", flat=True))


class WindowOfTwenty(ContactList):
    search_window = 20
    page_size = 10
    rows_cached = False


class PlainWalkOfTen(ContactList):
    search_window = None
    page_size = 10


@pytest.fixture
def thin(owner: Any) -> None:
    """Ninety contacts; every third one is 'thin': about 7 in any 20 rows, not a page of 10."""
    for i in range(90):
        first = "Thin" if i % 3 == 0 else "Other"
        ContactFactory(owner=owner, first_name=f"{first}{i:02}", last_name=f"B{i:02}")


@pytest.mark.usefixtures("thin")
@pytest.mark.parametrize("sort", ContactList.sorts)
def test_a_thin_spread_term_is_found_in_a_wider_window(
    owner: Any, sort: str, django_assert_num_queries: Any
) -> None:
    expected = _all_pages(PlainWalkOfTen, owner, "thin", sort)
    assert _all_pages(WindowOfTwenty, owner, "thin", sort) == expected
    # window end, window (7 matches), wider window end, wider window: no sort of them all
    with django_assert_num_queries(4):
        page = list_page(config=WindowOfTwenty, owner=owner, query="thin", sort=sort)
    assert len(page.items) == 10 and page.has_next


class WalkOfTwenty(ContactList):
    search_window = 20
    page_size = 10


@pytest.mark.usefixtures("thin")
@pytest.mark.parametrize("sort", ContactList.sorts)
def test_a_thin_spread_term_is_found_in_a_wider_walk(
    owner: Any, sort: str, django_assert_num_queries: Any
) -> None:
    assert _all_pages(WalkOfTwenty, owner, "thin", sort) == _all_pages(
        PlainWalkOfTen, owner, "thin", sort
    )
    # a walk of 20 rows (6 or 7 matches), one sized by them (a page): no sort of them all
    with django_assert_num_queries(2) as queries:
        page = list_page(config=WalkOfTwenty, owner=owner, query="thin", sort=sort)
    assert all(" FROM (SELECT " in query["sql"] for query in queries.captured_queries)
    assert len(page.items) == 10 and page.has_next


@pytest.mark.usefixtures("thin")
def test_a_walk_with_too_few_matches_to_size_a_wider_one_sorts(
    owner: Any, django_assert_num_queries: Any
) -> None:
    list_page(config=WalkOfTwenty, owner=owner, query="thin")  # reads the owner's tally
    # 'thin8' is in 'Thin81', 'Thin84', 'Thin87' only, 3 of the first 20 rows at most.
    with django_assert_num_queries(2) as queries:  # a walk without enough matches, the sort
        page = list_page(config=WalkOfTwenty, owner=owner, query="thin8")
    assert " FROM (SELECT " not in queries.captured_queries[1]["sql"]
    assert [c.first_name for c in page.items] == ["Thin81", "Thin84", "Thin87"]


class WindowOfFiveByPrefix(WindowOfFive):
    search_lookup = "startswith"  # `search` starts with the first name


@pytest.mark.usefixtures("book")
def test_a_lost_walk_stands_for_its_own_term_only_unless_search_is_by_part(owner: Any) -> None:
    list_page(config=WindowOfFiveByPrefix, owner=owner, query="common")  # reads the tally
    list_page(config=WindowOfFiveByPrefix, owner=owner, query="late")  # the walk loses
    for term, walked in (("late", False), ("late1", True)):
        with CaptureQueriesContext(connection) as queries:
            page = list_page(config=WindowOfFiveByPrefix, owner=owner, query=term)
        sqls = [query["sql"] for query in queries.captured_queries]
        assert any(" FROM (SELECT " in sql for sql in sqls) is walked, term
        assert [c.first_name for c in page.items] == (
            ["Late0", "Late1", "Late2"] if term == "late" else ["Late1"]
        )


@pytest.mark.usefixtures("book")
def test_a_lost_walk_is_forgotten_when_the_list_grows_or_the_period_ends(
    owner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def walks(term: str) -> bool:
        with CaptureQueriesContext(connection) as queries:
            list_page(config=WindowOfFive, owner=owner, query=term)
        return any(" FROM (SELECT " in query["sql"] for query in queries.captured_queries)

    list_page(config=WindowOfFive, owner=owner, query="common")  # reads the owner's tally
    assert walks("zed") and not walks("zed")  # lost, then remembered
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + selectors.WALK_SIZE_SECONDS)
    assert walks("zed") and not walks("zed")  # another period: walked once more
    for i in range(3):
        ContactFactory(owner=owner, first_name=f"New{i}", last_name=f"Zed9{i}")
    row_cache().clear()  # the owner's size, read again
    assert walks("zed")  # 23 rows now: what was lost among 20 is not taken for granted


@pytest.mark.usefixtures("book")
def test_a_walk_over_the_whole_list_is_not_remembered(owner: Any) -> None:
    with CaptureQueriesContext(connection):
        list_page(config=WalkOfAll, owner=owner, query="common")  # reads the tally
    for _ in range(2):  # the walk covers all 20 rows: never skipped
        with CaptureQueriesContext(connection) as queries:
            list_page(config=WalkOfAll, owner=owner, query="nothing")
        assert " FROM (SELECT " in queries.captured_queries[0]["sql"]
