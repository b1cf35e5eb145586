"""The signed-in home is a dashboard: counts, recently changed contacts, unfinished jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.companies.models import CompanyExport, CompanyImport
from apps.companies.tests.factories import CompanyFactory
from apps.contacts.models import Contact, ContactExport, ContactImport
from apps.contacts.tests.factories import ContactFactory
from apps.core.selectors import dashboard
from common.jobs import JobStatus

pytestmark = pytest.mark.django_db


def _contacts(owner, count):
    """COUNT contacts of OWNER, the last one made the most recently updated."""
    now = timezone.now()
    made = [ContactFactory.create(owner=owner, first_name=f"Person{i}") for i in range(count)]
    for i, contact in enumerate(made):
        Contact.objects.filter(pk=contact.pk).update(updated_at=now - timedelta(minutes=count - i))
    return made


def test_dashboard_counts_recent_contacts_and_jobs_in_three_queries(user, other_user):
    _contacts(user, 7)
    CompanyFactory.create_batch(2, owner=user)
    ContactFactory.create(owner=other_user)
    CompanyFactory.create(owner=other_user)
    running = ContactExport.objects.create(
        owner=user, status=JobStatus.RUNNING, total=10, processed=4
    )
    failed = CompanyImport.objects.create(
        owner=user, status=JobStatus.FAILED, file=ContentFile(b"", name="i.csv")
    )
    waiting = ContactImport.objects.create(owner=user, file=ContentFile(b"", name="i.csv"))
    CompanyExport.objects.create(owner=user, status=JobStatus.DONE)  # finished: not shown
    ContactExport.objects.create(owner=other_user, status=JobStatus.RUNNING)  # not theirs
    old = timezone.now() - timedelta(days=30)
    ContactExport.objects.create(owner=user, status=JobStatus.FAILED, created_at=old)

    with CaptureQueriesContext(connection) as queries:
        board = dashboard(user=user)
    assert len(queries) == 3, [q["sql"] for q in queries]

    assert [(c.label, c.count, c.url) for c in board.counts] == [
        ("Contacts", 7, reverse("contacts:list")),
        ("Companies", 2, reverse("companies:list")),
    ]
    assert [c.first_name for c in board.recent_contacts] == [f"Person{i}" for i in (6, 5, 4, 3, 2)]
    urls = {job.url: job for job in board.jobs}
    assert set(urls) == {
        reverse("contacts:export", args=[running.pk]),
        reverse("companies:import", args=[failed.pk]),
        reverse("contacts:import", args=[waiting.pk]),
    }
    assert urls[reverse("contacts:export", args=[running.pk])].percent == 40
    assert urls[reverse("companies:import", args=[failed.pk])].failed


def test_home_shows_the_dashboard_with_links(user_client, user, django_assert_max_num_queries):
    contacts = _contacts(user, 6)
    CompanyFactory.create(owner=user)
    job = ContactExport.objects.create(owner=user, status=JobStatus.RUNNING)
    user_client.get("/")  # the first request records the session (allauth usersessions)
    # session, user, then the dashboard's three: no query per contact or per job
    with django_assert_max_num_queries(5):
        html = user_client.get("/").content.decode()
    assert 'data-testid="count-contacts">6<' in html
    assert 'data-testid="count-companies">1<' in html
    assert f'href="{reverse("contacts:list")}"' in html
    assert f'href="{reverse("companies:list")}"' in html
    for contact in contacts[1:]:
        assert f'href="{contact.get_absolute_url()}"' in html
    assert f'href="{contacts[0].get_absolute_url()}"' not in html  # only the 5 newest
    assert f'href="{reverse("contacts:export", args=[job.pk])}"' in html
    assert "Contacts export" in html


def test_the_dashboard_reads_tallies_and_counts_only_lists_without_one(user, other_user):
    _contacts(user, 3)
    CompanyFactory.create(owner=other_user)
    with CaptureQueriesContext(connection) as queries:
        counts = {c.label: c.count for c in dashboard(user=user).counts}
    assert counts == {"Contacts": 3, "Companies": 0}
    counted = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counted) == 1 and "contacts_contact" not in counted[0]  # companies: no tally


def test_an_empty_dashboard_says_what_to_do(user_client):
    html = user_client.get("/").content.decode()
    assert "No contacts yet" in html
    assert reverse("contacts:create") in html
    assert "No import or export is running." in html


def test_visitors_still_get_the_landing_page(client):
    html = client.get("/").content.decode()
    assert "Sign up" in html
    assert "dashboard-counts" not in html
