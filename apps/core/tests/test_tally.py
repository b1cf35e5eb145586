"""Row tallies: the triggers keep every owner's count right, whatever writes the rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from apps.companies.models import Company
from apps.companies.tests.factories import CompanyFactory
from apps.contacts import services
from apps.contacts.models import Contact
from apps.contacts.tests.factories import ContactFactory
from apps.core.models import RowTally
from apps.core.selectors import row_tally_totals
from apps.core.tally import row_tally_rebuild
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tally(owner, model=Contact) -> int | None:
    return row_tally_totals(owner=owner, models=[model]).get(model)


def _assert_tallies_are_counts(*owners) -> None:
    for owner in owners:
        for model in (Contact, Company):
            # No tally row: the owner never had one of these (the readers count them).
            assert (_tally(owner, model) or 0) == model.objects.filter(owner=owner).count()


def test_an_owner_without_rows_has_no_tally(user):
    assert _tally(user) is None
    assert not RowTally.objects.filter(owner=user).exists()


def test_saves_bulk_creates_and_deletes_are_counted(user, other_user):
    ContactFactory.create_batch(3, owner=user)
    CompanyFactory.create_batch(2, owner=user)
    Contact.objects.bulk_create(
        [Contact(owner=user, email=f"bulk{i}@example.com") for i in range(5)]
        + [Contact(owner=other_user, email="other@example.com")]
    )
    assert (_tally(user), _tally(other_user), _tally(user, Company)) == (8, 1, 2)
    Contact.objects.filter(owner=user, email__startswith="bulk").delete()
    Contact.objects.filter(owner=user).first().delete()
    _assert_tallies_are_counts(user, other_user)
    assert _tally(user) == 2


def test_edits_cost_nothing_and_moving_an_owner_moves_the_count(user, other_user):
    contacts = ContactFactory.create_batch(3, owner=user)
    contacts[0].first_name = "Renamed"
    contacts[0].save()
    assert _tally(user) == 3
    Contact.objects.filter(pk__in=[c.pk for c in contacts[:2]]).update(owner=other_user)
    assert (_tally(user), _tally(other_user)) == (1, 2)
    _assert_tallies_are_counts(user, other_user)


def test_raw_sql_and_undo_are_counted(user):
    contacts = ContactFactory.create_batch(4, owner=user)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Contact._meta.db_table} WHERE id = %s", [contacts[0].pk])  # noqa: S608
    assert _tally(user) == 3
    trash = services.contacts_delete(owner=user, ids=[c.pk for c in contacts[1:]])
    assert _tally(user) == 0
    services.contacts_restore(owner=user, trash_id=trash.pk)
    assert _tally(user) == 3


def test_deleting_the_owner_deletes_the_tallies(user, other_user):
    ContactFactory.create_batch(2, owner=user)
    CompanyFactory(owner=user)
    ContactFactory(owner=other_user)
    user.delete()
    assert not RowTally.objects.filter(owner_id=user.pk).exists()
    assert _tally(other_user) == 1


def test_rebuild_repairs_a_tally_that_was_tampered_with(user, other_user):
    ContactFactory.create_batch(3, owner=user)
    ContactFactory(owner=other_user)
    RowTally.objects.filter(owner=user).update(total=99)
    RowTally.objects.filter(owner=other_user).delete()
    row_tally_rebuild(model=Contact)
    assert (_tally(user), _tally(other_user)) == (3, 1)


def test_a_negative_tally_is_not_trusted(user):
    ContactFactory(owner=user)
    RowTally.objects.filter(owner=user).update(total=-1)
    assert _tally(user) is None


def test_anonymous_owners_have_no_tallies():
    from django.contrib.auth.models import AnonymousUser

    assert row_tally_totals(owner=AnonymousUser(), models=[Contact]) == {}


@pytest.mark.django_db(transaction=True)
def test_the_migration_reverses_and_counts_the_rows_already_there():
    owner = UserFactory()
    ContactFactory.create_batch(2, owner=owner)
    call_command("migrate", "contacts", "0003", verbosity=0)
    try:
        assert _tally(owner) is None  # its tallies went with its triggers
        ContactFactory(owner=owner)  # no trigger counts this one
        assert _tally(owner) is None
    finally:
        call_command("migrate", "contacts", verbosity=0)
    assert _tally(owner) == 3  # the migration counted what it found
    ContactFactory(owner=owner)
    assert _tally(owner) == 4
