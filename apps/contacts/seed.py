"""Realistic fake contacts, made fast (no Faker needed at runtime).

PostgreSQL loads them with one ``COPY`` (1M rows in well under two minutes); other databases
use ``bulk_create`` in batches. Both draw the same random numbers in the same order, so one
``seed`` gives the same contacts on either path.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from apps.companies.models import Company
from apps.companies.services import company_get_or_create
from apps.contacts.models import Contact
from apps.users.models import User

FIRST = [
    "Ada",
    "Alan",
    "Amara",
    "Ana",
    "Anders",
    "Aoife",
    "Arjun",
    "Astrid",
    "Ayesha",
    "Bea",
    "Ben",
    "Bilal",
    "Camille",
    "Carlos",
    "Chen",
    "Chloe",
    "Dara",
    "Diego",
    "Elena",
    "Emeka",
    "Emma",
    "Erik",
    "Fatima",
    "Felix",
    "Freya",
    "Gabriel",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Isaac",
    "Ivan",
    "Jamal",
    "Jana",
    "Jonas",
    "Julia",
    "Kai",
    "Kenji",
    "Lara",
    "Leila",
    "Liam",
    "Lucia",
    "Malik",
    "Maria",
    "Mateo",
    "Maya",
    "Mei",
    "Mila",
    "Nadia",
    "Nico",
    "Noah",
    "Nora",
    "Olga",
    "Omar",
    "Oscar",
    "Priya",
    "Rafael",
    "Rosa",
    "Ruth",
    "Sami",
    "Sara",
    "Sofia",
    "Tariq",
    "Theo",
    "Uma",
    "Vera",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoe",
    "Zofia",
]
LAST = [
    "Abara",
    "Andersen",
    "Bauer",
    "Becker",
    "Bianchi",
    "Costa",
    "Dubois",
    "Eriksson",
    "Fischer",
    "Garcia",
    "Gonzalez",
    "Hansen",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kaur",
    "Khan",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lee",
    "Lopez",
    "Martin",
    "Meyer",
    "Moreau",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "O'Brien",
    "Park",
    "Patel",
    "Perez",
    "Petrov",
    "Quinn",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith",
    "Sousa",
    "Tanaka",
    "Tran",
    "Varga",
    "Wagner",
    "Walsh",
    "Weber",
    "Wong",
    "Yilmaz",
    "Zhang",
]
COMPANIES = [
    "Acme Corp",
    "Northwind Traders",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Industries",
    "Wayne Enterprises",
    "Hooli",
    "Vandelay Industries",
    "Soylent",
    "Tyrell Corp",
    "Cyberdyne",
    "Aperture Labs",
    "Blue Sun",
    "Wonka Foods",
    "Oceanic Air",
    "Gringotts",
    "Monarch Solutions",
    "Pied Piper",
    "Massive Dynamic",
    "",
]
DOMAINS = ("example.com", "example.org", "example.net", "mail.test", "post.test")


# What the PostgreSQL COPY fills, in order; ``id`` and the generated ``search`` are the
# database's. Each maps to the text of one row (see _copy).
COPY_FIELDS = (
    "owner",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "company_name",
    "notes",
    "is_favourite",
    "created_at",
    "updated_at",
    "version",
)
COPY_CHUNK = 10_000  # rows per write to the COPY stream
# A COPY of this many rows or more, into a table holding at most REBUILD_RATIO times as
# many, rebuilds the indexes after it instead (see _copy), with this much memory to sort.
REBUILD_MIN = 50_000
REBUILD_RATIO = 2
REBUILD_MEMORY = "512MB"
REBUILD_LOCK_WAIT = "5s"  # for the table's lock, before giving up the rebuild

Row = tuple[str, str, str, str, Company | None, bool, datetime]


def contacts_seed(*, owner: User, count: int, batch_size: int = 2000, seed: int = 0) -> int:
    """Create COUNT fake contacts for OWNER with unique emails; return how many were made.

    All in one transaction. On PostgreSQL the rows go in with COPY, then the table is
    analysed; elsewhere with bulk_create, BATCH_SIZE at a time. The same SEED (not 0)
    makes the same contacts on either path.
    """
    count = max(count, 0)
    rng = random.Random(seed or None)  # noqa: S311 - fake data, not security
    with transaction.atomic():
        start = Contact.objects.filter(owner=owner).count()
        companies: list[Company | None] = [
            company_get_or_create(owner=owner, name=name) for name in COMPANIES
        ]
        rows = _rows(rng, companies, start, count)
        if connection.vendor == "postgresql":
            _copy(owner, companies, rows, count)
        else:
            _bulk_create(owner, rows, batch_size)
    return count


def _rows(
    rng: random.Random, companies: Sequence[Company | None], start: int, count: int
) -> Iterator[Row]:
    """Yield COUNT (first, last, email, phone, company, favourite, stamp) tuples.

    What is drawn from RNG, and in which order, is what keeps a seed's contacts the same.
    """
    now = timezone.now()
    choice, randint, rand = rng.choice, rng.randint, rng.random
    minute = timedelta(minutes=1)
    span = 60 * 24 * 365
    for n in range(start, start + count):
        first, last = choice(FIRST), choice(LAST)
        local = f"{first}.{last}".lower().replace("'", "")
        stamp = now - randint(0, span) * minute
        email = f"{local}.{n}@{choice(DOMAINS)}"
        phone = f"+1 555 {randint(100, 999)} {randint(1000, 9999)}"
        company = choice(companies)
        yield first, last, email, phone, company, rand() < 0.05, stamp


def _bulk_create(owner: User, rows: Iterator[Row], batch_size: int) -> None:
    batch: list[Contact] = []
    for first, last, email, phone, company, favourite, stamp in rows:
        batch.append(
            Contact(
                owner=owner,
                first_name=first,
                last_name=last,
                email=email,
                phone=phone,
                company=company,
                company_name=company.name if company else "",
                notes="",
                is_favourite=favourite,
                created_at=stamp,
                updated_at=stamp,
            )
        )
        if len(batch) >= batch_size:
            Contact.objects.bulk_create(batch)
            batch = []
    if batch:
        Contact.objects.bulk_create(batch)


def _copy_text(value: str) -> str:
    """Escape VALUE for a field of PostgreSQL's COPY text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _copy(
    owner: User, companies: Sequence[Company | None], rows: Iterator[Row], count: int
) -> None:
    """Write ROWS with one COPY, as bulk_create would save them, then ANALYZE the table.

    A big load (REBUILD_MIN rows or more, into a table not much bigger) drops the table's
    plain indexes first and builds them again after: much faster than updating them row by
    row, the trigram index above all. Their definitions are read back from the database,
    so they come back exactly as they were; the table stays locked until the commit.
    """
    meta = Contact._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column = {field.name: str(field.column) for field in meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name in COPY_FIELDS)
    # Names and companies come from fixed pools: escape each once, not once per row.
    names = {name: _copy_text(name) for name in (*FIRST, *LAST)}
    # company_id and company_name; keyed by id() as Model.__hash__ is slow per row.
    firms = {
        id(c): f"{c.pk}\t{_copy_text(c.name)}" if c is not None else "\\N\t" for c in companies
    }
    head = f"{owner.pk}\t"
    with connection.cursor() as cursor:
        indexes = _indexes_drop(cursor, meta.db_table, count) if count >= REBUILD_MIN else []
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            lines: list[str] = []
            for first, last, email, phone, company, favourite, stamp in rows:
                when = stamp.isoformat()
                lines.append(
                    f"{head}{names[first]}\t{names[last]}\t{_copy_text(email)}\t"
                    f"{_copy_text(phone)}\t{firms[id(company)]}\t\t{'t' if favourite else 'f'}"
                    f"\t{when}\t{when}\t1\n"
                )
                if len(lines) >= COPY_CHUNK:
                    copy.write("".join(lines))
                    lines = []
            if lines:
                copy.write("".join(lines))
        if indexes:
            _indexes_create(cursor, meta.db_table, indexes)
        cursor.execute(f"ANALYZE {table}")


def _indexes_drop(cursor: CursorWrapper, table: str, count: int) -> list[str]:
    """Drop TABLE's indexes that back no constraint, to add COUNT rows; return their SQL.

    Returns [] (and drops nothing) when the table is big already, may not be altered, or
    stays in use (waiting for its lock would hold up every query of the table meanwhile).
    """
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
    if cursor.fetchone()[0] > REBUILD_RATIO * count:
        return []
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY i.indexrelid
        """,
        [table],
    )
    found = cursor.fetchall()
    cursor.execute("SHOW lock_timeout")
    (lock_timeout,) = cursor.fetchone()
    try:
        with transaction.atomic():
            cursor.execute(f"SET LOCAL lock_timeout = '{REBUILD_LOCK_WAIT}'")
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {name}")
    except DatabaseError:  # keep the indexes and update them, more slowly
        return []
    finally:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout])
    return [definition for _name, definition in found]


def _indexes_create(cursor: CursorWrapper, table: str, indexes: list[str]) -> None:
    """Run the INDEXES definitions on TABLE, just loaded.

    PostgreSQL builds no index on a table with deferred checks pending, so the table's
    deferred foreign keys are checked now, and deferred again after.
    """
    cursor.execute(
        """
        SELECT quote_ident(conname) FROM pg_constraint
        WHERE conrelid = %s::regclass AND condeferred
        """,
        [table],
    )
    deferred = ", ".join(name for (name,) in cursor.fetchall())
    if deferred:
        cursor.execute(f"SET CONSTRAINTS {deferred} IMMEDIATE")
    cursor.execute(f"SET LOCAL maintenance_work_mem = '{REBUILD_MEMORY}'")
    for definition in indexes:
        cursor.execute(definition)
    if deferred:
        cursor.execute(f"SET CONSTRAINTS {deferred} DEFERRED")
