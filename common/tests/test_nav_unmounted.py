"""A nav entry whose app is not mounted in the current URLconf is left out, not an error."""

from __future__ import annotations

from django.test import RequestFactory

from common.context_processors import site


def test_nav_skips_apps_missing_from_the_urlconf(settings):
    settings.ROOT_URLCONF = "apps.core.urls"  # no /contacts/ here
    context = site(RequestFactory().get("/"))
    assert all(item["label"] != "Contacts" for item in context["nav_items"])


def test_nav_lists_mounted_apps():
    context = site(RequestFactory().get("/contacts/"))
    contacts = next(item for item in context["nav_items"] if item["label"] == "Contacts")
    assert contacts["url"] == "/contacts/" and contacts["active"]
