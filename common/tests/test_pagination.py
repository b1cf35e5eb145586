"""Keyset pagination over real rows."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from apps.users.tests.factories import UserFactory
from common.pagination import InvalidCursor, KeysetPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    # Duplicate names force the tie-breaker (pk) to matter.
    names = ["carol", "alice", "bob", "alice", "dave", "bob", "erin"]
    return [UserFactory(name=n) for n in names]


def _walk(paginator):
    seen, cursor, pages = [], None, 0
    while True:
        page = paginator.page(cursor)
        seen.extend(page.items)
        pages += 1
        if not page.has_next:
            return seen, pages
        cursor = page.next_cursor


def test_walks_every_row_once_in_order(users):
    qs = get_user_model().objects.all()
    paginator = KeysetPaginator(qs, ordering=("name", "pk"), page_size=2)
    seen, pages = _walk(paginator)
    assert [u.pk for u in seen] == list(qs.order_by("name", "pk").values_list("pk", flat=True))
    assert pages == 4


def test_descending_ordering(users):
    qs = get_user_model().objects.all()
    paginator = KeysetPaginator(qs, ordering=("-name", "-pk"), page_size=3)
    seen, _ = _walk(paginator)
    assert [u.pk for u in seen] == list(qs.order_by("-name", "-pk").values_list("pk", flat=True))


def test_datetime_fields_round_trip(users):
    qs = get_user_model().objects.all()
    paginator = KeysetPaginator(qs, ordering=("-date_joined", "-pk"), page_size=2)
    seen, _ = _walk(paginator)
    assert len(seen) == len(users)


def test_last_page_has_no_cursor(users):
    paginator = KeysetPaginator(get_user_model().objects.all(), ordering=("pk",), page_size=100)
    page = paginator.page()
    assert len(page.items) == len(users)
    assert page.next_cursor is None
    assert not page.has_next


def test_rows_added_before_the_cursor_do_not_shift_the_next_page(users):
    qs = get_user_model().objects.all()
    paginator = KeysetPaginator(qs, ordering=("name", "pk"), page_size=3)
    first = paginator.page()
    expected_next = [u.pk for u in paginator.page(first.next_cursor).items]
    UserFactory(name="aaron")  # sorts before everything already seen
    assert [u.pk for u in paginator.page(first.next_cursor).items] == expected_next


@pytest.mark.parametrize("cursor", ["not-base64!!", "bnVsbA", "WzFd", "WyJ4IiwiYSJd"])
def test_tampered_cursors_are_rejected(users, cursor):
    paginator = KeysetPaginator(
        get_user_model().objects.all(), ordering=("date_joined", "pk"), page_size=2
    )
    with pytest.raises(InvalidCursor):
        paginator.page(cursor)


def test_query_count_is_constant_on_deep_pages(users, django_assert_num_queries):
    paginator = KeysetPaginator(
        get_user_model().objects.all(), ordering=("name", "pk"), page_size=2
    )
    cursor = paginator.page().next_cursor
    cursor = paginator.page(cursor).next_cursor
    with django_assert_num_queries(1):
        paginator.page(cursor)


def test_rejects_bad_configuration():
    qs = get_user_model().objects.all()
    with pytest.raises(ValueError, match="ordering"):
        KeysetPaginator(qs, ordering=(), page_size=2)
    with pytest.raises(ValueError, match="page_size"):
        KeysetPaginator(qs, ordering=("pk",), page_size=0)
