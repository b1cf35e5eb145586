"""Private responses: no-store for signed-in users and account pages, Clear-Site-Data at logout."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from apps.accounts.forms import DELETE_CONFIRMATION
from apps.contacts.tests.factories import ContactFactory
from common.middleware import CLEAR_SITE_DATA, account_path_prefix

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def directives(response) -> set[str]:
    """Return the response's Cache-Control directives, lower-cased."""
    value = response.get("Cache-Control", "")
    return {part.strip().lower() for part in value.split(",") if part.strip()}


def is_private(response) -> bool:
    """Return True when no cache may keep RESPONSE."""
    return {"no-store", "private"} <= directives(response)


# -- signed in: nothing is stored ---------------------------------------------------------
@pytest.mark.parametrize("name", ["home", "contacts:list", "account_settings"])
def test_pages_for_a_signed_in_user_are_not_stored(signed_in, name):
    response = signed_in.get(reverse(name))
    assert response.status_code == HTTPStatus.OK
    assert is_private(response), response.get("Cache-Control")


def test_htmx_partial_for_a_signed_in_user_is_not_stored(signed_in, user):
    contact = ContactFactory(owner=user)
    response = signed_in.get(reverse("contacts:row", args=[contact.pk]), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert not response.content.decode().lstrip().startswith("<!DOCTYPE")  # a fragment
    assert is_private(response), response.get("Cache-Control")


def test_a_public_response_turns_private_for_a_signed_in_user(signed_in):
    response = signed_in.get(reverse("robots_txt"))
    assert is_private(response)
    assert "public" not in directives(response)


def test_a_view_that_never_caches_keeps_its_own_directives(signed_in):
    response = signed_in.get(reverse("account_delete"))  # @never_cache
    assert response.status_code == HTTPStatus.OK
    assert {"no-store", "private", "no-cache", "must-revalidate", "max-age=0"} <= directives(
        response
    )


# -- account pages: private even before signing in ----------------------------------------
@pytest.mark.parametrize(
    "name", ["account_login", "account_signup", "account_reset_password", "account_deleted"]
)
def test_account_pages_are_not_stored_for_anonymous_visitors(client, name):
    response = client.get(reverse(name))
    assert response.status_code == HTTPStatus.OK
    assert is_private(response), response.get("Cache-Control")


def test_the_account_prefix_comes_from_the_login_url():
    assert account_path_prefix() == "/accounts/"
    assert reverse("account_settings").startswith("/accounts/")


# -- anonymous public pages stay cacheable ------------------------------------------------
def test_home_for_an_anonymous_visitor_is_not_marked_private(client):
    response = client.get(reverse("home"))
    assert response.status_code == HTTPStatus.OK
    assert "no-store" not in directives(response)
    assert "Clear-Site-Data" not in response


def test_robots_txt_stays_public_for_anonymous_visitors(client):
    response = client.get(reverse("robots_txt"))
    assert directives(response) == {"max-age=86400", "public"}


def test_static_files_are_answered_before_the_policy(signed_in):
    response = signed_in.get(f"{settings.STATIC_URL}js/app.js")
    assert response.status_code == HTTPStatus.OK
    assert "no-store" not in directives(response)
    assert "private" not in directives(response)


def test_health_probes_load_no_user_or_session(signed_in, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = signed_in.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert "Clear-Site-Data" not in response


def test_policy_runs_after_authentication_and_after_whitenoise():
    middleware = settings.MIDDLEWARE
    policy = middleware.index("common.middleware.PrivateResponseMiddleware")
    assert policy > middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert policy > middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    assert policy > middleware.index("common.middleware.HealthProbeMiddleware")


# -- logout clears the browser's copies ---------------------------------------------------
def test_logout_clears_the_browsers_cache_and_storage(signed_in):
    response = signed_in.post(reverse("account_logout"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Clear-Site-Data"] == '"cache", "storage"' == CLEAR_SITE_DATA
    assert is_private(response)
    assert signed_in.cookies[settings.SESSION_COOKIE_NAME].value == ""  # signed out


def test_boosted_logout_clears_too(signed_in):
    response = signed_in.post(reverse("account_logout"), headers={**HTMX, "HX-Boosted": "true"})
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA


def test_only_the_logout_response_clears(signed_in, client):
    assert "Clear-Site-Data" not in signed_in.get(reverse("account_logout"))  # the question
    signed_in.post(reverse("account_logout"))
    after = signed_in.get(reverse("home"))
    assert "Clear-Site-Data" not in after
    assert "no-store" not in directives(after)  # anonymous again


def test_account_deletion_clears_the_browsers_cache_and_storage(signed_in, user):
    response = signed_in.post(reverse("account_delete"), {"confirmation": DELETE_CONFIRMATION})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_deleted")
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA
    assert not get_user_model().objects.filter(pk=user.pk).exists()
