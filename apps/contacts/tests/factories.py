"""Factories for contacts tests."""

from __future__ import annotations

from typing import Any

import factory

from apps.companies.models import Company
from apps.companies.tests.factories import CompanyFactory
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
    # No company by default (one more row per contact). company="Acme" links the contact to
    # the owner's company of that name (created if needed); company=<Company> to that one.
    company = None

    @classmethod
    def _create(cls, model_class: type[Contact], *args: Any, **kwargs: Any) -> Contact:
        company = kwargs.get("company")
        if isinstance(company, str):
            company = kwargs["company"] = Company.objects.filter(
                owner=kwargs["owner"], name__iexact=company
            ).first() or CompanyFactory(owner=kwargs["owner"], name=company)
        kwargs.setdefault("company_name", company.name if company else "")
        return super()._create(model_class, *args, **kwargs)
