"""View tests: every URL as a full page and as an htmx partial, and bad input."""

from __future__ import annotations

import base64
import re
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.contacts import services
from apps.contacts.lists import ContactList
from apps.contacts.models import Contact, ContactExport, DeletedContacts
from apps.contacts.tests.factories import ContactFactory
from apps.core.models import RowTally
from common.tests.test_lists_objects import form_fields

pytestmark = pytest.mark.django_db

LIST = reverse("contacts:list")


def test_anonymous_is_sent_to_login(client, htmx):
    response = client.get(LIST)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
    response = client.get(LIST, headers=htmx)
    assert response.headers["HX-Redirect"].startswith(reverse("account_login"))


def test_list_full_page_and_partial(owner_client, owner, contact):
    full = owner_client.get(LIST)
    assert full.status_code == HTTPStatus.OK
    assert b"<html" in full.content and b"Ada Lovelace" in full.content
    assert "HX-Request" in full["Vary"]

    partial = owner_client.get(LIST, {"q": "ada"}, headers={"HX-Request": "true"})
    assert partial.status_code == HTTPStatus.OK
    assert b"<html" not in partial.content
    assert partial.content.lstrip().startswith(b'<div id="results">')
    assert b"Ada Lovelace" in partial.content
    assert len(partial.content) < len(full.content) / 2
    assert "HX-Request" in partial["Vary"]


def test_search_filters_and_escapes(owner_client, owner):
    ContactFactory(owner=owner, first_name="<script>alert(1)</script>", last_name="X")
    ContactFactory(owner=owner, first_name="Bob", last_name="Builder")
    response = owner_client.get(LIST, {"q": "script"})
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    assert b"<script>alert(1)" not in response.content
    assert b"Bob" not in response.content


def test_load_more_returns_rows_and_next_cursor(owner_client, owner):
    ContactFactory.create_batch(55, owner=owner)
    first = owner_client.get(LIST)
    assert first.content.count(b"data-row ") == 50
    page = first.context["page"]
    assert page.has_next
    more = owner_client.get(LIST, {"cursor": page.next_cursor}, headers={"HX-Request": "true"})
    assert more.status_code == HTTPStatus.OK
    assert more.content.count(b"data-row ") == 5
    assert b'id="load-more"' not in more.content
    assert b"<table" not in more.content


def test_bad_cursor_redirects_or_explains(owner_client, htmx):
    response = owner_client.get(LIST, {"cursor": "garbage!!", "q": "x"})
    assert response.status_code == HTTPStatus.FOUND and "cursor" not in response["Location"]
    response = owner_client.get(LIST, {"cursor": "WzFd"}, headers=htmx)  # [1]: wrong length
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"data-error-message" in response.content


@pytest.mark.parametrize("n", [3, 120])
def test_list_and_search_use_constant_queries(owner_client, owner, n, django_assert_num_queries):
    ContactFactory.create_batch(n, owner=owner)
    partial = {"HX-Request": "true"}
    # The first request of a session records it (usersessions, at most once a minute).
    owner_client.get(reverse("home"))
    # session + user + the page's keys + the rows not cached yet (all of them, the first time)
    with django_assert_num_queries(4):
        page = owner_client.get(LIST)
    # Every row cached: session + user + the page's keys (no export started in this session).
    with django_assert_num_queries(3):
        owner_client.get(LIST)
    # A search: session + user + the owner's size (once) + one walk that stops at a page,
    # its rows cached; and, when the walk saw fewer matches than a page, their sort.
    with django_assert_num_queries(4 if n > 50 else 5):
        owner_client.get(LIST, {"q": "example"}, headers=partial)
    # Asked again: the same (a walk that saw the whole list is not skipped next time).
    with django_assert_num_queries(3 if n > 50 else 4):
        owner_client.get(LIST, {"q": "example"}, headers=partial)
    if n > 50:
        cursor = {"cursor": page.context["page"].next_cursor}
        with django_assert_num_queries(4):  # + the rows of the second page, not cached yet
            owner_client.get(LIST, cursor, headers=partial)
        with django_assert_num_queries(3):
            owner_client.get(LIST, cursor, headers=partial)


def test_the_list_links_the_export_this_session_started(
    owner_client, owner, other_user, client_for, django_assert_num_queries
):
    ContactFactory(owner=owner)
    owner_client.get(LIST)  # its row is cached from here on
    started = owner_client.post(reverse("contacts:export_start"))
    job = ContactExport.objects.get(owner=owner)
    assert started["Location"] == reverse("contacts:export", args=[job.pk])
    link = f'href="{reverse("contacts:export", args=[job.pk])}">Latest export ('
    with django_assert_num_queries(4):  # session + user + page + that export
        assert link in owner_client.get(LIST).content.decode()
    # Another session of the same user (another device) asks nothing about exports.
    elsewhere = client_for(owner)
    elsewhere.get(reverse("home"))  # records the session (usersessions)
    with django_assert_num_queries(3):
        assert "Latest export" not in elsewhere.get(LIST).content.decode()
    # Gone (purged after its retention time): no link, and the session forgets it.
    job.delete()
    assert "Latest export" not in owner_client.get(LIST).content.decode()
    assert "kis:latest-export:contacts.contactexport" not in owner_client.session
    with django_assert_num_queries(3):
        owner_client.get(LIST)


def test_the_latest_export_link_never_shows_another_users_job(owner_client, other_user):
    theirs = ContactExport.objects.create(owner=other_user)
    session = owner_client.session
    session["kis:latest-export:contacts.contactexport"] = theirs.pk
    session.save()
    assert "Latest export" not in owner_client.get(LIST).content.decode()


def test_count_partial_and_page(owner_client, owner):
    ContactFactory.create_batch(3, owner=owner)
    ContactFactory(owner=owner, first_name="Unique", last_name="Person")
    partial = owner_client.get(
        reverse("contacts:count"), {"q": "uniq"}, headers={"HX-Request": "true"}
    )
    assert partial.content.decode().strip().startswith("1 contact match")
    page = owner_client.get(reverse("contacts:count"))
    assert b"4 contacts" in page.content and b"<html" in page.content


def test_count_past_the_limit_says_more_than(owner_client, owner, monkeypatch):
    ContactFactory.create_batch(4, owner=owner)
    count = reverse("contacts:count")
    monkeypatch.setattr(ContactList, "count_limit", 3)
    partial = owner_client.get(count, headers={"HX-Request": "true"})
    assert partial.content.decode().strip() == "More than 3 contacts"
    page = owner_client.get(count, {"q": "example"})
    assert "More than 3 contacts match “example”" in page.content.decode()
    monkeypatch.setattr(ContactList, "count_limit", 4)  # exactly the limit: the number
    partial = owner_client.get(count, headers={"HX-Request": "true"})
    assert partial.content.decode().strip() == "4 contacts"


def test_the_unfiltered_count_reads_the_tally_exact_beyond_the_limit(
    owner_client, owner, monkeypatch
):
    ContactFactory.create_batch(6, owner=owner)
    count = reverse("contacts:count")
    monkeypatch.setattr(ContactList, "count_limit", 3)
    owner_client.get(count)  # the first request records the session
    with CaptureQueriesContext(connection) as queries:
        partial = owner_client.get(count, headers={"HX-Request": "true"})
    assert partial.content.decode().strip() == "6 contacts"
    assert not [q for q in queries if Contact._meta.db_table in q["sql"]]  # no rows read
    searched = owner_client.get(count, {"q": "example"}).content.decode()
    assert "More than 3 contacts match “example”" in searched  # a search still counts rows


def test_the_count_counts_rows_when_the_tally_is_missing(owner_client, owner):
    ContactFactory.create_batch(2, owner=owner)
    RowTally.objects.filter(owner=owner).delete()
    partial = owner_client.get(reverse("contacts:count"), headers={"HX-Request": "true"})
    assert partial.content.decode().strip() == "2 contacts"


def test_detail(owner_client, contact):
    response = owner_client.get(reverse("contacts:detail", args=[contact.pk]))
    assert response.status_code == HTTPStatus.OK
    assert b"ada@example.com" in response.content


def test_create_success_and_failure(owner_client, owner, contact):
    url = reverse("contacts:create")
    assert owner_client.get(url).status_code == HTTPStatus.OK
    response = owner_client.post(url, {"first_name": "Grace", "email": "grace@example.com"})
    new = Contact.objects.get(email="grace@example.com")
    assert response["Location"] == reverse("contacts:detail", args=[new.pk])

    response = owner_client.post(
        url,
        {"first_name": "Typed", "email": "ADA@example.com"},
        headers={"HX-Request": "true", "HX-Boosted": "true"},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"Already used by Ada Lovelace." in response.content
    assert b'value="Typed"' in response.content  # nothing lost


def _submission_key(client) -> str:
    """Return the submission key of a freshly shown new-contact form."""
    page = client.get(reverse("contacts:create")).content.decode()
    match = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page)
    assert match, "the new-contact form carries no submission key"
    return match.group(1)


def test_create_sent_twice_creates_one_contact(owner_client, owner):
    """A double submit of the same form (no email to collide on) creates one contact."""
    key = _submission_key(owner_client)
    data = {"first_name": "Twice", "submission_key": key}
    first = owner_client.post(reverse("contacts:create"), data)
    second = owner_client.post(reverse("contacts:create"), data)
    created = Contact.objects.get(owner=owner, first_name="Twice")
    assert first["Location"] == second["Location"] == created.get_absolute_url()
    assert Contact.objects.filter(owner=owner, first_name="Twice").count() == 1
    # A new form is a new submission: the same values again make a second contact.
    again = {"first_name": "Twice", "submission_key": _submission_key(owner_client)}
    assert _submission_key(owner_client) != key
    owner_client.post(reverse("contacts:create"), again)
    assert Contact.objects.filter(owner=owner, first_name="Twice").count() == 2


def test_create_that_failed_can_be_corrected_and_sent_with_the_same_key(owner_client, owner):
    key = _submission_key(owner_client)
    bad = owner_client.post(reverse("contacts:create"), {"email": "nope", "submission_key": key})
    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert f'value="{key}"'.encode() in bad.content  # the re-rendered form keeps its key
    good = owner_client.post(
        reverse("contacts:create"), {"email": "fixed@example.com", "submission_key": key}
    )
    assert good.status_code == HTTPStatus.FOUND
    assert Contact.objects.filter(owner=owner, email="fixed@example.com").count() == 1


def test_submission_keys_are_per_user(owner_client, owner, other_user):
    """Another user's key neither blocks nor reveals anything."""
    key = _submission_key(owner_client)
    other = Client()
    other.force_login(other_user)
    other.post(reverse("contacts:create"), {"first_name": "Theirs", "submission_key": key})
    owner_client.post(reverse("contacts:create"), {"first_name": "Mine", "submission_key": key})
    assert Contact.objects.filter(owner=owner, first_name="Mine").count() == 1
    assert Contact.objects.filter(owner=other_user, first_name="Theirs").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"first_name": "x" * 101},
        {"email": "not-an-email"},
        {"first_name": "", "last_name": "", "email": ""},
        {"notes": "n" * 5001, "first_name": "A"},
        {"first_name": "A", "version": "abc"},
        {"first_name": "\x00"},
    ],
)
def test_create_bad_input_is_422_with_message(owner_client, data):
    response = owner_client.post(reverse("contacts:create"), data)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b'role="alert"' in response.content
    assert not Contact.objects.exists()


def test_create_error_summary_mentions_marked_fields_only_when_some_are(owner_client):
    nameless = owner_client.post(reverse("contacts:create"), {"phone": "123"})
    assert b"Give at least a name or an email address." in nameless.content
    assert b"correct the marked fields" not in nameless.content  # nothing is marked
    bad_email = owner_client.post(reverse("contacts:create"), {"email": "nope"})
    assert b"correct the marked fields" in bad_email.content
    assert b'aria-invalid="true"' in bad_email.content


def test_create_accepts_unicode(owner_client):
    response = owner_client.post(
        reverse("contacts:create"),
        {"first_name": "Zoë", "last_name": "Ōtsuka 大塚", "company": "Café ☕"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Contact.objects.get().last_name == "Ōtsuka 大塚"


def test_edit_saves_and_conflict_keeps_typed_values(owner_client, contact):
    url = reverse("contacts:edit", args=[contact.pk])
    assert b'name="version" value="1"' in owner_client.get(url).content
    response = owner_client.post(url, {"first_name": "Ada", "last_name": "King", "version": "1"})
    assert response.status_code == HTTPStatus.FOUND
    contact.refresh_from_db()
    assert contact.last_name == "King" and contact.version == 2

    stale = {"first_name": "Ada", "last_name": "Byron", "company": "Mine", "version": "1"}
    response = owner_client.post(url, stale)
    assert response.status_code == HTTPStatus.CONFLICT
    assert b"changed elsewhere" in response.content
    assert b"King" in response.content and b'value="Mine"' in response.content
    assert b'name="version" value="2"' in response.content
    contact.refresh_from_db()
    assert contact.last_name == "King"
    htmx_response = owner_client.post(
        url, stale, headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert htmx_response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY


def test_inline_row_get_edit_save_and_errors(owner_client, contact, htmx):
    row = reverse("contacts:row", args=[contact.pk])
    edit = owner_client.get(reverse("contacts:row_edit", args=[contact.pk]), headers=htmx)
    assert edit.content.lstrip().startswith(b"<tr") and b"data-escape" in edit.content
    shown = owner_client.get(row, headers=htmx)
    assert shown.content.lstrip().startswith(b"<tr") and b"Ada Lovelace" in shown.content

    saved = owner_client.post(
        row,
        {
            "first_name": "Augusta",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            "version": "1",
        },
        headers=htmx,
    )
    assert saved.status_code == HTTPStatus.OK and b"Augusta Lovelace" in saved.content
    assert "contacts-changed" in saved["HX-Trigger"]

    bad = owner_client.post(
        row, {"first_name": "", "last_name": "", "email": "", "version": "2"}, headers=htmx
    )
    assert (
        bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        and b"Give at least a name" in bad.content
    )

    stale = owner_client.post(row, {"first_name": "Old", "version": "1"}, headers=htmx)
    assert (
        stale.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        and b"Changed elsewhere" in stale.content
    )

    # Without htmx these URLs lead to the full pages.
    assert owner_client.get(row)["Location"] == reverse("contacts:detail", args=[contact.pk])
    assert owner_client.get(reverse("contacts:row_edit", args=[contact.pk]))["Location"] == reverse(
        "contacts:edit", args=[contact.pk]
    )


def test_favourite_partial_and_plain(owner_client, contact, htmx):
    url = reverse("contacts:favourite", args=[contact.pk])
    response = owner_client.post(url, {"favourite": "1"}, headers=htmx)
    assert b'aria-pressed="true"' in response.content and b"<tr" not in response.content
    assert response.content.lstrip().startswith(b"<button")
    contact.refresh_from_db()
    assert contact.is_favourite
    response = owner_client.post(url, {"favourite": "0", "next": "/contacts/?q=a"})
    assert response["Location"] == "/contacts/?q=a"
    response = owner_client.post(url, {"favourite": "0", "next": "https://evil.example/"})
    assert response["Location"] == reverse("contacts:detail", args=[contact.pk])


def test_delete_confirm_then_undo(owner_client, contact, htmx):
    url = reverse("contacts:delete", args=[contact.pk])
    assert b"Delete Ada Lovelace?" in owner_client.get(url).content
    response = owner_client.post(url, headers=htmx)
    assert response.status_code == HTTPStatus.OK and "contacts-changed" in response["HX-Trigger"]
    assert b"undo" in response.content  # the toast with its Undo form, out of band
    assert not Contact.objects.exists()
    trash = DeletedContacts.objects.get()
    response = owner_client.post(reverse("contacts:undo", args=[trash.pk]), {"next": "/contacts/"})
    assert response["Location"] == "/contacts/"
    assert Contact.objects.get().pk == contact.pk


def test_plain_delete_redirects_with_undo_message(owner_client, contact):
    response = owner_client.post(reverse("contacts:delete", args=[contact.pk]))
    assert response["Location"] == LIST
    (message,) = get_messages(response.wsgi_request)
    assert message.extra_tags.startswith("undo:/contacts/undo/")
    page = owner_client.get(LIST)
    assert b"Undo" in page.content and b'aria-keyshortcuts="u"' in page.content


def test_bulk_delete_only_deletes_own_selected(owner_client, owner, other_user):
    mine = ContactFactory.create_batch(3, owner=owner)
    theirs = ContactFactory.create(owner=other_user)
    response = owner_client.post(
        reverse("contacts:bulk_delete"),
        {"ids": [mine[0].pk, mine[1].pk, theirs.pk, "x", "²", "9" * 30], "next": "/contacts/?q=z"},
    )
    assert response["Location"] == "/contacts/?q=z"
    assert set(Contact.objects.values_list("pk", flat=True)) == {mine[2].pk, theirs.pk}
    assert len(DeletedContacts.objects.get().rows) == 2
    response = owner_client.post(reverse("contacts:bulk_delete"), {})
    assert response.status_code == HTTPStatus.FOUND


def test_validate_email_partial(owner_client, contact, htmx):
    url = reverse("contacts:validate_email")
    taken = owner_client.get(url, {"email": "ADA@example.com"}, headers=htmx)
    assert b"Already used by Ada Lovelace." in taken.content
    own = owner_client.get(url, {"email": "ada@example.com", "contact": contact.pk}, headers=htmx)
    assert b"available" in own.content
    bad = owner_client.get(url, {"email": "nope"}, headers=htmx)
    assert b"Enter a valid email address." in bad.content
    hint = b"Optional; checked for duplicates."
    assert hint in owner_client.get(url, {"email": " "}, headers=htmx).content  # cleared
    assert hint in owner_client.get(reverse("contacts:create")).content  # nothing typed yet
    plain = owner_client.get(url, {"email": "x@y.org", "contact": "abc"})
    assert plain.content == b"OK"
    assert "HX-Request" in plain["Vary"]  # the same URL answers htmx with a fragment


def test_get_never_changes_data(owner_client, contact):
    for name in ("favourite", "bulk_delete", "export_start"):
        args = [contact.pk] if name == "favourite" else []
        assert (
            owner_client.get(reverse(f"contacts:{name}", args=args)).status_code
            == HTTPStatus.METHOD_NOT_ALLOWED
        )
    owner_client.get(reverse("contacts:delete", args=[contact.pk]))
    assert Contact.objects.filter(pk=contact.pk, is_favourite=False).exists()


def test_csrf_is_enforced(owner, contact):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(reverse("contacts:delete", args=[contact.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_out_of_range_ids_are_404_not_500(owner_client):
    assert owner_client.get("/contacts/99999999999999999999999/").status_code == 404
    response = owner_client.get(
        reverse("contacts:validate_email"), {"email": "a@b.org", "contact": "9" * 40}
    )
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_name": "x" * 101, "email": "ada@example.com"}, b"at most 100 characters"),
        ({"first_name": "Ada", "email": "not-an-email"}, b"Enter a valid email address."),
        ({"first_name": "Ada", "email": "a@b.org", "phone": "9" * 41}, b"at most 40 characters"),
    ],
)
def test_inline_row_bad_input_is_422_in_the_row(owner_client, contact, htmx, data, message):
    response = owner_client.post(
        reverse("contacts:row", args=[contact.pk]), {**data, "version": "1"}, headers=htmx
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.content.lstrip().startswith(b"<tr") and message in response.content
    contact.refresh_from_db()
    assert contact.first_name == "Ada" and contact.version == 1


def test_boosted_navigation_gets_full_pages(owner_client, contact):
    boosted = {"HX-Request": "true", "HX-Boosted": "true"}
    for url in (
        LIST,
        reverse("contacts:detail", args=[contact.pk]),
        reverse("contacts:edit", args=[contact.pk]),
        reverse("contacts:create"),
        reverse("contacts:delete", args=[contact.pk]),
        reverse("contacts:import_start"),
    ):
        response = owner_client.get(url, headers=boosted)
        assert response.status_code == HTTPStatus.OK, url
        assert b"<html" in response.content, url


def test_empty_post_gets_messages_not_a_blank_form(owner_client, contact):
    for url in (reverse("contacts:create"), reverse("contacts:edit", args=[contact.pk])):
        response = owner_client.post(url, {})
        assert response.status_code in (HTTPStatus.UNPROCESSABLE_ENTITY, HTTPStatus.CONFLICT)
        assert b'role="alert"' in response.content, url
    response = owner_client.post(reverse("contacts:import_start"), {})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"This field is required." in response.content


# ------------------------------------------------------------------------------ hostile input
BAD_NEXT = ["abc", "contacts:list", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("bad", BAD_NEXT)
def test_favourite_with_a_bad_next_goes_to_the_default(owner_client, contact, bad):
    url = reverse("contacts:favourite", args=[contact.pk])
    response = owner_client.post(url, {"favourite": "1", "next": bad})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("contacts:detail", args=[contact.pk])
    contact.refresh_from_db()
    assert contact.is_favourite


def _undo_tag(response) -> str:
    (message,) = get_messages(response.wsgi_request)
    assert message.extra_tags.startswith("undo:/contacts/undo/")
    return message.extra_tags.removeprefix("undo:")


@pytest.mark.parametrize("bad", BAD_NEXT)
def test_delete_and_undo_with_a_bad_next_keep_the_undo_toast(owner_client, contact, htmx, bad):
    url = reverse("contacts:delete", args=[contact.pk])
    response = owner_client.post(url, {"next": bad}, headers=htmx)
    assert response.status_code == HTTPStatus.OK
    assert not Contact.objects.exists()
    undo = _undo_tag(response)
    assert undo.endswith("?" + "next=%2Fcontacts%2F")  # the default, not BAD
    response = owner_client.post(undo.split("?")[0], {"next": bad})
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == LIST
    assert Contact.objects.get().pk == contact.pk
    (message,) = get_messages(response.wsgi_request)
    assert message.message == "Restored 1 contact."


@pytest.mark.parametrize("bad", BAD_NEXT)
def test_bulk_delete_with_a_bad_next_keeps_the_undo_toast(owner_client, owner, bad):
    mine = ContactFactory.create_batch(2, owner=owner)
    response = owner_client.post(
        reverse("contacts:bulk_delete"), {"ids": [c.pk for c in mine], "next": bad}
    )
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == LIST
    assert not Contact.objects.exists()
    assert _undo_tag(response).endswith("?next=%2Fcontacts%2F")
    page = owner_client.get(LIST)
    assert b"Deleted 2 contacts." in page.content and b"Undo" in page.content


@pytest.mark.parametrize("q", ["\x00", "a\x00b", "\x00" * 200, "\x01\x1f\x7f", "a\tb\nc", "\ufffd"])
def test_search_with_control_characters_is_a_page_not_a_500(owner_client, contact, q):
    for url in (LIST, reverse("contacts:count")):
        assert owner_client.get(url, {"q": q}).status_code == HTTPStatus.OK
        partial = owner_client.get(url, {"q": q}, headers={"HX-Request": "true"})
        assert partial.status_code == HTTPStatus.OK


def test_search_ignores_nul_inside_a_term(owner_client, contact):
    response = owner_client.get(LIST + "?q=Ada%00Love")  # "ada" + "love" after stripping
    assert response.status_code == HTTPStatus.OK
    response = owner_client.get(LIST + "?q=Love%00lace")
    assert b"Lovelace" in response.content
    response = owner_client.get(LIST + "?q=%ED%A0%80")  # a lone surrogate, as raw UTF-8
    assert response.status_code == HTTPStatus.OK


def test_validate_email_with_nul_is_an_error_not_a_500(owner_client, contact, htmx):
    url = reverse("contacts:validate_email")
    response = owner_client.get(url, {"email": "ada@example.com\x00"}, headers=htmx)
    assert response.status_code == HTTPStatus.OK
    assert b"Enter a valid email address." in response.content


@pytest.mark.parametrize("raw", ["[123,1]", '["2026-01-01 00:00:00+00:00",1e400]', '["x",1]'])
def test_ill_typed_cursor_under_the_updated_sort_goes_to_the_start(
    owner_client, contact, htmx, raw
):
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    response = owner_client.get(LIST, {"sort": "updated", "cursor": cursor})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == LIST + "?sort=updated"
    response = owner_client.get(LIST, {"sort": "updated", "cursor": cursor}, headers=htmx)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"no longer valid" in response.content


@pytest.mark.parametrize("field", ["first_name", "last_name", "email", "phone", "company", "notes"])
def test_create_with_nul_in_any_field_is_422_and_saves_nothing(owner_client, field):
    data = {"first_name": "Ada", "email": "ada@example.com", field: "x\x00y"}
    response = owner_client.post(reverse("contacts:create"), data, headers={"HX-Request": "true"})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"Null characters are not allowed." in response.content
    assert not Contact.objects.exists()


# ------------------------------------------------------------------------------ edits elsewhere
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}
CREATE = reverse("contacts:create")


def _opened_form(client, contact) -> tuple[str, dict[str, str]]:
    """Open CONTACT's edit page; return its URL and the values its form sends."""
    url = reverse("contacts:edit", args=[contact.pk])
    return url, form_fields(client.get(url).content, url)


def test_saving_a_contact_deleted_elsewhere_keeps_the_values_as_a_new_contact(
    owner_client, owner, contact
):
    url, sent = _opened_form(owner_client, contact)
    services.contacts_delete(owner=owner, ids=[contact.pk])  # in another tab
    mine = {**sent, "first_name": "Typed", "notes": "kept"}
    for headers, status in (({}, HTTPStatus.CONFLICT), (BOOSTED, HTTPStatus.UNPROCESSABLE_ENTITY)):
        response = owner_client.post(url, mine, headers=headers)
        assert response.status_code == status
        assert b"was deleted (in another tab or device)" in response.content
        assert b"Save as new contact" in response.content
        fields = form_fields(response.content, CREATE)  # the form now creates a contact
        assert fields["first_name"] == "Typed" and fields["notes"] == "kept"
        assert fields["email"] == "ada@example.com" and len(fields["submission_key"]) == 36
    assert owner_client.get(url).status_code == HTTPStatus.NOT_FOUND  # a GET stays a 404
    # Saved as new, twice (double click, resend): one contact.
    first = owner_client.post(CREATE, fields)
    second = owner_client.post(CREATE, fields)
    created = Contact.objects.get(owner=owner)
    assert first["Location"] == second["Location"] == created.get_absolute_url()
    assert (created.first_name, created.notes, created.email) == (
        "Typed",
        "kept",
        "ada@example.com",
    )


def test_saving_a_missing_or_another_users_contact_is_a_plain_404(
    owner_client, client_for, other_user, contact, htmx
):
    theirs = ContactFactory(owner=other_user, first_name="Theirs")
    other = client_for(other_user)
    their_url, their_sent = _opened_form(other, theirs)
    _url, my_sent = _opened_form(owner_client, contact)
    services.contacts_delete(owner=other_user, ids=[theirs.pk])
    for data in ({"first_name": "X", "version": "1"}, my_sent, their_sent):
        # No snapshot, mine for another id, or another user's: as missing as any id.
        assert owner_client.post(their_url, data).status_code == HTTPStatus.NOT_FOUND
        row = reverse("contacts:row", args=[theirs.pk])
        assert owner_client.post(row, data, headers=htmx).status_code == HTTPStatus.NOT_FOUND
    missing = reverse("contacts:edit", args=[theirs.pk + 100])
    assert owner_client.post(missing, my_sent).status_code == HTTPStatus.NOT_FOUND


def test_inline_save_of_a_deleted_contact_offers_save_as_new_or_discard(
    owner_client, owner, contact, htmx
):
    editor = owner_client.get(reverse("contacts:row_edit", args=[contact.pk]), headers=htmx)
    sent = form_fields(editor.content)
    services.contacts_delete(owner=owner, ids=[contact.pk])
    row = reverse("contacts:row", args=[contact.pk])
    response = owner_client.post(row, {**sent, "phone": "555"}, headers=htmx)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.content.lstrip().startswith(b"<tr") and b"was deleted" in response.content
    fields = form_fields(response.content)
    assert fields["phone"] == "555" and len(fields["submission_key"]) == 36
    assert f'action="{CREATE}"'.encode() in response.content  # Save as new: a plain POST
    owner_client.post(CREATE, fields)
    owner_client.post(CREATE, fields)
    assert Contact.objects.get(owner=owner).phone == "555"
    discard = owner_client.post(row, {"opened": sent["opened"], "discard": "1"}, headers=htmx)
    assert discard.status_code == HTTPStatus.OK and b"<tr" not in discard.content  # row gone


def test_a_conflict_applies_only_what_this_user_changed(owner_client, contact):
    url, sent = _opened_form(owner_client, contact)
    services.contact_update(contact=contact, data={"phone": "555 0100"}, version=1)  # tab B
    response = owner_client.post(url, {**sent, "email": "new@example.com"})  # tab A
    assert response.status_code == HTTPStatus.CONFLICT
    fields = form_fields(response.content, url)
    assert fields["phone"] == "555 0100"  # only theirs: taken, not reverted
    assert fields["email"] == "new@example.com"  # only mine: kept
    assert fields["version"] == "2" and b"data-clash" not in response.content
    assert b"The change made there to Phone is now in the form." in response.content
    contact.refresh_from_db()
    assert contact.email == "ada@example.com"  # nothing saved until the user saves again
    assert owner_client.post(url, fields).status_code == HTTPStatus.FOUND
    contact.refresh_from_db()
    assert (contact.phone, contact.email, contact.version) == ("555 0100", "new@example.com", 3)


@pytest.mark.parametrize(("keep", "saved"), [("mine", "Mine Notes"), ("theirs", "Their Notes")])
def test_a_field_changed_on_both_sides_shows_both_values(owner_client, contact, keep, saved):
    url, sent = _opened_form(owner_client, contact)
    services.contact_update(
        contact=contact, data={"notes": "Their Notes", "last_name": "King"}, version=1
    )
    response = owner_client.post(url, {**sent, "notes": "Mine Notes", "first_name": "Augusta"})
    assert response.status_code == HTTPStatus.CONFLICT
    html = response.content.decode()
    assert 'data-clash="notes"' in html and html.count("data-clash=") == 1
    assert "Their Notes" in html and "Mine Notes" in html
    assert "You both changed Notes" in html
    fields = form_fields(html, url)
    assert fields["notes"] == "Mine Notes" and fields["keep-notes"] == "mine"  # the default
    assert (fields["first_name"], fields["last_name"]) == ("Augusta", "King")
    owner_client.post(url, {**fields, "keep-notes": keep})
    contact.refresh_from_db()
    assert (contact.notes, contact.first_name, contact.last_name) == (saved, "Augusta", "King")


def test_an_inline_conflict_merges_in_the_row(owner_client, contact, htmx):
    editor = owner_client.get(reverse("contacts:row_edit", args=[contact.pk]), headers=htmx)
    sent = form_fields(editor.content)
    services.contact_update(contact=contact, data={"phone": "555", "email": "b@x.org"}, version=1)
    row = reverse("contacts:row", args=[contact.pk])
    response = owner_client.post(row, {**sent, "email": "a@x.org"}, headers=htmx)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    assert html.count('role="alert"') == 1 and 'data-clash="email"' in html
    fields = form_fields(html)
    assert (fields["phone"], fields["email"], fields["keep-email"]) == ("555", "a@x.org", "mine")
    email_input = re.search(rf'<input[^>]*id="contact-{contact.pk}-email"[^>]*>', html)
    assert email_input and "autofocus" in email_input.group()  # the editor starts in the clash
    saved = owner_client.post(row, fields, headers=htmx)
    assert saved.status_code == HTTPStatus.OK
    contact.refresh_from_db()
    assert (contact.phone, contact.email) == ("555", "a@x.org")
