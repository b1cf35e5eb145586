"""Owner-scoped access helpers, exercised on a model with an owner (allauth's EmailAddress)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from common.permissions import get_owned_or_404, owned_by

pytestmark = pytest.mark.django_db


def test_owned_by_returns_only_the_users_rows(user, other_user):
    mine = owned_by(EmailAddress, user=user, owner_field="user")
    assert list(mine.values_list("email", flat=True)) == [user.email]


def test_owned_by_is_empty_for_anonymous(user):
    assert not owned_by(EmailAddress, user=AnonymousUser(), owner_field="user").exists()


def test_get_owned_returns_own_object(user):
    address = EmailAddress.objects.get(user=user)
    assert get_owned_or_404(EmailAddress, user=user, owner_field="user", pk=address.pk) == address


def test_someone_elses_object_is_404(user, other_user):
    theirs = EmailAddress.objects.get(user=other_user)
    with pytest.raises(Http404):
        get_owned_or_404(EmailAddress, user=user, owner_field="user", pk=theirs.pk)


@pytest.mark.parametrize("pk", ["abc", "", "1.5", 10**30])
def test_malformed_ids_are_404_not_500(user, pk):
    with pytest.raises(Http404):
        get_owned_or_404(EmailAddress, user=user, owner_field="user", pk=pk)


def test_anonymous_gets_404(user):
    address = EmailAddress.objects.get(user=user)
    with pytest.raises(Http404):
        get_owned_or_404(EmailAddress, user=AnonymousUser(), owner_field="user", pk=address.pk)
