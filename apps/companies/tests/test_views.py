"""View tests: every companies URL as a full page and as an htmx partial, bad input, access."""

from __future__ import annotations

import re
import uuid
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.companies import services
from apps.companies.models import NAME_MAX, Company, DeletedCompanies
from apps.companies.tests.factories import CompanyFactory
from apps.contacts.models import Contact
from apps.contacts.tests.factories import ContactFactory
from common.tests.test_lists_objects import form_fields

pytestmark = pytest.mark.django_db

LIST = reverse("companies:list")
CREATE = reverse("companies:create")
OPTIONS = reverse("companies:options")


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def option_values(response) -> list[str]:
    return re.findall(r'role="option" aria-selected="false" data-value="([^"]*)"', response.text)


# ------------------------------------------------------------------------------ list
def test_anonymous_is_sent_to_login(client, company):
    for url in (LIST, reverse("companies:detail", args=[company.pk]), OPTIONS):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("account_login"))


def test_list_full_page_and_partial(owner_client, company, htmx):
    full = owner_client.get(LIST)
    assert full.status_code == HTTPStatus.OK
    assert b"<html" in full.content and b"Acme Engines" in full.content
    assert "HX-Request" in full["Vary"]
    partial = owner_client.get(LIST, {"q": "acme"}, headers=htmx)
    assert partial.status_code == HTTPStatus.OK
    assert partial.content.lstrip().startswith(b'<div id="results">')
    assert b"Acme Engines" in partial.content and b"<html" not in partial.content


def test_list_shows_only_the_owners_companies(owner_client, other_user, company):
    CompanyFactory.create(owner=other_user, name="Secret Theirs")
    response = owner_client.get(LIST)
    assert b"Acme Engines" in response.content and b"Secret Theirs" not in response.content


def test_search_matches_name_or_website_and_escapes(owner_client, owner):
    CompanyFactory.create(owner=owner, name="<b>Bold</b> Inc", website="")
    CompanyFactory.create(owner=owner, name="Globex", website="https://globex.example")
    CompanyFactory.create(owner=owner, name="Initech", website="")
    response = owner_client.get(LIST, {"q": "GLOBEX.exa"})
    assert b"Globex" in response.content and b"Initech" not in response.content
    response = owner_client.get(LIST, {"q": "bold"})
    assert b"&lt;b&gt;Bold&lt;/b&gt; Inc" in response.content and b"<b>Bold" not in response.content
    response = owner_client.get(LIST, {"q": "nothing-like-it"})
    assert "No companies match “nothing-like-it”." in response.text


def test_sorts_by_name_and_recently_updated(owner_client, owner):
    b = CompanyFactory.create(owner=owner, name="Bravo")
    CompanyFactory.create(owner=owner, name="Alpha")
    CompanyFactory.create(owner=owner, name="Charlie")
    services.company_update(company=b, data={"notes": "x"}, version=1)
    by_name = owner_client.get(LIST).text
    assert by_name.index("Alpha") < by_name.index("Bravo") < by_name.index("Charlie")
    updated = owner_client.get(LIST, {"sort": "updated"}).text
    assert updated.index("Bravo") < updated.index("Alpha")
    assert owner_client.get(LIST, {"sort": "bogus"}).status_code == HTTPStatus.OK


def test_count_partial_and_page(owner_client, owner, other_user, htmx):
    CompanyFactory.create_batch(3, owner=owner)
    CompanyFactory.create(owner=owner, name="Acme")
    CompanyFactory.create(owner=other_user, name="Acme Theirs")
    count = reverse("companies:count")
    assert owner_client.get(count, headers=htmx).text.strip() == "4 companies"
    assert owner_client.get(count, {"q": "acme"}, headers=htmx).text.strip() == (
        "1 company match “acme”"
    )
    page = owner_client.get(count)
    assert page.status_code == HTTPStatus.OK and b"<html" in page.content


def test_load_more_returns_rows(owner_client, owner, htmx):
    CompanyFactory.create_batch(55, owner=owner)
    first = owner_client.get(LIST)
    assert first.content.count(b"data-row ") == 50
    page = first.context["page"]
    more = owner_client.get(LIST, {"cursor": page.next_cursor}, headers=htmx)
    assert more.status_code == HTTPStatus.OK
    assert more.content.count(b"data-row ") == 5 and b"<table" not in more.content


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=ac%00me",
        "q=" + "x" * 100_000,
        "q=%ED%A0%80",  # a lone surrogate, UTF-8 encoded
        "q=%FF%FE",  # not UTF-8
        "q=%25_%5C%27%22",
        "q=a&q=b&company=c",
        "sort=%00",
        "cursor=garbage!!",
        "cursor=%00",
        "cursor=W1swXV0%3D",
        "cursor=" + "x" * 10_000,
    ],
)
def test_hostile_query_strings_are_never_a_500(owner_client, company, query, htmx):
    contacts = reverse("companies:contacts", args=[company.pk])
    for headers in ({}, dict(htmx)):
        for url in (LIST, reverse("companies:count"), OPTIONS, contacts):
            response = owner_client.get(f"{url}?{query}", headers=headers)
            assert response.status_code < 500, (url, query)


def test_nul_inside_a_search_term_is_dropped(owner_client, company):
    response = owner_client.get(LIST, {"q": "ac\x00me"})
    assert b"Acme Engines" in response.content


def test_bad_cursor_redirects_or_explains(owner_client, htmx):
    response = owner_client.get(LIST, {"cursor": "garbage!!", "q": "x"})
    assert response.status_code == HTTPStatus.FOUND and "cursor" not in response["Location"]
    response = owner_client.get(LIST, {"cursor": "garbage!!"}, headers=htmx)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"data-error-message" in response.content


# ------------------------------------------------------------------------------ detail
def test_detail_lists_only_its_own_contacts(owner_client, owner, other_user, company):
    ContactFactory.create(owner=owner, first_name="Ada", last_name="Lovelace", company=company)
    ContactFactory.create(owner=owner, first_name="Grace", last_name="Hopper", company="Globex")
    ContactFactory.create(owner=owner, first_name="Nobody", last_name="Free")
    theirs = CompanyFactory.create(owner=other_user, name="Acme Engines")
    ContactFactory.create(owner=other_user, first_name="Eve", last_name="Theirs", company=theirs)
    response = owner_client.get(reverse("companies:detail", args=[company.pk]))
    assert response.status_code == HTTPStatus.OK
    assert b"Ada Lovelace" in response.content
    for name in (b"Grace Hopper", b"Nobody Free", b"Eve Theirs"):
        assert name not in response.content
    assert b'<span class="badge">1</span>' in response.content
    assert b"https://acme.example.com" in response.content and b"Big client" in response.content


def test_detail_without_contacts_says_so(owner_client, company):
    response = owner_client.get(reverse("companies:detail", args=[company.pk]))
    assert b"No contacts work here yet" in response.content


def test_company_contacts_load_more(owner_client, owner, company, htmx):
    ContactFactory.create_batch(55, owner=owner, company=company)
    ContactFactory.create_batch(3, owner=owner, company="Other")
    page = owner_client.get(reverse("companies:detail", args=[company.pk]))
    assert page.content.count(b"data-row ") == 50
    next_url = page.context["next_url"]
    assert next_url.startswith(reverse("companies:contacts", args=[company.pk]))
    more = owner_client.get(next_url, headers=htmx)
    assert more.status_code == HTTPStatus.OK
    assert more.content.count(b"data-row ") == 5
    assert b"<html" not in more.content and b'id="load-more"' not in more.content
    # Without htmx the same URL is the whole page from there.
    full = owner_client.get(next_url)
    assert b"<html" in full.content and full.content.count(b"data-row ") == 5


def test_company_contacts_bad_cursor(owner_client, company, htmx):
    url = reverse("companies:contacts", args=[company.pk])
    response = owner_client.get(url, {"cursor": "garbage!!"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == company.get_absolute_url()
    response = owner_client.get(url, {"cursor": "garbage!!"}, headers=htmx)
    assert response.status_code == HTTPStatus.BAD_REQUEST


# ------------------------------------------------------------------------------ create
def test_create_success_redirects_to_the_company(owner_client, owner):
    response = owner_client.get(CREATE)
    assert response.status_code == HTTPStatus.OK and b'name="submission_key"' in response.content
    response = owner_client.post(
        CREATE, {"name": "  Globex ", "website": "globex.example", "notes": "n"}
    )
    company = Company.objects.get(owner=owner)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == company.get_absolute_url()
    assert (company.name, company.website) == ("Globex", "https://globex.example")
    assert messages_of(response) == ["Created Globex."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "acme ENGINES"}, "You already have a company with this name."),
        ({"name": "x" * (NAME_MAX + 1)}, "Ensure this value has at most 150 characters"),
        ({"name": "Ok", "website": "not a url"}, "Enter a valid URL."),
        ({"name": "Null\x00"}, "Null characters are not allowed."),
        ({"name": "Ok", "notes": "\x00"}, "Null characters are not allowed."),
        ({"name": "Ok", "notes": "x" * 5001}, "Ensure this value has at most 5000 characters"),
    ],
)
def test_create_invalid_is_422_in_place(owner_client, company, data, message):
    for headers in ({}, {"HX-Request": "true", "HX-Boosted": "true"}):
        response = owner_client.post(CREATE, data, headers=headers)
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert message in response.text
        assert "Please correct the marked fields." in response.text
    assert Company.objects.count() == 1


def test_create_invalid_keeps_what_was_typed(owner_client, company):
    response = owner_client.post(
        CREATE, {"name": "Acme Engines", "website": "kept.example", "notes": "My notes"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b'value="kept.example"' in response.content or b"https://kept.example" in (
        response.content
    )
    assert b"My notes" in response.content


def test_create_sent_twice_with_the_same_key_creates_one(owner_client, owner):
    key = str(uuid.uuid4())
    data = {"name": "Globex", "submission_key": key}
    first = owner_client.post(CREATE, data)
    second = owner_client.post(CREATE, data)
    company = Company.objects.get(owner=owner)
    assert first.status_code == second.status_code == HTTPStatus.FOUND
    assert second["Location"] == company.get_absolute_url()
    assert "already sent" in messages_of(second)[-1]


def test_create_that_failed_can_be_corrected_with_the_same_key(owner_client, owner, company):
    key = str(uuid.uuid4())
    bad = owner_client.post(CREATE, {"name": "ACME ENGINES", "submission_key": key})
    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    good = owner_client.post(CREATE, {"name": "Globex", "submission_key": key})
    assert good.status_code == HTTPStatus.FOUND
    assert Company.objects.filter(owner=owner).count() == 2


# ------------------------------------------------------------------------------ edit
def test_edit_saves_and_conflict_keeps_typed_values(owner_client, company):
    url = reverse("companies:edit", args=[company.pk])
    page = owner_client.get(url)
    assert b'name="version" value="1"' in page.content and b"Acme Engines" in page.content
    response = owner_client.post(url, {"name": "Acme Motors", "notes": "", "version": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == company.get_absolute_url()
    company.refresh_from_db()
    assert company.name == "Acme Motors" and company.version == 2

    stale = {"name": "Mine Inc", "website": "mine.example", "notes": "typed", "version": "1"}
    response = owner_client.post(url, stale)
    assert response.status_code == HTTPStatus.CONFLICT
    assert b"changed elsewhere" in response.content
    assert b"Acme Motors" in response.content  # what it reads now
    assert b'value="Mine Inc"' in response.content and b"typed" in response.content
    assert b'name="version" value="2"' in response.content
    company.refresh_from_db()
    assert company.name == "Acme Motors"
    htmx_response = owner_client.post(
        url, stale, headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert htmx_response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"changed elsewhere" in htmx_response.content
    # Saving again from the conflict form (it carries version 2) is a deliberate overwrite.
    response = owner_client.post(url, {**stale, "version": "2"})
    assert response.status_code == HTTPStatus.FOUND
    company.refresh_from_db()
    assert company.name == "Mine Inc"


def test_edit_invalid_is_422(owner_client, owner, company):
    CompanyFactory.create(owner=owner, name="Globex")
    url = reverse("companies:edit", args=[company.pk])
    response = owner_client.post(url, {"name": "globex", "version": "1"})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"You already have a company with this name." in response.content


def test_rename_shows_on_the_contacts(owner_client, owner, company):
    ada = ContactFactory.create(owner=owner, first_name="Ada", company=company)
    owner_client.post(
        reverse("companies:edit", args=[company.pk]), {"name": "Acme Motors", "version": "1"}
    )
    response = owner_client.get(ada.get_absolute_url())
    assert b"Acme Motors" in response.content
    assert b"Acme Motors" in owner_client.get(reverse("contacts:list")).content


# ------------------------------------------------------------------------------ inline row
@pytest.fixture
def globex(owner):
    return CompanyFactory.create(owner=owner, name="Globex")


def test_inline_row_get_edit_save(owner_client, company, htmx):
    row = reverse("companies:row", args=[company.pk])
    edit = owner_client.get(reverse("companies:row_edit", args=[company.pk]), headers=htmx)
    assert edit.status_code == HTTPStatus.OK
    assert edit.content.lstrip().startswith(b"<tr") and b"data-escape" in edit.content
    assert f'id="company-{company.pk}"'.encode() in edit.content
    assert b'name="notes"' not in edit.content  # the row has the table's columns only
    shown = owner_client.get(row, headers=htmx)
    assert shown.content.lstrip().startswith(b"<tr") and b"Acme Engines" in shown.content

    saved = owner_client.post(
        row, {"name": "Acme Motors", "website": "motors.example", "version": "1"}, headers=htmx
    )
    assert saved.status_code == HTTPStatus.OK
    assert saved.content.lstrip().startswith(b"<tr") and b"Acme Motors" in saved.content
    assert "companies-changed" in saved["HX-Trigger"]
    company.refresh_from_db()
    assert company.website == "https://motors.example"
    assert company.notes == "Big client"  # not in the row: kept


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "globex"}, "You already have a company with this name."),
        ({"name": "Ok", "website": "a b"}, "Enter a valid URL."),
        ({"name": "Nul\x00"}, "Null characters are not allowed."),
    ],
)
@pytest.mark.usefixtures("globex")
def test_inline_row_bad_input_is_422_in_the_row(owner_client, company, htmx, data, message):
    row = reverse("companies:row", args=[company.pk])
    response = owner_client.post(row, {**data, "version": "1"}, headers=htmx)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.content.lstrip().startswith(b"<tr") and message in response.text
    company.refresh_from_db()
    assert company.name == "Acme Engines"


def test_inline_row_conflict_shows_the_current_values(owner_client, company, htmx):
    services.company_update(company=company, data={"name": "Elsewhere Ltd"}, version=1)
    row = reverse("companies:row", args=[company.pk])
    response = owner_client.post(row, {"name": "Mine", "version": "1"}, headers=htmx)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"Changed elsewhere" in response.content and b"Elsewhere Ltd" in response.content
    assert b'value="Mine"' in response.content and b'name="version" value="2"' in response.content


def test_inline_row_without_htmx_leads_to_the_pages(owner_client, company):
    row = reverse("companies:row", args=[company.pk])
    assert owner_client.get(row)["Location"] == reverse("companies:detail", args=[company.pk])
    assert owner_client.get(reverse("companies:row_edit", args=[company.pk]))["Location"] == (
        reverse("companies:edit", args=[company.pk])
    )


# ------------------------------------------------------------------------------ delete / undo
def test_delete_confirm_then_undo(owner_client, owner, company, htmx):
    ada = ContactFactory.create(owner=owner, company=company)
    url = reverse("companies:delete", args=[company.pk])
    assert b"Delete Acme Engines?" in owner_client.get(url).content
    response = owner_client.post(url, {"next": "/companies/?q=acme"}, headers=htmx)
    assert response.status_code == HTTPStatus.OK and "companies-changed" in response["HX-Trigger"]
    trash = DeletedCompanies.objects.get()
    undo = reverse("companies:undo", args=[trash.pk])
    assert undo.encode() in response.content  # the toast's Undo, out of band
    assert b"Deleted Acme Engines." in response.content
    assert not Company.objects.exists()
    ada.refresh_from_db()
    assert ada.company_id is None and ada.company_name == ""

    response = owner_client.post(undo, {"next": "/companies/?q=acme"})
    assert response["Location"] == "/companies/?q=acme"
    assert messages_of(response) == ["Restored 1 company."]
    assert Company.objects.get().pk == company.pk
    ada.refresh_from_db()
    assert ada.company_id == company.pk and ada.company_name == "Acme Engines"


def test_plain_delete_redirects_to_the_list_with_undo(owner_client, company):
    response = owner_client.post(reverse("companies:delete", args=[company.pk]))
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == LIST
    (message,) = get_messages(response.wsgi_request)
    assert str(message) == "Deleted Acme Engines."
    assert message.extra_tags.startswith("undo:" + reverse("companies:undo", args=[1])[:-2])


def test_undo_after_a_same_name_company_was_added_explains(owner_client, owner, company):
    owner_client.post(reverse("companies:delete", args=[company.pk]))
    trash = DeletedCompanies.objects.get()
    CompanyFactory.create(owner=owner, name="ACME ENGINES")
    response = owner_client.post(reverse("companies:undo", args=[trash.pk]))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "a company with the same name was added since" in response.text


def test_bulk_delete_and_undo(owner_client, owner, other_user):
    mine = CompanyFactory.create_batch(3, owner=owner)
    theirs = CompanyFactory.create(owner=other_user)
    contact = ContactFactory.create(owner=owner, company=mine[0])
    response = owner_client.post(
        reverse("companies:bulk_delete"),
        {"ids": [mine[0].pk, mine[1].pk, theirs.pk, "abc", "-1"], "next": "/companies/?q=c"},
    )
    assert response["Location"] == "/companies/?q=c"
    (message,) = get_messages(response.wsgi_request)
    assert str(message) == "Deleted 2 companies."
    assert list(Company.objects.filter(owner=owner)) == [mine[2]]
    assert Company.objects.filter(pk=theirs.pk).exists()
    undo = message.extra_tags.removeprefix("undo:").split("?")[0]
    owner_client.post(undo)
    assert Company.objects.filter(owner=owner).count() == 3
    contact.refresh_from_db()
    assert contact.company_id == mine[0].pk


def test_bulk_delete_with_nothing_selected(owner_client, company):
    response = owner_client.post(reverse("companies:bulk_delete"), {})
    assert response.status_code == HTTPStatus.FOUND
    assert messages_of(response) == ["Select some companies first."]
    assert Company.objects.exists()


def test_get_never_changes_data(owner_client, company):
    for name in ("delete", "row"):
        owner_client.get(reverse(f"companies:{name}", args=[company.pk]))
    assert owner_client.get(reverse("companies:bulk_delete")).status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )
    assert Company.objects.filter(pk=company.pk).exists()


# ------------------------------------------------------------------------------ access
OBJECT_URLS = ("detail", "edit", "row", "row_edit", "delete", "contacts")


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_another_users_company_is_404(client_for, other_user, company, htmx, name):
    intruder = client_for(other_user)
    url = reverse(f"companies:{name}", args=[company.pk])
    for headers in ({}, dict(htmx)):
        assert intruder.get(url, headers=headers).status_code == HTTPStatus.NOT_FOUND
        response = intruder.post(url, {"name": "Pwned", "version": "1"}, headers=headers)
        assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED)
    company.refresh_from_db()
    assert company.name == "Acme Engines"


def test_undo_of_another_users_trash_is_refused(client_for, owner, other_user, company):
    ContactFactory.create(owner=owner, company=company)
    trash = services.companies_delete(owner=owner, ids=[company.pk])
    intruder = client_for(other_user)
    response = intruder.post(reverse("companies:undo", args=[trash.pk]))
    # Like the contacts' undo: "nothing to undo", which tells nothing about the trash.
    assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST)
    assert not Company.objects.exists()
    assert DeletedCompanies.objects.filter(pk=trash.pk).exists()


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808"])
def test_out_of_range_ids_are_404(owner_client, pk):
    for name in OBJECT_URLS:
        url = reverse(f"companies:{name}", args=[1]).replace("/1/", f"/{pk}/")
        assert owner_client.get(url).status_code == HTTPStatus.NOT_FOUND, url


# ------------------------------------------------------------------------------ options
def test_options_put_matching_names_first_and_offer_a_new_one(owner_client, owner, htmx):
    for name in ("Zeta Acme", "Acme Two", "Bolt"):
        CompanyFactory.create(owner=owner, name=name, website="")
    response = owner_client.get(OPTIONS, {"q": "acme"}, headers=htmx)
    assert response.status_code == HTTPStatus.OK
    assert b"<html" not in response.content
    assert option_values(response) == ["Acme Two", "Zeta Acme", "acme"]
    assert "New company “acme”" in response.text


def test_options_offer_no_new_company_for_an_exact_match_in_any_case(owner_client, owner, htmx):
    CompanyFactory.create(owner=owner, name="Acme")
    CompanyFactory.create(owner=owner, name="Acme Two")
    response = owner_client.get(OPTIONS, {"q": " ACME "}, headers=htmx)
    assert option_values(response) == ["Acme", "Acme Two"]
    assert "New company" not in response.text


def test_options_read_the_pickers_own_field_name(owner_client, owner, htmx):
    CompanyFactory.create(owner=owner, name="Globex")
    response = owner_client.get(OPTIONS, {"company": "glob"}, headers=htmx)
    assert option_values(response) == ["Globex", "glob"]


def test_options_never_show_another_users_companies(owner_client, other_user, htmx):
    CompanyFactory.create(owner=other_user, name="Secret Theirs")
    response = owner_client.get(OPTIONS, {"q": "secret"}, headers=htmx)
    assert "Secret Theirs" not in response.text
    assert option_values(response) == ["secret"]  # only the offer to create it
    response = owner_client.get(OPTIONS, headers=htmx)
    assert "Secret Theirs" not in response.text
    assert "Type to find a company" in response.text


def test_options_escape_names(owner_client, owner, htmx):
    CompanyFactory.create(owner=owner, name='<img src=x onerror="alert(1)">')
    response = owner_client.get(OPTIONS, {"q": "<img"}, headers=htmx)
    assert "<img src=x" not in response.text and "&lt;img src=x" in response.text


def test_options_page_without_htmx(owner_client, owner):
    CompanyFactory.create(owner=owner, name="Globex")
    response = owner_client.get(OPTIONS, {"q": "glob"})
    assert response.status_code == HTTPStatus.OK
    assert b"<html" in response.content
    assert "Companies matching “glob”" in response.text
    assert option_values(response) == ["Globex", "glob"]


# ------------------------------------------------------------------------------ contact form
def test_contact_form_has_the_company_picker(owner_client):
    response = owner_client.get(reverse("contacts:create"))
    assert b'role="combobox"' in response.content
    assert f'hx-get="{OPTIONS}"'.encode() in response.content


def test_contact_form_links_an_existing_company_in_any_case(owner_client, owner, company):
    response = owner_client.post(
        reverse("contacts:create"), {"first_name": "Ada", "company": "ACME engines"}
    )
    assert response.status_code == HTTPStatus.FOUND
    contact = Contact.objects.get()
    assert contact.company_id == company.pk and contact.company_name == "Acme Engines"
    assert Company.objects.count() == 1
    page = owner_client.get(company.get_absolute_url())
    assert contact.full_name.encode() in page.content


def test_contact_form_creates_a_new_company(owner_client, owner):
    owner_client.post(reverse("contacts:create"), {"first_name": "Ada", "company": " New  Co "})
    company = Company.objects.get(owner=owner)
    assert company.name == "New Co"
    assert Contact.objects.get().company == company


def test_contact_form_too_long_company_is_a_field_error(owner_client, owner):
    response = owner_client.post(
        reverse("contacts:create"), {"first_name": "Ada", "company": "c" * 151}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Ensure this value has at most 150 characters" in response.text
    assert not Company.objects.exists() and not Contact.objects.exists()


# ------------------------------------------------------------------------------ edits elsewhere
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


def _opened_form(client, company) -> tuple[str, dict[str, str]]:
    url = reverse("companies:edit", args=[company.pk])
    return url, form_fields(client.get(url).content, url)


def test_saving_a_company_deleted_elsewhere_keeps_the_values_as_a_new_company(
    owner_client, owner, company
):
    url, sent = _opened_form(owner_client, company)
    services.companies_delete(owner=owner, ids=[company.pk])
    mine = {**sent, "name": "Acme Typed"}
    for headers, status in (({}, HTTPStatus.CONFLICT), (BOOSTED, HTTPStatus.UNPROCESSABLE_ENTITY)):
        response = owner_client.post(url, mine, headers=headers)
        assert response.status_code == status
        assert b"This company was deleted (in another tab or device)" in response.content
        assert b"Save as new company" in response.content
        fields = form_fields(response.content, CREATE)
        assert fields["name"] == "Acme Typed" and fields["notes"] == "Big client"
    assert owner_client.get(url).status_code == HTTPStatus.NOT_FOUND
    first = owner_client.post(CREATE, fields)
    second = owner_client.post(CREATE, fields)
    created = Company.objects.get(owner=owner)
    assert first["Location"] == second["Location"] == created.get_absolute_url()
    assert created.name == "Acme Typed"


def test_saving_another_users_deleted_company_is_a_plain_404(
    owner_client, client_for, other_user, company, htmx
):
    theirs = CompanyFactory.create(owner=other_user, name="Theirs")
    url, their_sent = _opened_form(client_for(other_user), theirs)
    services.companies_delete(owner=other_user, ids=[theirs.pk])
    _url, my_sent = _opened_form(owner_client, company)
    for data in (their_sent, my_sent, {"name": "X"}):
        assert owner_client.post(url, data).status_code == HTTPStatus.NOT_FOUND
        row = reverse("companies:row", args=[theirs.pk])
        assert owner_client.post(row, data, headers=htmx).status_code == HTTPStatus.NOT_FOUND


def test_inline_save_of_a_deleted_company_offers_save_as_new(owner_client, owner, company, htmx):
    editor = owner_client.get(reverse("companies:row_edit", args=[company.pk]), headers=htmx)
    sent = form_fields(editor.content)
    services.companies_delete(owner=owner, ids=[company.pk])
    row = reverse("companies:row", args=[company.pk])
    response = owner_client.post(row, {**sent, "name": "Acme Row"}, headers=htmx)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert b"was deleted" in response.content and b"Save as new" in response.content
    fields = form_fields(response.content)
    owner_client.post(CREATE, fields)
    owner_client.post(CREATE, fields)
    assert list(Company.objects.values_list("name", flat=True)) == ["Acme Row"]


def test_a_company_conflict_merges_field_by_field(owner_client, company):
    url, sent = _opened_form(owner_client, company)
    services.company_update(
        company=company, data={"website": "https://theirs.example", "notes": "Theirs"}, version=1
    )
    response = owner_client.post(url, {**sent, "name": "Acme Mine", "notes": "Mine"})
    assert response.status_code == HTTPStatus.CONFLICT
    html = response.content.decode()
    fields = form_fields(html, url)
    assert fields["name"] == "Acme Mine"  # only mine
    assert fields["website"] == "https://theirs.example"  # only theirs: not reverted
    assert fields["notes"] == "Mine" and 'data-clash="notes"' in html and "Theirs" in html
    assert html.count("data-clash=") == 1
    owner_client.post(url, fields)
    company.refresh_from_db()
    assert (company.name, company.website, company.notes) == (
        "Acme Mine",
        "https://theirs.example",
        "Mine",
    )


def test_a_company_row_conflict_keeps_the_other_change(owner_client, company, htmx):
    editor = owner_client.get(reverse("companies:row_edit", args=[company.pk]), headers=htmx)
    sent = form_fields(editor.content)
    services.company_update(company=company, data={"website": "https://b.example"}, version=1)
    row = reverse("companies:row", args=[company.pk])
    response = owner_client.post(row, {**sent, "name": "Acme Row"}, headers=htmx)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    fields = form_fields(response.content)
    assert (fields["name"], fields["website"]) == ("Acme Row", "https://b.example")
    assert owner_client.post(row, fields, headers=htmx).status_code == HTTPStatus.OK
    company.refresh_from_db()
    assert (company.name, company.website) == ("Acme Row", "https://b.example")
