"""Template context shared by every page."""

from __future__ import annotations

from functools import cache
from typing import TypedDict

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch

from common.reversing import reverse_plain

THEME_COOKIE = "kis_theme"
THEMES = ("light", "dark")


class NavItem(TypedDict):
    label: str
    url: str
    description: str
    active: bool


@cache
def _declared_nav() -> tuple[tuple[str, str, str], ...]:
    """Collect ``nav = (label, url_name, description)`` from every AppConfig that has one."""
    return tuple(
        config.nav  # type: ignore[attr-defined]
        for config in apps.get_app_configs()
        if getattr(config, "nav", None)
    )


def site(request: HttpRequest) -> dict[str, object]:
    """Expose the site name, the main navigation, and the theme pinned in this browser."""
    theme = request.COOKIES.get(THEME_COOKIE, "")
    nav: list[NavItem] = []
    for label, url_name, description in _declared_nav():
        try:
            url = reverse_plain(url_name)
        except NoReverseMatch:  # the app is installed but not mounted in this URLconf
            continue
        nav.append(
            NavItem(
                label=label, url=url, description=description, active=request.path.startswith(url)
            )
        )
    return {
        "site_name": settings.SITE_NAME,
        "theme": theme if theme in THEMES else "",
        "nav_items": nav,
    }
