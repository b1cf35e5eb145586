"""Cached list rows (common.templatetags.kis_rows): fast, and never stale."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader_tags import IncludeNode
from django.test import Client
from django.urls import reverse

from apps.companies.services import company_update
from apps.companies.tests.factories import CompanyFactory
from apps.contacts.jobs import ContactCsv
from apps.contacts.models import Contact
from apps.contacts.services import contact_update
from apps.contacts.tests.factories import ContactFactory
from common.lists.csvjobs.importing import csv_import_run, csv_import_start
from common.localcache import LocalMemoryCache
from common.pagination import KeysetPaginator
from common.templatetags.kis_rows import row_cache

pytestmark = pytest.mark.django_db

LIST = reverse("contacts:list")
TAG = "{% load kis_rows %}{% cachedfor o in items %}"
ROW = re.compile(r'<tr data-row tabindex="-1" id="contact-\d+".*?</tr>', re.S)


@pytest.fixture(autouse=True)
def empty_row_cache() -> None:
    row_cache().clear()


def row_of(client: Client, contact: Contact) -> str:
    html = client.get(LIST).content.decode()
    rows = [row for row in ROW.findall(html) if f'id="contact-{contact.pk}"' in row]
    assert len(rows) == 1, html
    return rows[0]


def cached_rows() -> int:
    return len(cast("LocalMemoryCache", row_cache()))


# ------------------------------------------------------------------------------ the cache
def test_a_second_page_load_renders_no_row_and_gives_the_same_rows(
    owner, owner_client, monkeypatch
):
    ContactFactory.create_batch(3, owner=owner)
    first = ROW.findall(owner_client.get(LIST).content.decode())
    assert len(first) == 3 and cached_rows() == 3
    rendered: list[object] = []
    real = IncludeNode.render

    def counting(node: IncludeNode, context: Context) -> str:
        rendered.append(node)
        return real(node, context)

    monkeypatch.setattr(IncludeNode, "render", counting)
    assert ROW.findall(owner_client.get(LIST).content.decode()) == first
    assert not [node for node in rendered if "row_select" in repr(node)]  # no row rendered again
    assert cached_rows() == 3


def test_a_row_is_under_a_kilobyte_and_keeps_its_names_and_fallbacks(owner, owner_client):
    company = CompanyFactory.create(owner=owner, name="Wayne Enterprises")
    contact = ContactFactory.create(
        owner=owner,
        first_name="Amara",
        last_name="Abara",
        email="amara.abara.1226@example.com",
        phone="+1 555 342 3486",
        company=company,
        company_name=company.name,
    )
    row = row_of(owner_client, contact)
    assert len(row.encode()) <= 1024, len(row.encode())
    for needed in (
        'aria-label="Select Amara Abara"',
        'aria-label="Favourite Amara Abara"',
        'aria-label="Edit Amara Abara"',
        'aria-label="Delete Amara Abara"',
        f'href="{reverse("contacts:edit", args=[contact.pk])}"',  # no-JS edit
        f'href="{reverse("contacts:delete", args=[contact.pk])}"',  # no-JS delete
        f'formaction="{reverse("contacts:favourite", args=[contact.pk])}"',  # no-JS favourite
    ):
        assert needed in row
    page = owner_client.get(LIST).content.decode()
    # The shortcuts are declared once for the rows, not on each.
    assert page.count('data-keys="e"') == 1 and 'data-control="[data-row-edit]"' in page


@pytest.mark.parametrize(
    "change",
    ["edit", "favourite", "import", "company rename", "company delete"],
)
def test_a_cached_row_never_shows_stale_data(owner, owner_client, change):
    company = CompanyFactory.create(owner=owner, name="Old Co")
    contact = ContactFactory.create(
        owner=owner,
        first_name="Ada",
        email="ada@example.com",
        company=company,
        company_name="Old Co",
    )
    before = row_of(owner_client, contact)
    assert "Old Co" in before and "☆" in before

    if change == "edit":
        contact_update(contact=contact, data={"first_name": "Grace"}, version=contact.version)
        expected = "Grace"
    elif change == "favourite":
        url = reverse("contacts:favourite", args=[contact.pk])
        response = owner_client.post(url, {"favourite": "1"}, HTTP_HX_REQUEST="true")
        assert response.status_code == HTTPStatus.OK
        expected = "★"
    elif change == "import":
        upload = SimpleUploadedFile(
            "c.csv", b"first_name,last_name,email\nAda,Imported,ada@example.com\n", "text/csv"
        )
        job = csv_import_start(config=ContactCsv, owner=owner, upload=upload, duplicates="update")
        csv_import_run(config=ContactCsv, job_id=job.pk)
        expected = "Imported"
    elif change == "company rename":
        company.refresh_from_db()
        company_update(company=company, data={"name": "New Co"}, version=company.version)
        expected = "New Co"
    else:
        owner_client.post(reverse("companies:delete", args=[company.pk]))
        expected = "<td></td><td><div hx-target"  # no company any more

    after = row_of(owner_client, contact)
    assert after != before
    assert expected in after


def test_an_edited_template_gives_new_rows():
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {"row.html": TAG + "<b>{{ o.name }}</b>{% endcachedfor %}"},
            )
        ],
        libraries={"kis_rows": "common.templatetags.kis_rows"},
    )
    item = Contact(pk=1, first_name="Ada", version=1)
    item.name = "Ada"
    assert engine.get_template("row.html").render(Context({"items": [item]})) == "<b>Ada</b>"
    changed = Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {"row.html": TAG + "<i>{{ o.name }}</i>{% endcachedfor %}"},
            )
        ],
        libraries={"kis_rows": "common.templatetags.kis_rows"},
    )
    assert changed.get_template("row.html").render(Context({"items": [item]})) == "<i>Ada</i>"


def test_an_empty_sequence_renders_the_empty_block():
    engine = Engine(libraries={"kis_rows": "common.templatetags.kis_rows"})
    template = engine.from_string(
        "{% load kis_rows %}{% cachedfor o in items %}x{% empty %}none{% endcachedfor %}"
    )
    assert template.render(Context({"items": []})) == "none"
    assert template.render(Context({})) == "none"


def test_the_tag_says_how_it_is_written():
    engine = Engine(libraries={"kis_rows": "common.templatetags.kis_rows"})
    with pytest.raises(TemplateSyntaxError, match="cachedfor item in sequence"):
        engine.from_string("{% load kis_rows %}{% cachedfor o items %}{% endcachedfor %}")


def test_rows_of_another_user_are_never_shown(owner, owner_client, other_user, client_for):
    mine = ContactFactory.create(owner=owner, first_name="Mine")
    theirs = ContactFactory.create(owner=other_user, first_name="Theirs")
    assert "Mine" in row_of(owner_client, mine)
    html = client_for(other_user).get(LIST).content.decode()
    assert "Theirs" in html and "Mine" not in html
    assert f"contact-{theirs.pk}" in html and f"contact-{mine.pk}" not in html


# ------------------------------------------------------------------------------ keys first
def test_a_page_read_as_keys_fetches_the_objects_of_the_misses_only(
    owner, django_assert_num_queries
):
    for i in range(3):
        ContactFactory(owner=owner, first_name=f"P{i}", last_name="Same")
    made = list(Contact.objects.filter(owner=owner).order_by("first_name"))
    paginator = KeysetPaginator(
        Contact.objects.filter(owner=owner),
        ordering=("last_name", "first_name", "id"),
        page_size=10,
        keys_first=True,
    )
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {"rows.html": TAG + "{{ o.first_name }};{% endcachedfor %}"},
            )
        ],
        libraries={"kis_rows": "common.templatetags.kis_rows"},
    )
    template = engine.get_template("rows.html")

    def render() -> str:
        return template.render(Context({"items": paginator.page().items}))

    with django_assert_num_queries(2):  # the keys, then the three objects in one query
        assert render() == "P0;P1;P2;"
    with django_assert_num_queries(1):  # every row cached: the keys only
        assert render() == "P0;P1;P2;"
    contact_update(contact=made[1], data={"first_name": "P1b"}, version=made[1].version)
    with django_assert_num_queries(2):  # the keys, then the one changed row
        assert render() == "P0;P1b;P2;"
    # A row not cached, deleted between reading the keys and rendering them, is left out.
    contact_update(contact=made[2], data={"first_name": "P2b"}, version=made[2].version)
    items = paginator.page().items
    Contact.objects.filter(pk=made[2].pk).delete()
    assert template.render(Context({"items": items})) == "P0;P1b;"
