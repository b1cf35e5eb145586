"""Every view needs a signed-in user unless it is declared public here.

``LoginRequiredMiddleware`` guards every URL pattern; a view opts out with
``@login_not_required`` (allauth marks its own sign-in, sign-up and reset views, Django its
admin login). The walk over the resolver fails for a public view missing from ``PUBLIC`` (and
for a listed one that is no longer public), so making a page public is a deliberate decision.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.hostile.routes import Route, all_routes, fill

pytestmark = pytest.mark.django_db

# Route keys (url names, or the route for unnamed ones) answered without a sign-in.
PUBLIC = frozenset(
    {
        # apps.core
        "home",
        "robots_txt",
        "healthz",
        "readyz",
        # apps.accounts
        "account_deleted",
        # allauth (marked by allauth itself)
        "account_login",
        "account_logout",
        "account_inactive",
        "account_signup",
        "account_email_verification_sent",
        "account_reset_password",
        "account_confirm_password_reset_code",
        "account_complete_password_reset",
        "account_password_reset_completed",
        "account_request_login_code",
        "account_confirm_login_code",
        "mfa_authenticate",
        "mfa_login_webauthn",
        # Django's admin (its login sends visitors on to allauth's, see apps.core.apps)
        "admin:login",
    }
)
# Public pages an anonymous visitor can open directly (the others redirect on by their own
# logic: no sign-in in progress, nothing to reset, already signed out).
PUBLIC_PAGES = (
    "home",
    "robots_txt",
    "healthz",
    "readyz",
    "account_deleted",
    "account_login",
    "account_signup",
    "account_inactive",
    "account_reset_password",
    "account_password_reset_completed",
    "account_request_login_code",
)

ROUTES = all_routes()


def _is_public(route: Route) -> bool:
    return not getattr(route.callback, "login_required", True)


def _path(route: Route) -> str:
    """A concrete path for ROUTE (an id no row has: the guard answers before any lookup)."""
    return fill(route, {})[0]


def _login_next(location: str, *, admin: bool = False) -> str | None:
    """The ``next`` of a redirect to the login page, or None when LOCATION is not one.

    With ADMIN, the admin's login counts too: the admin site's own views send visitors there
    (their ``login_url``), and it sends them on to allauth's with the same ``next``.
    """
    parts = urlsplit(location)
    logins = {reverse("account_login"), *([reverse("admin:login")] if admin else [])}
    if parts.path not in logins:
        return None
    return parse_qs(parts.query).get("next", [""])[0]


PROTECTED = [r for r in ROUTES if not _is_public(r)]


def test_the_public_views_are_exactly_the_declared_ones() -> None:
    public = {r.key for r in ROUTES if _is_public(r)}
    assert public - PUBLIC == set(), "public views missing from PUBLIC (declare them there)"
    assert PUBLIC - public == set(), "views in PUBLIC that are not public (or no longer routed)"


def test_the_walk_sees_every_kind_of_route() -> None:
    keys = {r.key for r in PROTECTED}
    assert {"contacts:list", "contacts:edit", "account_settings", "mfa_index"} <= keys
    assert {"admin:index", "account_email", "account_change_password"} <= keys


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: r.key)
def test_anonymous_request_to_a_private_route_is_sent_to_login(client: Client, route: Route):
    path = _path(route)
    response = client.get(path)
    assert response.status_code == HTTPStatus.FOUND, path
    assert _login_next(response["Location"], admin=route.is_admin) == path


def test_the_admin_login_sends_visitors_on_to_the_site_login(client: Client) -> None:
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == HTTPStatus.FOUND
    assert _login_next(response["Location"]) == "/admin/"


@pytest.mark.parametrize("route", [r for r in PROTECTED if not r.is_admin], ids=lambda r: r.key)
def test_htmx_request_of_an_expired_session_gets_a_client_redirect(client: Client, route: Route):
    # A fragment belongs to the page the user is on: login returns there, not to the fragment.
    response = client.get(
        _path(route),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/contacts/?q=a"},
    )
    assert response.status_code == HTTPStatus.OK
    assert _login_next(response["HX-Redirect"]) == "/contacts/?q=a"


# The admin's login sends every visitor to allauth's (tested above).
@pytest.mark.parametrize(
    "route", [r for r in ROUTES if _is_public(r) and r.key != "admin:login"], ids=lambda r: r.key
)
def test_public_routes_are_not_sent_to_login_for_themselves(client: Client, route: Route):
    path = _path(route)
    response = client.get(path)
    assert _login_next(response.get("Location", "")) != path


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_answer_anonymous_visitors(client: Client, name: str) -> None:
    assert name in PUBLIC
    response = client.get(reverse(name))
    assert response.status_code == HTTPStatus.OK, response.get("Location")
