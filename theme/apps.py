"""Tailwind theme app: holds the npm project that builds the site's CSS."""

from __future__ import annotations

from django.apps import AppConfig


class ThemeConfig(AppConfig):
    name = "theme"
    verbose_name = "Theme"
