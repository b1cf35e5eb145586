"""KeysetPaginator: every row once, in order, for uniform and mixed orderings."""

from __future__ import annotations

import pytest

from apps.contacts.models import Contact
from apps.contacts.tests.factories import ContactFactory
from apps.users.tests.factories import UserFactory
from common.pagination import InvalidCursor, KeysetPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts():
    owner = UserFactory.create()
    # Many ties on the leading fields, so the later fields and the id must decide.
    for i in range(17):
        ContactFactory.create(
            owner=owner, last_name="Same" if i % 3 else "Other", first_name=f"N{i % 4}"
        )
    return Contact.objects.filter(owner=owner)


def walk(paginator: KeysetPaginator[Contact]) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        page = paginator.page(cursor)
        seen.extend(c.pk for c in page.items)
        if not page.has_next:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize(
    "ordering",
    [
        ("last_name", "first_name", "id"),  # uniform: one row-value comparison
        ("-last_name", "-first_name", "-id"),
        ("last_name", "-first_name", "id"),  # mixed: the expanded OR form
        ("id",),
    ],
)
@pytest.mark.parametrize("page_size", [1, 4, 50])
def test_pages_cover_every_row_once_in_order(contacts, ordering, page_size):
    expected = list(contacts.order_by(*ordering).values_list("pk", flat=True))
    assert walk(KeysetPaginator(contacts, ordering=ordering, page_size=page_size)) == expected


def test_cursor_for_starts_after_the_object(contacts):
    ordering = ("last_name", "first_name", "id")
    paginator = KeysetPaginator(contacts, ordering=ordering, page_size=3)
    rows = list(contacts.order_by(*ordering))
    page = paginator.page(paginator.cursor_for(rows[5]))
    assert [c.pk for c in page.items] == [c.pk for c in rows[6:9]]


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", "WzFd", "WyJhIiwiYiIsIngiXQ"])
def test_foreign_or_malformed_cursors_are_refused(contacts, cursor):
    paginator = KeysetPaginator(contacts, ordering=("last_name", "first_name", "id"), page_size=3)
    with pytest.raises(InvalidCursor):
        paginator.page(cursor)


def test_bad_arguments():
    with pytest.raises(ValueError, match="ordering"):
        KeysetPaginator(Contact.objects.all(), ordering=(), page_size=1)
    with pytest.raises(ValueError, match="page_size"):
        KeysetPaginator(Contact.objects.all(), ordering=("id",), page_size=0)
