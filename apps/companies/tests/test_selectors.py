"""Unit tests for the company selectors: lookups, picker options, a company's contacts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from apps.companies import selectors, services
from apps.companies.lists import CompanyList
from apps.companies.models import DeletedCompanies
from apps.companies.tests.factories import CompanyFactory
from apps.contacts.tests.factories import ContactFactory
from common.lists.selectors import list_count, list_page
from common.pagination import InvalidCursor

pytestmark = pytest.mark.django_db


def names(companies):
    return [c.name for c in companies]


def test_company_by_name_in_any_case_per_owner(owner, other_user, company):
    assert selectors.company_by_name(owner=owner, name="  acme ENGINES ") == company
    assert selectors.company_by_name(owner=other_user, name="Acme Engines") is None
    assert selectors.company_by_name(owner=owner, name="") is None
    assert selectors.company_by_name(owner=owner, name="Acme\x00 Engines") is None
    assert selectors.company_by_name(owner=owner, name="Acme") is None  # not a prefix match


def test_options_put_names_starting_with_the_query_first(owner, other_user):
    for name in ("Zeta Acme", "Acme Two", "acme", "Bolt", "Globex (acme.io)"):
        CompanyFactory.create(owner=owner, name=name, website="")
    CompanyFactory.create(owner=other_user, name="Acme Theirs")
    options = names(selectors.company_options(owner=owner, query="  ACME "))
    assert options[:2] == ["Acme Two", "acme"] or options[:2] == ["acme", "Acme Two"]
    assert set(options[2:]) == {"Zeta Acme", "Globex (acme.io)"}
    assert "Bolt" not in options and "Acme Theirs" not in options


def test_options_search_the_website_too(owner):
    CompanyFactory.create(owner=owner, name="Initech", website="https://initech-software.example")
    assert names(selectors.company_options(owner=owner, query="software")) == ["Initech"]


def test_options_without_a_query_list_the_first_companies_by_name(owner):
    for name in ("C", "A", "B"):
        CompanyFactory.create(owner=owner, name=name)
    CompanyFactory.create_batch(selectors.OPTIONS_MAX, owner=owner)
    options = names(selectors.company_options(owner=owner, query=""))
    assert len(options) == selectors.OPTIONS_MAX
    assert options[:3] == ["A", "B", "C"]


def test_options_are_capped_and_never_repeat(owner):
    CompanyFactory.create_batch(selectors.OPTIONS_MAX + 5, owner=owner)  # "Company n Ltd"
    options = selectors.company_options(owner=owner, query="company")
    assert len(options) == selectors.OPTIONS_MAX
    assert len({c.pk for c in options}) == selectors.OPTIONS_MAX


def test_options_offer_the_exact_name_even_among_many_prefix_matches(owner):
    """The company that is exactly what was typed must be among the options (first)."""
    for letter in "ABCDEFGHIJ":
        CompanyFactory.create(owner=owner, name=f"ACME {letter}")  # sort before "acme" (upper case)
    exact = CompanyFactory.create(owner=owner, name="acme")
    options = selectors.company_options(owner=owner, query="Acme")
    assert options[0] == exact
    assert len(options) == selectors.OPTIONS_MAX


@pytest.mark.parametrize(
    "query", ["\x00", "a\x00c", "%", "_", "\\", "'; DROP TABLE x; --", "x" * 10_000]
)
def test_options_with_hostile_queries_do_not_fail(owner, company, query):
    assert isinstance(selectors.company_options(owner=owner, query=query), list)


def test_options_treat_like_wildcards_literally(owner):
    CompanyFactory.create(owner=owner, name="100% Juice")
    CompanyFactory.create(owner=owner, name="1000 Cups")
    assert names(selectors.company_options(owner=owner, query="100%")) == ["100% Juice"]


def test_company_contacts_page_lists_only_its_own_contacts_by_name(owner, other_user, company):
    b = ContactFactory.create(owner=owner, first_name="Bob", last_name="Brown", company=company)
    a = ContactFactory.create(owner=owner, first_name="Ann", last_name="Adams", company=company)
    ContactFactory.create(owner=owner, first_name="Carl", last_name="Other", company="Globex")
    ContactFactory.create(owner=owner, first_name="Dora", last_name="Nobody")
    # A contact of another user pointing at this company (never made by the app) is not shown.
    ContactFactory.create(owner=other_user, first_name="Eve", last_name="Intruder", company=company)
    page = selectors.company_contacts_page(company=company)
    assert list(page.items) == [a, b]
    assert not page.has_next
    context = selectors.company_contacts_context(company=company)
    assert context["contact_count"]() == 2 and context["next_url"] == ""


def test_company_contacts_pages_by_keyset(owner, company):
    ContactFactory.create_batch(7, owner=owner, company=company)
    first = selectors.company_contacts_page(company=company, page_size=5)
    assert len(first.items) == 5 and first.has_next
    second = selectors.company_contacts_page(company=company, cursor=first.next_cursor, page_size=5)
    assert len(second.items) == 2 and not second.has_next
    assert not {c.pk for c in first.items} & {c.pk for c in second.items}


def test_company_contacts_context_links_the_next_page(owner, company):
    ContactFactory.create_batch(51, owner=owner, company=company)
    context = selectors.company_contacts_context(company=company)
    assert context["next_url"].startswith(f"/companies/{company.pk}/contacts/?cursor=")


def test_company_contacts_bad_cursor_raises_invalid_cursor(company):
    with pytest.raises(InvalidCursor):
        selectors.company_contacts_page(company=company, cursor="garbage!!")


def test_list_search_matches_name_and_website_in_any_case(owner, other_user):
    CompanyFactory.create(owner=owner, name="Acme", website="https://acme.example")
    CompanyFactory.create(owner=owner, name="Globex", website="https://globex-acme.example")
    CompanyFactory.create(owner=owner, name="Initech", website="")
    CompanyFactory.create(owner=other_user, name="Acme")
    assert list_count(config=CompanyList, owner=owner, query="ACME") == 2
    page = list_page(config=CompanyList, owner=owner, query="initech")
    assert names(page.items) == ["Initech"]


def test_list_sorts_by_name_and_by_recently_updated(owner):
    b = CompanyFactory.create(owner=owner, name="B")
    a = CompanyFactory.create(owner=owner, name="A")
    c = CompanyFactory.create(owner=owner, name="C")
    services.company_update(company=b, data={"notes": "touched"}, version=1)
    assert list(list_page(config=CompanyList, owner=owner, sort="name").items) == [a, b, c]
    updated = list(list_page(config=CompanyList, owner=owner, sort="updated").items)
    assert updated[0] == b


def test_user_data_has_companies_and_only_live_undo_snapshots(owner, other_user, company):
    CompanyFactory.create(owner=other_user)
    old = CompanyFactory.create(owner=owner, name="Old")
    services.companies_delete(owner=owner, ids=[old.pk])
    DeletedCompanies.objects.update(
        created_at=timezone.now() - settings.RETENTION_UNDO - timedelta(minutes=1)
    )
    gone = CompanyFactory.create(owner=owner, name="Gone")
    live = services.companies_delete(owner=owner, ids=[gone.pk])
    data = selectors.companies_user_data(owner=owner)
    rows = list(data["companies_company"])
    assert [r["name"] for r in rows] == ["Acme Engines"]
    assert set(rows[0]) == set(selectors.COMPANY_EXPORT_FIELDS)
    assert [r["id"] for r in data["companies_deletedcompanies"]] == [live.pk]
