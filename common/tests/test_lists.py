"""The list toolkit (common.lists), proven generic on a second model: the security log.

``EventList`` declares a list of the signed-in user's SecurityEvents with its own owner
field, search lookup, sorts, page size and templates; the contacts list is the other user.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from http import HTTPStatus
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone

from apps.accounts.models import SecurityEvent
from apps.users.tests.factories import UserFactory
from common.lists import OwnedList
from common.lists.selectors import list_count, list_page, list_search, normalise_query
from common.lists.selectors import normalise_sort as sort_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_templates")]


class EventList(OwnedList):
    model = SecurityEvent
    owner_field = "user"
    search_field = "detail"  # icontains, the default lookup
    sorts = {
        "newest": ("Newest", ("-created_at", "-id")),
        "kind": ("Kind", ("kind", "id")),
    }
    page_size = 3
    defer = ("user_agent",)
    template_name = "tests/lists/events.html"
    count_template_name = "tests/lists/count.html"
    url_name = "events:list"
    count_url_name = "events:count"

    @classmethod
    def get_extra_context(cls, request: HttpRequest) -> dict[str, Any]:
        return {"greeting": f"Hello {request.user}"}


urlpatterns = [
    path("events/", include((EventList.urls(), "events"))),
    path("accounts/", include("allauth.urls")),
]
URLS = pytest.mark.urls(__name__)


@pytest.fixture
def me():
    return UserFactory(email="me@example.com")


@pytest.fixture
def other():
    return UserFactory(email="other@example.com")


@pytest.fixture
def events(me, other) -> list[SecurityEvent]:
    """Seven of my events, a minute apart (newest last), and one of someone else's."""
    start = timezone.now() - timedelta(hours=1)
    mine = [
        SecurityEvent.objects.create(
            user=me,
            kind="login" if i % 2 else "logout",
            detail=f"Event {i}",
            created_at=start + timedelta(minutes=i),
        )
        for i in range(7)
    ]
    SecurityEvent.objects.create(user=other, kind="login", detail="Event secret")
    return mine


@pytest.fixture
def me_client(me) -> Client:
    client = Client()
    client.force_login(me)
    return client


# ------------------------------------------------------------------------------ declaration
def test_a_sort_must_end_with_the_primary_key():
    with pytest.raises(ImproperlyConfigured, match="primary key"):

        class Bad(OwnedList):
            model = SecurityEvent
            sorts = {"kind": ("Kind", ("kind",))}
            template_name = "x.html"
            url_name = "x:list"


def test_the_default_sort_must_be_a_sort_and_a_template_is_needed():
    with pytest.raises(ImproperlyConfigured, match="default_sort"):

        class BadDefault(EventList):
            model = SecurityEvent
            default_sort = "oldest"

    with pytest.raises(ImproperlyConfigured, match="template_name"):

        class NoTemplate(OwnedList):
            model = SecurityEvent
            sorts = {"id": ("Id", ("id",))}
            url_name = "x:list"


def test_the_search_walk_share_is_at_least_one():
    with pytest.raises(ImproperlyConfigured, match="search_walk_share"):

        class NoShare(EventList):
            model = SecurityEvent
            search_walk_share = 0


def test_a_count_needs_both_its_template_and_its_url_name():
    with pytest.raises(ImproperlyConfigured, match="count_template_name"):

        class HalfCount(OwnedList):
            model = SecurityEvent
            sorts = {"id": ("Id", ("id",))}
            template_name = "x.html"
            count_template_name = "x_count.html"
            url_name = "x:list"


def test_a_base_without_a_model_is_not_checked():
    class Base(OwnedList):
        page_size = 10

    assert Base.page_size == 10


@URLS
def test_urls_come_from_the_declaration():
    assert reverse("events:list") == "/events/"
    assert reverse("events:count") == "/events/count/"
    assert EventList.list_url() == "/events/"
    assert EventList.list_url(q="a b", sort="newest") == "/events/?q=a+b"  # default sort left out
    assert EventList.list_url(sort="kind", cursor="c") == "/events/?sort=kind&cursor=c"
    assert EventList.count_url(q="x") == "/events/count/?q=x"


# ------------------------------------------------------------------------------ selectors
def test_the_first_sort_is_the_default():
    assert sort_of(config=EventList, sort=None) == "newest"
    assert sort_of(config=EventList, sort="password") == "newest"
    assert sort_of(config=EventList, sort="kind") == "kind"


def test_the_query_is_normalised_to_the_declared_length():
    assert normalise_query(config=EventList, query="  Ev\x00ent\t 3 ") == "event 3"
    assert len(normalise_query(config=EventList, query="x" * 500)) == EventList.search_max


def test_search_uses_the_declared_field_and_lookup_and_the_owner(me, events):
    assert [e.detail for e in list_search(config=EventList, owner=me, query="EVENT 3")] == [
        "Event 3"
    ]
    assert list_count(config=EventList, owner=me, query="event") == 7  # not the other user's
    assert list_count(config=EventList, owner=me, query="secret") == 0


@pytest.mark.parametrize(("limit", "counted"), [(None, 7), (7, 7), (8, 7), (6, 7), (3, 4), (0, 1)])
def test_a_count_with_a_limit_stops_one_row_past_it(me, events, limit, counted):
    assert list_count(config=EventList, owner=me, query="event", limit=limit) == counted


def test_pages_go_through_every_own_object_once_in_each_sort(me, events):
    for sort in EventList.sorts:
        seen: list[int] = []
        cursor: str | None = None
        while True:
            page = list_page(config=EventList, owner=me, sort=sort, cursor=cursor)
            assert len(page.items) <= EventList.page_size
            seen.extend(e.pk for e in page.items)
            if not page.has_next:
                break
            cursor = page.next_cursor
        assert sorted(seen) == sorted(e.pk for e in events), sort
    newest = list_page(config=EventList, owner=me, page_size=2).items
    assert [e.detail for e in newest] == ["Event 6", "Event 5"]


# ------------------------------------------------------------------------------ views
@URLS
def test_the_page_the_results_and_the_rows(me_client, events):
    page = me_client.get("/events/")
    assert page.status_code == HTTPStatus.OK
    assert b"<html" in page.content and b"Hello me@example.com" in page.content
    assert page.content.count(b"data-row") == 3 and b"secret" not in page.content
    assert "HX-Request" in page["Vary"] and "HX-Boosted" in page["Vary"]
    assert page.context["sort"] == "newest" and page.context["count_url"] == "/events/count/"
    assert [s["active"] for s in page.context["sorts"]] == [True, False]

    results = me_client.get(
        "/events/", {"q": "event", "sort": "kind"}, headers={"HX-Request": "true"}
    )
    assert results.content.lstrip().startswith(b'<div id="results">')
    assert b"Hello" not in results.content  # the extra context is for the full page
    assert results.context["sorts"][1]["url"] == "/events/?q=event&sort=kind"

    cursor = page.context["page"].next_cursor
    rows = me_client.get("/events/", {"cursor": cursor}, headers={"HX-Request": "true"})
    assert b"<ul" not in rows.content and rows.content.count(b"data-row") == 3
    assert "sorts" not in rows.context and "count_url" not in rows.context  # rows only

    boosted = me_client.get("/events/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert b"<html" in boosted.content


@URLS
def test_head_is_allowed_and_post_is_not(me_client, events):
    assert me_client.head("/events/").status_code == HTTPStatus.OK
    assert me_client.post("/events/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert me_client.post("/events/count/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


@URLS
def test_an_invalid_cursor_starts_over_or_explains(me_client, events):
    wrong = base64.urlsafe_b64encode(b"[1,1]").decode().rstrip("=")
    response = me_client.get("/events/", {"cursor": wrong, "sort": "kind", "q": "ev"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/events/?q=ev&sort=kind"
    response = me_client.get("/events/", {"cursor": "garbage!!"}, headers={"HX-Request": "true"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"no longer valid" in response.content


@URLS
def test_the_count_page_and_partial(me_client, events):
    partial = me_client.get("/events/count/", {"q": "event 1"}, headers={"HX-Request": "true"})
    assert partial.content.decode().strip() == "1 event match “event 1”"
    page = me_client.get("/events/count/")
    assert b"<html" in page.content and b"7 events" in page.content
    assert "HX-Request" in page["Vary"]


@URLS
def test_pages_cost_the_same_queries_however_deep(me_client, events, django_assert_num_queries):
    first = me_client.get("/events/")
    cursor = first.context["page"].next_cursor
    # session + user + one page
    with django_assert_num_queries(3):
        me_client.get("/events/", {"cursor": cursor}, headers={"HX-Request": "true"})
    # a search also asks where its window of the ordering ends (the search plan)
    with django_assert_num_queries(4):
        me_client.get("/events/", {"q": "event"})


@URLS
def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/events/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
