"""The toolkit's object pages (common.lists.objects, urls, services) on their own."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import URLPattern

from apps.companies.forms import CompanyForm
from apps.companies.lists import CompanyList
from apps.companies.models import Company
from apps.companies.services import company_update
from apps.companies.tests.factories import CompanyFactory
from apps.contacts import services
from apps.contacts.models import Contact, DeletedContacts
from apps.contacts.tests.factories import ContactFactory
from common.lists.forms import opened_read
from common.lists.services import objects_delete, objects_restore
from common.tests.test_lists import EventList

pytestmark = pytest.mark.django_db


def _names(patterns: list[URLPattern]) -> set[str]:
    return {p.name for p in patterns if p.name}


def test_a_list_gets_only_the_pages_it_declares():
    # The security-event list declares no forms, templates or trash: no object page at all
    # (in particular no delete route that would end in ImproperlyConfigured, a 500).
    assert _names(EventList.urls()) == {"list", "count"}
    assert _names(CompanyList.urls()) == {
        "list", "count", "create", "detail", "edit", "row", "row_edit", "delete",
        "bulk_delete", "undo",
    }  # fmt: skip


def test_undo_restores_every_stored_value_exactly(user):
    contact = ContactFactory(owner=user, company="Acme", notes="line 1\nline 2")
    Contact.objects.filter(pk=contact.pk).update(version=7)
    before = Contact.objects.values().get(pk=contact.pk)
    trash = objects_delete(model=Contact, trash_model=DeletedContacts, owner=user, ids=[contact.pk])
    assert trash is not None and not Contact.objects.filter(pk=contact.pk).exists()
    objects_restore(model=Contact, trash_model=DeletedContacts, owner=user, trash_id=trash.pk)
    assert Contact.objects.values().get(pk=contact.pk) == before  # microseconds included


def test_undo_clears_a_link_to_an_object_deleted_meanwhile(user):
    contact = ContactFactory(owner=user, company="Acme")
    trash = objects_delete(model=Contact, trash_model=DeletedContacts, owner=user, ids=[contact.pk])
    assert trash is not None
    contact.company.delete()
    services.contacts_restore(owner=user, trash_id=trash.pk)
    restored = Contact.objects.get(pk=contact.pk)
    assert (restored.company_id, restored.company_name) == (None, "")


# ------------------------------------------------------------------------------ edits elsewhere
class _Fields(HTMLParser):
    """The values a browser would send from the <form> with ACTION (or every field)."""

    def __init__(self, action: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.form_id = action, action is None, ""
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and self.action is not None and a.get("action") == self.action:
            self.inside, self.form_id = True, a.get("id", "")
        mine = self.inside or (self.form_id and a.get("form") == self.form_id)
        if not mine or "name" not in a or a["name"] == "csrfmiddlewaretoken":
            return
        if tag == "input":
            if a.get("type") in ("radio", "checkbox") and "checked" not in a:
                return
            self.values[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            # The parser keeps the newline right after <textarea>, which a browser drops.
            seen = self.values[self._textarea]
            self.values[self._textarea] += data if seen else data.removeprefix("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.action is not None and self.inside and not self.form_id:
            self.inside = False


def form_fields(html: str | bytes, action: str | None = None) -> dict[str, str]:
    """Return the fields (name -> value) the form with ACTION sends; all of HTML's without."""
    parser = _Fields(action)
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.values


def test_the_snapshot_proves_object_owner_and_is_tamper_proof(user, other_user):
    company = CompanyFactory.create(owner=user, name="Acme")
    token = CompanyForm(instance=company, owner=user)["opened"].value()
    assert opened_read(token, model=Company, pk=company.pk, owner=user) is not None
    assert opened_read(token, model=Company, pk=company.pk, owner=other_user) is None
    assert opened_read(token, model=Company, pk=company.pk + 1, owner=user) is None
    assert opened_read(token, model=Contact, pk=company.pk, owner=user) is None
    assert opened_read(token[:-2] + "xx", model=Company, pk=company.pk, owner=user) is None
    assert opened_read("", model=Company, pk=company.pk, owner=user) is None


def _conflict(form_class, obj, owner, *, mine: dict, theirs: dict, update):
    """Open OBJ's form, save THEIRS elsewhere, then merge a save of MINE with it."""
    opened = form_class(instance=obj, owner=owner)
    data = {name: opened[name].value() or "" for name in opened.fields}
    update(obj, theirs)
    form = form_class({**data, **mine}, instance=obj, owner=owner)
    assert form.is_valid(), form.errors
    current = type(obj)._default_manager.get(pk=obj.pk)
    return form.conflict_merge(current)


def test_a_conflict_merge_takes_theirs_keeps_mine_and_shows_both(user):
    company = CompanyFactory.create(owner=user, name="Acme", website="", notes="old")

    def update(obj, data):
        company_update(company=obj, data=data, version=obj.version)

    data, clashes, taken = _conflict(
        CompanyForm,
        company,
        user,
        mine={"name": "Acme Mine", "notes": "mine"},
        theirs={"website": "https://theirs.example", "notes": "theirs"},
        update=update,
    )
    assert data["name"] == "Acme Mine"  # only mine: kept
    assert data["website"] == "https://theirs.example"  # only theirs: taken
    assert taken == ["Website"]
    assert data["notes"] == "mine" and set(clashes) == {"notes"}  # both: mine, with theirs shown
    assert (clashes["notes"].mine, clashes["notes"].theirs) == ("mine", "theirs")
    assert data["version"] == "2" and data["opened"] != ""


def test_a_clash_resolved_with_theirs_saves_theirs(user):
    company = CompanyFactory.create(owner=user, name="Acme", notes="old")
    opened = CompanyForm(instance=company, owner=user)
    data = {name: opened[name].value() or "" for name in opened.fields}
    form = CompanyForm(
        {**data, "notes": "mine", "keep-notes": "theirs"}, instance=company, owner=user
    )
    assert form.is_valid() and form.data_for_service()["notes"] == "old"
    forged = CompanyForm({**data, "opened": "x", "keep-notes": "theirs", "notes": "mine"},
                         instance=company, owner=user)  # fmt: skip
    assert forged.is_valid() and forged.data_for_service()["notes"] == "mine"


def test_a_merge_without_a_snapshot_counts_every_field_as_the_users(user):
    company = CompanyFactory.create(owner=user, name="Acme", notes="old")
    company_update(company=company, data={"notes": "theirs"}, version=1)
    form = CompanyForm({"name": "Acme", "notes": "mine", "version": "1"}, instance=company)
    assert form.is_valid()
    data, clashes, taken = form.conflict_merge(Company.objects.get(pk=company.pk))
    # Every differing field is shown with both values; an equal one (the name) is no clash.
    assert "notes" in clashes and "name" not in clashes
    assert taken == [] and data["notes"] == "mine"
