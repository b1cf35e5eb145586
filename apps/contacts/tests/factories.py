"""Factories for contacts tests."""

from __future__ import annotations

import factory

from apps.contacts.models import Contact
from apps.users.tests.factories import UserFactory


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    owner = factory.SubFactory(UserFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    phone = factory.Faker("numerify", text="+1 555 ### ####")
    company = factory.Faker("company")
