"""Keyset pagination over real rows."""

from __future__ import annotations

import base64
import json

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.contacts.models import Contact
from apps.contacts.tests.factories import ContactFactory
from apps.users.tests.factories import UserFactory
from common.pagination import InvalidCursor, KeysetPaginator, PageRows

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    # Duplicate names force the tie-breaker (pk) to matter.
    names = ["carol", "alice", "bob", "alice", "dave", "bob", "erin"]
    return [UserFactory(name=n) for n in names]


@pytest.fixture
def tied_users():
    # Many ties on the leading fields, so the later fields and the id must decide.
    for i in range(17):
        UserFactory(name="Same" if i % 3 else "Other", is_staff=bool(i % 4))
    return get_user_model().objects.all()


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


@pytest.mark.parametrize(
    "ordering",
    [
        ("name", "is_staff", "id"),  # uniform: one row-value comparison
        ("-name", "-is_staff", "-id"),
        ("name", "-is_staff", "id"),  # mixed: the expanded OR form
        ("id",),
    ],
)
@pytest.mark.parametrize("page_size", [1, 4, 50])
def test_every_ordering_and_page_size_covers_every_row_once(tied_users, ordering, page_size):
    expected = list(tied_users.order_by(*ordering).values_list("pk", flat=True))
    seen, _ = _walk(KeysetPaginator(tied_users, ordering=ordering, page_size=page_size))
    assert [u.pk for u in seen] == expected


def test_cursor_for_starts_after_the_object(tied_users):
    ordering = ("name", "is_staff", "id")
    paginator = KeysetPaginator(tied_users, ordering=ordering, page_size=3)
    rows = list(tied_users.order_by(*ordering))
    page = paginator.page(paginator.cursor_for(rows[5]))
    assert [u.pk for u in page.items] == [u.pk for u in rows[6:9]]


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


@pytest.mark.parametrize(
    "cursor", ["not-base64!!", "%%%", "bnVsbA", "bm90IGpzb24", "WzFd", "WyJ4IiwiYSJd"]
)
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


# ------------------------------------------------------------------------------ hostile cursors
def _cursor(raw: str | bytes) -> str:
    data = raw.encode() if isinstance(raw, str) else raw
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


MIXED = ("name", "is_staff", "date_joined", "id")  # text, bool, datetime, int


@pytest.mark.parametrize(
    "raw",
    [
        '["a",true,"2026-01-01 00:00:00+00:00",Infinity]',  # int(inf): OverflowError
        '["a",true,"2026-01-01 00:00:00+00:00",NaN]',
        '["a",true,"2026-01-01 00:00:00+00:00",1.5]',  # a float is not an id
        '["a",true,"2026-01-01 00:00:00+00:00",99999999999999999999999]',  # out of range
        '["a",true,"2026-01-01 00:00:00+00:00",true]',  # a bool is not an id
        '["a",true,"2026-01-01 00:00:00+00:00","12"]',  # a string is not an id
        '["a",true,123,1]',  # a number is not a date: TypeError
        '["a",true,"yesterday",1]',
        '["a",true,"2026-13-45 00:00:00+00:00",1]',  # parses as a date, is not one
        '["a",true,"9999-12-31 23:59:59-14:00",1]',  # overflows in UTC
        '["a",true,"0001-01-01 00:00:00+14:00",1]',
        '["a",true,"2026-01-01 00:00:00",1]',  # naive, under USE_TZ
        '["a\\u0000b",true,"2026-01-01 00:00:00+00:00",1]',  # NUL
        '["\\ud800",true,"2026-01-01 00:00:00+00:00",1]',  # a lone surrogate
        '[1,true,"2026-01-01 00:00:00+00:00",1]',  # a number is not a name
        '[null,true,"2026-01-01 00:00:00+00:00",1]',
        '["a","yes","2026-01-01 00:00:00+00:00",1]',  # a string is not a bool
        '["a",true,"2026-01-01 00:00:00+00:00",1,5]',  # too long
        '{"a":1}',
        "[" * 5000 + "]" * 5000,  # deep nesting
    ],
)
def test_ill_typed_cursors_are_invalid(users, raw):
    paginator = KeysetPaginator(get_user_model().objects.all(), ordering=MIXED, page_size=2)
    with pytest.raises(InvalidCursor):
        paginator.page(_cursor(raw))


@pytest.mark.parametrize("cursor", ["\x00", "WzFd\x00", "é", "\ud800", "=" * 9, "a" * 20_000])
def test_undecodable_cursors_are_invalid(users, cursor):
    paginator = KeysetPaginator(get_user_model().objects.all(), ordering=MIXED, page_size=2)
    with pytest.raises(InvalidCursor):
        paginator.page(cursor)


def test_every_cursor_it_makes_is_valid_for_a_mixed_ordering(users):
    paginator = KeysetPaginator(get_user_model().objects.all(), ordering=MIXED, page_size=2)
    seen, _ = _walk(paginator)
    assert len(seen) == len(users)


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and ±Infinity included
    | st.text()  # NUL and lone surrogates included
    | st.datetimes(timezones=st.timezones()).map(str),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=8,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cursor=st.text() | st.lists(_json, min_size=4, max_size=4).map(lambda v: _cursor(json.dumps(v)))
)
def test_any_cursor_is_a_page_or_invalid(users, cursor):
    paginator = KeysetPaginator(get_user_model().objects.all(), ordering=MIXED, page_size=2)
    try:
        page = paginator.page(cursor)
    except InvalidCursor:
        return
    assert len(page.items) <= 2


# ------------------------------------------------------------------------------ keys first
@pytest.mark.parametrize(
    "ordering", [("last_name", "first_name", "id"), ("-updated_at", "-id"), ("company_name", "id")]
)
def test_a_page_read_as_keys_walks_the_same_rows_and_cursors(owner, ordering):
    for i in range(11):
        ContactFactory(owner=owner, last_name=f"L{i % 3}", company_name=f"C{i % 2}")
    qs = Contact.objects.filter(owner=owner)
    objects = KeysetPaginator(qs, ordering=ordering, page_size=4)
    keys = KeysetPaginator(qs, ordering=ordering, page_size=4, keys_first=True)
    cursor = None
    while True:
        expected, page = objects.page(cursor), keys.page(cursor)
        assert isinstance(page.items, PageRows)
        assert [key.pk for key in page.items.keys] == [c.pk for c in expected.items]
        assert [(k.version, k.updated_at) for k in page.items.keys] == [
            (c.version, c.updated_at) for c in expected.items
        ]
        assert page.next_cursor == expected.next_cursor
        if not page.has_next:
            break
        cursor = page.next_cursor


def test_page_rows_fetch_their_objects_once_in_order_without_deleted_ones(
    owner, django_assert_num_queries
):
    made = [ContactFactory(owner=owner, last_name=f"N{i}") for i in range(5)]
    paginator = KeysetPaginator(
        Contact.objects.filter(owner=owner),
        ordering=("last_name", "id"),
        page_size=10,
        keys_first=True,
    )
    with django_assert_num_queries(1):
        rows = paginator.page().items
        assert len(rows) == 5 and rows  # from the keys: no second query
    made[2].delete()
    with django_assert_num_queries(1):
        assert [c.last_name for c in rows] == ["N0", "N1", "N3", "N4"]
        assert rows[0].pk == made[0].pk and list(rows) == rows[:]
    assert len(rows) == 5  # the keys it was read with


# ------------------------------------------------------------------------------ walk
@pytest.mark.parametrize(
    "ordering", [("last_name", "first_name", "id"), ("-updated_at", "-id"), ("company_name", "id")]
)
def test_a_walk_gives_the_pages_of_the_filtered_rows_or_none(owner, other_user, ordering):
    for i in range(30):
        ContactFactory(
            owner=owner, last_name=f"L{i % 4}", company_name=f"C{i % 3}", notes="x" if i % 3 else ""
        )
    ContactFactory(owner=other_user, notes="x")  # never walked: not in WITHIN
    within = Contact.objects.filter(owner=owner)
    where = Q(notes="x")
    objects = KeysetPaginator(within.filter(where), ordering=ordering, page_size=4)
    walker = KeysetPaginator(within.filter(where), ordering=ordering, page_size=4, keys_first=True)
    cursor, pages = None, 0
    while True:
        expected = objects.page(cursor)
        walk = walker.walk_page(cursor, within=within, where=where, columns=["notes"], rows=30)
        walked = walk.page
        if walked is None:  # fewer than a page matched in the next 30 rows: the last page
            assert not expected.has_next
            assert walk.matched == len(expected.items)
            break
        assert [key.pk for key in walked.items.keys] == [c.pk for c in expected.items]
        assert walked.next_cursor == expected.next_cursor
        cursor, pages = walked.next_cursor, pages + 1
    assert pages == 4  # 20 matches: four full pages (the fifth, empty, is left to the caller)
    # A walk too short to see a page's worth of matches says how many it saw, not a short page.
    short = walker.walk_page(None, within=within, where=where, columns=["notes"], rows=5)
    assert short.page is None
    assert short.matched == sum(c.notes == "x" for c in within.order_by(*ordering)[:5])


def test_a_walk_is_one_query_and_needs_keys_first(owner, django_assert_num_queries):
    ContactFactory.create_batch(6, owner=owner)
    within = Contact.objects.filter(owner=owner)
    walker = KeysetPaginator(within, ordering=("last_name", "id"), page_size=2, keys_first=True)
    with django_assert_num_queries(1):
        page = walker.walk_page(None, within=within, where=Q(), columns=[], rows=100).page
    assert page is not None and len(page.items) == 2
    objects = KeysetPaginator(within, ordering=("last_name", "id"), page_size=2)
    with pytest.raises(ValueError, match="keys_first"):
        objects.walk_page(None, within=within, where=Q(), columns=[], rows=100)


def test_a_walk_goes_on_after_the_last_match_of_a_shorter_one(owner):
    for i in range(12):
        ContactFactory(owner=owner, last_name=f"L{i:02}", notes="x" if i % 2 else "")
    within = Contact.objects.filter(owner=owner)
    where = Q(notes="x")
    ordering = ("last_name", "id")
    walker = KeysetPaginator(within.filter(where), ordering=ordering, page_size=4, keys_first=True)
    short = walker.walk_page(None, within=within, where=where, columns=["notes"], rows=4)
    assert short.page is None and [row[0] for row in short.found] == ["L01", "L03"]
    # Six rows on from L03 (L04 to L09) hold three more matches: a page, and one more.
    walked = walker.walk_page(
        None, within=within, where=where, columns=["notes"], rows=6, going_on=short
    )
    expected = KeysetPaginator(within.filter(where), ordering=ordering, page_size=4).page(None)
    assert walked.page is not None
    assert [key.pk for key in walked.page.items.keys] == [c.pk for c in expected.items]
    assert walked.page.next_cursor == expected.next_cursor
    # Too short to reach a page: the matches of both walks.
    shorter = walker.walk_page(
        None, within=within, where=where, columns=["notes"], rows=2, going_on=short
    )
    assert [row[0] for row in shorter.found] == ["L01", "L03", "L05"]
