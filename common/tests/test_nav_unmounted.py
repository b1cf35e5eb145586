"""A nav entry whose app is not mounted in the current URLconf is left out, not an error."""

from __future__ import annotations

from typing import cast

from django.test import RequestFactory

from common.context_processors import NavItem, site


def test_nav_skips_apps_missing_from_the_urlconf(settings):
    settings.ROOT_URLCONF = "apps.core.urls"  # no /contacts/ here
    nav = cast("list[NavItem]", site(RequestFactory().get("/"))["nav_items"])
    assert all(item["label"] != "Contacts" for item in nav)


def test_nav_lists_mounted_apps():
    nav = cast("list[NavItem]", site(RequestFactory().get("/contacts/"))["nav_items"])
    contacts = next(item for item in nav if item["label"] == "Contacts")
    assert contacts["url"] == "/contacts/" and contacts["active"]
