"""Idempotent create: a key claimed twice, even at the same moment, creates one object."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections

from apps.contacts import services
from apps.contacts.models import Contact
from apps.core.idempotency import AlreadySubmitted, submission_claim
from apps.core.models import SubmissionKey
from apps.users.tests.factories import UserFactory


@pytest.mark.django_db
def test_a_claimed_key_leads_to_the_first_result():
    owner = UserFactory.create()
    key = uuid.uuid4()
    contact = services.contact_create(owner=owner, data={"first_name": "A"}, submission_key=key)
    with pytest.raises(AlreadySubmitted) as exc:
        services.contact_create(owner=owner, data={"first_name": "A"}, submission_key=key)
    assert exc.value.result_url == contact.get_absolute_url()
    assert Contact.objects.filter(owner=owner).count() == 1


@pytest.mark.django_db
def test_no_key_claims_nothing():
    owner = UserFactory.create()
    submission_claim(owner=owner, key=None)
    services.contact_create(owner=owner, data={"first_name": "A"})
    services.contact_create(owner=owner, data={"first_name": "A"})
    assert not SubmissionKey.objects.exists()
    assert Contact.objects.filter(owner=owner).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_create_one_contact():
    """Two tabs or a double click racing: the unique key makes the second wait and yield."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    owner = UserFactory.create()
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            services.contact_create(owner=owner, data={"first_name": "Race"}, submission_key=key)
            outcomes.append("created")
        except AlreadySubmitted as exc:
            outcomes.append(exc.result_url)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    contact = Contact.objects.get(owner=owner, first_name="Race")
    assert sorted(outcomes) == sorted(["created", contact.get_absolute_url()])
