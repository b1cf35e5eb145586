"""Realistic fake contacts, made fast with bulk inserts (no Faker needed at runtime)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
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


def contacts_seed(*, owner: User, count: int, batch_size: int = 2000, seed: int = 0) -> int:
    """Create COUNT fake contacts for OWNER with unique emails; return how many were made."""
    rng = random.Random(seed or None)  # noqa: S311 - fake data, not security
    start = Contact.objects.filter(owner=owner).count()
    now = timezone.now()
    companies: list[Company | None] = [
        company_get_or_create(owner=owner, name=name) for name in COMPANIES
    ]
    made = 0
    while made < count:
        batch: list[Contact] = []
        for _ in range(min(batch_size, count - made)):
            n = start + made + len(batch)
            first, last = rng.choice(FIRST), rng.choice(LAST)
            local = f"{first}.{last}".lower().replace("'", "")
            stamp = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            batch.append(
                Contact(
                    owner=owner,
                    first_name=first,
                    last_name=last,
                    email=f"{local}.{n}@{rng.choice(DOMAINS)}",
                    phone=f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    company=(company := rng.choice(companies)),
                    company_name=company.name if company else "",
                    notes="",
                    is_favourite=rng.random() < 0.05,
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
        with transaction.atomic():
            Contact.objects.bulk_create(batch, batch_size=batch_size)
        made += len(batch)
    return made
