"""The fake-contact seeder: one seed makes the same contacts by COPY and by bulk_create."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from apps.contacts import seed
from apps.contacts.models import Contact
from apps.users.models import User

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is the PostgreSQL path"
)


def seeded(owner: User) -> list[tuple[object, ...]]:
    """OWNER's contacts as comparable tuples; times relative to the first, by email."""
    contacts = list(Contact.objects.filter(owner=owner).select_related("company").order_by("email"))
    base = contacts[0].created_at
    return [
        (
            c.first_name,
            c.last_name,
            c.email,
            c.phone,
            c.company.name if c.company else None,
            c.company_name,
            c.notes,
            c.is_favourite,
            c.version,
            c.search,
            c.created_at - base,
            c.updated_at - c.created_at,
        )
        for c in contacts
    ]


def bulk_create_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        seed, "_copy", lambda owner, companies, rows, count: seed._bulk_create(owner, rows, 100)
    )


@pytest.mark.django_db
def test_a_seed_makes_the_same_contacts_as_before(owner):
    assert seed.contacts_seed(owner=owner, count=3, seed=1) == 3
    got = Contact.objects.filter(owner=owner).order_by("id")
    assert [(c.first_name, c.last_name, c.email, c.phone, c.company_name) for c in got] == [
        ("Diego", "Rossi", "diego.rossi.0@example.net", "+1 555 220 9117", "Wonka Foods"),
        ("Nadia", "Yilmaz", "nadia.yilmaz.1@example.com", "+1 555 599 1464", "Aperture Labs"),
        ("Ada", "Tran", "ada.tran.2@example.net", "+1 555 838 4748", "Pied Piper"),
    ]
    assert all(c.company.name == c.company_name for c in got if c.company)
    # A second run numbers its emails on from the contacts already there.
    assert seed.contacts_seed(owner=owner, count=2, seed=1) == 2
    assert Contact.objects.filter(owner=owner, email__contains=".4@").count() == 1
    assert seed.contacts_seed(owner=owner, count=0) == 0
    assert Contact.objects.filter(owner=owner).count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize("rebuild", [False, True], ids=["indexes-kept", "indexes-rebuilt"])
@pg_only
def test_copy_makes_what_bulk_create_makes(owner, other_user, monkeypatch, rebuild):
    rebuilt: list[list[str]] = []
    if rebuild:
        monkeypatch.setattr(seed, "REBUILD_MIN", 1)
        create = seed._indexes_create

        def spy(cursor: object, table: str, sql: list[str]) -> None:
            rebuilt.append(sql)
            create(cursor, table, sql)  # type: ignore[arg-type]

        monkeypatch.setattr(seed, "_indexes_create", spy)
    table = Contact._meta.db_table

    def indexes() -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1",
                [table],
            )
            return cursor.fetchall()

    before = indexes()
    assert seed.contacts_seed(owner=owner, count=400, seed=5) == 400
    assert indexes() == before
    assert len(rebuilt) == rebuild  # all the plain indexes (pkey and constraints stay)
    assert not rebuild or {"contact_owner_name", "contacts_contact_search_trgm"} <= {
        name for name, _sql in before if any(name in sql for sql in rebuilt[0])
    }
    with monkeypatch.context() as patch:
        bulk_create_instead(patch)
        assert seed.contacts_seed(owner=other_user, count=400, seed=5) == 400
    copied, created = seeded(owner), seeded(other_user)
    assert copied == created
    assert len(copied) == 400 and copied[0][-1] == timedelta(0)
    assert Contact.objects.filter(owner=owner, search__contains="+1 555").count() == 400
