"""Factories for companies tests."""

from __future__ import annotations

import factory

from apps.companies.models import Company
from apps.users.tests.factories import UserFactory


class CompanyFactory(factory.django.DjangoModelFactory[Company]):
    class Meta:
        model = Company

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Company {n} Ltd")
    website = factory.Sequence(lambda n: f"https://company{n}.example.com")
